import ColumnStore

/// Parses ISO-8601 timestamps into microseconds since 1970-01-01T00:00:00Z.
///
/// Accepted text (digits are ASCII; `T` may also be a space):
/// ```
/// YYYY-MM-DD
/// YYYY-MM-DDTHH:MM[:SS[.fraction]][Z | ±HH:MM | ±HHMM]
/// ```
/// The date must exist in the proleptic Gregorian calendar (no month 13, no February 30), hours are 0–23, minutes
/// and seconds 0–59 (no leap second), offsets at most ±23:59. An offset is subtracted to give UTC; a value without
/// `Z` or an offset is read as UTC, so a column may mix both. The fraction may have any number of digits; digits
/// beyond the sixth (microseconds) are truncated.
enum _TimestampParser {
    private static let microsecondsPerSecond: Int64 = 1_000_000
    private static let fractionDigits = 6
    private static let shortestDateTime = 16  // "YYYY-MM-DDTHH:MM"
    private static let dateLength = 10  // "YYYY-MM-DD"

    /// The timestamp in microseconds since the epoch (UTC), or `nil` when `text` is not an accepted timestamp.
    static func microseconds(_ text: Span<UInt8>) -> Int64? {
        let count = text.count
        guard count >= dateLength,
            let year = number(text, 0, 4), text[4] == UInt8(ascii: "-"),
            let month = number(text, 5, 2), text[7] == UInt8(ascii: "-"),
            let day = number(text, 8, 2),
            month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        let days = Int64(TimestampFormat.daysFromCivil(year: year, month: month, day: day))
        if count == dateLength { return days * 86_400 * microsecondsPerSecond }

        let separator = text[10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: " "), count >= shortestDateTime,
            let hour = number(text, 11, 2), text[13] == UInt8(ascii: ":"),
            let minute = number(text, 14, 2), hour <= 23, minute <= 59
        else { return nil }
        var index = shortestDateTime
        var second = 0
        var fraction: Int64 = 0
        if index < count, text[index] == UInt8(ascii: ":") {
            guard index + 3 <= count, let value = number(text, index + 1, 2), value <= 59 else { return nil }
            second = value
            index += 3
            if index < count, text[index] == UInt8(ascii: ".") {
                index += 1
                var digits = 0
                while index < count {
                    let digit = text[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { break }
                    if digits < fractionDigits { fraction = fraction * 10 + Int64(digit) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in min(digits, fractionDigits)..<fractionDigits { fraction *= 10 }
            }
        }
        var offsetSeconds = 0
        if index < count {
            let marker = text[index]
            if marker == UInt8(ascii: "Z") {
                guard index + 1 == count else { return nil }
            } else if marker == UInt8(ascii: "+") || marker == UInt8(ascii: "-") {
                guard let offsetHours = number(text, index + 1, 2), offsetHours <= 23 else { return nil }
                var minuteStart = index + 3
                if minuteStart < count, text[minuteStart] == UInt8(ascii: ":") { minuteStart += 1 }
                guard minuteStart + 2 == count, let offsetMinutes = number(text, minuteStart, 2), offsetMinutes <= 59
                else { return nil }
                offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (marker == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return seconds * microsecondsPerSecond + fraction
    }

    /// The decimal value of `length` ASCII digits at `start`, or `nil` if any is not a digit or they run past the end.
    @inline(__always)
    private static func number(_ text: Span<UInt8>, _ start: Int, _ length: Int) -> Int? {
        guard start + length <= text.count else { return nil }
        var value = 0
        for index in start..<(start + length) {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
