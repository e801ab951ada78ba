/// Why a flatbuffer could not be read: an offset, length or count that points outside it.
struct _FlatBufferError: Error, Sendable {
    var reason: String
}

/// A small, bounds-checked reader of the flatbuffers that hold Arrow's metadata (schema, messages, footer).
///
/// Every offset, length and count is checked against the buffer before it is used; a malformed buffer throws
/// `_FlatBufferError`, never traps. The bytes are a copy of the metadata (a few KiB), read through checked array
/// indexing, so no unsafe code is involved.
///
/// ```
/// buffer:  [root uoffset u32] ... [vtable: size u16, table size u16, field offsets u16...] ...
///          [table: soffset i32 (table - vtable), fields...] ... [vector: count u32, elements...]
/// ```
/// Offsets to tables, vectors and strings are unsigned and relative to where they are stored; a table's vtable is
/// at `table - soffset`. A field whose vtable entry is 0 (or past the vtable's end) is absent (its default).
struct _FlatBuffer: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// `size` bytes from `offset` as a little-endian unsigned integer.
    private func unsigned(_ offset: Int, _ size: Int) throws(_FlatBufferError) -> UInt64 {
        guard offset >= 0, offset <= bytes.count - size else {
            throw _FlatBufferError(reason: "a \(size)-byte value at offset \(offset) is past the end (\(bytes.count))")
        }
        var value: UInt64 = 0
        for index in 0..<size { value |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
        return value
    }

    func uint8(_ offset: Int) throws(_FlatBufferError) -> UInt8 { UInt8(truncatingIfNeeded: try unsigned(offset, 1)) }
    func uint16(_ offset: Int) throws(_FlatBufferError) -> UInt16 {
        UInt16(truncatingIfNeeded: try unsigned(offset, 2))
    }
    func uint32(_ offset: Int) throws(_FlatBufferError) -> UInt32 {
        UInt32(truncatingIfNeeded: try unsigned(offset, 4))
    }
    func int16(_ offset: Int) throws(_FlatBufferError) -> Int16 { Int16(truncatingIfNeeded: try unsigned(offset, 2)) }
    func int32(_ offset: Int) throws(_FlatBufferError) -> Int32 { Int32(truncatingIfNeeded: try unsigned(offset, 4)) }
    func int64(_ offset: Int) throws(_FlatBufferError) -> Int64 { Int64(bitPattern: try unsigned(offset, 8)) }

    /// The root table.
    func root() throws(_FlatBufferError) -> _FlatTable {
        try _FlatTable(self, at: try target(of: 0))
    }

    /// Where the uoffset stored at `offset` points.
    func target(of offset: Int) throws(_FlatBufferError) -> Int {
        let relative = Int(try uint32(offset))
        let target = offset + relative
        guard relative > 0, target < bytes.count else {
            throw _FlatBufferError(reason: "an offset at \(offset) points to \(target), outside the metadata")
        }
        return target
    }
}

/// A table in a `_FlatBuffer`, with its vtable checked.
struct _FlatTable: Sendable {
    let buffer: _FlatBuffer
    let position: Int
    private let vtable: Int
    private let vtableSize: Int
    private let tableSize: Int

    init(_ buffer: _FlatBuffer, at position: Int) throws(_FlatBufferError) {
        self.buffer = buffer
        self.position = position
        let vtable = position - Int(try buffer.int32(position))
        guard vtable >= 0, vtable % 2 == 0, vtable <= buffer.bytes.count - 4 else {
            throw _FlatBufferError(reason: "the table at \(position) has its vtable outside the metadata")
        }
        let vtableSize = Int(try buffer.uint16(vtable))
        let tableSize = Int(try buffer.uint16(vtable + 2))
        guard vtableSize >= 4, vtableSize % 2 == 0, vtable + vtableSize <= buffer.bytes.count, tableSize >= 4,
            position + tableSize <= buffer.bytes.count
        else {
            throw _FlatBufferError(reason: "the table at \(position) has a vtable or size that overruns the metadata")
        }
        self.vtable = vtable
        self.vtableSize = vtableSize
        self.tableSize = tableSize
    }

