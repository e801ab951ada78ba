import ColumnStore
import Ingest
import Testing

/// Which type each column gets, and the values and validity it holds.
struct CSVTypeInferenceTests {
    // MARK: - Integers and floats

    @Test func integersWithMissingCellsStayInt64() throws {
        let table = try readCSV("n\n1\n\n-2\nNA\n+3\n")
        let column = try #require(table.column(named: "n"))
        #expect(column.type == .int64)
        // An empty line in a one-column file is a blank line (skipped, as pandas does); "NA" is a missing cell.
        #expect(column.count == 4)
        #expect(column.presence == [true, true, false, true])
        #expect(column.nullCount == 1)
        #expect(column.int64Values?.enumerated().filter { column.isValid($0.offset) }.map(\.element) == [1, -2, 3])
    }

    @Test func emptyCellsInAWideFileAreMissing() throws {
        let table = try readCSV("a,b\n1,\n,2\n3,4\n")
        #expect(table.column(named: "a")?.type == .int64)
        #expect(table.column(named: "a")?.presence == [true, false, true])
        #expect(table.column(named: "b")?.presence == [false, true, true])
    }

    @Test func columnWithoutMissingCellsHasNoValidity() throws {
        let table = try readCSV("a,b\n1,x\n2,y\n")
        #expect(table.columns.allSatisfy { $0.validity == nil })
    }

    @Test func integersAndFloatsMakeFloat64() throws {
        let table = try readCSV("x\n1\n2.5\n-3\n")
        #expect(table.column(named: "x")?.type == .float64)
        #expect(table.column(named: "x")?.float64Values == [1, 2.5, -3])
    }

    @Test func scientificNotationIsFloat() throws {
        let table = try readCSV("x\n1e3\n2E-2\n")
        #expect(table.column(named: "x")?.type == .float64)
        #expect(table.column(named: "x")?.float64Values == [1000, 0.02])
    }

    @Test func decimalForms() throws {
        let table = try readCSV("x\n1.\n.5\n-.25\n+0.125\n007\n")
        #expect(table.column(named: "x")?.float64Values == [1, 0.5, -0.25, 0.125, 7])
    }

