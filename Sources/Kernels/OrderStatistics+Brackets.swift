extension OrderStatistics {
    /// Inputs at least this long are selected within brackets. Sorting the sample costs about 5 ms whatever the
    /// input: at 1M values the histogram passes took 17–19 ms and the brackets 26 ms, at 10M the brackets saved
    /// about a fifth of the selection.
    static let bracketThreshold = 1 << 22
    /// Rows sampled to place the brackets.
    static let bracketSampleSize = 1 << 16
    /// Half-width of a bracket, in standard deviations of a sample quantile's position.
    static let bracketDeviations = 4.0
    /// A value repeated this many times in the sample (about 1 row in 2,000) is counted, not gathered.
    static let heavyRun = 32
    /// Bounds the one-pass search handles (a fixed six-step binary search, less one for the padding).
    static let maximumBounds = 63

    /// What the rows between two consecutive bounds are.
    enum BracketRegion: Equatable {
        /// Outside every bracket: only counted.
        case outside
        /// Inside a bracket: gathered into `inside[index]`, where the ranks are selected.
        case gathered(Int)
        /// One repeated value (a heavy tie): only counted, every row in it is this value.
        case point(Double)
    }

    /// One streaming pass in place of the histogram passes.
    ///
    /// A strided sample of ``bracketSampleSize`` values is sorted; each wanted rank's sample position gets a bracket
    /// of sample values ``bracketDeviations`` standard deviations either side, and brackets that meet are merged.
    /// Values repeated ``heavyRun`` times in the sample are cut out of the brackets as points of their own. One pass
    /// over the values then finds each value's region among the sorted bounds (a branch-free binary search), counts
    /// the values per region and gathers the values of the brackets. The counts say which region holds each wanted
    /// rank: in a point it is the point's value, in a bracket it is selected among the bracket's values alone (a
    /// few percent of the column).
    ///
    /// Returns nil, and the caller selects otherwise, when a wanted rank is outside every bracket (the sample
    /// misled, as a stride that matches a period in the data can), when the brackets would hold more than a quarter
    /// of the values, or when they need more than ``maximumBounds`` bounds. The result never depends on the sample,
    /// only the speed.
    static func selectByBrackets(_ values: [Double], ranks: [Int]) -> [Int: Double]? {
        let count = values.count
        guard count >= 2 * bracketSampleSize, !ranks.isEmpty else { return nil }
        let step = count / bracketSampleSize
        let sample = stride(from: 0, to: count, by: step).map { values[$0] }
        guard let brackets = _Brackets(sample: sample, count: count, ranks: ranks) else { return nil }
        var tally = brackets.emptyTally(reserving: count / sample.count * 64 + 64)
        unsafe values.withUnsafeBufferPointer { input in unsafe brackets.add(input, to: &tally) }
        return brackets.selected(&tally, ranks: ranks)
    }
}

/// The brackets of one selection (``OrderStatistics/selectByBrackets(_:ranks:)``), placed from a sample; the values
/// are then added to a ``Tally`` in one pass, or in pieces whose tallies are merged (in any order: the gathered
/// values' order does not change which value has a rank), and the ranks are read from it.
struct _Brackets {
    typealias Region = OrderStatistics.BracketRegion
    /// The values counted in all.
    let count: Int
    /// Sorted bounds, padded with NaN to ``OrderStatistics/maximumBounds`` + 1: a value's region is the number of
    /// bounds at or below it.
    let bounds: [Double]
    /// What each region is, padded with ``OrderStatistics/BracketRegion/outside`` to one more than the bounds.
    let regions: [Region]
    /// The gathered list of each region, -1 where the region is not gathered.
    let gatherOf: [Int]
    /// Bit r set when region r is gathered.
    let gatherMask: UInt64
    /// Gathered lists.
    let insideCount: Int

    /// The rows counted per region and the values gathered per bracket.
    struct Tally {
        var regionCounts: [Int]
        var inside: [[Double]]

        /// `other`'s rows and values added to these.
        mutating func merge(_ other: Tally) {
            for region in regionCounts.indices { regionCounts[region] += other.regionCounts[region] }
            for index in inside.indices { inside[index].append(contentsOf: other.inside[index]) }
        }
    }

