/// Deterministic number rendering shared by every output.
public enum NumberFormat {
    /// The shortest text that reads back to the same Double (Swift's round-trip form),
    /// with integral values written without a trailing `.0` and non-finite values as `nan`, `inf`, `-inf`.
    public static func shortest(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e16 {
            return value == 0 ? "0" : String(Int64(value))
        }
        return value.description
    }

    /// `value` rounded to `significant` digits, then written as by ``shortest(_:)``: for prose, where the binary
    /// noise of `103.02860000000001` helps nobody (the exact value stays in the machine-readable outputs).
    public static func rounded(_ value: Double, significant: Int = 7) -> String {
        guard value.isFinite, value != 0, significant >= 1 else { return shortest(value) }
        let magnitude = Int((abs(value)).log10Floor)
        let exponent = significant - 1 - magnitude
        // Powers of ten are exact doubles only up to 1e22; beyond, rounding would add the noise it should remove.
        guard abs(exponent) <= 22 else { return shortest(value) }
        // Scale by an exact power of ten in the direction that keeps the product exact where possible.
        let scaled: Double
        if exponent >= 0 {
            let factor = power10(exponent)
            scaled = (value * factor).rounded() / factor
        } else {
            let factor = power10(-exponent)
            scaled = (value / factor).rounded() * factor
        }
        return shortest(scaled.isFinite ? scaled : value)
    }

    static func power10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent, 400) { result *= 10 }
        return result
    }
}

extension Double {
    /// ⌊log10 |self|⌋ for finite non-zero values, by comparison with powers of ten (no libm).
    fileprivate var log10Floor: Int {
        var magnitude = 0
        var value = abs(self)
        while value >= 10 { value /= 10; magnitude += 1 }
        while value < 1 { value *= 10; magnitude -= 1 }
        return magnitude
    }
}
