extension IngestError {
    /// An Arrow error with its code and message.
    static func arrow(_ code: Code, _ path: String, _ message: String) -> IngestError {
        IngestError(code: code, path: path, message: message)
    }

    /// Runs a flatbuffer read, turning a malformed flatbuffer into `.arrowInvalidMetadata(section:)`.
    static func flat<T>(_ path: String, _ section: String, _ body: () throws(_FlatBufferError) -> T)
        throws(IngestError) -> T
    {
        do {
            return try body()
        } catch {
            throw arrowMetadata(path, section: section, error)
        }
    }

    static func arrowMetadata(_ path: String, section: String, _ error: _FlatBufferError) -> IngestError {
        arrow(
            .arrowInvalidMetadata(section: section), path,
            "the Arrow metadata of the \(section) is corrupt (\(error.reason)). The file is damaged or was not "
                + "written by an Arrow library; write it again.")
    }

    static func arrowTruncated(_ path: String, section: String, detail: String) -> IngestError {
        arrow(
            .arrowTruncated(section: section), path,
            "the file ends inside the \(section) (\(detail)): it was cut short, e.g. by an interrupted copy or "
                + "write. Copy or write it again.")
    }

    static func arrowLength(_ path: String, column: String, section: String, _ detail: String) -> IngestError {
        arrow(
            .arrowInvalidLength(column: column), path,
            "\(location(column, section)): \(detail). The file is damaged or was written incorrectly; write it again.")
    }

    static func arrowBounds(_ path: String, column: String, section: String, _ detail: String) -> IngestError {
        arrow(
            .arrowBufferOutOfBounds(column: column), path,
            "\(location(column, section)): \(detail). The file is damaged or cut short; write it again.")
    }

    /// "record batch 2, column "x"" or "record batch 2".
    static func location(_ column: String, _ section: String) -> String {
        column.isEmpty ? section : "\(section), column \"\(column)\""
    }
}
