import Testing

@testable import Kernels

/// `PairCounts.count(blocksOf:)`: a pair counted a block at a time, its codes kept or left to a recipe, gives the
/// table of the pair counted whole, for every width and thread count.
struct PairBlockCountsTests {
    static let lengths = [0, 1, 63, 64, 65, 2049, 65_535, 65_536, 65_537, 200_003]

    @Test(arguments: lengths)
    func blockCountsEqualTheWholeCount(length: Int) {
        let input = PairCountsTests.input(length: length, codeCounts: [11, 256, 300], seed: UInt64(length) &+ 83)
        // One-byte codes of 11 and 256 codes, two-byte codes of 300.
        let features = [
            (BinCodes(input.features[0], codeCount: 11), 11), (BinCodes(input.features[1], codeCount: 256), 256),
            (BinCodes(input.features[2]), 300),
        ]
        for (first, firstCount) in features {
            for (second, secondCount) in features {
                let whole = PairCounts.count(
                    first: first, firstCount: firstCount, second: second, secondCount: secondCount,
                    failure: input.failure, threads: 1)
                for (firstLeft, secondLeft) in [(false, false), (true, false), (false, true), (true, true)] {
                    let a = firstLeft ? BinCodes(remadeBy: BlockCodesTests.recipe(first, blocks: true)) : first
                    let b = secondLeft ? BinCodes(remadeBy: BlockCodesTests.recipe(second, blocks: true)) : second
                    for threads in [1, 2, 3] {
                        let counted = PairCounts.count(
                            blocksOf: a, firstCount: firstCount, second: b, secondCount: secondCount,
                            failure: input.failure, threads: threads)
                        let label = "rows \(length), \(firstCount) x \(secondCount), threads \(threads)"
                        #expect(counted == whole, "\(label), left to recipes: \(firstLeft) \(secondLeft)")
                    }
                }
            }
        }
    }
}
