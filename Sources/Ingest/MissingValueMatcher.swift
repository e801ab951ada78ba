/// Decides whether a field's text is a missing-value marker.
///
/// Markers are grouped by byte length, and each group keeps the set of its first bytes, so that a typical number or
/// word is rejected after one or two comparisons.
struct _MissingValueMatcher: Sendable {
    /// pandas `read_csv`'s default `na_values` (pandas 2.x, `pandas._libs.parsers.STR_NA_VALUES`).
    static let pandasDefaults: [String] = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
        "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// `byLength[n]` holds the markers of `n` bytes.
    private let byLength: [[[UInt8]]]
    /// `firstBytes[n]` has bit `b` set (in word `b / 64`) when a marker of `n` bytes starts with byte `b`.
    private let firstBytes: [SIMD4<UInt64>]

    /// The pandas defaults plus `extra`.
    init(extra: [String]) {
        var groups: [[[UInt8]]] = []
        var starts: [SIMD4<UInt64>] = []
        for marker in Self.pandasDefaults + extra {
            let bytes = Array(marker.utf8)
            while groups.count <= bytes.count {
                groups.append([])
                starts.append(.zero)
            }
            if groups[bytes.count].contains(bytes) { continue }
            groups[bytes.count].append(bytes)
            if let first = bytes.first {
                starts[bytes.count][Int(first >> 6)] |= 1 << UInt64(first & 63)
            }
        }
        byLength = groups
        firstBytes = starts
    }

    /// Whether `text` equals one of the markers.
    @inline(__always)
    func matches(_ text: Span<UInt8>) -> Bool {
        let length = text.count
        if length == 0 { return true }  // the empty marker is always present
        guard length < byLength.count else { return false }
        let first = text[0]
        guard firstBytes[length][Int(first >> 6)] & (1 << UInt64(first & 63)) != 0 else { return false }
        return matchesSlow(text)
    }

    private func matchesSlow(_ text: Span<UInt8>) -> Bool {
        markers: for marker in byLength[text.count] {
            for index in 0..<marker.count where marker[index] != text[index] { continue markers }
            return true
        }
        return false
    }
}