    /// Brackets for `ranks` (ascending, no repeats) of `count` values (no NaN) from `sample`, a strided sample of
    /// them (in any order); nil where ``OrderStatistics/selectByBrackets(_:ranks:)`` gives up on the sample.
    init?(sample unsorted: [Double], count: Int, ranks: [Int]) {
        typealias Limits = OrderStatistics
        guard !ranks.isEmpty, !unsorted.isEmpty else { return nil }
        let sample = unsorted.sorted()
        let sampleCount = sample.count

        // Each rank's bracket of sample positions, clamped; merged where they meet in value.
        var spans: [(low: Int, high: Int)] = []
        for rank in ranks {
            let q = (Double(rank) + 0.5) / Double(count)
            let center = q * Double(sampleCount)
            let margin = Limits.bracketDeviations * (Double(sampleCount) * q * (1 - q)).squareRoot() + 4
            let low = max(0, Int((center - margin).rounded(.down)))
            let high = min(sampleCount - 1, Int((center + margin).rounded(.up)))
            if let last = spans.last, sample[low] <= sample[last.high] {
                spans[spans.count - 1].high = max(last.high, high)
            } else {
                spans.append((low, high))
            }
        }

        // Bounds, non-decreasing. A bracket starting at sample position 0 is unbounded below, one ending at the last
        // is unbounded above (a NaN bound, which no value reaches; it is the last bound).
        var bounds: [Double] = []
        var regions: [Region] = [.outside]
        var gatheredSamples = 0
        var insideCount = 0
        for span in spans {
            bounds.append(span.low == 0 ? -.infinity : sample[span.low])
            var position = span.low
            var pieceStart = span.low
            while position <= span.high {
                var end = position + 1
                while end < sampleCount && sample[end] == sample[position] { end += 1 }
                if end - position >= Limits.heavyRun {
                    // [piece start, v) gathered, [v, v.nextUp) the point v.
                    gatheredSamples += position - pieceStart
                    regions.append(.gathered(insideCount))
                    insideCount += 1
                    let value = sample[position]
                    bounds.append(value)
                    regions.append(.point(value))
                    bounds.append(value == .infinity ? .nan : value.nextUp)
                    pieceStart = end
                }
                position = end
            }
            gatheredSamples += max(0, min(span.high + 1, sampleCount) - pieceStart)
            regions.append(.gathered(insideCount))
            insideCount += 1
            let upper = sample[span.high]
            bounds.append(span.high == sampleCount - 1 || upper == .infinity ? .nan : upper.nextUp)
            regions.append(.outside)
        }
        guard bounds.count <= Limits.maximumBounds, gatheredSamples <= sampleCount / 4 else { return nil }
        // A NaN bound is only ever last: no value passes it, so the regions after it stay empty.
        let width = Limits.maximumBounds + 1
        bounds += [Double](repeating: .nan, count: width - bounds.count)
        regions += [Region](repeating: .outside, count: width + 1 - regions.count)
        var gatherOf = [Int](repeating: -1, count: width)
        var gatherMask: UInt64 = 0
        for (region, kind) in regions.enumerated() where region < width {
            if case .gathered(let index) = kind {
                gatherOf[region] = index
                gatherMask |= 1 << UInt64(region)
            }
        }
        self.count = count
        self.bounds = bounds
        self.regions = regions
        self.gatherOf = gatherOf
        self.gatherMask = gatherMask
        self.insideCount = insideCount
    }

    /// A tally of no values, each gathered list with room for `reserving` values.
    func emptyTally(reserving: Int = 0) -> Tally {
        var inside = [[Double]](repeating: [], count: insideCount)
        if reserving > 0 {
            for index in inside.indices { inside[index].reserveCapacity(reserving) }
        }
        return Tally(regionCounts: [Int](repeating: 0, count: bounds.count), inside: inside)
    }

