import ColumnStore
import Foundation

/// Writes a report's files so that a reader never sees a half-written report: every file is staged in a
/// temporary folder inside the output directory, and moved into place by rename only once all are written.
///
/// A file name may have one folder in front (`charts/age.svg`). Such a folder is published whole: the folder
/// from an earlier run is moved aside, the new one renamed into place, and the old one removed, so it never mixes
/// files of two runs. Folders are published before the flat files.
///
/// ```
/// OUT/
///   .faultline-staging-PID/      written first, removed at the end
///     analysis.json  report.html  charts/age.svg ...
///   analysis.json  report.html   ← rename(2) from staging, one file at a time
///   charts/                      ← rename(2) of the staged folder (the old one moved aside, then removed)
/// ```
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
    /// - Precondition: names are relative, with at most one folder (`name` or `folder/name`), and no `.` or `..`.
    func write(_ files: [(name: String, contents: String)]) throws(Failure) {
        let manager = FileManager.default
        if let attributes = try? manager.attributesOfItem(atPath: path) {
            guard attributes[.type] as? FileAttributeType == .typeDirectory else { throw .notADirectory(path) }
        } else {
            do { try manager.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw .cannotCreate(path, Self.reason(creating: path, error))
            }
        }
        var folders: [String] = []
        var flatFiles: [String] = []
        for file in files {
            let parts = file.name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            precondition(
                (parts.count == 1 || parts.count == 2) && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." },
                "OutputDirectory: bad file name \(file.name)")
            if parts.count == 2 {
                if !folders.contains(parts[0]) { folders.append(parts[0]) }
            } else {
                flatFiles.append(file.name)
            }
        }
        let process = ProcessInfo.processInfo.processIdentifier
        let staging = path + "/.faultline-staging-\(process)"
        // Ctrl-C or SIGTERM while staging removes the staging folder; during the publish it waits for the end of it
        // (Interrupts), so the report is the old one or the new one, never a mix.
        defer { Interrupts.stagingRemoved() }
        do {
            try Interrupts.staging(staging) {
                try? manager.removeItem(atPath: staging)
                try manager.createDirectory(atPath: staging, withIntermediateDirectories: false)
                for folder in folders {
                    try manager.createDirectory(atPath: staging + "/" + folder, withIntermediateDirectories: false)
                }
            }
            for file in files {
                // One file at a time, so that a signal is handled between two files rather than after all.
                let bytes = Data(file.contents.utf8)
                try Interrupts.staging(staging) {
                    try bytes.write(to: URL(fileURLWithPath: staging + "/" + file.name))
                }
            }
            try Interrupts.publishing {
                for folder in folders {
                    try publishFolder(folder, from: staging, suffix: "\(process)")
                }
                for name in flatFiles {
                    let target = path + "/" + name
                    // Both paths are in one directory, so this is one rename(2): atomic per file.
                    if let failure = FileRename.replace(staging + "/" + name, with: target) {
                        throw Failure.cannotCreate(target, failure)
                    }
                }
                try manager.removeItem(atPath: staging)
            }
        } catch let failure as Failure {
            try? manager.removeItem(atPath: staging)
            throw failure
        } catch {
            try? manager.removeItem(atPath: staging)
            throw .cannotCreate(path, "\(error.localizedDescription)")
        }
    }

    /// Why `path` could not be created. Foundation reports a parent that is a regular file as an unknown error
    /// ("The operation could not be completed"), so that parent is named instead.
    private static func reason(creating path: String, _ error: any Error) -> String {
        var parent = (path as NSString).deletingLastPathComponent
        while !parent.isEmpty && parent != "/" {
            // The attributes tell a file from a directory without an inout pointer (strict memory safety).
            if let attributes = try? FileManager.default.attributesOfItem(atPath: parent) {
                if attributes[.type] as? FileAttributeType != .typeDirectory {
                    return "\(parent) is a file, not a directory; choose another --out"
                }
                break
            }
            parent = (parent as NSString).deletingLastPathComponent
        }
        return error.localizedDescription
    }

    /// Replaces `path/folder` by `staging/folder`: the old folder (if any) is renamed aside, the new one renamed
    /// into place (the old one is put back if that fails), then the old one is removed.
    private func publishFolder(_ folder: String, from staging: String, suffix: String) throws(Failure) {
        let manager = FileManager.default
        let target = path + "/" + folder
        let aside = path + "/.faultline-old-" + folder + "-" + suffix
        try? manager.removeItem(atPath: aside)
        let hadOld = (try? manager.attributesOfItem(atPath: target)) != nil
        if hadOld, let failure = FileRename.replace(target, with: aside) {
            throw .cannotCreate(target, failure)
        }
        if let failure = FileRename.replace(staging + "/" + folder, with: target) {
            if hadOld { _ = FileRename.replace(aside, with: target) }
            throw .cannotCreate(target, failure)
        }
        if hadOld { try? manager.removeItem(atPath: aside) }
    }
}
