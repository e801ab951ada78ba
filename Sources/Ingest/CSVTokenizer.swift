/// Receives the fields of the records that `_CSVTokenizer` splits.
protocol _CSVFieldSink {
    /// One field of the current record, unquoted (the bytes are only valid during the call).
    ///
    /// - Parameters:
    ///   - text: the field's text without its quotes, doubled quotes collapsed.
    ///   - column: the 0-based field index within the record.
    ///   - offset: the byte offset in the file where the field starts (for error messages).
    mutating func field(_ text: Span<UInt8>, column: Int, offset: Int)
    /// The end of a record whose fields all went to `field`.
    mutating func endRecord()
}

/// Why tokenizing stopped early, with the byte offset the error is about.
enum _TokenizerFailure: Equatable, Sendable {
    /// A record at `offset` has `found` fields instead of the expected number.
    case ragged(offset: Int, found: Int)
    /// A quoted field starting at `offset` is still open at the end of the file.
    case unterminatedQuote(offset: Int)
}

/// Splits CSV bytes into records and fields (RFC 4180, plus what pandas tolerates).
///
/// - Records end at LF or CRLF (the CR is dropped); lines that are entirely empty are skipped.
/// - A field that starts with `"` is quoted: it may hold delimiters and line breaks, and `""` stands for one `"`.
///   Text after the closing quote, up to the delimiter, is appended as is (pandas does the same: `"ab"c` is `abc`).
///   A `"` inside an unquoted field is an ordinary character.
/// - The caller has already rejected NUL bytes.
enum _CSVTokenizer {
    static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    /// How a run of records ended.
    struct Outcome: Sendable {
        /// The offset after the last record (and any blank lines) consumed.
        var end: Int
        /// The number of records passed to the sink.
        var records: Int
        /// The error that stopped the run, if any.
        var failure: _TokenizerFailure?
    }

    /// Tokenizes the records that start at or after `start` and before `limit`.
    ///
    /// A record that starts before `limit` is read to its end even past `limit`, so `Outcome.end >= limit` unless a
    /// failure or `maximumRecords` stopped the run.
    ///
    /// - Parameters:
    ///   - bytes: the whole file (offsets are file offsets).
    ///   - start: where a record starts, assumed to be outside quotes.
    ///   - limit: records starting at or after this offset are left for the next chunk.
    ///   - delimiter: the field delimiter.
    ///   - expectedFields: the number of fields every record must have, or `nil` to accept any number.
    ///   - maximumRecords: stop after this many records.
    ///   - sink: receives the fields; fields beyond `expectedFields` are not passed on.
    ///   - scratch: reusable storage for quoted fields that need unescaping.
    /// - Complexity: O(n) in the bytes read.
    static func tokenize<Sink: _CSVFieldSink>(
        _ bytes: Span<UInt8>, from start: Int, until limit: Int, delimiter: UInt8, expectedFields: Int?,
        maximumRecords: Int = .max, sink: inout Sink, scratch: inout [UInt8]
    ) -> Outcome {
        let count = bytes.count
        let fieldLimit = expectedFields ?? .max
        var position = start
        var records = 0
        while position < limit, records < maximumRecords {
            let first = bytes[position]
            if first == lineFeed {
                position += 1
                continue
            }
            if first == carriageReturn, position + 1 == count || bytes[position + 1] == lineFeed {
                position += position + 1 == count ? 1 : 2
                continue
            }
            let recordStart = position
            var column = 0
            while true {
                // `position` is where the field starts; it may equal `count` after a final delimiter.
                let fieldStart = position
                var next: Int
                var endsRecord: Bool
                if position < count, bytes[position] == quote {
                    var scan = position + 1
                    var clean = true
                    while true {
                        scan = _ByteWords.nextQuote(bytes, from: scan)
                        guard scan < count else {
                            return Outcome(
                                end: count, records: records,
                                failure: .unterminatedQuote(offset: fieldStart))
                        }
                        guard scan + 1 < count, bytes[scan + 1] == quote else { break }
                        clean = false  // a doubled quote
                        scan += 2
                    }
                    // `scan` is the closing quote.
                    let after = scan + 1
                    if after == count {
                        next = count
                        endsRecord = true
                    } else if bytes[after] == delimiter {
                        next = after + 1
                        endsRecord = false
                    } else if bytes[after] == lineFeed {
                        next = after + 1
                        endsRecord = true
                    } else if bytes[after] == carriageReturn, after + 1 == count || bytes[after + 1] == lineFeed {
                        next = min(after + 2, count)
                        endsRecord = true
                    } else {
                        clean = false  // text after the closing quote: `unescape` finds where the field ends
                        next = after
                        endsRecord = false
                    }
                    if clean {
                        if column < fieldLimit {
                            sink.field(bytes.extracting((fieldStart + 1)..<scan), column: column, offset: fieldStart)
                        }
                    } else {
                        (next, endsRecord) = unescape(
                            bytes, quotedFieldAt: fieldStart, delimiter: delimiter,
                            into: &scratch)
                        if column < fieldLimit { sink.field(scratch.span, column: column, offset: fieldStart) }
                    }
                } else {
                    let scan = _ByteWords.fieldEnd(bytes, from: position, delimiter: delimiter)
                    var fieldEnd = scan
                    if scan < count, bytes[scan] == delimiter {
                        next = scan + 1
                        endsRecord = false
                    } else {
                        next = min(scan + 1, count)
                        endsRecord = true
                        if fieldEnd > fieldStart, bytes[fieldEnd - 1] == carriageReturn { fieldEnd -= 1 }
                    }
                    if column < fieldLimit {
                        sink.field(bytes.extracting(fieldStart..<fieldEnd), column: column, offset: fieldStart)
                    }
                }
                column += 1
                position = next
                if endsRecord { break }
            }
            if let expectedFields, column != expectedFields {
                return Outcome(
                    end: position, records: records,
                    failure: .ragged(offset: recordStart, found: column))
            }
            sink.endRecord()
            records += 1
        }
        return Outcome(end: position, records: records, failure: nil)
    }

    /// Copies the quoted field at `start` into `scratch`, collapsing doubled quotes and appending any text after the
    /// closing quote; returns where the next field starts and whether the field ends its record.
    ///
    /// - Precondition: the field's closing quote exists (the caller found it).
    private static func unescape(
        _ bytes: Span<UInt8>, quotedFieldAt start: Int, delimiter: UInt8, into scratch: inout [UInt8]
    ) -> (next: Int, endsRecord: Bool) {
        let count = bytes.count
        scratch.removeAll(keepingCapacity: true)
        var index = start + 1
        var quoted = true
        while index < count {
            let byte = bytes[index]
            if quoted {
                if byte == quote {
                    if index + 1 < count, bytes[index + 1] == quote {
                        scratch.append(quote)
                        index += 2
                    } else {
                        quoted = false
                        index += 1
                    }
                    continue
                }
            } else if byte == delimiter {
                return (index + 1, false)
            } else if byte == lineFeed {
                return (index + 1, true)
            } else if byte == carriageReturn, index + 1 == count || bytes[index + 1] == lineFeed {
                return (min(index + 2, count), true)
            }
            scratch.append(byte)
            index += 1
        }
        return (count, true)
    }

    /// The 1-based line of `offset`: one more than the number of line feeds before it.
    static func lineNumber(of offset: Int, in bytes: Span<UInt8>) -> Int {
        var line = 1
        for index in 0..<min(offset, bytes.count) where bytes[index] == lineFeed { line += 1 }
        return line
    }
}
