import ColumnStore
@testable import Kernels
import Testing
import _TestSupport

/// `Binning` against pandas (`pd.qcut` edges and codes from the fixture) and against a scalar reference.
struct BinningTests {
    static let missing = UInt16.max

    // MARK: - Quantile edges: pandas differential

    @Test(arguments: QcutReference.caseNames)
    func quantileEdgesMatchPandasQcutBitForBit(caseName: String) throws {
        let testCase = try QcutReference.testCase(named: caseName)
        let sorted = Quantiles.sortedValues(of: testCase.doubles)
        #expect(testCase.qcut.count == 5)
        for expected in testCase.qcut {
            let edges = Binning.quantileEdges(sortedValues: sorted, bins: expected.bins)
            #expect(
                edges.map(\.bitPattern) == expected.edges.map(\.bitPattern),
                "bins \(expected.bins): pandas \(expected.edges), got \(edges)")
        }
    }

    /// NaN rows (validity `nil`) and rows marked missing in a bitmap both get `missingCode`; every other row gets
    /// `pd.qcut(...).codes`.
    @Test(arguments: QcutReference.caseNames)
    func assignMatchesPandasQcutCodes(caseName: String) throws {
        let testCase = try QcutReference.testCase(named: caseName)
        let values = testCase.doubles
        let sorted = Quantiles.sortedValues(of: values)
        for expected in testCase.qcut {
            let edges = Binning.quantileEdges(sortedValues: sorted, bins: expected.bins)
            guard edges.count >= 2 else {
                // One surviving edge (constant data): pandas puts every row in NaN, and there is no bin to assign.
                #expect(expected.codes.allSatisfy { $0 == -1 }, "bins \(expected.bins)")
                continue
            }
            let pandasCodes = expected.codes.map { $0 < 0 ? Self.missing : UInt16($0) }

            let byNaN = Binning.assign(
                values: ColumnBuffer(values), validity: nil, edges: edges, missingCode: Self.missing)
            #expect(byNaN == pandasCodes, "bins \(expected.bins), NaN marks missing")

            // The same rows missing through the bitmap, with an in-range value behind them that must be ignored.
            let validity = ValidityBitmap(values.map { !$0.isNaN })
            let filled = values.map { $0.isNaN ? sorted[sorted.count / 2] : $0 }
            let byBitmap = Binning.assign(
                values: ColumnBuffer(filled), validity: validity, edges: edges, missingCode: Self.missing)
            #expect(byBitmap == pandasCodes, "bins \(expected.bins), bitmap marks missing")
        }
    }

    /// Every missing row, and only those, takes the fill value: against a row-by-row reference, for every validity
    /// pattern (none, all, mixed) at the word boundaries.
    @Test(arguments: [0, 1, 63, 64, 65, 2_047, 2_048, 2_049])
    func fillMissingMarksExactlyTheMissingRows(count: Int) {
        var random = SeededRandom(seed: UInt64(count) &+ 5)
        for missingShare in [0, 1, 50, 100] as [UInt64] {
            let valid = (0..<count).map { _ in random.next() % 100 >= missingShare }
            var codes = (0..<count).map { UInt16($0 % 7) }
            let expected = codes.indices.map { valid[$0] ? codes[$0] : 9 }
            Binning.fillMissing(&codes, validity: ValidityBitmap(valid), with: 9)
            #expect(codes == expected, "\(count) rows, \(missingShare)% missing")
        }
    }

    /// Proves the fixture can catch a missing nextafter nudge: continuous normal data with 10 bins gives different
    /// edges with plain `linspace` probabilities, and `Binning` still matches pandas.
    @Test func fixtureCatchesAMissingNextafterNudge() throws {
        let reference = try QcutReference.load()
        for name in ["normal_1000", "normal_4097"] {
            let testCase = try QcutReference.testCase(named: name)
            let tenBins = try #require(testCase.qcut.first { $0.bins == 10 })
            #expect(tenBins.nudgeChangesEdges, "\(name)")
            let sorted = Quantiles.sortedValues(of: testCase.doubles)
            var plain: [Double] = []
            for index in 0...10 {
                let edge = Quantiles.linear(sorted: sorted, q: Double(index) * (1.0 / 10.0))
                if plain.last != edge { plain.append(edge) }
            }
            #expect(plain.map(\.bitPattern) != tenBins.edges.map(\.bitPattern), "\(name): plain linspace matches too")
            let edges = Binning.quantileEdges(sortedValues: sorted, bins: 10)
            #expect(edges.map(\.bitPattern) == tenBins.edges.map(\.bitPattern), "\(name)")
        }
        let nudged = reference.cases.flatMap { $0.qcut }.filter(\.nudgeChangesEdges)
        #expect(nudged.count >= 10)
    }

    /// pandas keeps a duplicate edge when there are only two (`_bins_to_cuts`: `len(bins) != 2`), so
    /// `pd.qcut(np.full(10, 3.5), 1, duplicates="drop", retbins=True)` gives edges `[3.5, 3.5]` and codes all 0.
    @Test func oneBinOfConstantDataKeepsBothEdgesLikePandas() {
        let sorted = [Double](repeating: 3.5, count: 10)
        #expect(Binning.quantileEdges(sortedValues: sorted, bins: 1) == [3.5, 3.5])
        // With more bins the duplicates go: `pd.qcut(..., 4, duplicates="drop")` gives `[3.5]`.
        #expect(Binning.quantileEdges(sortedValues: sorted, bins: 4) == [3.5])
    }

    @Test func quantileEdgesOfNothingAreEmpty() {
        #expect(Binning.quantileEdges(sortedValues: [], bins: 10).isEmpty)
        #expect(Binning.uniformEdges(sortedValues: [], bins: 10).isEmpty)
    }

    // MARK: - Uniform edges

    @Test func uniformEdgesAreEqualWidthAndEndExactlyAtTheMaximum() {
        #expect(Binning.uniformEdges(sortedValues: [0, 3, 10], bins: 5) == [0, 2, 4, 6, 8, 10])
        #expect(Binning.uniformEdges(sortedValues: [-1, 1], bins: 4) == [-1, -0.5, 0, 0.5, 1])
        let sorted = [0.1, 0.2, 0.7]
        let edges = Binning.uniformEdges(sortedValues: sorted, bins: 3)
        #expect(edges.count == 4)
        #expect(edges.first == 0.1)
        #expect(edges.last == 0.7)
        let width = (0.7 - 0.1) / 3
        #expect(edges[1] == 0.1 + width)
        #expect(edges[2] == 0.1 + 2 * width)
    }

    @Test func uniformEdgesOfAConstantColumnAreOnePair() {
        #expect(Binning.uniformEdges(sortedValues: [4, 4, 4], bins: 10) == [4, 4])
        #expect(Binning.uniformEdges(sortedValues: [-2], bins: 3) == [-2, -2])
    }

    @Test func uniformEdgesDropDuplicatesFromATinyRange() {
        let low = 1.0
        let high = low.nextUp
        let edges = Binning.uniformEdges(sortedValues: [low, high], bins: 10)
        #expect(edges.first == low)
        #expect(edges.last == high)
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// `max - min` overflows to infinity for finite values spanning most of the Double range; the edges must still
    /// start at the minimum, end at the maximum and ascend (no NaN from `0 * inf`).
    @Test func uniformEdgesSurviveARangeWiderThanDoubleMax() {
        let sorted = [-1.5e308, 0, 1.5e308]
        let edges = Binning.uniformEdges(sortedValues: sorted, bins: 4)
        #expect(edges.allSatisfy { $0.isFinite }, "\(edges)")
        #expect(edges.first == -1.5e308)
        #expect(edges.last == 1.5e308)
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "\(edges)")
    }

    // MARK: - Bin index

    @Test func binIndexCountsInnerEdgesStrictlyBelow() {
        let inner: [Double] = [1, 2, 3]
        let cases: [(Double, Int)] = [(0, 0), (1, 0), (1.5, 1), (2, 1), (2.0000001, 2), (3, 2), (3.5, 3), (99, 3)]
        for (value, expected) in cases {
            let index = unsafe inner.withUnsafeBufferPointer { unsafe Binning.binIndex(of: value, innerEdges: $0) }
            #expect(index == expected, "value \(value)")
        }
        let none = unsafe [Double]().withUnsafeBufferPointer { unsafe Binning.binIndex(of: 5, innerEdges: $0) }
        #expect(none == 0)
    }

    @Test func assignPutsTheLowestEdgeInTheFirstBinAndUsesRightClosedBins() {
        let edges: [Double] = [0, 1, 2, 4]
        let values: [Double] = [0, 0.5, 1, 1.0000001, 2, 3, 4, -0.1, 4.1, .nan, .infinity, -.infinity]
        let codes = Binning.assign(values: ColumnBuffer(values), validity: nil, edges: edges, missingCode: 9)
        #expect(codes == [0, 0, 0, 1, 1, 2, 2, 9, 9, 9, 9, 9])
    }

    // MARK: - Assign: scalar differential

    enum ValidityMode: String, CaseIterable, Sendable {
        /// `validity == nil`.
        case absent
        /// A bitmap with every row valid.
        case allValid
        /// A bitmap with every row missing.
        case allNull
        /// A seeded mix (about 30% missing).
        case mixed
    }

    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 100_003]

    /// Edge sets: a single bin (no inner edges), a few uneven edges, and 21 / 301 seeded sorted edges.
    static func edgeSets(random: inout SeededRandom) -> [[Double]] {
        func sortedUnique(_ count: Int) -> [Double] {
            var edges: [Double] = []
            while edges.count < count {
                edges = Array(Set((0..<count).map { _ in (random.unit() - 0.5) * 20 })).sorted()
            }
            return edges
        }
        return [[0, 1], [-2, -1, 0, 0.5, 3], sortedUnique(21), sortedUnique(301)]
    }

    /// Values around the edges: in range, exactly on edges, just past them, out of range, NaN and infinities.
    static func values(count: Int, edges: [Double], random: inout SeededRandom) -> [Double] {
        let low = edges[0]
        let high = edges[edges.count - 1]
        return (0..<count).map { _ in
            let kind = random.next() % 20
            switch kind {
            case 0..<8: return low + (high - low) * random.unit()
            case 8..<12: return edges[Int(random.next() % UInt64(edges.count))]
            case 12: return edges[Int(random.next() % UInt64(edges.count))].nextUp
            case 13: return edges[Int(random.next() % UInt64(edges.count))].nextDown
            case 14: return low - 1 - random.unit()
            case 15: return high + 1 + random.unit()
            case 16: return .nan
            case 17: return random.next() % 2 == 0 ? .infinity : -.infinity
            default: return low + (high - low) * random.unit()
            }
        }
    }

    static func validity(_ mode: ValidityMode, count: Int, random: inout SeededRandom) -> ValidityBitmap? {
        switch mode {
        case .absent: nil
        case .allValid: ValidityBitmap(count: count, allValid: true)
        case .allNull: ValidityBitmap(count: count, allValid: false)
        case .mixed: ValidityBitmap((0..<count).map { _ in random.unit() >= 0.3 })
        }
    }

    /// The scalar reference: `(number of edges < x) - 1`, clamped to the bins, for valid x within the edges.
    static func referenceCode(_ value: Double, valid: Bool, edges: [Double]) -> UInt16 {
        guard valid, !value.isNaN, value >= edges[0], value <= edges[edges.count - 1] else { return missing }
        let below = edges.reduce(0) { $0 + ($1 < value ? 1 : 0) }
        return UInt16(min(max(below - 1, 0), edges.count - 2))
    }

    @Test(arguments: lengths, ValidityMode.allCases)
    func assignMatchesScalarReference(length: Int, mode: ValidityMode) {
        var random = SeededRandom(seed: 0xB1_0000 + UInt64(length))
        for edges in Self.edgeSets(random: &random) {
            let values = Self.values(count: length, edges: edges, random: &random)
            let validity = Self.validity(mode, count: length, random: &random)
            let codes = Binning.assign(
                values: ColumnBuffer(values), validity: validity, edges: edges, missingCode: Self.missing)
            #expect(codes.count == length)
            var mismatches: [Int] = []
            for row in 0..<length {
                let expected = Self.referenceCode(values[row], valid: validity?.isValid(row) ?? true, edges: edges)
                if codes[row] != expected { mismatches.append(row) }
            }
            #expect(
                mismatches.isEmpty,
                "\(edges.count) edges: \(mismatches.count) rows differ, first \(mismatches.prefix(5))")
            if mode == .allNull { #expect(codes.allSatisfy { $0 == Self.missing }) }
            if mode != .allNull && (length >= 100_000 || (length >= 2047 && edges.count <= 21)) {
                // The inputs reach every bin, so the comparison is not vacuous.
                #expect(Set(codes.filter { $0 != Self.missing }).count == edges.count - 1, "\(edges.count) edges")
            }
        }
    }

    /// Integer values binned a block at a time (compared as Doubles) get the codes of their Doubles binned whole,
    /// across the block boundary (65,536 rows), with every kind of validity.
    @Test(arguments: [0, 1, 65_535, 65_536, 65_537, 140_001], ValidityMode.allCases)
    func integerAssignmentEqualsAssignmentOfTheDoubles(length: Int, mode: ValidityMode) {
        var random = SeededRandom(seed: UInt64(length) &+ 17)
        let values = (0..<length).map { _ in Int64(bitPattern: random.next()) >> Int64(random.next() % 64) }
        let validity = Self.validity(mode, count: length, random: &random)
        let edges: [Double] = [-0x1p62, -1e12, -5, 0, 3, 1e6, 0x1p40, 0x1p62]
        let doubles = ColumnBuffer(values.map(Double.init))
        let wide: [UInt16] = Binning.assign(
            values: ColumnBuffer(values), validity: validity, edges: edges, missingCode: UInt16(99))
        #expect(wide == Binning.assign(values: doubles, validity: validity, edges: edges, missingCode: UInt16(99)))
        let narrow: [UInt8] = Binning.assign(
            values: ColumnBuffer(values), validity: validity, edges: edges, missingCode: UInt8(9))
        #expect(narrow == Binning.assign(values: doubles, validity: validity, edges: edges, missingCode: UInt8(9)))
    }
}
