/// Group-by accumulation of `GroupStats` per code.
///
/// Rows are split into fixed blocks of `blockRows` rows (independent of the thread count); each block is
/// aggregated on its own and the blocks are merged in row order, so integer counts and floating sums are
/// identical whatever the number of threads.
public enum GroupBy {
    /// Rows per block; a power of two.
    public static let blockRows = 1 << 16

    /// The statistics of every group `0..<groupCount`.
    /// - Parameters:
    ///   - codes: the group of each row, `< groupCount`.
    ///   - outcomes: the per-row failure, loss and error.
    ///   - threads: worker threads (at least 1).
    /// - Complexity: O(rows + blocks · groupCount).
    public static func aggregate(codes: [UInt16], groupCount: Int, outcomes: RowOutcomes, threads: Int) -> [GroupStats] {
        precondition(codes.count == outcomes.count, "codes and outcomes differ in length")
        precondition(groupCount > 0 && groupCount <= Int(UInt16.max) + 1, "group count out of range")
        let blockCount = (codes.count + blockRows - 1) / blockRows
        let blocks = Parallel.map(count: blockCount, threads: threads) { blockIndex in
            let start = blockIndex * blockRows
            let end = min(start + blockRows, codes.count)
            return aggregateBlock(codes: codes, range: start..<end, groupCount: groupCount, outcomes: outcomes)
        }
        var total = [GroupStats](repeating: GroupStats(), count: groupCount)
        for block in blocks {
            for group in 0..<groupCount { total[group].merge(block[group]) }
        }
        return total
    }

    /// One block: a tight counting loop, then the floating sums only when the outcomes carry them.
    static func aggregateBlock(
        codes: [UInt16], range: Range<Int>, groupCount: Int, outcomes: RowOutcomes
    ) -> [GroupStats] {
        var rows = [Int32](repeating: 0, count: groupCount)
        var failures = [Int32](repeating: 0, count: groupCount)
        unsafe codes.withUnsafeBufferPointer { codeBuffer in
            unsafe outcomes.failure.withUnsafeBufferPointer { failureBuffer in
                unsafe rows.withUnsafeMutableBufferPointer { rowCounts in
                    unsafe failures.withUnsafeMutableBufferPointer { failureCounts in
                        for row in range {
                            // Safe: row < codes.count == failure.count; codes are < groupCount (checked in debug).
                            let code = Int(unsafe codeBuffer[row])
                            assert(code < groupCount, "code out of range")
                            unsafe rowCounts[code] &+= 1
                            unsafe failureCounts[code] &+= Int32(unsafe failureBuffer[row])
                        }
                    }
                }
            }
        }
        var stats = [GroupStats](repeating: GroupStats(), count: groupCount)
        for group in 0..<groupCount {
            stats[group].rows = Int(rows[group])
            stats[group].failures = Int(failures[group])
        }
        if let loss = outcomes.loss {
            for row in range {
                let group = Int(codes[row])
                let value = loss[row]
                stats[group].lossSum += value
                stats[group].lossSquaredSum += value * value
                stats[group].lossMax = max(stats[group].lossMax, value)
            }
        } else {
            for group in 0..<groupCount {
                let failuresInGroup = Double(stats[group].failures)
                stats[group].lossSum = failuresInGroup
                stats[group].lossSquaredSum = failuresInGroup
                stats[group].lossMax = failuresInGroup > 0 ? 1 : 0
            }
        }
        if let errors = outcomes.signedError {
            for row in range {
                let group = Int(codes[row])
                let error = errors[row]
                stats[group].absoluteErrorSum += abs(error)
                stats[group].squaredErrorSum += error * error
                stats[group].signedErrorSum += error
            }
        }
        if let confusion = outcomes.confusion {
            for row in range {
                stats[Int(codes[row])].confusion[Int(confusion[row] & 3)] += 1
            }
        }
        return stats
    }
}
