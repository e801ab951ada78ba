/// What a CSV file looks like before its records are read: byte-order mark, binary look-alikes, delimiter, header.
enum _CSVDialect {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// The delimiters detection chooses from, in tie-breaking order.
    static let candidateDelimiters: [UInt8] = [
        UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|"),
    ]
    /// Detection reads at least this many bytes (and at least two whole lines) when the file has them.
    private static let sampleBytes = 64 * 1024
    /// Detection reads at most this many lines.
    private static let sampleLines = 100

    /// The offset after a UTF-8 byte-order mark, or 0.
    static func contentStart(_ bytes: Span<UInt8>) -> Int {
        hasPrefix(bytes, byteOrderMark) ? byteOrderMark.count : 0
    }

    /// Signatures of files that are not CSV text but are often given to a CSV reader by mistake.
    private static let signatures: [(bytes: [UInt8], what: String)] = [
        ([0x1F, 0x8B], "a gzip-compressed file; decompress it first (gunzip)"),
        ([0x50, 0x4B, 0x03, 0x04], "a zip archive; extract the CSV file first"),
        ([0x28, 0xB5, 0x2F, 0xFD], "a zstd-compressed file; decompress it first (unzstd)"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "an xz-compressed file; decompress it first (unxz)"),
        (Array("PAR1".utf8), "a Parquet file; convert it to CSV or Arrow IPC first"),
        (Array("ARROW1".utf8), "an Arrow IPC (Feather v2) file; read it with the Arrow reader, not as CSV"),
        ([0xFF, 0xFF, 0xFF, 0xFF], "an Arrow IPC stream; read it with the Arrow reader, not as CSV"),
        ([0xFF, 0xFE], "UTF-16 text; re-encode it as UTF-8"),
        ([0xFE, 0xFF], "UTF-16 text; re-encode it as UTF-8"),
    ]

    /// A description of the non-CSV format `bytes` starts like, or `nil` when it may be CSV text.
    static func binaryFormat(_ bytes: Span<UInt8>) -> String? {
        for signature in signatures where hasPrefix(bytes, signature.bytes) { return signature.what }
        if hasPrefix(bytes, Array("BZh".utf8)), bytes.count > 3,
            (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[3])
        {
            return "a bzip2-compressed file; decompress it first (bunzip2)"
        }
        return nil
    }

    private static func hasPrefix(_ bytes: Span<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for index in prefix.indices where bytes[index] != prefix[index] { return false }
        return true
    }

    /// Detects the delimiter from the lines starting at `start` (see `CSVOptions.delimiter`).
    static func detectDelimiter(_ bytes: Span<UInt8>, from start: Int) -> UInt8 {
        var best = candidateDelimiters[0]
        var bestScore = 0
        for candidate in candidateDelimiters {
            let counts = fieldCounts(bytes, from: start, delimiter: candidate)
            guard let headerFields = counts.first, headerFields >= 2 else { continue }
            let score = counts.count { $0 == headerFields }
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best
    }

    /// The number of fields of each non-blank sampled line, counting delimiters outside quotes.
    private static func fieldCounts(_ bytes: Span<UInt8>, from start: Int, delimiter: UInt8) -> [Int] {
        var counts: [Int] = []
        var quoted = false
        var fields = 1
        var lineHasText = false
        var index = start
        let softEnd = start + sampleBytes
        while index < bytes.count, counts.count < sampleLines, index < softEnd || counts.count < 2 {
            let byte = bytes[index]
            index += 1
            if byte == _CSVTokenizer.quote {
                quoted.toggle()
                lineHasText = true
            } else if quoted {
                lineHasText = true
            } else if byte == delimiter {
                fields += 1
                lineHasText = true
            } else if byte == _CSVTokenizer.lineFeed {
                if lineHasText { counts.append(fields) }
                fields = 1
                lineHasText = false
            } else if byte != _CSVTokenizer.carriageReturn {
                lineHasText = true
            }
        }
        if index == bytes.count, lineHasText { counts.append(fields) }  // a last line without a line feed
        return counts
    }

    /// Whether the lines end with a carriage return alone (classic Mac OS): the sampled bytes hold no line feed,
    /// and a carriage return outside quotes is followed by more text. Read as CSV, such a file is one long header.
    static func usesCarriageReturnLineEnds(_ bytes: Span<UInt8>, from start: Int) -> Bool {
        var quoted = false
        var sawLineBreak = false
        let end = min(bytes.count, start + sampleBytes)
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == _CSVTokenizer.lineFeed { return false }
            if byte == _CSVTokenizer.quote {
                quoted.toggle()
            } else if !quoted && byte == _CSVTokenizer.carriageReturn && index + 1 < end
                && bytes[index + 1] != _CSVTokenizer.carriageReturn
            {
                sawLineBreak = true
            }
            index += 1
        }
        return sawLineBreak
    }

    /// Whether `delimiter` can separate fields.
    static func isUsableDelimiter(_ delimiter: UInt8) -> Bool {
        delimiter != _CSVTokenizer.quote && delimiter != _CSVTokenizer.lineFeed
            && delimiter != _CSVTokenizer.carriageReturn && delimiter != 0
    }
}

/// Collects the header record's fields.
struct _HeaderSink: _CSVFieldSink {
    var fields: [[UInt8]] = []
    /// The offset of the header's first field.
    var start: Int?

    mutating func field(_ text: Span<UInt8>, column: Int, offset: Int) {
        if start == nil { start = offset }
        var copy: [UInt8] = []
        copy.reserveCapacity(text.count)
        for index in text.indices { copy.append(text[index]) }
        fields.append(copy)
    }

    mutating func endRecord() {}
}
