extension GroupBy {
    /// The loss and signed-error sums of each group, taken block by block as
    /// ``aggregate(codes:groupCount:outcomes:threads:)`` takes them, for statistics whose counts come from elsewhere
    /// (a table against the time axis, ``PairCounts/ClassTable/groupStats()``): the same blocks, summed and merged in
    /// the same order, so the same sums to the last bit.
    public struct LossSums: Sendable {
        let outcomes: RowOutcomes
        var total: [GroupStats]

        public init(groupCount: Int, outcomes: RowOutcomes) {
            self.outcomes = outcomes
            total = [GroupStats](repeating: GroupStats(), count: groupCount)
        }

        /// Adds one ``GroupBy/blockRows``-row block, `codes` holding the rows of `rows` alone: call it for the blocks
        /// in row order.
        /// - Precondition: `codes` are kept (not a recipe), one per row of `rows`, each below the group count.
        public mutating func add(_ codes: BinCodes, rows: Range<Int>) {
            precondition(codes.count == rows.count && rows.upperBound <= outcomes.count, "block out of range")
            var block = [GroupStats](repeating: GroupStats(), count: total.count)
            // The sums are indexed by code unchecked: a code past the groups is refused here.
            switch codes.storage {
            case .narrow(let codes):
                precondition(Int(codes.max() ?? 0) < total.count || codes.isEmpty, "code out of range")
                addFloatSums(codes: codes, codeStart: rows.lowerBound, range: rows, outcomes: outcomes, into: &block)
            case .wide(let codes):
                precondition(Int(codes.max() ?? 0) < total.count || codes.isEmpty, "code out of range")
                addFloatSums(codes: codes, codeStart: rows.lowerBound, range: rows, outcomes: outcomes, into: &block)
            case .remade: preconditionFailure("a recipe writes kept codes")
            }
            for group in total.indices { total[group].merge(block[group]) }
        }

        /// Adds every block of a whole column's `codes` (written whole first when they are not kept), each through
        /// ``add(_:rows:)``.
        public mutating func add(column codes: BinCodes) {
            precondition(codes.count == outcomes.count, "codes and outcomes differ in length")
            let kept = codes.materialized()
            for start in stride(from: 0, to: kept.count, by: blockRows) {
                let rows = start..<Swift.min(start + blockRows, kept.count)
                switch kept.storage {
                case .narrow(let codes): add(BinCodes(Array(codes[rows])), rows: rows)
                case .wide(let codes): add(BinCodes(Array(codes[rows])), rows: rows)
                case .remade: preconditionFailure("materialized codes are kept")
                }
            }
        }

        /// `counted` with the loss fields replaced by these sums when the outcomes carry a loss, and the signed-error
        /// fields when they carry errors; rows, failures and confusion counts as they are.
        public func applied(to counted: [GroupStats]) -> [GroupStats] {
            precondition(counted.count == total.count, "one group's statistics per group")
            var stats = counted
            for group in stats.indices {
                if outcomes.hasLoss {
                    stats[group].lossSum = total[group].lossSum
                    stats[group].lossSquaredSum = total[group].lossSquaredSum
                    stats[group].lossMax = total[group].lossMax
                }
                if outcomes.hasErrors {
                    stats[group].absoluteErrorSum = total[group].absoluteErrorSum
                    stats[group].squaredErrorSum = total[group].squaredErrorSum
                    stats[group].signedErrorSum = total[group].signedErrorSum
                }
            }
            return stats
        }
    }
}
