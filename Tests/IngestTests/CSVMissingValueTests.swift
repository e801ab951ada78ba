import ColumnStore
import Ingest
import Testing

/// Missing-value markers: pandas' defaults, extra markers, exact comparison.
struct CSVMissingValueTests {
    static let pandasDefaults = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
        "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    @Test(arguments: pandasDefaults)
    func defaultMarkerIsMissing(marker: String) throws {
        for column in ["i", "f", "s"] {
            // Unquoted and quoted, in an int, a float and a string column.
            let text = "i,f,s\n1,1.5,a\n\(marker),\(marker),\(marker)\n\"\(marker)\",\"\(marker)\",\"\(marker)\"\n"
            let table = try readCSV(text)
            let values = try #require(table.column(named: column))
            #expect(values.presence == [true, false, false], "\(marker) in \(column)")
        }
        let table = try readCSV("i,f,s\n1,1.5,a\n\(marker),\(marker),\(marker)\n")
        #expect(table.columns.map(\.type) == [.int64, .float64, .string])
    }

    @Test func markersAreComparedExactly() throws {
        let table = try readCSV("s,t\na,1\n NA,2\nna,3\nNA ,4\nNan,5\n")
        let column = try #require(table.column(named: "s"))
        #expect(column.nullCount == 0)
        #expect(column.stringValues == ["a", " NA", "na", "NA ", "Nan"])
    }

    @Test func extraMarkers() throws {
        let options = CSVOptions(extraMissingValues: ["?", "-999", "missing"])
        let table = try readCSV("a,b,c\n1,x,?\n-999,?,2.5\nmissing,y,-999\n", options: options)
        #expect(table.column(named: "a")?.type == .int64)
        #expect(table.column(named: "a")?.presence == [true, false, false])
        #expect(table.column(named: "b")?.stringValues == ["x", nil, "y"])
        #expect(table.column(named: "c")?.type == .float64)
        #expect(table.column(named: "c")?.presence == [false, true, false])
    }

    @Test func extraMarkersKeepTheDefaults() throws {
        let table = try readCSV("a\n1\nNA\n?\n", options: CSVOptions(extraMissingValues: ["?"]))
        #expect(table.column(named: "a")?.presence == [true, false, false])
    }

    @Test func missingCellsHoldPlaceholders() throws {
        let table = try readCSV("i,f,s,b\n1,1.5,x,True\nNA,NA,NA,NA\n")
        #expect(table.column(named: "i")?.int64Values == [1, 0])
        #expect(table.column(named: "f")?.float64Values?[1].isNaN == true)
        #expect(table.column(named: "s")?.strings?.codes.array == [0, 0])
        #expect(table.column(named: "b")?.boolValues == [1, 0])
    }
}
