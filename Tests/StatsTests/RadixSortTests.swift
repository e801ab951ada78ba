import Testing
import _TestSupport

@testable import Stats

/// The radix sort behind the AUC against the standard library's sort.
struct RadixSortTests {
    @Test(arguments: [0, 1, 2, 63, 1_000, 70_000])
    func sortsLikeTheStandardLibraryAndCarriesThePayload(count: Int) {
        var random = SeededRandom(seed: UInt64(count) + 1)
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, 0x1p-1030, -0x1p-1030, .greatestFiniteMagnitude, 1, -1]
        let values = (0..<count).map { index -> Double in
            switch random.next() % 4 {
            case 0: return specials[Int(random.next() % UInt64(specials.count))]
            case 1: return Double(Int(random.next() % 7) - 3)  // many ties
            default: return (random.unit() - 0.5) * 1e6
            }
        }
        var keys = values.map(RadixSort.key)
        var payload = (0..<count).map { UInt8(truncatingIfNeeded: $0) }
        RadixSort.sort(&keys, payload: &payload)
        #expect(keys == keys.sorted())
        // Stable: equal values keep their input order, so the payload follows the stable order exactly
        // (-0 and +0 are one value).
        let normalized = values.map { $0 == 0 ? 0.0 : $0 }
        let stable = normalized.indices.sorted { (normalized[$0], $0) < (normalized[$1], $1) }
        #expect(payload == stable.map { UInt8(truncatingIfNeeded: $0) })
    }

    @Test func keysOrderLikeTheValues() {
        let ordered: [Double] = [-.infinity, -1e300, -1, -0x1p-1030, 0, 0x1p-1030, 1, 1e300, .infinity]
        let keys = ordered.map(RadixSort.key)
        #expect(keys == keys.sorted() && Set(keys).count == keys.count)
        #expect(RadixSort.key(-0.0) == RadixSort.key(0))
    }
}
