/// Values stored in place in several ranges of one mapped file, in order: an Arrow column split over record
/// batches, read batch by batch where a copy into one buffer would double what the process holds.
///
/// ```
/// piece k: rows starts[k] ..< starts[k + 1], from byteOffsets[k]
/// ```
@usableFromInline
final class _MappedPieces: Sendable {
    let file: MappedFile
    let byteOffsets: [Int]
    /// The first row of each piece, then the row count (one more entry than pieces); no piece is empty.
    let starts: [Int]
    /// The rows of each piece when every piece but the last holds the same number (a row's piece is then a
    /// division, as in files written with a fixed batch size), else 0.
    private let uniformRows: Int

    init(file: MappedFile, byteOffsets: [Int], starts: [Int]) {
        precondition(starts.count == byteOffsets.count + 1 && !byteOffsets.isEmpty, "pieces and starts differ")
        self.file = file
        self.byteOffsets = byteOffsets
        self.starts = starts
        let first = starts[1]
        // Every piece but the last as long as the first, and the last no longer.
        let uniform = (1..<max(1, starts.count - 2)).allSatisfy { starts[$0 + 1] - starts[$0] == first }
            && starts[starts.count - 1] - starts[starts.count - 2] <= first
        self.uniformRows = uniform ? first : 0
    }

