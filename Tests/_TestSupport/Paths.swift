/// Locations of the repository's files for tests that read bundled data.
public enum RepositoryPaths {
    /// The package root, found from this source file's path (Tests/_TestSupport/Paths.swift).
    public static var root: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    /// A file under `data/`.
    public static func data(_ name: String) -> String { root + "/data/" + name }
}
