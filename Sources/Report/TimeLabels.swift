import ColumnStore

enum TimeLabels {
    /// ISO-8601 UTC text of epoch seconds.
    static func iso(_ seconds: Int64) -> String { TimestampFormat.iso8601(seconds, unit: .second) }
}
