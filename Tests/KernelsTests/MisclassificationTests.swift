import Kernels
import Testing
import _TestSupport

/// The block-parallel misclassification flags against a row-by-row reference, across blocks and thread counts.
struct MisclassificationTests {
    static func ids(count: Int, classes: UInt64, seed: UInt64) -> [Int32] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in Int32(random.next() % classes) }
    }

    /// Lengths around one and two blocks and a ragged third; one to three threads.
    @Test(arguments: [0, 1, GroupBy.blockRows - 1, GroupBy.blockRows + 1, 2 * GroupBy.blockRows + 777], [1, 2, 3])
    func flagsMatchARowByRowReference(count: Int, threads: Int) throws {
        let labels = Self.ids(count: count, classes: 3, seed: UInt64(count) &+ 11)
        let predictions = Self.ids(count: count, classes: 3, seed: UInt64(count) &+ 12)
        let expectedFailure = zip(labels, predictions).map { $0 != $1 ? UInt8(1) : 0 }
        let multiclass = try #require(
            Misclassification.flags(labelIds: labels, predictionIds: predictions, positive: nil, threads: threads))
        #expect(multiclass.failure == expectedFailure)
        #expect(multiclass.confusion == nil)
        let binary = try #require(
            Misclassification.flags(labelIds: labels, predictionIds: predictions, positive: 2, threads: threads))
        #expect(binary.failure == expectedFailure)
        let expectedCells = zip(labels, predictions).map { truth, predicted -> UInt8 in
            switch (truth == 2, predicted == 2) {
            case (true, true): ConfusionCell.truePositive.rawValue
            case (true, false): ConfusionCell.falseNegative.rawValue
            case (false, true): ConfusionCell.falsePositive.rawValue
            case (false, false): ConfusionCell.trueNegative.rawValue
            }
        }
        #expect(binary.confusion == expectedCells)
    }

    /// A missing id (-1) in any block, first or last row included, gives nil whatever the thread count.
    @Test(arguments: [0, GroupBy.blockRows - 1, GroupBy.blockRows, 2 * GroupBy.blockRows + 776], [1, 2, 3])
    func aMissingIdInAnyBlockGivesNil(row: Int, threads: Int) {
        let count = 2 * GroupBy.blockRows + 777
        var labels = Self.ids(count: count, classes: 2, seed: 5)
        var predictions = Self.ids(count: count, classes: 2, seed: 6)
        #expect(Misclassification.flags(labelIds: labels, predictionIds: predictions, positive: 1, threads: threads) != nil)
        labels[row] = -1
        #expect(Misclassification.flags(labelIds: labels, predictionIds: predictions, positive: 1, threads: threads) == nil)
        labels[row] = 0
        predictions[row] = -1
        #expect(Misclassification.flags(labelIds: labels, predictionIds: predictions, positive: nil, threads: threads) == nil)
    }

    /// One-byte ids give what four-byte ids give, a missing id (-1) included.
    @Test(arguments: [0, 1, GroupBy.blockRows + 1, 2 * GroupBy.blockRows + 777], [1, 2])
    func oneByteIdsMatchFourByteIds(count: Int, threads: Int) {
        var labels = Self.ids(count: count, classes: 128, seed: UInt64(count) &+ 21)
        let predictions = Self.ids(count: count, classes: 128, seed: UInt64(count) &+ 22)
        for positive in [nil, Int32(0), 127] {
            let wide = Misclassification.flags(
                labelIds: labels, predictionIds: predictions, positive: positive, threads: threads)
            let narrow = Misclassification.flags(
                labelIds: labels.map { Int8($0) }, predictionIds: predictions.map { Int8($0) },
                positive: positive.map { Int8($0) }, threads: threads)
            #expect(narrow?.failure == wide?.failure && narrow?.confusion == wide?.confusion && wide != nil)
        }
        guard count > 0 else { return }
        labels[count - 1] = -1
        #expect(
            Misclassification.flags(
                labelIds: labels.map { Int8($0) }, predictionIds: predictions.map { Int8($0) }, positive: 3,
                threads: threads) == nil)
    }
}
