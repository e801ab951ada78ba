import ColumnStore
import Testing
import _TestSupport

struct NumberFormatTests {
    @Test(arguments: [
        (0.0, "0"), (3.0, "3"), (-42.0, "-42"), (1e14, "100000000000000"), (999_999_999_999_999.0, "999999999999999"),
        (0.5, "0.5"), (0.1, "0.1"), (-2.25, "-2.25"), (1e-5, "1e-05"), (123_456.789, "123456.789"),
        (1e16, "1e+16"), (1.5e300, "1.5e+300"),
    ])
    func knownValues(value: Double, expected: String) {
        #expect(NumberFormat.shortest(value) == expected)
    }

    @Test func nonFiniteValues() {
        #expect(NumberFormat.shortest(.nan) == "nan")
        #expect(NumberFormat.shortest(-.nan) == "nan")
        #expect(NumberFormat.shortest(.infinity) == "inf")
        #expect(NumberFormat.shortest(-.infinity) == "-inf")
    }

    /// "Integral values written without a trailing `.0`" must hold for every integral magnitude, including
    /// [1e15, 1e16), where Swift's `description` still prints positional notation (`1000000000000000.0`).
    @Test(arguments: [1e15, -1e15, 1_234_567_890_123_456.0, 4_503_599_627_370_496.0, 9_007_199_254_740_992.0, 9.9e15])
    func largeIntegralValuesHaveNoTrailingPointZero(value: Double) throws {
        let text = NumberFormat.shortest(value)
        #expect(!text.hasSuffix(".0"), "\(text)")
        #expect(try #require(Double(text)) == value)
    }

    /// The text reads back to the same Double, for seeded values of every magnitude (random bit patterns).
    @Test func roundTripsRandomBitPatterns() throws {
        var random = SeededRandom(seed: 0xF0_4A7)
        var checked = 0
        for _ in 0..<20_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            let text = NumberFormat.shortest(value)
            let parsed = try #require(Double(text), "\(text)")
            #expect(parsed == value, "\(value) -> \(text)")
            if value == value.rounded() && abs(value) < 1e15 { #expect(!text.contains(".") && !text.contains("e")) }
            checked += 1
        }
        #expect(checked > 19_000)
    }

    @Test func roundTripsIntegersUpTo1e15() throws {
        var random = SeededRandom(seed: 0x1E15)
        for _ in 0..<5_000 {
            let integer = Int64(random.next() % 2_000_000_000_000_000) - 1_000_000_000_000_000
            let value = Double(integer)
            guard abs(value) < 1e15 else { continue }
            #expect(NumberFormat.shortest(value) == String(Int64(value)))
        }
    }

    @Test func roundedDropsBinaryNoiseAndKeepsSignificantDigits() {
        #expect(NumberFormat.rounded(103.02860000000001) == "103.0286")
        #expect(NumberFormat.rounded(-0.0014455448781387041, significant: 3) == "-0.00145")
        #expect(NumberFormat.rounded(123_456_789, significant: 3) == "123000000")
        #expect(NumberFormat.rounded(0.1 + 0.2) == "0.3")
        #expect(NumberFormat.rounded(5) == "5" && NumberFormat.rounded(0) == "0")
        #expect(NumberFormat.rounded(.nan) == "nan" && NumberFormat.rounded(-.infinity) == "-inf")
        #expect(NumberFormat.rounded(1e-300, significant: 2) == "1e-300")
    }
}
