/// Numbers formatted for people: `48,842`, `12.6%`, `1.9e-12`, `1.35`. Deterministic, locale-free.
public enum HumanFormat {
    /// An integer with thousands separators.
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// A rate as a percentage with one decimal (two below 1%), `n/a` when not finite.
    public static func percent(_ rate: Double) -> String {
        guard rate.isFinite else { return "n/a" }
        let percent = rate * 100
        return fixed(percent, decimals: abs(percent) < 1 && percent != 0 ? 2 : 1) + "%"
    }

    /// A p- or q-value: fixed with 3 decimals down to 0.001, then scientific with 2 significant digits.
    public static func probability(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if value == 0 { return "<1e-300" }
        if value >= 0.001 { return fixed(value, decimals: 3) }
        return scientific(value, significant: 2)
    }

    /// A p- or q-value after a relation, `= 0.003`, or `< 1e-300` when it is too small to write (so a sentence
    /// never reads `q = <1e-300`). `relation` is the sign used when the value is written: `=`, `≤`.
    public static func probabilityRelation(_ value: Double, relation: String = "=") -> String {
        let text = probability(value)
        return text.hasPrefix("<") ? "< " + text.dropFirst() : relation + " " + text
    }

    /// A difference of rates in percentage points with its sign: `+4.2 pts`, `−1.0 pts`; `–` when not finite.
    public static func signedPoints(_ difference: Double) -> String {
        guard difference.isFinite else { return "–" }
        return (difference < 0 ? "−" : "+") + fixed(abs(difference) * 100, decimals: 1) + " pts"
    }

    /// A ratio such as a lift: two decimals.
    public static func ratio(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return fixed(value, decimals: 2)
    }

    /// A measurement with about 4 significant digits (`103.0`, `0.01234`, `1.2e+06`).
    public static func quantity(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-4 { return scientific(value, significant: 3) }
        var decimals = 3 - Int((magnitude.log10Floor))
        decimals = max(0, min(decimals, 8))
        return fixed(value, decimals: decimals)
    }

    /// `value` rounded half away from zero to `decimals` places.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return value.description }
        let integer = Int64(scaled)
        let divisor = Int64(scale)
        var text = String(integer / divisor)
        if decimals > 0 {
            let fraction = String(integer % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && integer != 0 ? "-" : "") + text
    }

    /// Scientific notation with `significant` digits: `1.9e-12`.
    public static func scientific(_ value: Double, significant: Int) -> String {
        guard value.isFinite, value != 0 else { return value == 0 ? "0" : "n/a" }
        var exponent = Int(abs(value).log10Floor)
        var mantissa = abs(value) / power10(exponent)
        let rounded = Double(fixed(mantissa, decimals: significant - 1)) ?? mantissa
        if rounded >= 10 { exponent += 1; mantissa = abs(value) / power10(exponent) } else { mantissa = rounded }
        return (value < 0 ? "-" : "") + fixed(mantissa, decimals: significant - 1) + "e"
            + (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
    }

    static func power10(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
        return result
    }
}

extension Double {
    /// ⌊log10(|self|)⌋ for positive finite values, computed without libm so output is platform-independent.
    var log10Floor: Double {
        var exponent = 0
        var value = self
        while value >= 10 { value /= 10; exponent += 1 }
        while value < 1 { value *= 10; exponent -= 1 }
        return Double(exponent)
    }
}
