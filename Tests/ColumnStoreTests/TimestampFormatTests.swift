import ColumnStore
import Testing
import _TestSupport

/// `TimestampFormat` against an independent calendar (day-by-day stepping with the Gregorian leap rule) and against
/// strings from `numpy.datetime_as_string` (trailing fraction zeros stripped, `Z` appended).
struct TimestampFormatTests {
    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The civil date after `date`, by the calendar rules alone.
    static func nextDay(_ date: (year: Int, month: Int, day: Int)) -> (year: Int, month: Int, day: Int) {
        if date.day < daysInMonth(year: date.year, month: date.month) { return (date.year, date.month, date.day + 1) }
        if date.month < 12 { return (date.year, date.month + 1, 1) }
        return (date.year + 1, 1, 1)
    }

    @Test func knownDays() {
        #expect(TimestampFormat.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(TimestampFormat.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
        #expect(TimestampFormat.daysFromCivil(year: 2000, month: 1, day: 1) == 10_957)
        #expect(TimestampFormat.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
        #expect(TimestampFormat.daysFromCivil(year: 1900, month: 1, day: 1) == -25_567)
        #expect(TimestampFormat.daysFromCivil(year: 0, month: 3, day: 1) == -719_468)
        #expect(TimestampFormat.civilFromDays(0) == (1970, 1, 1))
        #expect(TimestampFormat.civilFromDays(-1) == (1969, 12, 31))
        #expect(TimestampFormat.civilFromDays(11_016) == (2000, 2, 29))
        #expect(TimestampFormat.civilFromDays(-719_469) == (0, 2, 29))
    }

    /// Walks every day from about 2 700 years before 1970 to 2 700 years after (negative day counts, year 0, negative
    /// years, every leap rule), checking both directions and that consecutive counts are consecutive dates.
    @Test func civilDaysRoundTripOverFiveThousandYears() {
        let first = -1_000_000
        let last = 1_000_000
        var expected = TimestampFormat.civilFromDays(first)
        #expect(expected.year < -700)
        var mismatches: [Int] = []
        for days in first...last {
            let civil = TimestampFormat.civilFromDays(days)
            let back = TimestampFormat.daysFromCivil(year: civil.year, month: civil.month, day: civil.day)
            if civil != expected || back != days { mismatches.append(days) }
            expected = Self.nextDay(civil)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) days differ, first \(mismatches.prefix(5))")
        #expect(TimestampFormat.civilFromDays(last).year > 4_000)
    }

    @Test(arguments: [1900, 2000, 2023, 2024, 2100, 1600, 0, -1, -4, -100, -400])
    func februaryFollowsTheLeapRule(year: Int) {
        let lastOfFebruary = Self.isLeap(year) ? 29 : 28
        let march1 = TimestampFormat.daysFromCivil(year: year, month: 3, day: 1)
        #expect(TimestampFormat.civilFromDays(march1 - 1) == (year, 2, lastOfFebruary))
        let february1 = TimestampFormat.daysFromCivil(year: year, month: 2, day: 1)
        #expect(march1 - february1 == lastOfFebruary)
        let yearLength =
            TimestampFormat.daysFromCivil(year: year + 1, month: 1, day: 1)
            - TimestampFormat.daysFromCivil(year: year, month: 1, day: 1)
        #expect(yearLength == (Self.isLeap(year) ? 366 : 365))
    }

    @Test(arguments: [
        (7, 2, 3), (-7, 2, -4), (7, -2, -4), (-7, -2, 3), (-6, 2, -3), (6, 2, 3), (0, 5, 0), (-1, 1_000, -1),
    ])
    func floorDivRoundsTowardNegativeInfinity(a: Int64, b: Int64, expected: Int64) {
        #expect(TimestampFormat.floorDiv(a, b) == expected)
    }

    /// From `numpy.datetime_as_string(numpy.datetime64(value, unit))`, fraction zeros stripped, plus `Z`.
    static let numpyStrings: [(Int64, TimeUnit, String)] = [
        (146_452_335_707, .second, "6610-11-22T04:21:47Z"),
        (-57_814_355_385, .second, "0137-12-08T08:50:15Z"),
        (9_706_852_093, .second, "2277-08-06T19:48:13Z"),
        (67_751_326_816_802, .millisecond, "4116-12-14T21:00:16.802Z"),
        (-19_286_362_611_304, .millisecond, "1358-11-03T05:03:08.696Z"),
        (-61_169_526_176_442, .millisecond, "0031-08-13T08:57:03.558Z"),
        (-34_355_833_424_516_017, .microsecond, "0881-04-22T00:56:15.483983Z"),
        (130_403_840_563_044_793, .microsecond, "6102-05-02T17:02:43.044793Z"),
        (3_786_405_862_629_872, .microsecond, "2089-12-26T03:24:22.629872Z"),
        (1_189_683_034_306_189_313, .nanosecond, "2007-09-13T11:30:34.306189313Z"),
        (-2_764_003_454_615_593_404, .nanosecond, "1882-05-31T05:15:45.384406596Z"),
        (-4_575_093_208_268_810_126, .nanosecond, "1825-01-08T12:46:31.731189874Z"),
        (0, .second, "1970-01-01T00:00:00Z"),
        (0, .nanosecond, "1970-01-01T00:00:00Z"),
        (-1, .second, "1969-12-31T23:59:59Z"),
        (-1, .millisecond, "1969-12-31T23:59:59.999Z"),
        (-1, .microsecond, "1969-12-31T23:59:59.999999Z"),
        (-1, .nanosecond, "1969-12-31T23:59:59.999999999Z"),
        (1_500, .millisecond, "1970-01-01T00:00:01.5Z"),
        (1, .microsecond, "1970-01-01T00:00:00.000001Z"),
        (10, .nanosecond, "1970-01-01T00:00:00.00000001Z"),
        (951_782_400, .second, "2000-02-29T00:00:00Z"),
        (951_868_799_999, .millisecond, "2000-02-29T23:59:59.999Z"),
        (-2_208_988_800, .second, "1900-01-01T00:00:00Z"),
        (-62_135_596_800, .second, "0001-01-01T00:00:00Z"),
        (253_402_300_799_999_999, .microsecond, "9999-12-31T23:59:59.999999Z"),
        (-9_223_372_036_000_000_000, .nanosecond, "1677-09-21T00:12:44Z"),
        (Int64.max, .nanosecond, "2262-04-11T23:47:16.854775807Z"),
        (Int64.max, .millisecond, "292278994-08-17T07:12:55.807Z"),
    ]

