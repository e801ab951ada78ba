/// How `CSVReader` reads a file.
public struct CSVOptions: Sendable {
    /// The field delimiter byte, or `nil` to detect it.
    ///
    /// Detection looks at the header line and the following lines (up to 100 lines or 64 KiB) and counts the fields
    /// of each line, outside quotes, for each of `,` `;` tab `|`. A candidate that splits the header into at least
    /// two fields scores the number of lines with as many fields as the header; the best score wins, ties go to the
    /// earlier candidate in that order, and a file where no candidate splits the header uses `,`.
    ///
    /// An explicit delimiter must not be `"`, a line feed, a carriage return or NUL.
    public var delimiter: UInt8?

    /// Field texts read as missing in addition to pandas' defaults (the CLI's `--na-values`).
    ///
    /// The defaults are those of pandas `read_csv`: the empty field, `#N/A`, `#N/A N/A`, `#NA`, `-1.#IND`,
    /// `-1.#QNAN`, `-NaN`, `-nan`, `1.#IND`, `1.#QNAN`, `<NA>`, `N/A`, `NA`, `NULL`, `NaN`, `None`, `n/a`, `nan`,
    /// `null`. A field is missing when its text, after removing the quotes, equals a marker exactly (no trimming,
    /// case-sensitive).
    public var extraMissingValues: [String]

    /// The number of chunks parsed in parallel; values below 1 are read as 1.
    ///
    /// The resulting table does not depend on this value.
    public var threads: Int

    /// Creates options; the defaults detect the delimiter, use pandas' missing markers, and use two threads.
    public init(delimiter: UInt8? = nil, extraMissingValues: [String] = [], threads: Int = 2) {
        self.delimiter = delimiter
        self.extraMissingValues = extraMissingValues
        self.threads = threads
    }
}
