import ColumnStore
import Ingest
import Testing
import _TestSupport

/// Float cells are correctly rounded: the reader gives the same bits as the standard library's `Double(String)`
/// (itself correctly rounded, like Python's `float`).
struct CSVFloatParsingTests {
    /// Reads `cells` as one float column and returns the values.
    private func parse(_ cells: [String]) throws -> [Double] {
        // "0.5" first makes sure the column is float64 even when every other cell is an integer.
        let table = try readCSV("x\n0.5\n" + cells.joined(separator: "\n") + "\n")
        let column = try #require(table.column(named: "x"))
        #expect(column.type == .float64)
        return Array(try #require(column.float64Values).dropFirst())
    }

    /// Decimals with the bits of Python's `float(text)` (`struct.pack("<d", …)`).
    static let tricky: [(text: String, bits: UInt64)] = [
        ("0.1", 0x3FB9_9999_9999_999A),
        ("0.30000000000000004", 0x3FD3_3333_3333_3334),
        ("2.2250738585072014e-308", 0x0010_0000_0000_0000),  // smallest normal
        ("2.2250738585072011e-308", 0x000F_FFFF_FFFF_FFFF),  // largest subnormal
        ("4.9406564584124654e-324", 0x0000_0000_0000_0001),  // smallest subnormal
        ("2.4703282292062328e-324", 0x0000_0000_0000_0001),  // just above half of it: rounds up
        ("2.4703282292062327e-324", 0x0000_0000_0000_0000),  // just below: rounds to zero
        ("9007199254740993", 0x4340_0000_0000_0000),  // 2^53 + 1: ties to even, 2^53
        ("9007199254740995", 0x4340_0000_0000_0002),
        ("1.7976931348623157e308", 0x7FEF_FFFF_FFFF_FFFF),  // largest finite
        ("1.7976931348623159e308", 0x7FF0_0000_0000_0000),  // overflows to infinity
        ("123456789012345678901234567890", 0x45F8_EE90_FF6C_373E),
        ("0.000000000000000000000000000001", 0x39B4_484B_FEEB_C2A0),
        ("1e23", 0x44B5_2D02_C7E1_4AF6),  // just past the exact powers of ten
        ("8.98846567431158e307", 0x7FE0_0000_0000_0000),
        ("3.141592653589793", 0x4009_21FB_5444_2D18),
        ("1.00000000000000011102230246251565404236316680908203125", 0x3FF0_0000_0000_0000),  // halfway: even
        ("1.00000000000000011102230246251565404236316680908203126", 0x3FF0_0000_0000_0001),  // just above
        ("7.2057594037927933e16", 0x4370_0000_0000_0000),
        ("-0.0", 0x8000_0000_0000_0000),
        ("1e-400", 0x0000_0000_0000_0000),
        ("5e-324", 0x0000_0000_0000_0001),
    ]

    @Test func trickyDecimalsHaveTheExpectedBits() throws {
        let values = try parse(Self.tricky.map(\.text))
        for (value, expected) in zip(values, Self.tricky) {
            #expect(value.bitPattern == expected.bits, "\(expected.text)")
            let reference = try #require(Double(expected.text))
            #expect(value.bitPattern == reference.bitPattern, "\(expected.text) against Double(String)")
        }
    }

    /// A random decimal: sign, 1–25 digits with a point somewhere (or none), and sometimes an exponent, the
    /// digits drawn so that the fast path, long mantissas and the extremes of the exponent range all occur.
    private static func randomDecimal(_ random: inout SeededRandom) -> String {
        var text = random.next() % 4 == 0 ? "-" : ""
        let digitCount = 1 + Int(random.next() % 25)
        var digits = ""
        for index in 0..<digitCount {
            let digit = index == 0 && digitCount > 1 ? 1 + random.next() % 9 : random.next() % 10
            digits += String(digit)
        }
        let point = Int(random.next() % UInt64(digitCount + 1))
        if point < digitCount {
            digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point))
            if point == 0 { digits = "0" + digits }
        } else {
            digits += ".0"
        }
        text += digits
        switch random.next() % 4 {
        case 0: text += "e" + String(Int(random.next() % 60) - 30)
        case 1: text += "E" + String(Int(random.next() % 700) - 350)
        default: break
        }
        return text
    }

    @Test func randomDecimalsMatchTheStandardLibrary() throws {
        var random = SeededRandom(seed: 20_240_601)
        let cells = (0..<20_000).map { _ in Self.randomDecimal(&random) }
        let values = try parse(cells)
        var mismatches: [String] = []
        for (cell, value) in zip(cells, values) {
            let reference = try #require(Double(cell), "\(cell)")
            if value.bitPattern != reference.bitPattern { mismatches.append(cell) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func randomDoublesRoundTrip() throws {
        // Shortest round-trip texts (what Python and pandas write) read back to the same bits.
        var random = SeededRandom(seed: 99)
        let doubles = (0..<5000).map { _ in Double(bitPattern: random.next() >> 2 | 0x0010_0000_0000_0000) }
        let values = try parse(doubles.map(\.description))
        #expect(zip(values, doubles).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test func integersInAFloatColumnAreCorrectlyRounded() throws {
        let cells = ["18014398509481985", "-9223372036854775808", "99999999999999999999", "123"]
        let values = try parse(cells)
        #expect(values.map(\.bitPattern) == cells.compactMap { Double($0)?.bitPattern })
    }
}
