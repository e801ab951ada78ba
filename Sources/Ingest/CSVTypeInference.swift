import ColumnStore

/// The column types a cell could belong to, as a bit set; a column's type is the narrowest type every one of its
/// non-missing cells fits, in the order bool < int64 < float64 < timestamp < string.
///
/// The types are not nested: `True` fits bool and string only, `12` fits int64, float64 and string, `1.5` fits
/// float64 and string, `2024-01-31` fits timestamp and string. A column's set is the intersection of its cells'
/// sets, so a column that mixes `True` and `12` is a string column, and one that mixes `12` and `1.5` is float64.
struct _CellTypes: OptionSet, Sendable, Equatable {
    let rawValue: UInt8

    static let bool = _CellTypes(rawValue: 1 << 0)
    static let int64 = _CellTypes(rawValue: 1 << 1)
    static let float64 = _CellTypes(rawValue: 1 << 2)
    static let timestamp = _CellTypes(rawValue: 1 << 3)
    static let string = _CellTypes(rawValue: 1 << 4)
    static let all: _CellTypes = [.bool, .int64, .float64, .timestamp, .string]

    /// The types `text` (not a missing marker, so not empty) fits, testing only those in `candidates`.
    static func of(_ text: Span<UInt8>, candidates: _CellTypes) -> _CellTypes {
        if !candidates.isDisjoint(with: [.int64, .float64]), let number = _DecimalParser.scan(text) {
            if number.kind == .integer, number.int64Value != nil { return [.int64, .float64, .string] }
            return [.float64, .string]
        }
        if candidates.contains(.bool), isBool(text) { return [.bool, .string] }
        if candidates.contains(.timestamp), _TimestampParser.microseconds(text) != nil {
            return [.timestamp, .string]
        }
        return .string
    }

    /// The bool texts pandas accepts by default, as zero-padded little-endian words (literals, so that reading
    /// them costs no lazy initialization): `True`, `TRUE`, `true` and `False`, `FALSE`, `false`.
    private static let trueWords: (UInt64, UInt64, UInt64) = (0x6575_7254, 0x4555_5254, 0x6575_7274)
    private static let falseWords: (UInt64, UInt64, UInt64) = (0x65_736C_6146, 0x45_534C_4146, 0x65_736C_6166)

    /// Whether `text` is exactly one of `True`, `TRUE`, `true`, `False`, `FALSE`, `false`.
    @inline(__always)
    static func isBool(_ text: Span<UInt8>) -> Bool { boolValue(text) != nil }

    /// The value of a bool text (see `isBool`), or `nil` when `text` is not one.
    @inline(__always)
    static func boolValue(_ text: Span<UInt8>) -> Bool? {
        let count = text.count
        guard count == 4 || count == 5 else { return nil }
        var value: UInt64 = 0
        for index in 0..<count { value |= UInt64(text[index]) << UInt64(index * 8) }
        if count == 4 {
            return value == trueWords.0 || value == trueWords.1 || value == trueWords.2 ? true : nil
        }
        return value == falseWords.0 || value == falseWords.1 || value == falseWords.2 ? false : nil
    }

    /// The column type for a column whose cells' types intersect to `self`; `sawValue` is whether the column has
    /// any non-missing cell (an entirely missing column is float64, like pandas).
    func columnType(sawValue: Bool) -> ColumnType {
        guard sawValue else { return .float64 }
        if contains(.bool) { return .bool }
        if contains(.int64) { return .int64 }
        if contains(.float64) { return .float64 }
        if contains(.timestamp) { return .timestamp(.microsecond) }
        return .string
    }
}

/// How a chunk stores a column's values so far: the narrowest type of its cells, or `undetermined` while every
/// cell is missing.
enum _Representation: UInt8, Sendable, Equatable {
    case undetermined, bool, int64, float64, timestamp, string

    /// The representation of a column whose cells' types intersect to `types`.
    init(_ types: _CellTypes) {
        if types == .all {
            self = .undetermined
        } else if types.contains(.bool) {
            self = .bool
        } else if types.contains(.int64) {
            self = .int64
        } else if types.contains(.float64) {
            self = .float64
        } else if types.contains(.timestamp) {
            self = .timestamp
        } else {
            self = .string
        }
    }
}
