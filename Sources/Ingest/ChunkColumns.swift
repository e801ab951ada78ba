/// The values of one chunk's records while they are parsed: per column, a buffer of 64-bit words (the bits of an
/// Int64, a Double, a timestamp or a bool 0/1), or, once the column holds strings, a buffer of UInt32 codes.
///
/// ```
/// words[c]: [w0 w1 … w(n-1) | unwritten … ]    8 bytes per record; released when column c turns to strings
/// codes[c]: [k0 k1 … k(n-1) | unwritten … ]    4 bytes per record; allocated when column c turns to strings
///            \____ n = completedRecords ____/   capacity
/// ```
/// Buffers are allocated uninitialized, so a generous capacity costs address space, not memory, until written.
/// The parser writes every column of a record before completing it (a value, or 0 under a missing cell), so the
/// first `completedRecords` values of every live buffer are initialized; reads are limited to those, and the
/// buffers grow together (by half, copying only those) when the capacity is reached. Every access checks its
/// index against the buffer's own count, so a released buffer traps instead of being read, and every buffer is
/// freed exactly once (`release…`, `move…`, or `deinit`).
///
/// Writing through owned buffers avoids the copy-on-write checks that appending to nested arrays costs per cell;
/// the stored properties opt out of dynamic exclusivity checks because only this class touches them, from one
/// thread at a time.
@safe final class _ChunkColumns: @unchecked Sendable {
    // @unchecked Sendable: a chunk's columns are used by one task at a time, and handed between tasks only across
    // `DispatchQueue.concurrentPerform`, which orders the writes before the reads.

    @exclusivity(unchecked) private var words: [UnsafeMutableBufferPointer<UInt64>]
    @exclusivity(unchecked) private var codes: [UnsafeMutableBufferPointer<UInt32>]
    @exclusivity(unchecked) private var storedCapacity: Int
    @exclusivity(unchecked) private var storedCompletedRecords = 0

    /// Word buffers of `capacity` records for `columnCount` columns.
    init(columnCount: Int, capacity: Int) {
        let capacity = max(1, capacity)
        unsafe storedCapacity = capacity
        unsafe words = (0..<columnCount).map { _ in UnsafeMutableBufferPointer<UInt64>.allocate(capacity: capacity) }
        unsafe codes = Array(repeating: UnsafeMutableBufferPointer(start: nil, count: 0), count: columnCount)
    }

    deinit {
        // Safe: every buffer still held is live (released ones were replaced by empty buffers, whose deallocate
        // does nothing), and is freed once. The values are trivial, so nothing needs deinitializing.
        // (Index loops: swift-format 6.3 mangles `for unsafe element in`.)
        for column in unsafe words.indices {
            unsafe words[column].deallocate()
            unsafe codes[column].deallocate()
        }
    }

    /// A buffer of `capacity` values holding a copy of the first `count` values of `buffer`; frees `buffer`.
    private static func grown<Element: BitwiseCopyable>(
        _ buffer: UnsafeMutableBufferPointer<Element>, to capacity: Int, keeping count: Int
    ) -> UnsafeMutableBufferPointer<Element> {
        guard unsafe buffer.baseAddress != nil else { return unsafe buffer }  // released or never allocated
        precondition(count <= buffer.count && count <= capacity, "growing would lose values")
        let larger = UnsafeMutableBufferPointer<Element>.allocate(capacity: capacity)
        // Safe: the first `count` values of `buffer` are initialized and fit in `larger`; `buffer` is freed once,
        // after the copy.
        _ = unsafe larger.initialize(fromContentsOf: buffer.extracting(0..<count))
        unsafe buffer.deallocate()
        return unsafe larger
    }

    /// The number of records every buffer holds.
    var capacity: Int { unsafe storedCapacity }

    /// The number of records whose values are all written.
    var completedRecords: Int { unsafe storedCompletedRecords }

    /// Records that every column of the next record has been written, growing the buffers when they are full.
    ///
    /// - Precondition: the caller wrote every live buffer's value for record `completedRecords`.
    func completeRecord() {
        unsafe storedCompletedRecords += 1
        if completedRecords == capacity { reserve(capacity + capacity / 2 + 1) }
    }

    /// Grows every buffer to hold `records` records, keeping the written values.
    private func reserve(_ records: Int) {
        let kept = completedRecords
        for column in unsafe words.indices {
            unsafe words[column] = unsafe Self.grown(words[column], to: records, keeping: kept)
            unsafe codes[column] = unsafe Self.grown(codes[column], to: records, keeping: kept)
        }
        unsafe storedCapacity = records
    }