    @Test(arguments: numpyStrings)
    func iso8601MatchesNumpy(value: Int64, unit: TimeUnit, expected: String) {
        #expect(TimestampFormat.iso8601(value, unit: unit) == expected)
    }

    /// Years before 1 use ISO 8601's expanded form: a sign and at least four digits.
    @Test func negativeYearsAreSignedAndPadded() {
        #expect(TimestampFormat.iso8601(-62_167_219_200, unit: .second) == "0000-01-01T00:00:00Z")
        #expect(TimestampFormat.iso8601(-62_167_219_201, unit: .second) == "-0001-12-31T23:59:59Z")
        #expect(TimestampFormat.iso8601(-62_167_219_200_001, unit: .millisecond) == "-0001-12-31T23:59:59.999Z")
    }

    /// The text parses back to the value (seeded values across a quarter of each unit's range, both signs).
    @Test(arguments: [TimeUnit.second, .millisecond, .microsecond, .nanosecond])
    func iso8601RoundTripsThroughAnIndependentParser(unit: TimeUnit) throws {
        var random = SeededRandom(seed: 0x7_1AE + UInt64(unit.perSecond))
        let span = UInt64(Int64.max / 4)
        for _ in 0..<2_000 {
            let value = Int64(bitPattern: random.next() % (2 * span)) - Int64(span)
            let text = TimestampFormat.iso8601(value, unit: unit)
            let parsed = try #require(Self.parse(text, unit: unit), "\(text)")
            #expect(parsed == value, "\(value) \(unit) -> \(text)")
        }
    }

    /// A whole second reads the same in every unit, and a sub-second part only adds a fraction.
    @Test func sameInstantReadsTheSameInEveryUnit() {
        var random = SeededRandom(seed: 0x5EC)
        for _ in 0..<2_000 {
            let seconds = Int64(bitPattern: random.next() % 18_000_000_000) - 9_000_000_000
            let text = TimestampFormat.iso8601(seconds, unit: .second)
            #expect(TimestampFormat.iso8601(seconds * 1_000, unit: .millisecond) == text)
            #expect(TimestampFormat.iso8601(seconds * 1_000_000, unit: .microsecond) == text)
            #expect(TimestampFormat.iso8601(seconds * 1_000_000_000, unit: .nanosecond) == text)
            let withFraction = TimestampFormat.iso8601(seconds * 1_000 + 250, unit: .millisecond)
            #expect(withFraction == text.dropLast() + ".25Z")
        }
    }

    /// Parses `[-]Y…Y-MM-DDTHH:MM:SS[.f…]Z` back to a count of `unit`.
    static func parse(_ text: String, unit: TimeUnit) -> Int64? {
        guard text.hasSuffix("Z") else { return nil }
        var body = Substring(text.dropLast())
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let halves = body.split(separator: "T")
        guard halves.count == 2 else { return nil }
        let date = halves[0].split(separator: "-").compactMap { Int($0) }
        let timeAndFraction = halves[1].split(separator: ".")
        let time = timeAndFraction[0].split(separator: ":").compactMap { Int64($0) }
        guard date.count == 3, time.count == 3, halves[0].split(separator: "-")[0].count >= 4 else { return nil }
        guard (1...12).contains(date[1]), (1...31).contains(date[2]), time[0] < 24, time[1] < 60, time[2] < 60
        else { return nil }
        var fraction: Int64 = 0
        if timeAndFraction.count == 2 {
            let digits = String(timeAndFraction[1])
            let width = String(unit.perSecond).count - 1
            guard !digits.hasSuffix("0"), digits.count <= width, let raw = Int64(digits) else { return nil }
            fraction = raw
            for _ in digits.count..<width { fraction *= 10 }
        }
        let year = negative ? -date[0] : date[0]
        let days = Int64(TimestampFormat.daysFromCivil(year: year, month: date[1], day: date[2]))
        let seconds = days * 86_400 + time[0] * 3_600 + time[1] * 60 + time[2]
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unit.perSecond)
        return overflow ? nil : scaled + fraction
    }

    /// pandas' earliest timestamp, `Timestamp.min` (Int64.min + 1 ns), and its millisecond counterpart: the
    /// conversion must not overflow (`seconds * perSecond` below Int64.min traps). Run in a child process so a trap
    /// fails only this test.
    @Test func iso8601OfTheEarliestNanosecondTimestampDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            let text = TimestampFormat.iso8601(Int64.min + 1, unit: .nanosecond)
            precondition(text == "1677-09-21T00:12:43.145224193Z", text)
        }
    }

    @Test func iso8601OfTheEarliestMillisecondTimestampDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            let text = TimestampFormat.iso8601(Int64.min + 1, unit: .millisecond)
            precondition(text == "-292275055-05-16T16:47:04.193Z", text)
        }
    }
}