    /// The absolute position of field `slot` (0-based field id), or `nil` when absent; checks that `size` bytes fit
    /// in the table.
    private func field(_ slot: Int, size: Int) throws(_FlatBufferError) -> Int? {
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try buffer.uint16(vtable + entry))
        guard offset != 0 else { return nil }
        guard offset >= 4, offset + size <= tableSize else {
            throw _FlatBufferError(reason: "field \(slot) of the table at \(position) lies outside the table")
        }
        return position + offset
    }

    /// The absolute position of field `slot`, or `nil` when absent.
    func position(ofField slot: Int) throws(_FlatBufferError) -> Int? { try field(slot, size: 1) }

    func int8(_ slot: Int, default value: Int8 = 0) throws(_FlatBufferError) -> Int8 {
        guard let at = try field(slot, size: 1) else { return value }
        return Int8(bitPattern: try buffer.uint8(at))
    }

    func uint8(_ slot: Int, default value: UInt8 = 0) throws(_FlatBufferError) -> UInt8 {
        guard let at = try field(slot, size: 1) else { return value }
        return try buffer.uint8(at)
    }

    func bool(_ slot: Int, default value: Bool = false) throws(_FlatBufferError) -> Bool {
        guard let at = try field(slot, size: 1) else { return value }
        return try buffer.uint8(at) != 0
    }

    func int16(_ slot: Int, default value: Int16 = 0) throws(_FlatBufferError) -> Int16 {
        guard let at = try field(slot, size: 2) else { return value }
        return try buffer.int16(at)
    }

    func int32(_ slot: Int, default value: Int32 = 0) throws(_FlatBufferError) -> Int32 {
        guard let at = try field(slot, size: 4) else { return value }
        return try buffer.int32(at)
    }

    func int64(_ slot: Int, default value: Int64 = 0) throws(_FlatBufferError) -> Int64 {
        guard let at = try field(slot, size: 8) else { return value }
        return try buffer.int64(at)
    }

    /// The sub-table of field `slot`, or `nil` when absent.
    func table(_ slot: Int) throws(_FlatBufferError) -> _FlatTable? {
        guard let at = try field(slot, size: 4) else { return nil }
        return try _FlatTable(buffer, at: try buffer.target(of: at))
    }

    /// The vector of field `slot`, or `nil` when absent; `elementSize` is the byte size of one element (4 for
    /// offsets to tables or strings, the struct size for structs).
    func vector(_ slot: Int, elementSize: Int) throws(_FlatBufferError) -> _FlatVector? {
        guard let at = try field(slot, size: 4) else { return nil }
        let start = try buffer.target(of: at)
        let count = Int(try buffer.uint32(start))
        let available = buffer.bytes.count - (start + 4)
        guard available >= 0, count <= available / elementSize else {
            throw _FlatBufferError(reason: "a vector of \(count) elements at \(start) overruns the metadata")
        }
        return _FlatVector(buffer: buffer, start: start + 4, count: count, elementSize: elementSize)
    }

    /// The string of field `slot` (UTF-8, repaired if invalid), or `nil` when absent.
    func string(_ slot: Int) throws(_FlatBufferError) -> String? {
        guard let vector = try vector(slot, elementSize: 1) else { return nil }
        return String(decoding: buffer.bytes[vector.start..<(vector.start + vector.count)], as: UTF8.self)
    }

    /// The string of field `slot` when it is valid UTF-8; `nil` when absent; throws when not UTF-8.
    func validString(_ slot: Int) throws(_FlatBufferError) -> String? {
        guard let vector = try vector(slot, elementSize: 1) else { return nil }
        guard let text = String(validating: buffer.bytes[vector.start..<(vector.start + vector.count)], as: UTF8.self)
        else { throw _FlatBufferError(reason: "a string at \(vector.start) is not valid UTF-8") }
        return text
    }
}

/// A vector in a `_FlatBuffer`, whose elements are known to lie inside it.
struct _FlatVector: Sendable {
    let buffer: _FlatBuffer
    /// The position of the first element.
    let start: Int
    let count: Int
    let elementSize: Int

    /// Element `index` of a vector of tables.
    func table(_ index: Int) throws(_FlatBufferError) -> _FlatTable {
        precondition(index >= 0 && index < count && elementSize == 4, "not a table element")
        return try _FlatTable(buffer, at: try buffer.target(of: start + 4 * index))
    }

    /// The position of element `index` of a vector of structs (or scalars).
    func elementPosition(_ index: Int) -> Int {
        precondition(index >= 0 && index < count, "vector index out of range")
        return start + elementSize * index
    }

    /// Element `index` of a vector of `Int64`s.
    func int64(_ index: Int) throws(_FlatBufferError) -> Int64 {
        try buffer.int64(elementPosition(index))
    }
}
