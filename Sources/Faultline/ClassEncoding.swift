import ColumnStore
import Kernels

/// Shared class ids for the label and prediction columns of a classification dump, so that `1`, `1.0`
/// and `"1"` name the same class whatever the column types.
struct ClassEncoding {
    /// Class names, sorted (numerically when every name is a number).
    private(set) var names: [String] = []
    private var index: [String: Int32] = [:]
    /// Bools are named `1` and `0` instead of `True` and `False`.
    private var boolsAsNumbers = false
    /// Whether a name may have been given to no row: a string column's dictionary entries are named before their
    /// rows are read (an entry may stand only on missing rows); the other columns name the values rows hold.
    private var mayHaveUnusedNames = false

    init() {}

    /// An encoding for a label and a prediction column: when one holds bools and the other numbers, bools are the
    /// classes `1` and `0` (as `True == 1` in pandas and scikit-learn), so `True` and `1` are the same class.
    init(pairing label: Column, _ prediction: Column) {
        let isBool: (Column) -> Bool = { if case .bool = $0.values { true } else { false } }
        boolsAsNumbers =
            (isBool(label) && prediction.type.isNumeric) || (isBool(prediction) && label.type.isNumeric)
    }

    /// Per-row class ids of `column` (-1 where missing or not a finite number), as ``Kernels/ClassIdColumn``: one
    /// byte each for an integer column coded through its range, or a string column, while every class named so far
    /// has an id below 128; four bytes otherwise (float, bool and timestamp columns, integers hashed by value).
    /// - Parameter declinedByRange: whether ``Kernels/FirstAppearanceCodes`` already declined the integer column
    ///   (too wide a range): it is then hashed by value without trying again.
    mutating func encode(_ column: Column, declinedByRange: Bool = false) -> ClassIdColumn {
        switch column.values {
        case .int64(let buffer) where !declinedByRange:
            // Dense codes over a narrow value range (a table lookup per row, not a hash); names are given ids in
            // the order the values first appear, as row by row.
            if let coded = Self.firstAppearance(buffer, validity: column.validity) {
                return encode(firstAppearance: coded)
            }
        case .string(let strings):
            mayHaveUnusedNames = mayHaveUnusedNames || !strings.dictionary.isEmpty
            let entryIds = strings.dictionary.map { id(for: $0) }
            let codes = strings.codes.array
            func ids<Id: FixedWidthInteger & SignedInteger>(_: Id.Type) -> [Id] {
                var ids = [Id](repeating: -1, count: column.count)
                for row in 0..<codes.count where column.isValid(row) { ids[row] = Id(entryIds[Int(codes[row])]) }
                return ids
            }
            return names.count <= Self.narrowClasses ? .narrow(ids(Int8.self)) : .wide(ids(Int32.self))
        default:
            break
        }
        var ids = [Int32](repeating: -1, count: column.count)
        var byValue: [Double: Int32] = [:]
        for row in 0..<column.count {
            guard let value = column.doubleValue(at: row), value.isFinite else { continue }
            if let known = byValue[value] {
                ids[row] = known
            } else {
                let text: String
                if case .bool = column.values, !boolsAsNumbers {
                    text = value != 0 ? "True" : "False"
                } else {
                    text = NumberFormat.shortest(value)
                }
                let newId = id(for: text)
                byValue[value] = newId
                ids[row] = newId
            }
        }
        return .wide(ids)
    }

    /// The most classes whose ids are kept at one byte.
    static let narrowClasses = Int(Int8.max) + 1

    /// An integer column's first-appearance codes (``Kernels/FirstAppearanceCodes``), at one byte when they fit.
    enum FirstAppearance {
        case narrow([Int8], values: [Int64])
        case wide([Int32], values: [Int64])

        var values: [Int64] {
            switch self {
            case .narrow(_, let values), .wide(_, let values): values
            }
        }
    }

