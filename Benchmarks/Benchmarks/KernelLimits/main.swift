import Dispatch
import Kernels

// Faultline's counting kernels on the workload of the C reference kernels (`shared/bench/limit/membw.c`): 10M rows
// of one-byte codes for 16 features (cardinalities 11 × 8, 3, 5, 8, 20, 12, 50, 100, 200) and a 7% failure flag,
// from the same xorshift generator. Times the 1-D counts (rows and failures per feature value: `GroupBy`) and the
// 2-D counts of all 120 feature pairs (`PairCounts`), REPS times with 1 thread and with 2, and prints JSON in the C
// program's shape, so that `scripts/bench/kernels.sh` can set the two side by side.
//
//   swift run -c release KernelLimits [rows]

struct XorShift {
    var state: UInt64 = 88_172_645_463_325_252
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

func seconds(_ body: () -> Int) -> (Double, Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    let check = body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, check)
}

func run(rowCount: Int) {
    let cardinalities = [11, 11, 11, 11, 11, 11, 11, 11, 3, 5, 8, 20, 12, 50, 100, 200]
    let repetitions = 7
    var random = XorShift()
    // membw.c draws 2^28 values for its uint32 stream before the codes; skipping them keeps the codes identical.
    for _ in 0..<(1 << 28) { _ = random.next() }
    let codes = cardinalities.map { cardinality in
        (0..<rowCount).map { _ in UInt8(random.next() % UInt64(cardinality)) }
    }
    let failure = (0..<rowCount).map { _ in UInt8(random.next() % 100 < 7 ? 1 : 0) }
    let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)

    // Rows and failures per (feature, value), summed as a check that the work was done.
    let slice1D = { (threads: Int) -> Int in
        var total = 0
        for (feature, cardinality) in cardinalities.enumerated() {
            let stats = GroupBy.aggregate(
                codes: codes[feature], groupCount: cardinality, outcomes: outcomes, threads: threads)
            total += stats.reduce(0) { $0 + $1.rows + $1.failures }
        }
        return total
    }
    // Rows and failures per cell of all 120 pairs.
    let slice2D = { (threads: Int) -> Int in
        let tables = PairCounts.countAllPairs(
            features: codes, codeCounts: cardinalities, failure: failure, threads: threads)
        return tables.reduce(0) { $0 + $1.rows.reduce(0, +) + $1.failures.reduce(0, +) }
    }

    let failures = failure.reduce(0) { $0 + Int($1) }
    var lines: [String] = []
    for threads in [1, 2] {
        for (name, kernel, expected) in [
            ("slice1d_u8_16f", slice1D, cardinalities.count * (rowCount + failures)),
            ("slice2d_u8_120pairs", slice2D, 120 * (rowCount + failures)),
        ] as [(String, (Int) -> Int, Int)] {
            var times: [Double] = []
            for _ in 0..<repetitions {
                let (time, check) = seconds { kernel(threads) }
                guard check == expected else { fatalError("\(name): counted \(check), expected \(expected)") }
                times.append(time)
            }
            times.sort()
            lines.append(
                "  {\"test\": \"\(name)\", \"threads\": \(threads), \"best_s\": \(times[0]), "
                    + "\"median_s\": \(times[repetitions / 2])}")
        }
    }
    print("{\"rows\": \(rowCount), \"features\": \(cardinalities.count), \"results\": [")
    print(lines.joined(separator: ",\n"))
    print("]}")
}

run(rowCount: CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 10_000_000 : 10_000_000)
