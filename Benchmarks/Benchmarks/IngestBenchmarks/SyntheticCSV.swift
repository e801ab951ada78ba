import Foundation

/// A seeded synthetic prediction dump (8 numeric, 8 string features, label, pred, score), written once to the
/// temporary directory and reused across runs.
enum SyntheticCSV {
    static func path(rows: Int) -> String {
        let path = NSTemporaryDirectory() + "faultline-bench-\(rows).csv"
        if FileManager.default.fileExists(atPath: path) { return path }
        var state: UInt64 = 42
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
        let cardinalities = [3, 5, 8, 20, 12, 50, 100, 200]
        var text = (0..<8).map { "num_\($0)" }.joined(separator: ",") + ","
            + (0..<8).map { "cat_\($0)" }.joined(separator: ",") + ",label,pred,score\n"
        text.reserveCapacity(rows * 120)
        for _ in 0..<rows {
            var fields: [String] = []
            for column in 0..<8 {
                fields.append(unit() < 0.01 ? "" : String(format: "%.4f", unit() * Double(column + 1) * 10))
            }
            for column in 0..<8 { fields.append("c\(Int(next() % UInt64(cardinalities[column])))") }
            let label = next() & 1
            let score = unit()
            fields.append(String(label))
            fields.append(score >= 0.5 ? "1" : "0")
            fields.append(String(format: "%.6f", score))
            text += fields.joined(separator: ",") + "\n"
        }
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}