    /// The first-appearance codes of an integer column: one byte up to 128 values, else four; nil when its range is
    /// too wide for the table.
    static func firstAppearance(_ values: ColumnBuffer<Int64>, validity: ValidityBitmap?) -> FirstAppearance? {
        if let (codes, distinct) = FirstAppearanceCodes.narrow(values, validity: validity) {
            return .narrow(codes, values: distinct)
        }
        return FirstAppearanceCodes.of(values, validity: validity).map { .wide($0.codes, values: $0.values) }
    }

    /// Class ids from an integer column's first-appearance codes: one byte each when the codes are and every id
    /// fits.
    mutating func encode(firstAppearance coded: FirstAppearance) -> ClassIdColumn {
        switch coded {
        case .narrow(let codes, let values): ids(firstAppearance: codes, values: values, column: ClassIdColumn.narrow)
        case .wide(let codes, let values): ids(firstAppearance: codes, values: values, column: ClassIdColumn.wide)
        }
    }

    private mutating func ids<Code: FixedWidthInteger & SignedInteger>(
        firstAppearance codes: [Code], values: [Int64], column: ([Code]) -> ClassIdColumn
    ) -> ClassIdColumn {
        let idOfCode = values.map { id(for: Self.name(of: $0)) }
        // The first column encoded numbers its classes as the codes do: no second pass.
        if idOfCode.elementsEqual(0..<Int32(idOfCode.count)) { return column(codes) }
        guard (idOfCode.max() ?? 0) <= Int32(Code.max) else {
            return .wide(codes.map { $0 < 0 ? -1 : idOfCode[Int($0)] })
        }
        let table = idOfCode.map { Code($0) }
        return column(codes.map { $0 < 0 ? -1 : table[Int($0)] })
    }

    private mutating func id(for name: String) -> Int32 {
        if let known = index[name] { return known }
        let newId = Int32(names.count)
        names.append(name)
        index[name] = newId
        return newId
    }

    /// Names of the classes that occur in `ids`, in a stable order: numeric order when all are numbers, else text order.
    ///
    /// - Precondition: `ids` are what ``encode(_:declinedByRange:)`` and ``encode(firstAppearance:)`` gave
    ///   for every column encoded: when no string column was, every name stands on one of their rows, and they are
    ///   not read.
    func sortedNames(occurringIn ids: [ClassIdColumn]) -> [String] {
        guard mayHaveUnusedNames else { return Self.ordered(names) }
        // Ids are dense (0..<names.count): a flag per id, not a hash per row.
        var seen = [Bool](repeating: false, count: names.count)
        func mark<Id: FixedWidthInteger & SignedInteger>(_ column: [Id]) {
            for id in column where id >= 0 { seen[Int(id)] = true }
        }
        for column in ids {
            switch column {
            case .narrow(let ids): mark(ids)
            case .wide(let ids): mark(ids)
            }
        }
        return Self.ordered(names.indices.filter { seen[$0] }.map { names[$0] })
    }

    /// Class names in a stable order: numeric order when all are numbers, else text order.
    static func ordered(_ names: [String]) -> [String] {
        let numbered = names.compactMap { name in Double(name).map { (name, $0) } }
        if numbered.count == names.count {
            return numbered.sorted { $0.1 < $1.1 }.map(\.0)
        }
        return names.sorted()
    }

    /// The id of `name`, if known.
    func id(of name: String) -> Int32? { index[name] }

    /// The class name of an integer value, as the dense coding of integer columns gives it.
    static func name(of value: Int64) -> String { String(value) }

    /// The id of the class of an integer value, if known.
    func id(of value: Int64) -> Int32? { index[Self.name(of: value)] }

    /// The positive class of a binary task: a conventional positive name if one is present
    /// (`1`, `true`, `yes`, `y`, `pos`, `positive`, case-insensitive), else the last in `sortedNames` order.
    static func positiveClass(of sortedNames: [String]) -> String? {
        let conventional: Set<String> = ["1", "true", "yes", "y", "pos", "positive"]
        if let match = sortedNames.first(where: { conventional.contains($0.lowercased()) }) { return match }
        return sortedNames.last
    }
}
