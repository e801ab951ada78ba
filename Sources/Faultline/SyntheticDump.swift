import ColumnStore
import Glibc
import Kernels

/// A seeded synthetic prediction dump with planted failure hotspots and their ground truth, so anyone can
/// benchmark and test Faultline without Python.
///
/// Columns: `ts` (uniform over 90 days from 2024-01-01, sorted), `batch_id` (one per day, cut at 17:00),
/// 8 numeric features `num_0..num_7` (normal, lognormal, uniform(0,100), exponential, gamma(0.5),
/// zero-inflated lognormal, Poisson(3), bimodal; rounded to 4 decimals, 1% missing), 8 text features
/// `cat_0..cat_7` with 3, 5, 8, 20, 12, 50, 100 and 200 levels (`cat_7` Zipf-tailed), `label`, `pred`, `score`.
///
/// Failure model (classification, failure = `pred != label`):
/// `p = (0.30 if H1 else 0.05) × (2 if H2) × (1.6 if H3)`, capped at 0.95, where
/// H1 = `cat_3 == "c7" and num_2 > 90`, H2 = days 60...67 (2024-03-01 to 2024-03-08), H3 = `label == 1`.
///
/// Regression (`task: .regression`; `label` and `pred` are numbers and there is no `score`): the label is
/// `100 + 15 z`, the prediction the label plus a normal error whose standard deviation is
/// `1 × (4 if H1) × (2 if H2) × (1.6 if H3)`, with H3 = `label > 120`. Both are rounded to 4 decimals. The
/// features, time and batch columns are the same as the classification dump's of the same seed.
public struct SyntheticDump: Sendable {
    public static let baseRate = 0.05
    public static let hotRate = 0.30
    public static let windowDays = 60...67
    public static let windowMultiplier = 2.0
    public static let classMultiplier = 1.6
    public static let cap = 0.95
    public static let days = 90
    public static let missingRate = 0.01
    public static let categoryLevels = [3, 5, 8, 20, 12, 50, 100, 200]
    /// 2024-01-01T00:00:00Z in epoch seconds.
    public static let start: Int64 = 1_704_067_200
    /// Regression: the error's standard deviation outside every hotspot, its factor in H1, and H3's label cut.
    public static let baseErrorScale = 1.0
    public static let hotErrorFactor = 4.0
    public static let highLabel = 120.0

    public var table: Table
    /// `ground_truth.json`: the model and the realised rates of each hotspot.
    public var groundTruth: String

