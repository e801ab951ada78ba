import ColumnStore
import _TestSupport

/// Seeded synthetic prediction dumps for statistical tests.
enum SyntheticDumps {
    /// A binary-classification dump: `numeric` numeric features (normal), `categorical` string features
    /// (5 levels each), balanced labels, and predictions flipped with probability `baseRate`, or `plantedRate`
    /// for rows where `cat_0 == "c3"` when a rate is planted. With `timestamps`, a `ts` column holds random times
    /// over 60 days, independent of everything else.
    static func binary(
        rows: Int, numeric: Int = 3, categorical: Int = 3, baseRate: Double = 0.1, plantedRate: Double? = nil,
        timestamps: Bool = false, seed: UInt64
    ) -> Table {
        var random = SeededRandom(seed: seed)
        var columns: [Column] = []
        for index in 0..<numeric {
            var values = [Double](repeating: 0, count: rows)
            for row in 0..<rows { values[row] = (normal(&random) * 1000).rounded() / 1000 }
            columns.append(Column(name: "num_\(index)", values: .float64(ColumnBuffer(values)), validity: nil))
        }
        var firstCategory: [UInt32] = []
        for index in 0..<categorical {
            var codes = [UInt32](repeating: 0, count: rows)
            for row in 0..<rows { codes[row] = UInt32(random.next() % 5) }
            if index == 0 { firstCategory = codes }
            columns.append(
                Column(
                    name: "cat_\(index)",
                    values: .string(DictionaryStrings(codes: ColumnBuffer(codes), dictionary: (0..<5).map { "c\($0)" })),
                    validity: nil))
        }
        var labels = [Int64](repeating: 0, count: rows)
        var predictions = [Int64](repeating: 0, count: rows)
        for row in 0..<rows {
            labels[row] = Int64(random.next() & 1)
            var rate = baseRate
            if let plantedRate, !firstCategory.isEmpty, firstCategory[row] == 3 { rate = plantedRate }
            predictions[row] = random.unit() < rate ? 1 - labels[row] : labels[row]
        }
        if timestamps {
            let start: Int64 = 1_700_000_000
            let times = (0..<rows).map { _ in start + Int64(random.next() % (60 * 86_400)) }
            columns.append(Column(name: "ts", values: .timestamp(ColumnBuffer(times), .second), validity: nil))
        }
        columns.append(Column(name: "label", values: .int64(ColumnBuffer(labels)), validity: nil))
        columns.append(Column(name: "pred", values: .int64(ColumnBuffer(predictions)), validity: nil))
        return Table(columns: columns)
    }

    /// A standard normal draw (Box-Muller).
    static func normal(_ random: inout SeededRandom) -> Double {
        let u1 = max(random.unit(), 1e-300)
        let u2 = random.unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
#endif