    /// The piece holding `row`.
    /// - Precondition: `row` is in `0..<starts.last`.
    @usableFromInline
    func piece(containing row: Int) -> Int {
        if uniformRows > 0 { return row / uniformRows }
        // The last start at or below `row`.
        var low = 0
        var high = starts.count - 2
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= row { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The pieces of `file` that `counts[k]` values of `stride` bytes from `byteOffsets[k]` make, empty ones left
    /// out: their offsets, and their first rows followed by the row count. Nil when a range is not inside the file
    /// or its offset not a multiple of `alignment`, or the counts differ from the offsets in number.
    static func layout(
        _ file: MappedFile, byteOffsets: [Int], counts: [Int], stride: Int, alignment: Int
    ) -> (byteOffsets: [Int], starts: [Int])? {
        guard byteOffsets.count == counts.count else { return nil }
        let kept = zip(byteOffsets, counts).filter { $0.1 != 0 }
        var starts = [0]
        for (offset, count) in kept {
            guard count >= 0, offset >= 0, offset % alignment == 0,
                case (let length, false) = count.multipliedReportingOverflow(by: stride),
                file.contains(offset: offset, length: length),
                case (let end, false) = starts[starts.count - 1].addingReportingOverflow(count)
            else { return nil }
            starts.append(end)
        }
        return (kept.map(\.0), starts)
    }

    /// Calls `body` with each piece's share of `rows`, in order: the byte offset of its first value (values of
    /// `stride` bytes), its first row and its number of rows.
    /// - Precondition: `rows` lies in `0..<starts.last`.
    @inline(__always)
    func forEachRange<E: Error>(
        in rows: Range<Int>, stride: Int, _ body: (_ byteOffset: Int, _ firstRow: Int, _ count: Int) throws(E) -> Void
    ) throws(E) {
        guard !rows.isEmpty else { return }
        var piece = piece(containing: rows.lowerBound)
        var row = rows.lowerBound
        while row < rows.upperBound {
            let end = min(rows.upperBound, starts[piece + 1])
            try body(byteOffsets[piece] + (row - starts[piece]) * stride, row, end - row)
            row = end
            piece += 1
        }
    }

    /// The value of `row`.
    /// - Precondition: `row` is in `0..<starts.last`.
    @usableFromInline
    func load<Element: BitwiseCopyable>(_ row: Int, as type: Element.Type) -> Element {
        let piece = piece(containing: row)
        let offset = byteOffsets[piece] + (row - starts[piece]) * MemoryLayout<Element>.stride
        return file.load(fromByteOffset: offset, as: Element.self)
    }
}

extension ColumnBuffer {
    /// Calls `body` with each run of the values of `rows` that lies contiguously in storage, in row order, with the
    /// run's first row: one run unless the values are in pieces and `rows` crosses from one to the next. Nothing is
    /// copied, except narrow values, which come widened in runs of a few thousand rows.
    ///
    /// - Precondition: `rows` lies in `0..<count`.
    /// - Warning: do not escape the pointer from the closure.
    public func forEachRun<E: Error>(
        in rows: Range<Int>, _ body: (UnsafeBufferPointer<Element>, _ firstRow: Int) throws(E) -> Void
    ) throws(E) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows out of range")
        guard !rows.isEmpty else { return }
        if let narrow {
            let capacity = min(rows.count, _NarrowIntegers.runRows)
            return try unsafe withUnsafeTemporaryAllocation(of: Element.self, capacity: capacity) {
                (scratch) throws(E) -> Void in
                var start = rows.lowerBound
                while start < rows.upperBound {
                    let end = min(rows.upperBound, start + capacity)
                    // Safe: the scratch has room for `capacity` >= end - start values, which widen initializes
                    // (integers: nothing to deinitialize); the view of them lives only for the call.
                    unsafe narrow.widen(start..<end, into: scratch.baseAddress.unsafelyUnwrapped,
                        elementStride: MemoryLayout<Element>.stride)
                    try unsafe body(UnsafeBufferPointer(rebasing: scratch[0..<(end - start)]), start)
                    start = end
                }
            }
        }
        guard let pieces else {
            return try unsafe withUnsafeBufferPointer { (all) throws(E) -> Void in
                try unsafe body(UnsafeBufferPointer(rebasing: all[rows]), rows.lowerBound)
            }
        }
        let stride = MemoryLayout<Element>.stride
        try unsafe pieces.file.withUnsafeBytes { (raw) throws(E) -> Void in
            try pieces.forEachRange(in: rows, stride: stride) { (start, row, count) throws(E) -> Void in
                // Safe: each piece's range was checked against the file and is aligned for Element (init), and
                // the run lies in the piece; every bit pattern is a valid Element (integers and floating-point
                // numbers only); the typed view lives only for the call.
                let bytes = unsafe UnsafeRawBufferPointer(rebasing: raw[start..<(start + count * stride)])
                try unsafe bytes.withMemoryRebound(to: Element.self) { (run) throws(E) -> Void in
                    try unsafe body(run, row)
                }
            }
        }
    }

    /// Calls `body` with the values of `rows`, contiguous (element 0 is row `rows.lowerBound`): in place, unless the
    /// values are in pieces and `rows` crosses from one to the next, when they are copied for the call (so a kernel
    /// that reads blocks of a few thousand rows copies at most a block per piece boundary), or they are narrow, when
    /// they are widened into scratch for the call.
    ///
    /// - Precondition: `rows` lies in `0..<count`.
    /// - Warning: do not escape the pointer from the closure.
    public func withUnsafeBufferPointer<R, E: Error>(
        rows: Range<Int>, _ body: (UnsafeBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows out of range")
        if rows.isEmpty && !isContiguous {
            return try unsafe body(UnsafeBufferPointer(start: nil, count: 0))
        }
        if let narrow, !rows.isEmpty {
            return try unsafe withUnsafeTemporaryAllocation(of: Element.self, capacity: rows.count) {
                (scratch) throws(E) -> R in
                // Safe: room for rows.count values, which widen initializes (integers: nothing to deinitialize).
                unsafe narrow.widen(rows, into: scratch.baseAddress.unsafelyUnwrapped,
                    elementStride: MemoryLayout<Element>.stride)
                return try unsafe body(UnsafeBufferPointer(scratch))
            }
        }
        if let pieces, !rows.isEmpty,
            pieces.piece(containing: rows.lowerBound) != pieces.piece(containing: rows.upperBound - 1)
        {
            let copy = copied(rows)
            return try unsafe copy.withUnsafeBufferPointer { (buffer) throws(E) -> R in try unsafe body(buffer) }
        }
        guard let pieces, !rows.isEmpty else {
            return try unsafe withUnsafeBufferPointer { (all) throws(E) -> R in
                try unsafe body(UnsafeBufferPointer(rebasing: all[rows]))
            }
        }
        let piece = pieces.piece(containing: rows.lowerBound)
        let start = pieces.byteOffsets[piece] + (rows.lowerBound - pieces.starts[piece]) * MemoryLayout<Element>.stride
        return try unsafe pieces.file.withUnsafeBytes { (raw) throws(E) -> R in
            // Safe: as in forEachRun(in:_:); `rows` lies in this one piece.
            let bytes = unsafe UnsafeRawBufferPointer(
                rebasing: raw[start..<(start + rows.count * MemoryLayout<Element>.stride)])
            return try unsafe bytes.withMemoryRebound(to: Element.self) { (run) throws(E) -> R in
                try unsafe body(run)
            }
        }
    }
}

extension ColumnBuffer {
    /// The values of `rows` in a new array, run by run.
    /// - Precondition: `rows` lies in `0..<count`.
    func copied(_ rows: Range<Int>) -> ContiguousArray<Element> {
        guard !rows.isEmpty else { return [] }
        return unsafe ContiguousArray(unsafeUninitializedCapacity: rows.count) { target, initialized in
            unsafe forEachRun(in: rows) { run, first in
                let at = first - rows.lowerBound
                // Safe: the runs cover `rows` once each, in order, so at..<at + run.count lies in the target.
                _ = unsafe UnsafeMutableBufferPointer(rebasing: target[at..<(at + run.count)]).initialize(
                    fromContentsOf: run)
            }
            initialized = rows.count
        }
    }

    /// Calls `body` with consecutive blocks covering `rows`, in order, each contiguous as
    /// ``withUnsafeBufferPointer(rows:_:)`` gives it (element 0 is the block's first row): the whole range at once
    /// when the values are contiguous; when they are in pieces or narrow, blocks cut at the multiples of `blockRows`,
    /// so at most one block per piece boundary is copied (each block of narrow values is widened) and a block never
    /// starts inside a 64-row validity word.
    ///
    /// - Precondition: `rows` lies in `0..<count`; `blockRows` is a positive multiple of 64.
    /// - Warning: do not escape the pointer from the closure.
    public func forEachBlock<E: Error>(
        in rows: Range<Int>, blockRows: Int = 1 << 14,
        _ body: (UnsafeBufferPointer<Element>, _ rows: Range<Int>) throws(E) -> Void
    ) throws(E) {
        precondition(blockRows > 0 && blockRows % 64 == 0, "blocks must be whole validity words")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows out of range")
        guard !rows.isEmpty else { return }
        guard !isContiguous else {
            return try unsafe withUnsafeBufferPointer(rows: rows) { (block) throws(E) -> Void in
                try unsafe body(block, rows)
            }
        }
        var start = rows.lowerBound
        while start < rows.upperBound {
            let end = min(rows.upperBound, (start / blockRows + 1) * blockRows)
            try unsafe withUnsafeBufferPointer(rows: start..<end) { (block) throws(E) -> Void in
                try unsafe body(block, start..<end)
            }
            start = end
        }
    }
}
