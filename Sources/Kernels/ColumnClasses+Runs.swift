extension PairCounts.ColumnClasses {
    /// The codes of a column that never decrease from one row to the next (the time or batch axis of a dump written
    /// in time order), as runs of one code: a few words, where the codes combined with the rows' classes take two
    /// bytes a row. The combined rows are written a block at a time where a kernel reads them
    /// (``withCombinedRows(in:_:)``).
    struct AscendingRuns: Sendable {
        /// The first row of each run, ascending; the first is row 0.
        let starts: [Int]
        /// Each run's code, strictly ascending.
        let codes: [UInt16]
        let rowCount: Int

        /// The runs of `column`, or nil when a row's code is below the one before it. Codes not kept are written a
        /// block at a time, the blocks on `threads` threads (a column that is out of order only near its end is
        /// then written twice, the second time by the combined rows, as fast).
        init?(_ column: BinCodes, threads: Int) {
            let rows = column.count
            let blockCount = (rows + GroupBy.blockRows - 1) / GroupBy.blockRows
            // Each block's own runs, or nil when its codes decrease inside it.
            let blocks = Parallel.map(count: blockCount, threads: threads) { block -> (starts: [Int], codes: [UInt16])? in
                let range = block * GroupBy.blockRows..<min((block + 1) * GroupBy.blockRows, rows)
                // Codes not kept are written for the block alone, whose first row is then the block's.
                let (codes, offset): (BinCodes, Int) =
                    if case .remade(let recipe) = column.storage {
                        (recipe.codes(rows: range), range.lowerBound)
                    } else {
                        (column, 0)
                    }
                return switch codes.storage {
                case .narrow(let narrow): Self.runs(narrow, rows: range, offset: offset)
                case .wide(let wide): Self.runs(wide, rows: range, offset: offset)
                case .remade: preconditionFailure("a recipe writes kept codes")
                }
            }
            var starts: [Int] = []
            var codes: [UInt16] = []
            for block in blocks {
                guard let block else { return nil }
                // Each block's runs ascend: only its first code is checked against the last block's, and continues
                // that block's last run when equal.
                var firstRun = 0
                if let last = codes.last, let head = block.codes.first {
                    if head < last { return nil }
                    if head == last { firstRun = 1 }
                }
                starts += block.starts[firstRun...]
                codes += block.codes[firstRun...]
            }
            self.starts = starts
            self.codes = codes
            rowCount = rows
        }

        /// The runs of `rows` of `codes` (whose first element is row `offset`), or nil when a code is below the
        /// one before it.
        private static func runs<Code: FixedWidthInteger & UnsignedInteger>(
            _ codes: [Code], rows: Range<Int>, offset: Int
        ) -> (starts: [Int], codes: [UInt16])? {
            var starts: [Int] = []
            var runCodes: [UInt16] = []
            for row in rows {
                let code = UInt16(truncatingIfNeeded: codes[row - offset])
                if let last = runCodes.last {
                    if code == last { continue }
                    if code < last { return nil }
                }
                starts.append(row)
                runCodes.append(code)
            }
            return (starts, runCodes)
        }

        /// Calls `body` with the rows of each run within `rows`, and the run's code, in row order.
        func forEachRun(in rows: Range<Int>, _ body: (_ rows: Range<Int>, _ code: UInt16) -> Void) {
            precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "rows out of range")
            guard !rows.isEmpty else { return }
            // The last run that starts at or before the first row.
            var low = 0
            var high = starts.count
            while high - low > 1 {
                let middle = (low + high) / 2
                if starts[middle] <= rows.lowerBound { low = middle } else { high = middle }
            }
            var run = low
            while run < starts.count && starts[run] < rows.upperBound {
                let end = run + 1 < starts.count ? starts[run + 1] : rowCount
                body(max(starts[run], rows.lowerBound)..<min(end, rows.upperBound), codes[run])
                run += 1
            }
        }

        /// Every row's code, at one byte when `narrow`.
        func expanded(narrow: Bool) -> BinCodes {
            func written<Code: FixedWidthInteger & UnsignedInteger>(_: Code.Type) -> [Code] {
                var codes = [Code]()
                codes.reserveCapacity(rowCount)
                forEachRun(in: 0..<rowCount) { rows, code in
                    codes.append(contentsOf: repeatElement(Code(truncatingIfNeeded: code), count: rows.count))
                }
                return codes
            }
            return narrow ? BinCodes(written(UInt8.self)) : BinCodes(written(UInt16.self))
        }
    }

    /// The rows' classes kept beside ascending runs: the failure flags themselves with one class bit (any non-zero
    /// flag a failure, as the combined rows read them), so nothing is written; with the confusion cells,
    /// `cell << 1 | failed` a byte a row, in one pass over blocks on `threads` threads.
    static func runClasses(failure: [UInt8], confusion: [UInt8]?, threads: Int) -> [UInt8] {
        guard let confusion else { return failure }
        let rows = failure.count
        let blockCount = (rows + GroupBy.blockRows - 1) / GroupBy.blockRows
        return unsafe [UInt8](writingCapacity: rows) { output, initialized in
            let classes = unsafe output
            _ = Parallel.map(count: blockCount, threads: threads) { block -> Bool in
                for row in block * GroupBy.blockRows..<min((block + 1) * GroupBy.blockRows, rows) {
                    let rowClass = (confusion[row] & 3) << 1 | (failure[row] != 0 ? 1 : 0)
                    // Safe: row < rows == the buffer's count; each block is written by one worker only.
                    unsafe classes.initializeElement(at: row, to: rowClass)
                }
                return true
            }
            initialized = rows
        }
    }

    /// Calls `body` with the combined rows `code << classBits | class` of (at least) `rows` and the row of the
    /// buffer's first element: every row from row 0 when they are held, else those of `rows` alone, written from
    /// the runs and the rows' classes for the call (a ``GroupBy/blockRows``-row block is 128 kB).
    /// - Precondition: the classes hold the column's codes (``holdsColumnCodes``), and `rows` are rows.
    func withCombinedRows<R>(
        in rows: Range<Int>, _ body: (_ combined: UnsafeBufferPointer<UInt16>, _ firstRow: Int) -> R
    ) -> R {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "rows out of range")
        switch self.rows {
        case .combined(let combined):
            return unsafe combined.withUnsafeBufferPointer { unsafe body($0, 0) }
        case .runs(let runs, let rowClasses):
            let first = rows.lowerBound
            let classBits = classBits
            let block = unsafe [UInt16](writingCapacity: rows.count) { output, initialized in
                let combined = unsafe output
                unsafe rowClasses.withUnsafeBufferPointer { classBuffer in
                    runs.forEachRun(in: rows) { run, code in
                        let base = code << classBits
                        // Safe (both loops): run lies within rows, which lie within the classes (checked above);
                        // row - first < rows.count, the buffer's count.
                        if classBits == 1 {
                            for row in run {
                                let failed: UInt16 = unsafe classBuffer[row] != 0 ? 1 : 0
                                unsafe combined.initializeElement(at: row &- first, to: base | failed)
                            }
                        } else {
                            for row in run {
                                unsafe combined.initializeElement(
                                    at: row &- first, to: base | UInt16(unsafe classBuffer[row]))
                            }
                        }
                    }
                }
                initialized = rows.count
            }
            return unsafe block.withUnsafeBufferPointer { unsafe body($0, first) }
        case .apart: preconditionFailure("the column's codes are kept apart from the classes")
        }
    }
}
