import ColumnStore

/// Calendar arithmetic for time buckets over epoch seconds (UTC). Weeks start on Monday (ISO 8601).
enum TimeBuckets {
    private static let hour: Int64 = 3_600
    private static let day: Int64 = 86_400
    private static let week: Int64 = 604_800
    /// 1970-01-01 was a Thursday, so Mondays fall 4 days after multiples of 7 days from the epoch.
    private static let mondayOffset: Int64 = 4 * 86_400

    /// The start of the bucket holding `seconds`.
    static func start(of seconds: Int64, width: TimeBucketWidth) -> Int64 {
        switch width {
        case .hour: return TimestampFormat.floorDiv(seconds, hour) * hour
        case .day: return TimestampFormat.floorDiv(seconds, day) * day
        case .week: return TimestampFormat.floorDiv(seconds - mondayOffset, week) * week + mondayOffset
        case .month:
            let (year, month, _) = TimestampFormat.civilFromDays(Int(TimestampFormat.floorDiv(seconds, day)))
            return Int64(TimestampFormat.daysFromCivil(year: year, month: month, day: 1)) * day
        }
    }

    /// The start of the bucket `steps` buckets after the one starting at `start`.
    static func advance(_ start: Int64, by steps: Int, width: TimeBucketWidth) -> Int64 {
        switch width {
        case .hour: return start + Int64(steps) * hour
        case .day: return start + Int64(steps) * day
        case .week: return start + Int64(steps) * week
        case .month:
            let (year, month, _) = TimestampFormat.civilFromDays(Int(TimestampFormat.floorDiv(start, day)))
            let monthIndex = year * 12 + (month - 1) + steps
            let targetYear = Int((Double(monthIndex) / 12).rounded(.down))
            let targetMonth = monthIndex - targetYear * 12 + 1
            return Int64(TimestampFormat.daysFromCivil(year: targetYear, month: targetMonth, day: 1)) * day
        }
    }

    /// The index of the bucket holding `seconds`, counted from the bucket starting at `first`.
    static func index(of seconds: Int64, first: Int64, width: TimeBucketWidth) -> Int {
        switch width {
        case .hour: return Int((start(of: seconds, width: width) - first) / hour)
        case .day: return Int((start(of: seconds, width: width) - first) / day)
        case .week: return Int((start(of: seconds, width: width) - first) / week)
        case .month:
            let (year, month, _) = TimestampFormat.civilFromDays(Int(TimestampFormat.floorDiv(seconds, day)))
            let (firstYear, firstMonth, _) = TimestampFormat.civilFromDays(Int(TimestampFormat.floorDiv(first, day)))
            return (year - firstYear) * 12 + (month - firstMonth)
        }
    }

    /// The number of buckets from the one holding `low` to the one holding `high`, inclusive.
    static func count(from low: Int64, to high: Int64, width: TimeBucketWidth) -> Int {
        index(of: high, first: start(of: low, width: width), width: width) + 1
    }
}
