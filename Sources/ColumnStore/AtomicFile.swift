import Glibc

/// Atomic replacement of files, for writers that stage output and publish it in one step.
public enum FileRename {
    /// Renames `source` to `destination`, replacing it atomically if it exists (both on one file system).
    /// Calls `rename`.
    /// - Returns: `nil` on success, else the `errno` text.
    public static func replace(_ source: String, with destination: String) -> String? {
        let status = unsafe rename(source, destination)
        guard status != 0 else { return nil }
        return SystemText.error(errno)
    }
}

/// Writes a whole file atomically: the bytes go to a temporary file next to `path`, which is then renamed
/// over `path`, so readers see the old file or the complete new one, never a partial one.
public struct AtomicFileWriter: ~Copyable {
    private let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20

    /// Opens a temporary file beside `path`.
    /// - Returns: the writer, or the reason it could not be created.
    public static func open(_ path: String) -> Result<AtomicFileWriter, AtomicFileError> {
        let temporaryPath = path + ".faultline-tmp-\(getpid())"
        let descriptor = unsafe Glibc.open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return .failure(AtomicFileError(path: path, reason: SystemText.error(errno)))
        }
        return .success(AtomicFileWriter(path: path, temporaryPath: temporaryPath, descriptor: descriptor))
    }

    private init(path: String, temporaryPath: String, descriptor: Int32) {
        self.path = path
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
    }

    /// Appends bytes (buffered).
    public mutating func write(_ bytes: [UInt8]) throws(AtomicFileError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Appends the UTF-8 bytes of `text`.
    public mutating func write(_ text: String) throws(AtomicFileError) { try write(Array(text.utf8)) }

    private mutating func flush() throws(AtomicFileError) {
        var offset = 0
        while offset < buffer.count {
            let written = unsafe buffer.withUnsafeBytes { bytes in
                // Safe: offset < bytes.count, and the count passed is what remains.
                unsafe Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw AtomicFileError(path: path, reason: SystemText.error(errno))
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the file into place. The writer is consumed.
    public consuming func commit() throws(AtomicFileError) {
        try flush()
        let closed = Glibc.close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw AtomicFileError(path: path, reason: SystemText.error(errno)) }
        if let failure = FileRename.replace(temporaryPath, with: path) {
            _ = unsafe unlink(temporaryPath)
            throw AtomicFileError(path: path, reason: failure)
        }
    }

    deinit {
        // Not committed (an error, or dropped): remove the temporary file; the target is untouched.
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            _ = unsafe unlink(temporaryPath)
        }
    }
}

/// Why a file could not be written.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

enum SystemText {
    /// The text of an `errno` value.
    static func error(_ code: Int32) -> String { unsafe String(cString: strerror(code)) }
}