    @Test func infinities() throws {
        let table = try readCSV("x\ninf\n-inf\nInfinity\n-INFINITY\n+Inf\n1.5\n")
        #expect(
            table.column(named: "x")?.float64Values == [.infinity, -.infinity, .infinity, -.infinity, .infinity, 1.5])
    }

    @Test func int64Limits() throws {
        let table = try readCSV("x\n9223372036854775807\n-9223372036854775808\n0\n")
        #expect(table.column(named: "x")?.int64Values == [.max, .min, 0])
    }

    @Test func integerOverflowMakesFloat64() throws {
        let table = try readCSV("x\n9223372036854775808\n1\n")
        #expect(table.column(named: "x")?.type == .float64)
        #expect(table.column(named: "x")?.float64Values == [9_223_372_036_854_775_808, 1])
    }

    @Test func notQuiteNumbersAreText() throws {
        for cell in ["1e", "e5", ".", "-", "1.2.3", "0x10", " 1", "1 ", "1_000", "1,5", "NAN", "--1"] {
            let table = try readCSV("x\n1\n\"\(cell)\"\n")
            #expect(table.column(named: "x")?.type == .string, "\(cell)")
        }
    }

    @Test func textFarDownTheFileMakesTheColumnString() throws {
        var text = "id,value\n"
        for row in 0..<6000 { text += "\(row),\(row == 4999 ? "oops" : String(row * 2))\n" }
        let table = try readCSV(text, options: CSVOptions(threads: 3))
        let column = try #require(table.column(named: "value"))
        #expect(column.type == .string)
        #expect(column.stringValues?[4999] == "oops")
        #expect(column.stringValues?[5000] == "10000")
        #expect(column.strings?.dictionary.first == "0")
        #expect(table.column(named: "id")?.type == .int64)
    }

    // MARK: - Bools

    @Test func pandasBoolSpellings() throws {
        let table = try readCSV("b\nTrue\nFalse\nTRUE\nFALSE\ntrue\nfalse\nNA\n")
        let column = try #require(table.column(named: "b"))
        #expect(column.type == .bool)
        #expect(column.boolValues == [1, 0, 1, 0, 1, 0, 0])
        #expect(column.presence == [true, true, true, true, true, true, false])
    }

    @Test func otherBoolSpellingsAreText() throws {
        #expect(try readCSV("b\nTrue\nyes\n").column(named: "b")?.type == .string)
        #expect(try readCSV("b\nTrue\ntRUE\n").column(named: "b")?.type == .string)
    }

    @Test func boolsMixedWithNumbersAreText() throws {
        let table = try readCSV("b\nTrue\n1\n")
        #expect(table.column(named: "b")?.type == .string)
        #expect(table.column(named: "b")?.stringValues == ["True", "1"])
    }

    @Test func zeroOneColumnIsInt64() throws {
        #expect(try readCSV("b\n0\n1\n").column(named: "b")?.type == .int64)
    }

    // MARK: - Timestamps

    /// Microseconds since the epoch for a UTC civil time.
    private func micros(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
        _ fraction: Int64 = 0
    ) -> Int64 {
        let days = Int64(TimestampFormat.daysFromCivil(year: year, month: month, day: day))
        return (days * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1_000_000 + fraction
    }

    @Test func datesAndDateTimes() throws {
        let text = """
            t
            2024-01-31
            2024-02-29T12:30
            2024-02-29 12:30:45
            1969-12-31T23:59:59.5
            2000-01-01T00:00:00.123456
            2000-01-01T00:00:00.1234569
            1970-01-01
            """
        let column = try #require(try readCSV(text + "\n").column(named: "t"))
        #expect(column.type == .timestamp(.microsecond))
        #expect(
            column.timestampValues == [
                micros(2024, 1, 31), micros(2024, 2, 29, 12, 30), micros(2024, 2, 29, 12, 30, 45),
                micros(1969, 12, 31, 23, 59, 59, 500_000), micros(2000, 1, 1, 0, 0, 0, 123_456),
                micros(2000, 1, 1, 0, 0, 0, 123_456), 0,
            ])
        // Literal values from Python: `datetime(2024, 2, 29, 12, 30, tzinfo=timezone.utc).timestamp()`.
        #expect(column.timestampValues?[1] == 1_709_209_800_000_000)
        #expect(column.timestampValues?[3] == -500_000)
        #expect(column.textValue(at: 3) == "1969-12-31T23:59:59.5Z")
    }

    @Test func offsetsAreConvertedToUTC() throws {
        let text =
            "t\n2024-03-01T08:00:00Z\n2024-03-01T08:00:00+02:00\n2024-03-01T08:00:00-0530\n"
            + "2024-03-01 08:00:00.25+01:00\n"
        let column = try #require(try readCSV(text).column(named: "t"))
        #expect(
            column.timestampValues == [
                micros(2024, 3, 1, 8), micros(2024, 3, 1, 6), micros(2024, 3, 1, 13, 30),
                micros(2024, 3, 1, 7, 0, 0, 250_000),
            ])
    }

    @Test func naiveAndOffsetValuesMixAsUTC() throws {
        let column = try #require(try readCSV("t\n2024-03-01T08:00:00\n2024-03-01T10:00:00+02:00\n").column(named: "t"))
        #expect(column.type == .timestamp(.microsecond))
        #expect(column.timestampValues == [micros(2024, 3, 1, 8), micros(2024, 3, 1, 8)])
    }

    @Test(arguments: [
        "2023-02-29", "2024-13-01", "2024-04-31", "2024-00-10", "2024-01-01T24:00",
        "2024-01-01T12:60", "2024-01-01T12:00:60", "2024-01-01T12:00+24:00", "2024-01-01T12",
        "2024-1-01", "2024-01-01T12:00:00.", "2024-01-01Z", "2024-01-01t12:00",
    ])
    func invalidTimestampsMakeText(cell: String) throws {
        let column = try #require(try readCSV("t\n2024-01-01\n\(cell)\n").column(named: "t"))
        #expect(column.type == .string)
        #expect(column.stringValues == ["2024-01-01", cell])
    }

    // MARK: - Strings and missing columns

    @Test func dictionaryIsInFirstSeenOrder() throws {
        let column = try #require(try readCSV("s\nb\na\nb\nc\na\n").column(named: "s"))
        #expect(column.strings?.dictionary == ["b", "a", "c"])
        #expect(column.strings?.codes.array == [0, 1, 0, 2, 1])
    }

    @Test func entirelyMissingColumnIsFloat64AllNull() throws {
        let column = try #require(try readCSV("a,b\n1,\n2,NA\n3,null\n").column(named: "b"))
        #expect(column.type == .float64)
        #expect(column.nullCount == 3)
        #expect(column.float64Values?.allSatisfy(\.isNaN) == true)
    }

    @Test func fixtureWithEveryType() throws {
        let table = try CSVReader.read(path: try fixturePath("types.csv"))
        #expect(table.columns.map(\.type) == [.bool, .int64, .float64, .timestamp(.microsecond), .string, .float64])
        #expect(table.column(named: "flag")?.boolValues == [1, 0, 0, 1])
        #expect(table.column(named: "flag")?.presence == [true, true, false, true])
        #expect(table.column(named: "count")?.int64Values == [1, -7, 0, .max])
        #expect(table.column(named: "ratio")?.float64Values == [0.25, 3, -.infinity, 0.0015])
        #expect(
            table.column(named: "when")?.timestampValues == [
                micros(2024, 1, 31), micros(2024, 2, 29, 12, 30), 0, micros(2024, 3, 1, 6, 0, 0, 123_456),
            ])
        #expect(table.column(named: "label")?.stringValues == ["a", "b", nil, "a"])
        #expect(table.column(named: "empty")?.nullCount == 4)
    }
}
