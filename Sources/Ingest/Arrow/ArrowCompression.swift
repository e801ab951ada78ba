import CLZ4
import CZstd
import ColumnStore

/// Decompression of Arrow's compressed buffers through the system's liblz4 and libzstd.
///
/// A compressed buffer (Message.fbs, `BodyCompression` with method BUFFER) is laid out as
/// ```
/// [int64 uncompressed length, little-endian][compressed bytes (one or more LZ4 frames, or zstd frames)]
/// ```
/// An uncompressed length of -1 means the rest is stored uncompressed; a buffer of length 0 is empty.
///
/// Every C call of the codecs is in this file, each marked `unsafe` with a `// Safe:` note.
enum _ArrowCompression {
    /// The most an uncompressed length may exceed its compressed size by, per codec: an LZ4 sequence encodes at most
    /// about 255 bytes per input byte, a zstd RLE block 128 KiB per 4 bytes. A larger claim is corrupt, and is
    /// rejected before anything is allocated.
    static func maximumExpansion(_ codec: _ArrowCodec) -> Int {
        switch codec {
        case .lz4Frame: 256
        case .zstd: 32_768
        }
    }

    /// Slack added to the ratio bound, for frame headers on tiny buffers.
    static let expansionSlack = 1 << 16

    /// Why a buffer could not be decompressed.
    struct Failure: Error {
        var reason: String
    }

    /// Decompresses the compressed buffer `source` (its length prefix included) into a new 64-byte-aligned
    /// allocation.
    ///
    /// - Returns: the uncompressed bytes; for the -1 prefix, the rest of `source` in place.
    static func decompress(_ source: _ArrowBuffer, codec: _ArrowCodec) throws(Failure) -> _ArrowBuffer {
        guard source.length >= 8 else {
            throw Failure(reason: "a compressed buffer of \(source.length) bytes has no room for its length prefix")
        }
        let declared = _ArrowBytes.int64(source.file, at: source.offset)
        let payloadStart = source.offset + 8
        let payloadLength = source.length - 8
        if declared == -1 {
            guard let rest = _ArrowBuffer(file: source.file, offset: payloadStart, length: payloadLength) else {
                throw Failure(reason: "the stored bytes lie outside the file")
            }
            return rest
        }
        let bound = Int64(payloadLength) * Int64(maximumExpansion(codec)) + Int64(expansionSlack)
        guard declared >= 0, declared <= bound else {
            throw Failure(
                reason: "it declares \(declared) uncompressed bytes for \(payloadLength) compressed bytes, "
                    + "which \(codec.name) cannot produce")
        }
        let count = Int(declared)
        let name = source.file.path
        let output = try unsafe MappedFile.allocate(count: count, path: name) {
            (target: UnsafeMutableRawBufferPointer) throws(Failure) in
            try unsafe source.file.withUnsafeBytes { (raw) throws(Failure) in
                // Safe: the payload range lies in the file (the source buffer was checked when it was made).
                let input = unsafe UnsafeRawBufferPointer(rebasing: raw[payloadStart..<(payloadStart + payloadLength)])
                let produced: Int
                switch codec {
                case .lz4Frame: produced = try unsafe lz4(input, into: target)
                case .zstd: produced = try unsafe zstd(input, into: target)
                }
                guard produced == count else {
                    throw Failure(reason: "it decompresses to \(produced) bytes, not the \(count) it declares")
                }
            }
        }
        guard let buffer = _ArrowBuffer(file: output, offset: 0, length: count) else {
            throw Failure(reason: "the decompressed buffer is empty")
        }
        return buffer
    }

    /// Decodes LZ4 frames until the input is used up or the output is full.
    ///
    /// Calls `LZ4F_createDecompressionContext`, `LZ4F_decompress`, `LZ4F_isError`, `LZ4F_getErrorName` and
    /// `LZ4F_freeDecompressionContext`.
    /// - Returns: the number of bytes written.
    private static func lz4(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(Failure) -> Int
    {
        var context: OpaquePointer?
        // Safe: the context pointer is a live local that the call fills in.
        let created = unsafe LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context = unsafe context else {
            throw Failure(reason: "liblz4 could not create a decompression context")
        }
        defer { _ = unsafe LZ4F_freeDecompressionContext(context) }
        var consumed = 0
        var produced = 0
        while consumed < input.count {
            var sourceSize = input.count - consumed
            var targetSize = output.count - produced
            // Safe: LZ4F_decompress reads at most `sourceSize` bytes from the input position and writes at most
            // `targetSize` bytes at the output position, both inside the buffers; it updates the two sizes.
            let hint = unsafe LZ4F_decompress(
                context, output.baseAddress.map { unsafe $0 + produced }, &targetSize,
                input.baseAddress.map { unsafe $0 + consumed }, &sourceSize, nil)
            if LZ4F_isError(hint) != 0 {
                // Safe: LZ4F_getErrorName returns a static NUL-terminated string, copied at once.
                let reason = unsafe String(cString: LZ4F_getErrorName(hint))
                throw Failure(reason: "liblz4: \(reason)")
            }
            consumed += sourceSize
            produced += targetSize
            if sourceSize == 0 && targetSize == 0 {
                // No progress: the output is full while input remains, or the frame is cut.
                throw Failure(reason: "the LZ4 data is longer than it declares, or cut short")
            }
        }
        return produced
    }

    /// Decodes zstd frames into `output`.
    ///
    /// Calls `ZSTD_getFrameContentSize`, `ZSTD_decompress`, `ZSTD_isError` and `ZSTD_getErrorName`.
    /// - Returns: the number of bytes written.
    private static func zstd(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(Failure) -> Int
    {
        guard let source = input.baseAddress else { throw Failure(reason: "the zstd data is empty") }
        // Safe: reads the frame header inside the input only.
        let content = unsafe ZSTD_getFrameContentSize(source, input.count)
        let unknown: UInt64 = 0xFFFF_FFFF_FFFF_FFFF  // ZSTD_CONTENTSIZE_UNKNOWN
        let error: UInt64 = 0xFFFF_FFFF_FFFF_FFFE  // ZSTD_CONTENTSIZE_ERROR
        if content == error { throw Failure(reason: "the data is not a zstd frame") }
        if content != unknown && content > UInt64(output.count) {
            throw Failure(reason: "the zstd frame holds \(content) bytes, more than the \(output.count) declared")
        }
        // Safe: ZSTD_decompress writes at most `output.count` bytes into the output and reads the input only.
        let result = unsafe ZSTD_decompress(output.baseAddress, output.count, source, input.count)
        if ZSTD_isError(result) != 0 {
            // Safe: ZSTD_getErrorName returns a static NUL-terminated string, copied at once.
            let reason = unsafe String(cString: ZSTD_getErrorName(result))
            throw Failure(reason: "libzstd: \(reason)")
        }
        return result
    }
}