    // MARK: - Words

    /// Stores `value` as record `record`'s word of column `column`.
    @inline(__always)
    func setWord(_ value: UInt64, column: Int, record: Int) {
        let buffer = unsafe words[column]
        precondition(record >= 0 && record < buffer.count, "record outside the column's buffer")
        // Safe: `record` is inside the live buffer (checked above).
        unsafe buffer[record] = value
    }

    /// Converts the first `count` words of column `column` from Int64 bits to Double bits (correctly rounded,
    /// like parsing the integer's text as a float).
    func convertInt64ToFloat64(column: Int, count: Int) {
        let buffer = unsafe words[column]
        precondition(count <= completedRecords && count <= buffer.count, "unwritten records")
        for record in 0..<count {
            // Safe: `record < count <= buffer.count`.
            unsafe buffer[record] = Double(Int64(bitPattern: buffer[record])).bitPattern
        }
    }

    /// Frees column `column`'s words (the column now holds strings).
    func releaseWords(column: Int) {
        // Safe: the buffer is replaced by an empty one, so it is freed once and never used again.
        unsafe words[column].deallocate()
        unsafe words[column] = UnsafeMutableBufferPointer(start: nil, count: 0)
    }

    /// Appends the first `count` words of column `column` to `array`, transformed, then frees them.
    func moveWords<Element>(
        column: Int, count: Int, into array: inout ContiguousArray<Element>, _ transform: (UInt64) -> Element
    ) {
        let buffer = unsafe words[column]
        precondition(count <= completedRecords && count <= buffer.count, "unwritten records")
        for record in 0..<count {
            // Safe: `record < count <= buffer.count`.
            array.append(transform(unsafe buffer[record]))
        }
        releaseWords(column: column)
    }

    // MARK: - String codes

    /// Whether column `column` has a code buffer.
    func hasCodes(column: Int) -> Bool { unsafe codes[column].baseAddress != nil }

    /// Gives column `column` a code buffer (if it has none) whose completed records' codes are 0.
    func allocateCodes(column: Int) {
        guard !hasCodes(column: column) else { return }
        let buffer = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: capacity)
        // Safe: the buffer was just allocated with `capacity >= completedRecords` values.
        unsafe buffer.extracting(0..<completedRecords).initialize(repeating: 0)
        unsafe codes[column] = unsafe buffer
    }

    /// Stores `code` as record `record`'s code of column `column`.
    @inline(__always)
    func setCode(_ code: UInt32, column: Int, record: Int) {
        let buffer = unsafe codes[column]
        precondition(record >= 0 && record < buffer.count, "record outside the column's codes")
        // Safe: `record` is inside the live buffer (checked above).
        unsafe buffer[record] = code
    }

    /// Maps the codes of records `range` of column `column` through `remap` (codes outside it, which only missing
    /// cells can hold, become 0).
    func remapCodes(column: Int, records range: Range<Int>, through remap: [UInt32]) {
        let buffer = unsafe codes[column]
        precondition(
            range.lowerBound >= 0 && range.upperBound <= min(completedRecords, buffer.count),
            "unwritten records")
        for record in range {
            // Safe: `record` is inside `range`, which is inside the buffer (checked above).
            let code = Int(unsafe buffer[record])
            unsafe buffer[record] = code < remap.count ? remap[code] : 0
        }
    }

    /// Appends the first `count` codes of column `column` to `array`, mapped through `remap` when given (codes
    /// outside it become 0), then frees them; a column without codes (all cells missing) appends zeros.
    func moveCodes(column: Int, count: Int, remap: [UInt32]?, into array: inout ContiguousArray<UInt32>) {
        let buffer = unsafe codes[column]
        guard unsafe buffer.baseAddress != nil else {
            array.append(contentsOf: repeatElement(0, count: count))
            return
        }
        precondition(count <= completedRecords && count <= buffer.count, "unwritten records")
        for record in 0..<count {
            // Safe: `record < count <= buffer.count`.
            let code = unsafe buffer[record]
            if let remap {
                array.append(Int(code) < remap.count ? remap[Int(code)] : 0)
            } else {
                array.append(code)
            }
        }
        // Safe: replaced by an empty buffer, so freed once.
        unsafe buffer.deallocate()
        unsafe codes[column] = UnsafeMutableBufferPointer(start: nil, count: 0)
    }
}
