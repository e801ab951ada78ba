import ColumnStore
import Testing

struct ColumnTests {
    static let validity = ValidityBitmap([true, false, true, true])

    @Test func float64ValuesAndText() {
        let column = Column(name: "x", values: .float64(ColumnBuffer([2.0, 9.0, 2.5, .nan])), validity: Self.validity)
        #expect(column.count == 4)
        #expect(column.type == .float64)
        #expect(column.nullCount == 1)
        #expect(column.isValid(0) && !column.isValid(1))
        #expect(column.doubleValue(at: 0) == 2.0)
        #expect(column.doubleValue(at: 1) == nil)
        #expect(column.doubleValue(at: 2) == 2.5)
        #expect(column.doubleValue(at: 3)?.isNaN == true)
        #expect(column.textValue(at: 0) == "2")
        #expect(column.textValue(at: 1) == nil)
        #expect(column.textValue(at: 2) == "2.5")
        #expect(column.textValue(at: 3) == "nan")
    }

    @Test func int64ValuesAndText() {
        let column = Column(name: "n", values: .int64(ColumnBuffer([Int64(-7), 0, Int64.max])), validity: nil)
        #expect(column.type == .int64)
        #expect(column.nullCount == 0)
        #expect(column.doubleValue(at: 0) == -7)
        #expect(column.doubleValue(at: 2) == 9_223_372_036_854_775_807.0)
        #expect(column.textValue(at: 0) == "-7")
        #expect(column.textValue(at: 2) == "9223372036854775807")
    }

    @Test func boolValuesAndText() {
        let column = Column(name: "flag", values: .bool(ColumnBuffer([UInt8(1), 0, 1, 0])), validity: Self.validity)
        #expect(column.type == .bool)
        #expect(column.doubleValue(at: 0) == 1)
        #expect(column.doubleValue(at: 1) == nil)
        #expect(column.doubleValue(at: 3) == 0)
        #expect(column.textValue(at: 0) == "True")
        #expect(column.textValue(at: 3) == "False")
    }

    @Test func timestampValuesAndText() {
        let column = Column(
            name: "t", values: .timestamp(ColumnBuffer([Int64(951_782_400_500), -1]), .millisecond), validity: nil)
        #expect(column.type == .timestamp(.millisecond))
        #expect(column.type.description == "timestamp[millisecond]")
        #expect(column.doubleValue(at: 0) == 951_782_400_500)
        #expect(column.textValue(at: 0) == "2000-02-29T00:00:00.5Z")
        #expect(column.textValue(at: 1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func stringValuesAndText() {
        let strings = DictionaryStrings(codes: ColumnBuffer([UInt32(1), 0, 1, 2]), dictionary: ["a", "b", "c"])
        let column = Column(name: "s", values: .string(strings), validity: ValidityBitmap([true, true, false, true]))
        #expect(column.type == .string)
        #expect(column.count == 4)
        #expect(column.nullCount == 1)
        #expect(column.doubleValue(at: 0) == nil)
        #expect((0..<4).map { column.textValue(at: $0) } == ["b", "a", nil, "c"])
    }

    @Test func typeDescriptions() {
        #expect(ColumnType.float64.description == "float64")
        #expect(ColumnType.int64.description == "int64")
        #expect(ColumnType.bool.description == "bool")
        #expect(ColumnType.string.description == "string")
        #expect(ColumnType.timestamp(.nanosecond).description == "timestamp[nanosecond]")
        #expect(ColumnType.float64.isNumeric && ColumnType.int64.isNumeric)
        #expect(!ColumnType.string.isNumeric)
    }

    @Test func timeUnitsPerSecond() {
        #expect(TimeUnit.second.perSecond == 1)
        #expect(TimeUnit.millisecond.perSecond == 1_000)
        #expect(TimeUnit.microsecond.perSecond == 1_000_000)
        #expect(TimeUnit.nanosecond.perSecond == 1_000_000_000)
    }
}

struct TableTests {
    static func column(_ name: String, _ values: [Double]) -> Column {
        Column(name: name, values: .float64(ColumnBuffer(values)), validity: nil)
    }

    @Test func columnsByName() throws {
        let table = Table(columns: [
            Self.column("a", [1, 2, 3]), Self.column("b", [4, 5, 6]), Self.column("a", [7, 8, 9]),
        ])
        #expect(table.rowCount == 3)
        #expect(table.columns.map(\.name) == ["a", "b", "a"])
        let b = try #require(table.column(named: "b"))
        #expect(b.doubleValue(at: 2) == 6)
        // The first column with the name wins.
        #expect(try #require(table.column(named: "a")).doubleValue(at: 0) == 1)
        #expect(table.column(named: "c") == nil)
        #expect(table.column(named: "A") == nil)
    }

    @Test func emptyTable() {
        let table = Table(columns: [])
        #expect(table.rowCount == 0)
        #expect(table.column(named: "a") == nil)
        #expect(Table(columns: [Self.column("a", [])]).rowCount == 0)
    }
}