    /// Generates `rows` rows from `seed`; the same arguments give the same table on every machine. `task` is
    /// `.binary` (the default) or `.regression`.
    public static func generate(rows: Int, seed: UInt64, task: Task = .binary) -> SyntheticDump {
        var random = SplitMix(seed: seed)
        var seconds = (0..<rows).map { _ in Int64(random.below(UInt64(days * 86_400))) }
        seconds.sort()
        let stamps = seconds.map { ($0 + start) * 1_000_000 }
        let batches = seconds.map { 1 + ($0 + 7 * 3_600) / 86_400 }
        var columns: [Column] = [
            Column(name: "ts", values: .timestamp(ColumnBuffer(stamps), .microsecond), validity: nil),
            Column(name: "batch_id", values: .int64(ColumnBuffer(batches)), validity: nil),
        ]
        var numeric: [[Double]] = []
        for index in 0..<8 {
            var values = [Double](repeating: 0, count: rows)
            var valid = [Bool](repeating: true, count: rows)
            for row in 0..<rows {
                values[row] = (draw(numeric: index, &random) * 10_000).rounded() / 10_000
                if random.unit() < missingRate {
                    valid[row] = false
                    values[row] = .nan
                }
            }
            numeric.append(values)
            columns.append(
                Column(name: "num_\(index)", values: .float64(ColumnBuffer(values)), validity: ValidityBitmap(valid)))
        }
        var categories: [[UInt32]] = []
        for (index, levels) in categoryLevels.enumerated() {
            let cumulative = cumulativeProbabilities(levels: levels, index: index, &random)
            let codes = (0..<rows).map { _ in UInt32(sample(cumulative, random.unit())) }
            categories.append(codes)
            let dictionary = (0..<levels).map { "c\($0)" }
            columns.append(
                Column(
                    name: "cat_\(index)",
                    values: .string(DictionaryStrings(codes: ColumnBuffer(codes), dictionary: dictionary)),
                    validity: nil))
        }
        if task == .regression {
            return regression(
                columns: columns, numeric: numeric, categories: categories, seconds: seconds, seed: seed,
                random: &random)
        }
        var labels = [Int64](repeating: 0, count: rows)
        var predictions = [Int64](repeating: 0, count: rows)
        var scores = [Double](repeating: 0, count: rows)
        var counts = [String: (rows: Int, failures: Int)]()
        for row in 0..<rows {
            labels[row] = random.unit() < 0.3 ? 1 : 0
            let h1 = categories[3][row] == 7 && numeric[2][row] > 90
            let h2 = windowDays.contains(Int(seconds[row] / 86_400))
            let h3 = labels[row] == 1
            var probability = h1 ? hotRate : baseRate
            if h2 { probability *= windowMultiplier }
            if h3 { probability *= classMultiplier }
            let failed = random.unit() < min(probability, cap)
            predictions[row] = failed ? 1 - labels[row] : labels[row]
            let margin = min(max(0.5 * (failed ? random.beta(2, 4) : random.beta(4, 2)), 1e-6), 0.5 - 1e-6)
            let rounded = (margin * 1_000_000).rounded() / 1_000_000
            let score = predictions[row] == 1 ? 0.5 + rounded : 0.5 - rounded
            scores[row] = (score * 1_000_000).rounded() / 1_000_000
            for (name, member) in [("overall", true), ("H1", h1), ("H2", h2), ("H3", h3), ("none", !(h1 || h2 || h3))]
            where member {
                counts[name, default: (0, 0)].rows += 1
                if failed { counts[name, default: (0, 0)].failures += 1 }
            }
        }
        columns.append(Column(name: "label", values: .int64(ColumnBuffer(labels)), validity: nil))
        columns.append(Column(name: "pred", values: .int64(ColumnBuffer(predictions)), validity: nil))
        columns.append(Column(name: "score", values: .float64(ColumnBuffer(scores)), validity: nil))
        return SyntheticDump(table: Table(columns: columns), groundTruth: truth(rows: rows, seed: seed, counts: counts))
    }

    static func regression(
        columns: [Column], numeric: [[Double]], categories: [[UInt32]], seconds: [Int64], seed: UInt64,
        random: inout SplitMix
    ) -> SyntheticDump {
        let rows = seconds.count
        var labels = [Double](repeating: 0, count: rows)
        var predictions = [Double](repeating: 0, count: rows)
        var membership = [UInt8](repeating: 0, count: rows)
        for row in 0..<rows {
            let truth = ((100 + 15 * random.normal()) * 10_000).rounded() / 10_000
            let h1 = categories[3][row] == 7 && numeric[2][row] > 90
            let h2 = windowDays.contains(Int(seconds[row] / 86_400))
            let h3 = truth > highLabel
            var scale = baseErrorScale * (h1 ? hotErrorFactor : 1)
            if h2 { scale *= windowMultiplier }
            if h3 { scale *= classMultiplier }
            labels[row] = truth
            predictions[row] = ((truth + scale * random.normal()) * 10_000).rounded() / 10_000
            membership[row] = (h1 ? 1 : 0) | (h2 ? 2 : 0) | (h3 ? 4 : 0)
        }
        // The ground truth counts failures as the analysis does by default: absolute error above its 90th percentile.
        let errors = zip(predictions, labels).map { abs($0 - $1) }
        let threshold = Quantiles.linear(sorted: errors.sorted(), q: 0.9)
        var counts = [String: (rows: Int, failures: Int)]()
        for row in 0..<rows {
            let failed = errors[row] > threshold
            let bits = membership[row]
            for (name, member) in [
                ("overall", true), ("H1", bits & 1 != 0), ("H2", bits & 2 != 0), ("H3", bits & 4 != 0),
                ("none", bits == 0),
            ] where member {
                counts[name, default: (0, 0)].rows += 1
                if failed { counts[name, default: (0, 0)].failures += 1 }
            }
        }
        var all = columns
        all.append(Column(name: "label", values: .float64(ColumnBuffer(labels)), validity: nil))
        all.append(Column(name: "pred", values: .float64(ColumnBuffer(predictions)), validity: nil))
        return SyntheticDump(
            table: Table(columns: all),
            groundTruth: truth(rows: rows, seed: seed, counts: counts, regression: threshold))
    }

