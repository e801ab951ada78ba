import Foundation
import Testing
import _TestSupport

/// `analysis.json` is byte-identical whatever the thread count, and from one run to the next.
@Suite(.serialized)
struct DeterminismTests {
    /// The thread counts compared; the first is run twice.
    static let threadCounts = [2, 1, 8, 2]

    @Test(arguments: ["adult_predictions.csv", "bike_sharing_hourly_predictions.csv"])
    func analysisJSONIsTheSameForEveryThreadCountAndRun(_ dataset: String) throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = RepositoryPaths.data(dataset)
        var reference: Data?
        for (index, threads) in Self.threadCounts.enumerated() {
            let out = directory.appendingPathComponent("run\(index)")
            // The default --max-level 3, so the multi-threaded slice search is exercised.
            let run = try CommandLineTests.run([
                "analyze", input, "--out", out.path, "--format", "json", "--quiet", "--threads", String(threads),
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try Data(contentsOf: out.appendingPathComponent("analysis.json"))
            if let reference {
                #expect(json == reference, "\(dataset): --threads \(threads) (run \(index + 1)) differs from run 1")
            } else {
                reference = json
            }
        }
    }
}
