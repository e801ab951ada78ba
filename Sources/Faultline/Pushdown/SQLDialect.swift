/// The SQL engines Faultline generates queries for, and what differs between them: identifier quoting, string
/// literals and types, the epoch of a timestamp, and how to list a table's columns.
///
/// Everything else is the portable subset (`GROUPING SETS`, `CASE`, `COUNT`/`SUM`/`MAX`, `ROW_NUMBER() OVER`), see
/// docs/sql-pushdown.md.
public enum SQLDialect: String, Sendable, CaseIterable {
    case duckdb, postgres, spark, trino, bigquery, snowflake

    /// `name` quoted as an identifier.
    public func quote(_ name: String) -> String {
        switch self {
        case .spark, .bigquery: "`" + name.replacingAll("`", with: "``") + "`"
        case .duckdb, .postgres, .trino, .snowflake: "\"" + name.replacingAll("\"", with: "\"\"") + "\""
        }
    }

    /// `text` as a string literal. Spark, BigQuery and Snowflake read backslash escapes in literals; the others
    /// take backslashes as they are.
    public func literal(_ text: String) -> String {
        switch self {
        case .spark, .bigquery, .snowflake:
            "'" + text.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
        case .duckdb, .postgres, .trino: "'" + text.replacingAll("'", with: "''") + "'"
        }
    }

    public var stringType: String {
        switch self {
        case .spark, .bigquery: "STRING"
        case .duckdb, .postgres, .trino, .snowflake: "VARCHAR"
        }
    }

    public var doubleType: String {
        switch self {
        case .postgres: "DOUBLE PRECISION"
        case .bigquery: "FLOAT64"
        case .duckdb, .spark, .trino, .snowflake: "DOUBLE"
        }
    }

    public var integerType: String {
        switch self {
        case .bigquery: "INT64"
        case .duckdb, .postgres, .spark, .trino, .snowflake: "BIGINT"
        }
    }

    /// A double literal that every engine parses to exactly `value`: the shortest round-trip digits, cast from
    /// text (a bare `0.1` is a DECIMAL or NUMERIC in some engines).
    public func double(_ value: Double) -> String {
        "CAST('\(value)' AS \(doubleType))"
    }

    /// `expression` (a timestamp) as seconds since 1970-01-01 UTC, floored to whole seconds.
    public func epochSeconds(_ expression: String) -> String {
        let seconds: String
        switch self {
        case .duckdb: seconds = "epoch(\(expression))"
        case .postgres: seconds = "EXTRACT(EPOCH FROM \(expression))"
        case .spark: seconds = "unix_timestamp(CAST(\(expression) AS TIMESTAMP))"
        case .trino: seconds = "to_unixtime(\(expression))"
        case .bigquery: seconds = "UNIX_SECONDS(TIMESTAMP(\(expression)))"
        case .snowflake: seconds = "DATE_PART(EPOCH_SECOND, \(expression))"
        }
        return "FLOOR(\(seconds))"
    }

    /// The query listing `table`'s columns: the first two result columns are the name and the type, one row per
    /// column in table order.
    public func schemaQuery(table: String) -> String {
        switch self {
        case .duckdb: return "DESCRIBE SELECT * FROM \(table)"
        case .spark: return "DESCRIBE TABLE \(table)"
        case .trino: return "DESCRIBE \(table)"
        case .snowflake: return "DESCRIBE TABLE \(table)"
        case .postgres:
            return """
                SELECT attname AS column_name, format_type(atttypid, atttypmod) AS column_type
                FROM pg_attribute WHERE attrelid = \(literal(table))::regclass AND attnum > 0 AND NOT attisdropped
                ORDER BY attnum
                """
        case .bigquery:
            // `dataset.table` (or `project.dataset.table`): the dataset's INFORMATION_SCHEMA lists the columns.
            let bare = table.replacingAll("`", with: "")
            let parts = bare.split(separator: ".").map(String.init)
            let dataset = parts.dropLast().joined(separator: ".")
            let name = parts.last ?? bare
            return """
                SELECT column_name, data_type FROM `\(dataset.isEmpty ? "INFORMATION_SCHEMA" : dataset + ".INFORMATION_SCHEMA").COLUMNS`
                WHERE table_name = \(literal(name)) ORDER BY ordinal_position
                """
        }
    }
}

/// The kinds of SQL column Faultline slices, from the engine's type name.
enum SQLColumnType: Sendable, Equatable {
    case integer, float, string, bool, timestamp

    /// The type of an engine's type name (`BIGINT`, `double precision`, `VARCHAR(20)`, `timestamp with time zone`,
    /// `NUMBER(38,0)`, ...); nil for types Faultline does not slice (lists, structs, binary, intervals).
    init?(engineType: String) {
        let type = engineType.lowercased().trimmingSpaces()
        let base = type.split(whereSeparator: { $0 == "(" || $0 == " " || $0 == "<" }).first.map(String.init) ?? type
        switch base {
        case "tinyint", "smallint", "int", "integer", "bigint", "hugeint", "int2", "int4", "int8", "int64", "long",
            "short", "byte", "utinyint", "usmallint", "uinteger", "ubigint", "serial", "bigserial":
            self = .integer
        case "double", "float", "real", "float4", "float8", "float64", "decimal", "numeric", "bignumeric":
            // NUMBER(p, 0) and DECIMAL(p, 0) hold integers.
            self = type.hasSuffix(",0)") || type.hasSuffix(", 0)") ? .integer : .float
        case "number": self = type == "number" || type.hasSuffix(",0)") || type.hasSuffix(", 0)") ? .integer : .float
        case "varchar", "char", "character", "text", "string", "bpchar", "nvarchar", "nchar", "enum", "uuid":
            self = .string
        case "bool", "boolean": self = .bool
        case "timestamp", "timestamptz", "datetime", "date", "timestamp_ntz", "timestamp_ltz", "timestamp_tz":
            self = .timestamp
        default:
            if base.hasPrefix("timestamp") { self = .timestamp } else { return nil }
        }
    }

    /// The column type as Faultline names it for a file (`ColumnType.description`).
    var description: String {
        switch self {
        case .integer: "int64"
        case .float: "float64"
        case .string: "string"
        case .bool: "bool"
        case .timestamp: "timestamp[microsecond]"
        }
    }

    var isNumeric: Bool { self == .integer || self == .float }
}

extension String {
    /// The string with every `target` character replaced by `replacement` (no Foundation in this module).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