    static func truth(
        rows: Int, seed: UInt64, counts: [String: (rows: Int, failures: Int)], regression threshold: Double? = nil
    ) -> String {
        var lines = ["{", "  \"generator\": \"faultline generate\",", "  \"seed\": \(seed),", "  \"rows\": \(rows),"]
        if let threshold {
            lines.append("  \"task\": \"regression\",")
            lines.append(
                "  \"failure\": \"abs(pred - label) > \(NumberFormat.shortest(threshold)) (its 90th percentile)\",")
            lines.append(
                "  \"model\": \"label = 100 + 15 z; pred = label + N(0, \(baseErrorScale) * (\(hotErrorFactor) if H1) * "
                    + "(\(windowMultiplier) if H2) * (\(classMultiplier) if H3))\",")
        } else {
            lines.append("  \"failure\": \"pred != label\",")
            lines.append(
                "  \"model\": \"p_fail = (\(hotRate) if H1 else \(baseRate)) * (\(windowMultiplier) if H2) * (\(classMultiplier) if H3), capped at \(cap)\","
            )
        }
        lines.append("  \"hotspots\": {")
        lines.append("    \"H1\": \"cat_3 == 'c7' and num_2 > 90 (top decile of num_2)\",")
        lines.append("    \"H2\": \"ts in 2024-03-01..2024-03-08 (days 60..67)\",")
        lines.append(threshold == nil ? "    \"H3\": \"label == 1\"" : "    \"H3\": \"label > \(Int(highLabel))\"")
        lines.append("  },")
        lines.append("  \"realized\": {")
        let names = ["H1", "H2", "H3", "none", "overall"]
        for (index, name) in names.enumerated() {
            let count = counts[name] ?? (0, 0)
            let rate = count.rows > 0 ? Double(count.failures) / Double(count.rows) : 0
            lines.append(
                "    \"\(name)\": {\"rows\": \(count.rows), \"failures\": \(count.failures), \"rate\": \(NumberFormat.shortest(rate))}"
                    + (index + 1 < names.count ? "," : ""))
        }
        lines.append("  }")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func draw(numeric index: Int, _ random: inout SplitMix) -> Double {
        switch index {
        case 0: return random.normal()
        case 1: return random.lognormal(0, 1)
        case 2: return random.unit() * 100
        case 3: return random.exponential(scale: 2)
        case 4: return random.gamma(shape: 0.5)
        case 5: return random.unit() < 0.35 ? 0 : random.lognormal(1, 0.8)
        case 6: return Double(random.poisson(3))
        default: return random.unit() < 0.6 ? -2 + 0.5 * random.normal() : 3 + random.normal()
        }
    }

    /// Level probabilities: Zipf(1.1) for the last column, uniform for odd ones, Dirichlet(2) draws otherwise.
    static func cumulativeProbabilities(levels: Int, index: Int, _ random: inout SplitMix) -> [Double] {
        var weights: [Double]
        if index == 7 {
            weights = (1...levels).map { 1 / pow(Double($0), 1.1) }
        } else if index % 2 == 1 {
            weights = [Double](repeating: 1, count: levels)
        } else {
            weights = (0..<levels).map { _ in random.gamma(shape: 2) }
        }
        let total = weights.reduce(0, +)
        var running = 0.0
        return weights.map { weight in
            running += weight / total
            return running
        }
    }

    static func sample(_ cumulative: [Double], _ u: Double) -> Int {
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > u { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// SplitMix64 with the draws the generator needs; portable and fast.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    mutating func below(_ bound: UInt64) -> UInt64 { next() % bound }

    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * unit())
    }

    mutating func lognormal(_ mean: Double, _ sigma: Double) -> Double { exp(mean + sigma * normal()) }

    mutating func exponential(scale: Double) -> Double { -scale * log(max(unit(), 1e-300)) }

    /// Marsaglia & Tsang (2000), with the `U^(1/shape)` boost for shape < 1.
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1) * pow(max(unit(), 1e-300), 1 / shape) }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal()
            let v = pow(1 + c * x, 3)
            guard v > 0 else { continue }
            let u = unit()
            if log(max(u, 1e-300)) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a)
        return x / (x + gamma(shape: b))
    }

    /// Knuth's multiplication method (fine for small means).
    mutating func poisson(_ mean: Double) -> Int {
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            count += 1
            product *= unit()
        }
        return count
    }
}
