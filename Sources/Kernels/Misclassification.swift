/// The 0/1 misclassification of rows whose label and prediction are class ids, in loops without a branch on the
/// data (the compiler vectorises them): a row-by-row loop that returned at a missing id took 20 ms for 10M rows.
public enum Misclassification {
    /// Per row, whether the prediction differs from the label, and (with a positive class) the ``ConfusionCell``;
    /// nil when any id is negative (a missing label or prediction).
    ///
    /// Rows are split into ``GroupBy/blockRows``-row blocks shared among `threads` workers, each block's flags
    /// written by one worker: the pass is bound by reading the ids, which two cores do faster than one.
    /// - Precondition: `labelIds.count == predictionIds.count`; `threads ≥ 1`.
    public static func flags(
        labelIds: [Int32], predictionIds: [Int32], positive: Int32?, threads: Int = 1
    ) -> (failure: [UInt8], confusion: [UInt8]?)? {
        flagsOfIds(labelIds: labelIds, predictionIds: predictionIds, positive: positive, threads: threads)
    }

    /// ``flags(labelIds:predictionIds:positive:threads:)`` of one-byte ids.
    public static func flags(
        labelIds: [Int8], predictionIds: [Int8], positive: Int8?, threads: Int = 1
    ) -> (failure: [UInt8], confusion: [UInt8]?)? {
        flagsOfIds(labelIds: labelIds, predictionIds: predictionIds, positive: positive, threads: threads)
    }

    // Specialised here for each width: a generic public entry runs unspecialised from another module.
    static func flagsOfIds<Id: FixedWidthInteger & SignedInteger>(
        labelIds: [Id], predictionIds: [Id], positive: Id?, threads: Int
    ) -> (failure: [UInt8], confusion: [UInt8]?)? {
        let rows = labelIds.count
        precondition(predictionIds.count == rows, "one prediction per label")
        precondition(threads >= 1, "at least one thread")
        let blockCount = (rows + GroupBy.blockRows - 1) / GroupBy.blockRows
        // A missing id is -1: the smallest `truth | predicted` of a block is negative when any of its rows has one.
        var lowest: Id = 0
        let failure = unsafe [UInt8](writingCapacity: rows) { output, initialized in
            let flags = unsafe output
            let lowestOfBlock = Parallel.map(count: blockCount, threads: threads) { block -> Id in
                let range = block * GroupBy.blockRows..<min((block + 1) * GroupBy.blockRows, rows)
                return unsafe labelIds.withUnsafeBufferPointer { labels in
                    unsafe predictionIds.withUnsafeBufferPointer { predictions in
                        var lowest: Id = 0
                        for row in range {
                            // Safe: row < rows == every buffer's count; each block is written by one worker only.
                            let truth = unsafe labels[row]
                            let predicted = unsafe predictions[row]
                            lowest = min(lowest, truth | predicted)
                            unsafe flags.initializeElement(at: row, to: truth != predicted ? 1 : 0)
                        }
                        return lowest
                    }
                }
            }
            lowest = lowestOfBlock.min() ?? 0
            initialized = rows
        }
        guard lowest >= 0 else { return nil }
        guard let positive else { return (failure, nil) }
        let confusion = unsafe [UInt8](writingCapacity: rows) { output, initialized in
            let cells = unsafe output
            _ = Parallel.map(count: blockCount, threads: threads) { block -> Bool in
                let range = block * GroupBy.blockRows..<min((block + 1) * GroupBy.blockRows, rows)
                unsafe labelIds.withUnsafeBufferPointer { labels in
                    unsafe predictionIds.withUnsafeBufferPointer { predictions in
                        for row in range {
                            // Safe: row < rows == every buffer's count; each block is written by one worker only.
                            let truth = unsafe labels[row] == positive
                            let predicted = unsafe predictions[row] == positive
                            // ConfusionCell's raw values: TP 0, FP 1, TN 2, FN 3.
                            let cell: UInt8 = (predicted ? 0 : 2) | (truth == predicted ? 0 : 1)
                            unsafe cells.initializeElement(at: row, to: cell)
                        }
                    }
                }
                return true
            }
            initialized = rows
        }
        return (failure, confusion)
    }
}
