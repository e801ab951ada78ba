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

    /// Per-row class ids of `column` (-1 where missing or not a finite number).
    ///
    /// `firstAppearance`, when given, is ``Kernels/FirstAppearanceCodes/of(_:validity:)`` of an integer column,
    /// computed ahead (the label's and the prediction's side by side).
    mutating func encode(
        _ column: Column, firstAppearance: (codes: [Int32], values: [Int64])?? = .none
    ) -> [Int32] {
        switch column.values {
        case .int64(let buffer):
            // Dense codes over a narrow value range (a table lookup per row, not a hash); names are given ids in
            // the order the values first appear, as row by row.
            guard let (codes, values) = firstAppearance ?? FirstAppearanceCodes.of(buffer, validity: column.validity)
            else { break }
            let idOfCode = values.map { id(for: Self.name(of: $0)) }
            // The first column encoded numbers its classes as the codes do: no second pass.
            return idOfCode.elementsEqual(0..<Int32(idOfCode.count))
                ? codes : codes.map { $0 < 0 ? -1 : idOfCode[Int($0)] }
        default:
            break
        }
        var ids = [Int32](repeating: -1, count: column.count)
        switch column.values {
        case .string(let strings):
            mayHaveUnusedNames = mayHaveUnusedNames || !strings.dictionary.isEmpty
            let entryIds = strings.dictionary.map { id(for: $0) }
            let codes = strings.codes.array
            for row in 0..<codes.count where column.isValid(row) { ids[row] = entryIds[Int(codes[row])] }
        case .float64, .int64, .bool, .timestamp:
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
        }
        return ids
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
    /// - Precondition: `ids` are what ``encode(_:firstAppearance:)`` gave for every column encoded: when no string
    ///   column was, every name stands on one of their rows, and they are not read.
    func sortedNames(occurringIn ids: [[Int32]]) -> [String] {
        guard mayHaveUnusedNames else { return Self.ordered(names) }
        // Ids are dense (0..<names.count): a flag per id, not a hash per row.
        var seen = [Bool](repeating: false, count: names.count)
        for column in ids { for id in column where id >= 0 { seen[Int(id)] = true } }
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
