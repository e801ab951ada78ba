/// The time unit of a timestamp column: values are integer counts of this unit since the Unix epoch (UTC).
public enum TimeUnit: String, Sendable, Equatable {
    case second, millisecond, microsecond, nanosecond

    /// Units per second.
    public var perSecond: Int64 {
        switch self {
        case .second: 1
        case .millisecond: 1_000
        case .microsecond: 1_000_000
        case .nanosecond: 1_000_000_000
        }
    }
}

/// The logical type of a column.
public enum ColumnType: Sendable, Equatable, CustomStringConvertible {
    case float64
    case int64
    case bool
    /// Integer counts of `unit` since 1970-01-01T00:00:00Z.
    case timestamp(TimeUnit)
    /// Dictionary-encoded strings.
    case string

    public var description: String {
        switch self {
        case .float64: "float64"
        case .int64: "int64"
        case .bool: "bool"
        case .timestamp(let unit): "timestamp[\(unit.rawValue)]"
        case .string: "string"
        }
    }

    /// Whether values are numbers (int64 or float64); bools and timestamps are not.
    public var isNumeric: Bool {
        switch self {
        case .float64, .int64: true
        default: false
        }
    }
}

/// Dictionary-encoded strings: one `UInt32` code per row into `dictionary`.
public struct DictionaryStrings: Sendable {
    /// One code per row; undefined where the row is missing.
    public let codes: ColumnBuffer<UInt32>
    /// The distinct values, in first-seen order.
    public let dictionary: [String]

    public init(codes: ColumnBuffer<UInt32>, dictionary: [String]) {
        self.codes = codes
        self.dictionary = dictionary
    }
}

/// The typed values of a column.
public enum ColumnValues: Sendable {
    case float64(ColumnBuffer<Double>)
    case int64(ColumnBuffer<Int64>)
    /// 0 or 1 per row.
    case bool(ColumnBuffer<UInt8>)
    case timestamp(ColumnBuffer<Int64>, TimeUnit)
    case string(DictionaryStrings)
}

/// One named column: typed values plus an optional validity bitmap (`nil` means every row is present).
public struct Column: Sendable {
    public let name: String
    public let values: ColumnValues
    /// The validity as given; for a float column built with ``init(name:float64:nulls:)``, its nulls alone.
    @usableFromInline let storedValidity: ValidityBitmap?
    /// Set for a float column whose NaN rows are marked missing on first use of ``validity``.
    @usableFromInline let deferredNaN: _DeferredNaNValidity?

    /// - Precondition: `validity`, when given, covers exactly the rows of `values`.
    public init(name: String, values: ColumnValues, validity: ValidityBitmap?) {
        self.name = name
        self.values = values
        self.storedValidity = validity
        self.deferredNaN = nil
        if let validity { precondition(validity.count == Self.rowCount(of: values), "validity length mismatch") }
    }

    /// A float column whose NaN values are missing, beside the rows `nulls` marks (every row present when nil).
    /// Which rows hold NaN is found on the first use of ``validity`` (a pass over the column), not here: a reader
    /// that maps the column in place leaves the pass to the kernels that need it.
    /// - Precondition: `nulls`, when given, covers exactly the rows of `values`.
    public init(name: String, float64 values: ColumnBuffer<Double>, nulls: ValidityBitmap?) {
        self.name = name
        self.values = .float64(values)
        if let nulls { precondition(nulls.count == values.count, "validity length mismatch") }
        self.storedValidity = nulls
        self.deferredNaN = _DeferredNaNValidity(values: values)
    }

    /// The rows holding a value (`nil`: every row). A float column's NaN rows are missing.
    @inlinable
    public var validity: ValidityBitmap? {
        guard let deferredNaN else { return storedValidity }
        return deferredNaN.validity(nulls: storedValidity)
    }

    /// Whether ``validity`` has yet to find the NaN rows of a float column: false for every other column, and once
    /// something has asked for the whole bitmap.
    package var isNaNScanPending: Bool { deferredNaN?.isPending ?? false }

    /// ``validity`` without the NaN rows of a float column marked: for a kernel that reads NaN as missing itself,
    /// which then needs no pass to find them. The same as ``validity`` for every other column.
    @inlinable
    public var validityExceptNaN: ValidityBitmap? { storedValidity }

    private static func rowCount(of values: ColumnValues) -> Int {
        switch values {
        case .float64(let buffer): buffer.count
        case .int64(let buffer): buffer.count
        case .bool(let buffer): buffer.count
        case .timestamp(let buffer, _): buffer.count
        case .string(let strings): strings.codes.count
        }
    }

    /// The number of rows.
    public var count: Int { Self.rowCount(of: values) }

    /// The logical type.
    public var type: ColumnType {
        switch values {
        case .float64: .float64
        case .int64: .int64
        case .bool: .bool
        case .timestamp(_, let unit): .timestamp(unit)
        case .string: .string
        }
    }

    /// Whether row `row` holds a value. A float column's NaN row does not, which is read from the row itself: this
    /// never makes the pass that finds every NaN row (``validity``).
    @inlinable @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        // Nothing is copied out per row: a copy of the values' enum payload (a retain and a release) made per-row
        // loops over a float column twice as slow.
        guard storedValidity?.isValid(row) ?? true else { return false }
        return !(deferredNaN?.value(at: row).isNaN ?? false)
    }

    /// The number of missing rows.
    public var nullCount: Int { validity?.nullCount ?? 0 }

    /// The value at `row` as a Double (numbers, bools as 0/1, timestamps in their unit), or `nil` when missing or a string.
    public func doubleValue(at row: Int) -> Double? {
        guard storedValidity?.isValid(row) ?? true else { return nil }
        if let deferredNaN {
            // A float column, read without copying the values' enum payload per row.
            let value = deferredNaN.value(at: row)
            return value.isNaN ? nil : value
        }
        switch values {
        case .float64(let buffer): return buffer[row]
        case .int64(let buffer): return Double(buffer[row])
        case .bool(let buffer): return Double(buffer[row])
        case .timestamp(let buffer, _): return Double(buffer[row])
        case .string: return nil
        }
    }

    /// The value at `row` rendered as text (the form used for categories), or `nil` when missing.
    public func textValue(at row: Int) -> String? {
        guard isValid(row) else { return nil }
        switch values {
        case .float64(let buffer): return NumberFormat.shortest(buffer[row])
        case .int64(let buffer): return String(buffer[row])
        case .bool(let buffer): return buffer[row] != 0 ? "True" : "False"
        case .timestamp(let buffer, let unit): return TimestampFormat.iso8601(buffer[row], unit: unit)
        case .string(let strings): return strings.dictionary[Int(strings.codes[row])]
        }
    }
}

/// A set of equal-length named columns.
public struct Table: Sendable {
    public let columns: [Column]
    public let rowCount: Int

    /// - Precondition: all columns have the same length.
    public init(columns: [Column]) {
        let rows = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == rows }, "columns differ in length")
        self.columns = columns
        self.rowCount = rows
    }

    /// The column called `name`, if any.
    public func column(named name: String) -> Column? {
        columns.first { $0.name == name }
    }
}
