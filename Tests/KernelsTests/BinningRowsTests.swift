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
    }
}
