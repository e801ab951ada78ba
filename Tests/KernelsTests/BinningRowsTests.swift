import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// The row passes behind the binner's keep masks and time buckets against per-row loops.
struct BinningRowsTests {
    @Test(arguments: BinningTests.lengths, BinningTests.ValidityMode.allCases)
    func keptRowsMatchTheRowByRowReference(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 0x4EE9 &+ UInt64(length))
        let validity = BinningTests.validity(mode, count: length, random: &random)
        let keep = (0..<length).map { _ in random.next() % 3 != 0 }
        let kept = (0..<length).filter { keep[$0] }
        let present = kept.filter { validity?.isValid($0) ?? true }

        let floats = (0..<length).map { _ -> Double in
            switch random.next() % 50 {
            case 0: .nan
            case 1: .infinity
            default: random.unit() * 10 - 5
            }
        }
        let floatResult = Binning.presentValues(ColumnBuffer(floats), validity: validity, keep: keep)
        let expectedFloats = present.map { floats[$0] }.filter { !$0.isNaN }
        #expect(floatResult.values == expectedFloats)
        #expect(floatResult.hasInfinity == expectedFloats.contains(.infinity))

        let integers = (0..<length).map { _ in Int64(bitPattern: random.next()) >> 20 }
        let integerResult = Binning.presentValues(ColumnBuffer(integers), validity: validity, keep: keep)
        #expect(integerResult.values == present.map { Double(integers[$0]) })
        #expect(!integerResult.hasInfinity)

        let range = Binning.keptRange(ColumnBuffer(integers), validity: validity, keep: keep)
        #expect(range.range?.low == present.map { integers[$0] }.min())
        #expect(range.range?.high == present.map { integers[$0] }.max())
        #expect(range.missing == (present.count < kept.count))
        let all = Binning.keptRange(ColumnBuffer(integers), validity: validity, keep: nil)
        let everyPresent = (0..<length).filter { validity?.isValid($0) ?? true }
        #expect(all.range?.low == everyPresent.map { integers[$0] }.min())
        #expect(all.missing == (everyPresent.count < length))

        let entries = 9
        let codes = (0..<length).map { row in
            validity?.isValid(row) ?? true ? UInt32(random.next() % UInt64(entries)) : UInt32.max
        }
        var expectedCounts = [Int](repeating: 0, count: entries)
        for row in present { expectedCounts[Int(codes[row])] += 1 }
        let counted = CategoryCodes.counts(codes: ColumnBuffer(codes), validity: validity, entries: entries, keep: keep)
        #expect(counted.counts == expectedCounts)
        #expect(counted.missing == kept.count - present.count)
    }

    /// floor((t − origin) / step) in range, the missing code for missing rows and values outside the buckets
    /// (before the origin, past the last bucket, or wrapping around).
    @Test(arguments: BinningTests.lengths, BinningTests.ValidityMode.allCases)
    func fixedWidthCodesMatchFloorDivision(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 0xF1D &+ UInt64(length))
        let validity = BinningTests.validity(mode, count: length, random: &random)
        let origin: Int64 = -7_000
        let step: Int64 = 3_600
        let count = 40
        let values = (0..<length).map { _ -> Int64 in
            switch random.next() % 20 {
            case 0: .min
            case 1: .max
            default: origin - step + Int64(random.next() % UInt64(step * Int64(count + 2)))
            }
        }
        let codes = Binning.fixedWidthCodes(
            ColumnBuffer(values), validity: validity, origin: origin, step: step, count: count, missingCode: 999)
        let expected = values.indices.map { row -> UInt16 in
            guard validity?.isValid(row) ?? true else { return 999 }
            let (offset, overflow) = values[row].subtractingReportingOverflow(origin)
            guard !overflow, offset >= 0, offset / step < Int64(count) else { return 999 }
            return UInt16(offset / step)
        }
        #expect(codes == expected)
        // A block of rows is that block of the codes, at either width.
        for rows in [0..<0, 0..<min(length, 65), (length / 3)..<length, length..<length] {
            let block = Binning.fixedWidthCodes(
                ColumnBuffer(values), validity: validity, origin: origin, step: step, count: count, missingCode: 999,
                rows: rows)
            #expect(block == Array(expected[rows]), "rows \(rows)")
            let narrow = Binning.fixedWidthCodes(
                ColumnBuffer(values), validity: validity, origin: origin, step: step, count: count,
                missingCode: UInt8(99), rows: rows)
            #expect(narrow == expected[rows].map { $0 == 999 ? 99 : UInt8($0) }, "rows \(rows), one byte")
        }
    }

    /// Exact at bucket boundaries (a multiple of the step and one either side), for small and huge steps, with
    /// offsets on both sides of 2⁵² (where a floating estimate of the quotient would stop being exact).
    @Test(arguments: [
        1, 3, 3_600, 86_400_000_000, 604_800_000_000_000, 205_891_132_094_649, (1 << 45) - 1, (1 << 40) + 1,
        (1 << 52) + 1,
        // Steps whose exact multiples a multiplication by the reciprocal puts one bucket low.
        524_079, 12_572_948, 191_309, 3_927, 43_116_883,
    ] as [Int64])
    func fixedWidthCodesAreExactAtBoundaries(step: Int64) {
        var random = SeededRandom(seed: UInt64(truncatingIfNeeded: step))
        let origin: Int64 = 1_000
        let count = 60_000
        var values: [Int64] = []
        // Every bucket up to 4,096, the last ones, and random ones.
        let buckets = Array(0...4_096) + [8, 235, 249, 1_927] + Array((count - 3)...(count + 3))
            + (0..<2_000).map { _ in Int(random.next() % UInt64(count + 10)) }
        for bucket in buckets.map(Int64.init) {
            let (start, overflow) = bucket.multipliedReportingOverflow(by: step)
            guard !overflow, start <= Int64.max - origin - 1 else { continue }
            values += [origin + start - 1, origin + start, origin + start + 1]
        }
        // Offsets just below and above 2⁵².
        values += [origin + (1 << 52) - 1, origin + (1 << 52), origin + (1 << 52) + 1]
        let codes = Binning.fixedWidthCodes(
            ColumnBuffer(values), validity: nil, origin: origin, step: step, count: count, missingCode: UInt16.max)
        let expected = values.map { value -> UInt16 in
            let offset = value - origin
            guard offset >= 0, offset / step < Int64(count) else { return UInt16.max }
            return UInt16(offset / step)
        }
        #expect(codes == expected)
    }
}
