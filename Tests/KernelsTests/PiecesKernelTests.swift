import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// The kernels that read a column in pieces (an Arrow file of several record batches) give what they give on the
/// same values in one array: whole columns, blocks inside a piece and blocks across a boundary.
struct PiecesKernelTests {
    /// `values` in pieces of `size` rows (the last takes the rest), each after a gap of 40 bytes in one file.
    static func pieces<T: FixedWidthInteger>(_ values: [T], size: Int) -> ColumnBuffer<T>? {
        let (bytes, offsets, counts) = laid(values.map { UInt64(truncatingIfNeeded: $0) }, size: size)
        return ColumnBuffer<T>(mapping: MappedFile(copying: bytes), byteOffsets: offsets, counts: counts)
    }

    static func pieces(_ values: [Double], size: Int) -> ColumnBuffer<Double>? {
        let (bytes, offsets, counts) = laid(values.map(\.bitPattern), size: size)
        return ColumnBuffer<Double>(mapping: MappedFile(copying: bytes), byteOffsets: offsets, counts: counts)
    }

    private static func laid(_ words: [UInt64], size: Int) -> ([UInt8], [Int], [Int]) {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var counts: [Int] = []
        for start in stride(from: 0, to: max(words.count, 1), by: size) {
            let end = min(words.count, start + size)
            bytes += [UInt8](repeating: 0xCD, count: 40)
            offsets.append(bytes.count)
            counts.append(end - start)
            for word in words[start..<end] { bytes += (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        }
        return (bytes, offsets, counts)
    }

    /// Values on a decimal grid with a few off it, NaN and missing rows.
    static func column(rows: Int, seed: UInt64) -> (values: [Double], validity: ValidityBitmap, outcome: [UInt8]) {
        var random = SeededRandom(seed: seed)
        var validity = ValidityBitmap(count: rows, allValid: true)
        var values: [Double] = []
        var outcome: [UInt8] = []
        for row in 0..<rows {
            let draw = random.unit()
            values.append(draw < 0.01 ? .nan : draw < 0.02 ? draw * 1e-9 : ((random.unit() * 200 - 50) * 100).rounded() / 100)
            if random.unit() < 0.05 { validity.set(row, false) }
            outcome.append(random.unit() < 0.2 ? 1 : 0)
        }
        return (values, validity, outcome)
    }

    static let shapes: [(rows: Int, size: Int)] = [(1, 1), (65, 64), (2_049, 100), (40_000, 16_384), (40_000, 6_553)]

    /// A column in pieces off any decimal grid whose values repeat is counted in one table run by run, never copied
    /// whole: the same tie groups as the contiguous values' and the reference's; past the table's limit the count
    /// gives up (nil) and the contiguous copy's partitions count it, to the same result.
    @Test(arguments: 0..<shapes.count)
    func repeatedValuesOffTheGridInPiecesAreCountedAsTheArray(shape: Int) throws {
        let (rows, size) = Self.shapes[shape]
        var random = SeededRandom(seed: UInt64(shape) &+ 31)
        // Off any grid: a third of a random double.
        let pool = (0..<max(1, rows / 20)).map { _ in (random.unit() - 0.5) * 1e3 / 3 } + [0.0, -0.0, .infinity]
        var validity = ValidityBitmap(count: rows, allValid: true)
        let values = (0..<rows).map { _ -> Double in
            random.unit() < 0.02 ? .nan : pool[Int(random.next() % UInt64(pool.count))]
        }
        for row in 0..<rows where random.unit() < 0.05 { validity.set(row, false) }
        let outcome = (0..<rows).map { _ in UInt8(random.next() % 4 == 0 ? 1 : 0) }
        let split = try #require(Self.pieces(values, size: size))
        for (label, bits) in [("validity", Optional(validity)), ("no validity", nil)] {
            let masked = values.indices.map { bits?.isValid($0) ?? true ? values[$0] : .nan }
            let expected = ValueCountsTests.reference(values: masked, outcome: outcome)
            let groups = try #require(
                _TieGroups.aggregate(runsOf: split, validity: bits, outcome: outcome, expected: pool.count))
            let contiguous = try #require(_TieGroups.aggregate(values: masked, outcome: outcome))
            #expect(groups.keys == contiguous.keys && groups.sums == contiguous.sums, "\(label)")
            #expect(ValueCountsTests.same(
                ValueCountsTests.groups(ValueCounts(keys: groups.keys, sums: groups.sums)), expected), "\(label)")
            let counted = try #require(ValueCounts.of(values: split, validity: bits, outcome: outcome))
            #expect(ValueCountsTests.same(ValueCountsTests.groups(counted), expected), "\(label)")
            // A table limit below the distinct values: nil, for the caller's contiguous copy.
            if expected.count > 4 {
                #expect(
                    _TieGroups.aggregate(
                        runsOf: split, validity: bits, outcome: outcome, expected: 4, directLimit: 4) == nil,
                    "\(label)")
            }
        }
    }

    /// A nearly all distinct column in pieces (no decimal grid, too many values for the tie groups) is radix-sorted
    /// from its runs, never copied whole: the same counts as the array's, and the reference's (a dictionary and the
    /// standard sort), with NaN, infinities, both zeros, a few repeats and missing rows.
    @Test(arguments: 0..<shapes.count)
    func nearlyDistinctValuesInPiecesAreCountedAsTheArray(shape: Int) throws {
        let (rows, size) = Self.shapes[shape]
        var random = SeededRandom(seed: UInt64(shape) &+ 29)
        var validity = ValidityBitmap(count: rows, allValid: true)
        let specials: [Double] = [.nan, .infinity, -.infinity, 0.0, -0.0, 1.5]
        let values = (0..<rows).map { _ -> Double in
            let draw = random.unit()
            return draw < 0.03 ? specials[Int(random.next() % UInt64(specials.count))] : (random.unit() - 0.3) * 1e3
        }
        for row in 0..<rows where random.unit() < 0.05 { validity.set(row, false) }
        let outcome = (0..<rows).map { _ in UInt8(random.next() % 5 == 0 ? 1 : 0) }
        let whole = ColumnBuffer(values)
        let split = try #require(Self.pieces(values, size: size))
        #expect(_TieGroups.estimatedDistinct(split) == _TieGroups.estimatedDistinct(values))
        for (label, bits) in [("validity", Optional(validity)), ("no validity", nil)] {
            let masked = values.indices.map { bits?.isValid($0) ?? true ? values[$0] : .nan }
            let expected = ValueCountsTests.reference(values: masked, outcome: outcome)
            let sorted = ValueCounts.sortingEveryValue(split, validity: bits, outcome: outcome)
            #expect(ValueCountsTests.same(ValueCountsTests.groups(sorted), expected), "\(label): sorted runs")
            let counted = try #require(ValueCounts.of(values: split, validity: bits, outcome: outcome))
            #expect(ValueCountsTests.same(ValueCountsTests.groups(counted), expected), "\(label)")
            #expect(ValueCounts.of(values: whole, validity: bits, outcome: outcome) == counted, "\(label)")
        }
    }

    @Test(arguments: 0..<shapes.count)
    func floatKernelsReadPiecesAsTheArray(shape: Int) throws {
        let (rows, size) = Self.shapes[shape]
        let (values, validity, outcome) = Self.column(rows: rows, seed: UInt64(shape) + 11)
        let whole = ColumnBuffer(values)
        let split = try #require(Self.pieces(values, size: size))
        #expect(!split.isContiguous || rows <= size)
        #expect(ValueCounts.of(values: split, validity: validity, outcome: outcome)
            == ValueCounts.of(values: whole, validity: validity, outcome: outcome))
        #expect(ValueCounts.of(values: split, validity: nil, outcome: outcome)
            == ValueCounts.of(values: whole, validity: nil, outcome: outcome))
        let present = Binning.presentValues(split, validity: validity)
        let expected = Binning.presentValues(whole, validity: validity)
        #expect(present.values.map(\.bitPattern) == expected.values.map(\.bitPattern))
        #expect(present.hasInfinity == expected.hasInfinity)
        #expect(Binning.rowValues(split, validity: validity).map(\.bitPattern)
            == Binning.rowValues(whole, validity: validity).map(\.bitPattern))
        let edges = [-50.0, -10, 0, 0.5, 20, 80, 150]
        let distinct = [-12.5, 0, 3.25, 77.0]
        for block in Self.blocks(rows: rows, size: size) {
            let codes: [UInt8] = Binning.assign(
                values: split, validity: validity, edges: edges, missingCode: 9, rows: block)
            #expect(codes == Binning.assign(values: whole, validity: validity, edges: edges, missingCode: 9, rows: block))
            let coded: [UInt8] = CategoryCodes.assign(
                values: split, validity: validity, sortedDistinct: distinct, missingCode: 200, rows: block)
            #expect(coded == CategoryCodes.assign(
                values: whole, validity: validity, sortedDistinct: distinct, missingCode: 200, rows: block))
        }
    }

    @Test(arguments: 0..<shapes.count)
    func integerKernelsReadPiecesAsTheArray(shape: Int) throws {
        let (rows, size) = Self.shapes[shape]
        var random = SeededRandom(seed: UInt64(shape) + 5)
        let values = (0..<rows).map { _ in Int64(random.next() % 300) - 40 }
        var validity = ValidityBitmap(count: rows, allValid: true)
        for row in 0..<rows where random.unit() < 0.1 { validity.set(row, false) }
        let whole = ColumnBuffer(values)
        let split = try #require(Self.pieces(values, size: size))
        let keep = (0..<rows).map { _ in random.unit() < 0.9 }
        Self.expectIntegerKernels(
            split, agreeWith: whole, validity: validity, keep: keep, blocks: Self.blocks(rows: rows, size: size))
    }

    /// The integer kernels give the same on `split` (pieces, or values stored narrow) as on `whole`, the same values in
    /// one array: the kept range and present values under `keep`, and for each of `blocks` the fixed-width, interval
    /// and category codes and the regression errors.
    static func expectIntegerKernels(
        _ split: ColumnBuffer<Int64>, agreeWith whole: ColumnBuffer<Int64>, validity: ValidityBitmap, keep: [Bool],
        blocks: [Range<Int>]
    ) {
        #expect(Binning.keptRange(split, validity: validity, keep: keep).range.map { [$0.low, $0.high] }
            == Binning.keptRange(whole, validity: validity, keep: keep).range.map { [$0.low, $0.high] })
        #expect(Binning.presentValues(split, validity: validity, keep: keep).values
            == Binning.presentValues(whole, validity: validity, keep: keep).values)
        let distinct = (0..<250).map { Double($0 - 40) }
        let floats = (0..<250).map { Double($0) * 1.5 }
        for block in blocks {
            let buckets: [UInt8] = Binning.fixedWidthCodes(
                split, validity: validity, origin: -40, step: 7, count: 40, missingCode: 40, rows: block)
            #expect(buckets == Binning.fixedWidthCodes(
                whole, validity: validity, origin: -40, step: 7, count: 40, missingCode: 40, rows: block))
            let edges: [UInt8] = Binning.assign(
                values: split, validity: validity, edges: [-40, 0, 100, 259], missingCode: 3, rows: block)
            #expect(edges == Binning.assign(
                values: whole, validity: validity, edges: [-40, 0, 100, 259], missingCode: 3, rows: block))
            for sorted in [distinct, floats] {
                let coded: [UInt8] = CategoryCodes.assign(
                    values: split, validity: validity, sortedDistinct: sorted, missingCode: 255, rows: block)
                #expect(coded == CategoryCodes.assign(
                    values: whole, validity: validity, sortedDistinct: sorted, missingCode: 255, rows: block))
            }
            let errors = RegressionErrors.signedErrors(
                label: .int64(split, validity), prediction: .int64(whole, nil), rows: block)
            #expect(errors.allSatisfy { $0 == 0 })
        }
    }

    /// The whole range, a block inside the first piece, one across a boundary, and the tail.
    static func blocks(rows: Int, size: Int) -> [Range<Int>] {
        [0..<rows, 0..<min(rows, size / 2), max(0, size - 3)..<min(rows, size + 70), (rows / 2)..<rows]
            .filter { $0.lowerBound <= $0.upperBound }
    }
}
