import Kernels
import Testing
import _TestSupport

/// `Quantiles.linear(selectingFrom:q:)` against numpy's linear quantile of the sorted values (`linear(sorted:q:)`,
/// itself checked against pandas fixtures): exactly the same value, whether selected in place or within brackets.
struct QuantileSelectionTests {
    static let probabilities = [0, 1e-9, 0.1, 0.25, 0.5, 0.9, 0.95, 0.999, 1]

    static func sortedQuantile(_ values: [Double], _ q: Double) -> Double? {
        let sorted = values.filter { !$0.isNaN }.sorted()
        return sorted.isEmpty ? nil : Quantiles.linear(sorted: sorted, q: q)
    }

    @Test(arguments: [1, 2, 3, 63, 64, 65, 2049, 65_536, 100_003])
    func equalsTheQuantileOfTheSortedValues(length: Int) {
        var random = SeededRandom(seed: UInt64(length))
        let spread = (0..<length).map { _ in (random.unit() - 0.3) * 1e3 }
        let ties = (0..<length).map { _ in Double(random.next() % 5) }
        var withNaN = spread
        for row in stride(from: 0, to: length, by: 3) { withNaN[row] = .nan }
        var infinite = ties
        infinite[0] = .infinity
        if length > 1 { infinite[length - 1] = -.infinity }
        for values in [spread, ties, withNaN, infinite] {
            let before = values.map(\.bitPattern)
            for q in Self.probabilities {
                let got = Quantiles.linear(selectingFrom: values, q: q)
                let expected = Self.sortedQuantile(values, q)
                #expect(got?.bitPattern == expected?.bitPattern, "length \(length), q \(q)")
            }
            #expect(values.map(\.bitPattern) == before, "the values are not reordered")
        }
    }

    @Test func onlyNaNHasNoQuantile() {
        #expect(Quantiles.linear(selectingFrom: [], q: 0.5) == nil)
        #expect(Quantiles.linear(selectingFrom: [.nan, .nan], q: 0.5) == nil)
    }

    /// Past the bracket threshold (2^22 values) the two order statistics are selected within brackets, without a
    /// copy of the values: absolute errors of a skewed distribution, as a regression's 90th-percentile threshold.
    @Test func longInputsAreSelectedWithinBrackets() {
        var random = SeededRandom(seed: 9)
        let values = (0..<(1 << 22) + 17).map { _ -> Double in
            let u = random.unit()
            return (u * u * 1_000).rounded() / 100
        }
        for q in [0.5, 0.9, 0.99] {
            #expect(Quantiles.linear(selectingFrom: values, q: q) == Self.sortedQuantile(values, q), "q \(q)")
        }
    }
}
