/// A flatbuffer table to be written: fields by slot (field id), each a little-endian scalar or an offset to a child.
struct _FlatTableBuilder: Sendable {
    enum Field: Sendable {
        case scalar([UInt8])
        case child(_FlatValue)
    }

    private(set) var fields: [Int: Field] = [:]

    mutating func add(_ slot: Int, int64 value: Int64) { fields[slot] = .scalar(Self.littleEndian(UInt64(bitPattern: value), 8)) }
    mutating func add(_ slot: Int, int32 value: Int32) {
        fields[slot] = .scalar(Self.littleEndian(UInt64(UInt32(bitPattern: value)), 4))
    }
    mutating func add(_ slot: Int, int16 value: Int16) {
        fields[slot] = .scalar(Self.littleEndian(UInt64(UInt16(bitPattern: value)), 2))
    }
    mutating func add(_ slot: Int, uint8 value: UInt8) { fields[slot] = .scalar([value]) }
    mutating func add(_ slot: Int, bool value: Bool) { fields[slot] = .scalar([value ? 1 : 0]) }
    mutating func add(_ slot: Int, _ child: _FlatValue) { fields[slot] = .child(child) }

    static func littleEndian(_ value: UInt64, _ size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }
    }
}

/// A child of a flatbuffer table.
indirect enum _FlatValue: Sendable {
    case table(_FlatTableBuilder)
    case string(String)
    /// A vector of tables.
    case tables([_FlatTableBuilder])
    /// A vector of structs of `size` bytes each (aligned to 8), already laid out little-endian.
    case structs([UInt8], count: Int)
}

/// Writes flatbuffers front to back: a table first, then its children after it, so every offset to a child is a
/// forward (unsigned) offset, as the format requires. 8-byte scalars and struct vectors are 8-byte aligned relative
/// to the buffer start, as flatbuffer verifiers (pyarrow's among them) check.
///
/// ```
/// [root uoffset] [vtable] [table: soffset, 8-byte fields, 4-byte fields and offsets, 2-, 1-byte fields] [children...]
/// ```
struct _FlatBufferWriter {
    private var bytes: [UInt8] = []

    /// The flatbuffer whose root is `root`, padded to a multiple of 8 bytes.
    static func serialize(_ root: _FlatTableBuilder) -> [UInt8] {
        var writer = _FlatBufferWriter()
        writer.bytes = [0, 0, 0, 0]
        let position = writer.write(root)
        writer.patch(offsetAt: 0, to: position)
        writer.align(8)
        return writer.bytes
    }

    private mutating func align(_ alignment: Int, remainder: Int = 0) {
        while bytes.count % alignment != remainder { bytes.append(0) }
    }

    private mutating func put(_ value: UInt64, _ size: Int) {
        bytes.append(contentsOf: _FlatTableBuilder.littleEndian(value, size))
    }

    private mutating func set(_ value: UInt64, _ size: Int, at position: Int) {
        for index in 0..<size { bytes[position + index] = UInt8(truncatingIfNeeded: value >> UInt64(8 * index)) }
    }

    /// Stores at `position` the uoffset from there to `target` (which lies after it).
    private mutating func patch(offsetAt position: Int, to target: Int) {
        precondition(target > position, "flatbuffer offsets point forward")
        set(UInt64(target - position), 4, at: position)
    }

    private mutating func write(_ value: _FlatValue) -> Int {
        switch value {
        case .table(let table):
            return write(table)
        case .string(let text):
            align(4)
            let position = bytes.count
            let utf8 = Array(text.utf8)
            put(UInt64(utf8.count), 4)
            bytes.append(contentsOf: utf8)
            bytes.append(0)
            return position
        case .tables(let tables):
            align(4)
            let position = bytes.count
            put(UInt64(tables.count), 4)
            let slots = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: 4 * tables.count))
            for (index, table) in tables.enumerated() {
                patch(offsetAt: slots + 4 * index, to: write(table))
            }
            return position
        case .structs(let content, let count):
            align(8, remainder: 4)  // the elements after the 4-byte count start 8-aligned
            let position = bytes.count
            put(UInt64(count), 4)
            bytes.append(contentsOf: content)
            return position
        }
    }

    private mutating func write(_ table: _FlatTableBuilder) -> Int {
        let slots = table.fields.keys.sorted()
        let slotCount = (slots.last ?? -1) + 1
        // The vtable: its size, the table's size, one u16 offset per slot.
        align(2)
        let vtable = bytes.count
        let vtableSize = 4 + 2 * slotCount
        bytes.append(contentsOf: repeatElement(0, count: vtableSize))
        set(UInt64(vtableSize), 2, at: vtable)
        // The table starts 4 bytes before an 8-byte boundary, so the fields after its soffset are 8-aligned.
        align(8, remainder: 4)
        let start = bytes.count
        put(UInt64(UInt32(start - vtable)), 4)
        var children: [(position: Int, value: _FlatValue)] = []
        let order = slots.sorted { fieldSize(table.fields[$0]) > fieldSize(table.fields[$1]) }
        for slot in order {
            guard let field = table.fields[slot] else { continue }
            set(UInt64(bytes.count - start), 2, at: vtable + 4 + 2 * slot)
            switch field {
            case .scalar(let value): bytes.append(contentsOf: value)
            case .child(let value):
                children.append((bytes.count, value))
                put(0, 4)
            }
        }
        set(UInt64(bytes.count - start), 2, at: vtable + 2)
        for child in children { patch(offsetAt: child.position, to: write(child.value)) }
        return start
    }

    private func fieldSize(_ field: _FlatTableBuilder.Field?) -> Int {
        switch field {
        case .scalar(let value): value.count
        case .child: 4
        case nil: 0
        }
    }
}
