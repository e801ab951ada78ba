import ColumnStore
import Foundation

/// Writes a report's files so that a reader never sees a half-written report: every file is staged in a
/// temporary folder inside the output directory, and moved into place by rename only once all are written.
struct OutputDirectory {
    let path: String

    enum Failure: Error, CustomStringConvertible {
        case notADirectory(String)
        case cannotCreate(String, String)

        var description: String {
            switch self {
            case .notADirectory(let path):
                return "--out \(path): exists and is not a directory; choose another --out"
            case .cannotCreate(let path, let reason):
                return "cannot write the report to \(path): \(reason)"
            }
        }
    }

    /// Writes `files` (name → contents) into the directory, creating it if needed.
    func write(_ files: [(name: String, contents: String)]) throws(Failure) {
        let manager = FileManager.default
        if let attributes = try? manager.attributesOfItem(atPath: path) {
            guard attributes[.type] as? FileAttributeType == .typeDirectory else { throw .notADirectory(path) }
        } else {
            do { try manager.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw .cannotCreate(path, "\(error.localizedDescription)")
            }
        }
        let staging = path + "/.faultline-staging-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try? manager.removeItem(atPath: staging)
            try manager.createDirectory(atPath: staging, withIntermediateDirectories: false)
            for file in files {
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: staging + "/" + file.name))
            }
            for file in files {
                let target = path + "/" + file.name
                // Both paths are in one directory, so this is one rename(2): atomic per file.
                if let failure = FileRename.replace(staging + "/" + file.name, with: target) {
                    throw Failure.cannotCreate(target, failure)
                }
            }
            try manager.removeItem(atPath: staging)
        } catch let failure as Failure {
            try? manager.removeItem(atPath: staging)
            throw failure
        } catch {
            try? manager.removeItem(atPath: staging)
            throw .cannotCreate(path, "\(error.localizedDescription)")
        }
    }
}
