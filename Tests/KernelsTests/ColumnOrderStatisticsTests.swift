import ColumnStore
import Foundation
import Kernels
import Testing
import _TestSupport

/// The in-place summary and selection against a copy-and-sort reference, over lengths around the 64-row words,
/// every validity and keep pattern, and value shapes that defeat the histogram (constant, too narrow, too wide).
struct ColumnOrderStatisticsTests {
    static func values(count: Int, shape: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ -> Double in
            switch random.next() % 40 {
            case 0: return .nan
            case 1 where shape == 5: return random.next() % 2 == 0 ? .infinity : -.infinity
            default: break
            }
            switch shape {
            case 0: return (random.unit() - 0.3) * 1e4
            case 1: return (random.unit() * 1e4).rounded() / 1e2  // ties
            case 2: return 7.25  // constant
            case 3: return 1 + Double(random.next() % 3) * 0x1p-52  // three adjacent doubles
            case 4: return random.next() % 2 == 0 ? -1e308 * random.unit() : 1e308 * random.unit()  // span > max
            default: return exp(4 * random.unit()) * (random.next() % 3 == 0 ? -1 : 1)
            }
        }
    }

    @Test(arguments: [0, 1, 2, 63, 64, 65, 2047, 2048, 2049, 200_000])
    func selectionEqualsSortingTheKeptValues(count: Int) {
        for shape in 0..<6 {
            let values = Self.values(count: count, shape: shape, seed: UInt64(count * 8 + shape))
            var random = SeededRandom(seed: UInt64(count) ^ 0x5EED)
            let flags = (0..<count).map { _ in random.next() % 7 != 0 }
            let keepFlags = (0..<count).map { _ in random.next() % 5 != 0 }
            for validity in [nil, ValidityBitmap(flags), ValidityBitmap(count: count, allValid: false)] {
                for keep in [nil, keepFlags] {
                    let kept = (0..<count).filter { (keep?[$0] ?? true) && (validity?.isValid($0) ?? true) }
                        .map { values[$0] }.filter { !$0.isNaN }
                    let finite = kept.filter(\.isFinite).sorted()
                    let summary = ColumnOrderStatistics.summarize(
                        ColumnBuffer(values), validity: validity, keep: keep)
                    #expect(summary.present == kept.count && summary.finite == finite.count)
                    #expect(summary.hasNegativeInfinity == kept.contains(-.infinity))
                    #expect(summary.hasPositiveInfinity == kept.contains(.infinity))
                    guard let first = finite.first, let last = finite.last else {
                        #expect(summary.minimum.isNaN && summary.maximum.isNaN)
                        continue
                    }
                    #expect(summary.minimum == first && summary.maximum == last)
                    let ranks = Array(Set([0, finite.count / 10, finite.count / 2, finite.count / 2 + 1,
                                           finite.count * 9 / 10, finite.count - 1].filter { $0 < finite.count }))
                    let selected = ColumnOrderStatistics.select(
                        ColumnBuffer(values), validity: validity, keep: keep, summary: summary, ranks: ranks)
                    for rank in ranks {
                        #expect(selected[rank] == finite[rank], "count \(count) shape \(shape) rank \(rank)")
                    }
                }
            }
        }
    }
}
