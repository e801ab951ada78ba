/// Timestamps given as text outside a file (option values such as `--baseline-until`), read like a CSV cell.
public enum TimestampText {
    /// Seconds since the epoch (UTC) of an ISO-8601 date or date-time (`2012-06-01`, `2012-06-01T08:00:00Z`,
    /// with an optional offset), or `nil` when `text` is not one.
    public static func epochSeconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return _TimestampParser.microseconds(bytes.span).map { Double($0) / 1_000_000 }
    }
}
