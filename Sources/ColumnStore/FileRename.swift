import Glibc

/// Atomic replacement of files, for writers that stage output and publish it in one step.
public enum FileRename {
    /// Renames `source` to `destination`, replacing it atomically if it exists (both on one file system).
    /// Calls `rename`.
    /// - Returns: `nil` on success, else the `errno` text.
    public static func replace(_ source: String, with destination: String) -> String? {
        let status = unsafe rename(source, destination)
        guard status != 0 else { return nil }
        let code = errno
        return unsafe String(cString: strerror(code))
    }
}
