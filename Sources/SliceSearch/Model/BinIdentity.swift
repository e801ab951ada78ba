/// What rows a bin of a feature holds: the identity reported in `features[].bins[]` and in slice predicates.
public enum BinIdentity: Sendable, Equatable, Hashable {
    /// One category (or a numeric value of a low-cardinality column), as text.
    case value(String)
    /// The rarest categories beyond `--max-categories`, merged.
    case other(mergedCategories: Int)
    /// A numeric interval: `(lower, upper]`, or `[lower, upper]` when `lowerInclusive`.
    case interval(lower: Double, upper: Double, lowerInclusive: Bool)
    /// A time bucket `[start, end)`, both as epoch seconds.
    case timeBucket(start: Int64, end: Int64)
    /// Rows where the feature is missing.
    case missing

    /// A short human label: `Bachelors`, `(32, 37]`, `2012-01-02`, `(missing)`.
    public var label: String {
        switch self {
        case .value(let text): return text
        case .other(let merged): return "(other: \(merged) categories)"
        case .interval(let lower, let upper, let lowerInclusive):
            return (lowerInclusive ? "[" : "(") + Self.format(lower) + ", " + Self.format(upper) + "]"
        case .timeBucket(let start, let end): return Self.formatTime(start, wholeDays: end - start >= 86_400)
        case .missing: return "(missing)"
        }
    }

    /// Edges for people: integers as such, other values with at most 6 significant digits
    /// (`106072.20000000001` reads `106072`); the exact edges are in `lower`/`upper`.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let shortest = value.description
        guard shortest.count > 8, !shortest.contains("e") else { return shortest }
        var digitsBeforePoint = 0
        for character in shortest where character != "-" {
            if character == "." { break }
            digitsBeforePoint += 1
        }
        let decimals = max(0, 6 - digitsBeforePoint)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : rounded.description
    }

    /// A date for buckets of a day or more, else the full timestamp.
    static func formatTime(_ seconds: Int64, wholeDays: Bool) -> String {
        let text = TimeText.iso8601(seconds: seconds)
        return wholeDays ? String(text.prefix(10)) : text
    }
}
