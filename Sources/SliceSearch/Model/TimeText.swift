import ColumnStore

/// ISO-8601 rendering of epoch seconds for labels and JSON.
enum TimeText {
    static func iso8601(seconds: Int64) -> String { TimestampFormat.iso8601(seconds, unit: .second) }
}
