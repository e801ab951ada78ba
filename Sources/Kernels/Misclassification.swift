/// The 0/1 misclassification of rows whose label and prediction are class ids, in loops without a branch on the
/// data (the compiler vectorises them): a row-by-row loop that returned at a missing id took 20 ms for 10M rows.
public enum Misclassification {
    /// Per row, whether the prediction differs from the label, and (with a positive class) the ``ConfusionCell``;
    /// nil when any id is negative (a missing label or prediction).
    /// - Precondition: `labelIds.count == predictionIds.count`.
    public static func flags(
        labelIds: [Int32], predictionIds: [Int32], positive: Int32?
    ) -> (failure: [UInt8], confusion: [UInt8]?)? {
        let rows = labelIds.count
        precondition(predictionIds.count == rows, "one prediction per label")
        // A missing id is -1: the smallest `truth | predicted` is negative when any row has one.
        var lowest: Int32 = 0
        let failure = unsafe labelIds.withUnsafeBufferPointer { labels in
            unsafe predictionIds.withUnsafeBufferPointer { predictions in
                unsafe [UInt8](unsafeUninitializedCapacity: rows) { output, initialized in
                    for row in 0..<rows {
                        // Safe: row < rows == every buffer's count.
                        let truth = unsafe labels[row]
                        let predicted = unsafe predictions[row]
                        lowest = min(lowest, truth | predicted)
                        unsafe output.initializeElement(at: row, to: truth != predicted ? 1 : 0)
                    }
                    initialized = rows
                }
            }
        }
        guard lowest >= 0 else { return nil }
        guard let positive else { return (failure, nil) }
        let confusion = unsafe labelIds.withUnsafeBufferPointer { labels in
            unsafe predictionIds.withUnsafeBufferPointer { predictions in
                unsafe [UInt8](unsafeUninitializedCapacity: rows) { output, initialized in
                    for row in 0..<rows {
                        // Safe: row < rows == every buffer's count.
                        let truth = unsafe labels[row] == positive
                        let predicted = unsafe predictions[row] == positive
                        // ConfusionCell's raw values: TP 0, FP 1, TN 2, FN 3.
                        let cell: UInt8 = (predicted ? 0 : 2) | (truth == predicted ? 0 : 1)
                        unsafe output.initializeElement(at: row, to: cell)
                    }
                    initialized = rows
                }
            }
        }
        return (failure, confusion)
    }
}
