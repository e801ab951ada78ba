import ColumnStore

/// The Arrow types Faultline reads, from `Schema.fbs`, and the name of any other one (for the error message).
enum _ArrowType: Sendable, Equatable {
    case null
    case bool
    case int(bitWidth: Int, signed: Bool)
    /// `precision`: 0 half, 1 single, 2 double.
    case floatingPoint(precision: Int)
    case utf8
    case largeUTF8
    /// Days (`date32`) or milliseconds (`date64`) since the epoch.
    case date(days: Bool)
    case timestamp(TimeUnit, timezone: String?)
    /// A type Faultline does not read, by Arrow's name for it.
    case unsupported(String)

    /// The `Type` union's tags (Schema.fbs).
    enum Tag {
        static let null: UInt8 = 1
        static let int: UInt8 = 2
        static let floatingPoint: UInt8 = 3
        static let binary: UInt8 = 4
        static let utf8: UInt8 = 5
        static let bool: UInt8 = 6
        static let date: UInt8 = 8
        static let timestamp: UInt8 = 10
        static let largeUTF8: UInt8 = 20
    }

    /// Arrow's names for the tags Faultline does not read.
    private static let unsupportedNames: [UInt8: String] = [
        0: "NONE", 4: "binary", 7: "decimal", 9: "time", 11: "interval", 12: "list", 13: "struct", 14: "union",
        15: "fixed_size_binary", 16: "fixed_size_list", 17: "map", 18: "duration", 19: "large_binary",
        21: "large_list", 22: "run_end_encoded", 23: "binary_view", 24: "utf8_view", 25: "list_view",
        26: "large_list_view",
    ]

    /// Arrow's name for the type, as pyarrow prints it.
    var name: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int(let width, let signed): (signed ? "int" : "uint") + String(width)
        case .floatingPoint(let precision): ["halffloat", "float", "double"][min(max(precision, 0), 2)]
        case .utf8: "string"
        case .largeUTF8: "large_string"
        case .date(let days): days ? "date32[day]" : "date64[ms]"
        case .timestamp(let unit, let zone):
            "timestamp[\(Self.shortName(unit))" + (zone.map { ", tz=\($0)" } ?? "") + "]"
        case .unsupported(let name): name
        }
    }

    private static func shortName(_ unit: TimeUnit) -> String {
        switch unit {
        case .second: "s"
        case .millisecond: "ms"
        case .microsecond: "us"
        case .nanosecond: "ns"
        }
    }

    /// Reads the `Type` union of a `Field`.
    static func parse(tag: UInt8, table: _FlatTable?) throws(_FlatBufferError) -> _ArrowType {
        switch tag {
        case Tag.null: return .null
        case Tag.bool: return .bool
        case Tag.utf8: return .utf8
        case Tag.largeUTF8: return .largeUTF8
        case Tag.int:
            guard let table else { throw _FlatBufferError(reason: "an Int type has no table") }
            let width = Int(try table.int32(0))
            let signed = try table.bool(1)
            guard [8, 16, 32, 64].contains(width) else { return .unsupported("int with \(width) bits") }
            return .int(bitWidth: width, signed: signed)
        case Tag.floatingPoint:
            guard let table else { throw _FlatBufferError(reason: "a FloatingPoint type has no table") }
            let precision = Int(try table.int16(0))
            guard (0...2).contains(precision) else { return .unsupported("floating point of precision \(precision)") }
            return .floatingPoint(precision: precision)
        case Tag.date:
            // DateUnit: DAY = 0, MILLISECOND = 1 (the default).
            let unit = try table?.int16(0, default: 1) ?? 1
            guard unit == 0 || unit == 1 else { return .unsupported("date of unit \(unit)") }
            return .date(days: unit == 0)
        case Tag.timestamp:
            guard let table else { throw _FlatBufferError(reason: "a Timestamp type has no table") }
            let units: [TimeUnit] = [.second, .millisecond, .microsecond, .nanosecond]
            let unit = Int(try table.int16(0))
            guard units.indices.contains(unit) else { return .unsupported("timestamp of unit \(unit)") }
            return .timestamp(units[unit], timezone: try table.string(1))
        default:
            return .unsupported(unsupportedNames[tag] ?? "type \(tag)")
        }
    }
}

/// How a dictionary-encoded field's indices are stored, and which dictionary they refer to.
struct _ArrowDictionaryEncoding: Sendable, Equatable {
    var id: Int64
    var indexBitWidth: Int
    var indexSigned: Bool
}

/// One top-level field of a schema.
struct _ArrowField: Sendable {
    var name: String
    /// For a dictionary-encoded field, the type of the dictionary's values.
    var type: _ArrowType
    var dictionary: _ArrowDictionaryEncoding?
    /// Whether the field has child fields (nested types, which Faultline does not read).
    var hasChildren: Bool
}

/// A schema: the top-level fields, in order.
struct _ArrowSchema: Sendable {
    var fields: [_ArrowField]

    /// Reads a `Schema` table.
    ///
    /// Schema: 0 endianness (short, 0 little), 1 fields [Field], 2 custom_metadata, 3 features.
    /// Field: 0 name, 1 nullable, 2 type_type (u8), 3 type, 4 dictionary, 5 children, 6 custom_metadata.
    /// DictionaryEncoding: 0 id (long), 1 indexType (Int), 2 isOrdered, 3 dictionaryKind.
    static func parse(_ table: _FlatTable, path: String, section: String) throws(IngestError) -> _ArrowSchema {
        let endianness = try IngestError.flat(path, section) { () throws(_FlatBufferError) in try table.int16(0) }
        if endianness != 0 {
            throw IngestError.arrow(
                .arrowBigEndian, path,
                "the file is big-endian; Faultline reads little-endian Arrow files (what every common writer "
                    + "produces on x86 and ARM). Write the file again on a little-endian machine.")
        }
        let fields = try IngestError.flat(path, section) { () throws(_FlatBufferError) in try parseFields(table) }
        return _ArrowSchema(fields: fields)
    }

    private static func parseFields(_ table: _FlatTable) throws(_FlatBufferError) -> [_ArrowField] {
        guard let fields = try table.vector(1, elementSize: 4) else {
            throw _FlatBufferError(reason: "the schema has no field list")
        }
        var parsed: [_ArrowField] = []
        parsed.reserveCapacity(fields.count)
        for index in 0..<fields.count {
            let field = try fields.table(index)
            let name = try field.validString(0) ?? ""
            let type = try _ArrowType.parse(tag: try field.uint8(2), table: try field.table(3))
            var dictionary: _ArrowDictionaryEncoding?
            if let encoding = try field.table(4) {
                var width = 32
                var signed = true
                if let indexType = try encoding.table(1) {
                    width = Int(try indexType.int32(0))
                    signed = try indexType.bool(1)
                }
                dictionary = _ArrowDictionaryEncoding(id: try encoding.int64(0), indexBitWidth: width, indexSigned: signed)
            }
            let children = try field.vector(5, elementSize: 4)?.count ?? 0
            parsed.append(_ArrowField(name: name, type: type, dictionary: dictionary, hasChildren: children > 0))
        }
        return parsed
    }
}