    /// Counts `input`'s values (no NaN) per region and gathers those inside the brackets.
    func add(_ input: UnsafeBufferPointer<Double>, to tally: inout Tally) {
        let gatherMask = gatherMask
        // Moved out of the tally (not copied), so the loop's closures hold no access to it.
        var inside = tally.inside
        var regionCounts = tally.regionCounts
        tally = Tally(regionCounts: [], inside: [])
        defer { tally = Tally(regionCounts: regionCounts, inside: inside) }
        unsafe bounds.withUnsafeBufferPointer { bound in
            unsafe gatherOf.withUnsafeBufferPointer { gatherOf in
                unsafe regionCounts.withUnsafeMutableBufferPointer { counts in
                    // Safe: row < input.count; a region is below width == bound.count == counts.count ==
                    // gatherOf.count (six steps add at most 63).
                    @inline(__always) func step(_ value: Double, _ position: Int, _ half: Int) -> Int {
                        let bound = unsafe bound[position &+ half &- 1]
                        // A comparison turned into a mask: a branch here is mispredicted about half the time.
                        let isAtLeast = unsafe unsafeBitCast(value >= bound, to: UInt8.self)
                        return position &+ (half & (0 &- Int(isAtLeast)))
                    }
                    @inline(__always) func region(_ value: Double) -> Int {
                        var position = step(value, 0, 32)
                        position = step(value, position, 16)
                        position = step(value, position, 8)
                        position = step(value, position, 4)
                        position = step(value, position, 2)
                        return step(value, position, 1)
                    }
                    @inline(__always) func gather(_ region: Int, _ row: Int) {
                        if (gatherMask &>> UInt64(region)) & 1 == 1 {
                            inside[unsafe gatherOf[region]].append(unsafe input[row])
                        }
                    }
                    // Eight values' regions are all found before any count is updated: on the development machine
                    // the bounds' loads otherwise wait behind each count's store (see GroupBy). Regions are kept in
                    // scalars: a SIMD vector of them went through the stack, with the same wait.
                    var row = 0
                    while row &+ 8 <= input.count {
                        let r0 = region(unsafe input[row])
                        let r1 = region(unsafe input[row &+ 1])
                        let r2 = region(unsafe input[row &+ 2])
                        let r3 = region(unsafe input[row &+ 3])
                        let r4 = region(unsafe input[row &+ 4])
                        let r5 = region(unsafe input[row &+ 5])
                        let r6 = region(unsafe input[row &+ 6])
                        let r7 = region(unsafe input[row &+ 7])
                        unsafe counts[r0] &+= 1
                        unsafe counts[r1] &+= 1
                        unsafe counts[r2] &+= 1
                        unsafe counts[r3] &+= 1
                        unsafe counts[r4] &+= 1
                        unsafe counts[r5] &+= 1
                        unsafe counts[r6] &+= 1
                        unsafe counts[r7] &+= 1
                        let any =
                            (gatherMask &>> UInt64(r0)) | (gatherMask &>> UInt64(r1)) | (gatherMask &>> UInt64(r2))
                            | (gatherMask &>> UInt64(r3)) | (gatherMask &>> UInt64(r4))
                            | (gatherMask &>> UInt64(r5)) | (gatherMask &>> UInt64(r6)) | (gatherMask &>> UInt64(r7))
                        if any & 1 == 1 {
                            gather(r0, row)
                            gather(r1, row &+ 1)
                            gather(r2, row &+ 2)
                            gather(r3, row &+ 3)
                            gather(r4, row &+ 4)
                            gather(r5, row &+ 5)
                            gather(r6, row &+ 6)
                            gather(r7, row &+ 7)
                        }
                        row &+= 8
                    }
                    while row < input.count {
                        let r = region(unsafe input[row])
                        unsafe counts[r] &+= 1
                        gather(r, row)
                        row &+= 1
                    }
                }
            }
        }
    }

    /// The value of each of `ranks` (those the brackets were placed for), from a tally of all ``count`` values;
    /// nil when one is outside every bracket. The gathered lists are reordered.
    func selected(_ tally: inout Tally, ranks: [Int]) -> [Int: Double]? {
        // Each rank's region, from the counts below it; then the ranks of each bracket selected among its values.
        var pending: [(rank: Int, bracket: Int, local: Int)] = []
        var result: [Int: Double] = [:]
        var below = 0
        var region = 0
        let width = tally.regionCounts.count
        for rank in ranks {
            while region < width && below + tally.regionCounts[region] <= rank {
                below += tally.regionCounts[region]
                region += 1
            }
            guard region < width else { return nil }
            switch regions[region] {
            case .outside: return nil
            case .point(let value): result[rank] = value
            case .gathered(let index): pending.append((rank, index, rank - below))
            }
        }
        for index in tally.inside.indices {
            let wanted = Set(pending.lazy.filter { $0.bracket == index }.map(\.local)).sorted()
            if !wanted.isEmpty { OrderStatistics.partition(&tally.inside[index], ranks: wanted) }
        }
        for entry in pending { result[entry.rank] = tally.inside[entry.bracket][entry.local] }
        return result
    }
}
