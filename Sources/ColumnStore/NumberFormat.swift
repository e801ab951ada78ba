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
}
