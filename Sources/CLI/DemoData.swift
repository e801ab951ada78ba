import Foundation

/// Finds the bundled demo dump: in `./data`, next to the executable's checkout, or next to this source file.
enum DemoData {
    static let adultRelativePath = "data/adult_predictions.csv"

    static func adultPath() -> String? {
        let manager = FileManager.default
        var candidates = [adultRelativePath]
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.path + "/" + adultRelativePath)
            directory = directory.deletingLastPathComponent()
        }
        var source = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { source = source.deletingLastPathComponent() }
        candidates.append(source.path + "/" + adultRelativePath)
        return candidates.first { manager.isReadableFile(atPath: $0) }
    }
}
