/// The bin code of every row of a binned column: one byte per row when the column has at most 256 codes, its
/// missing-value code counted (nearly every feature: quantile bins, capped categories, time buckets), two bytes
/// otherwise.
///
/// Codes are written once and read by every counting pass after (the slicing, the time analysis, the pair search),
/// so their width is memory and bandwidth: at 10M rows and 21 columns, two-byte codes took 420 MB of fresh pages,
/// where one byte takes 210 MB.
///
/// A collection of the codes as `UInt16` whatever the width, for the code that reads rows one at a time; the
/// counting kernels read ``storage`` and run a loop specialised for its width.
public struct BinCodes: Sendable, RandomAccessCollection, Equatable, ExpressibleByArrayLiteral {
    /// The codes at their stored width.
    public enum Storage: Sendable {
        case narrow([UInt8])
        case wide([UInt16])
        /// Not kept: written again from the column when read (``CodeRecipe``).
        case remade(CodeRecipe)
    }

    public let storage: Storage

    /// One-byte codes.
    public init(_ codes: [UInt8]) { storage = .narrow(codes) }

    /// Two-byte codes, kept at two bytes.
    public init(_ codes: [UInt16]) { storage = .wide(codes) }

    /// Two-byte codes, all below `codeCount`: stored at one byte when `codeCount` is at most 256 (one pass).
    /// - Precondition: every code is below `codeCount` when that is at most 256 (checked: a code is never cut).
    public init(_ codes: [UInt16], codeCount: Int) {
        guard codeCount <= BinCodes.narrowCodeCount else {
            storage = .wide(codes)
            return
        }
        storage = .narrow(
            codes.map { code in
                precondition(Int(code) < codeCount, "code \(code) not below the code count \(codeCount)")
                return UInt8(truncatingIfNeeded: code)
            })
    }

    /// Codes that are not kept, but written again from their column by `recipe` whenever they are read: a whole
    /// column by ``materialized()``, one row by the subscript.
    public init(remadeBy recipe: CodeRecipe) { storage = .remade(recipe) }

    /// Two-byte codes, as written.
    public init(arrayLiteral elements: UInt16...) { storage = .wide(elements) }

    /// The most codes stored at one byte.
    public static let narrowCodeCount = 1 << 8

    /// Whether a column of `codeCount` codes is stored at one byte.
    public static func isNarrow(codeCount: Int) -> Bool { codeCount <= narrowCodeCount }

    /// Whether the codes are stored at one byte.
    @inlinable
    public var isNarrow: Bool {
        switch storage {
        case .narrow: true
        case .wide: false
        case .remade(let recipe): recipe.isNarrow
        }
    }

    /// Whether the codes are written again when read, instead of kept (``init(remadeBy:)``).
    public var isRemade: Bool {
        if case .remade = storage { true } else { false }
    }

    /// The codes at their stored width: these codes when they are kept, else written again (a new array at each
    /// call, which the caller lets go when done with it).
    public func materialized() -> BinCodes {
        guard case .remade(let recipe) = storage else { return self }
        return recipe.all()
    }

    /// ``materialized()``, written a ``GroupBy/blockRows``-row block per job on `threads` threads when the recipe
    /// writes blocks (one thread, otherwise).
    public func materialized(threads: Int) -> BinCodes {
        guard case .remade(let recipe) = storage else { return self }
        guard threads > 1, recipe.writesBlocks, recipe.count > GroupBy.blockRows else { return recipe.all() }
        let rows = recipe.count
        let blockCount = (rows + GroupBy.blockRows - 1) / GroupBy.blockRows
        func written<Code: FixedWidthInteger & UnsignedInteger>(_ codeType: Code.Type) -> [Code] {
            unsafe [Code](writingCapacity: rows) { output, initialized in
                let codes = unsafe output
                _ = Parallel.map(count: blockCount, threads: threads) { block -> Bool in
                    let range = block * GroupBy.blockRows..<Swift.min((block + 1) * GroupBy.blockRows, rows)
                    func copy<Written: FixedWidthInteger>(_ written: [Written]) {
                        for (offset, row) in range.enumerated() {
                            // Safe: row < rows, the buffer's count; each block is written by one worker only.
                            unsafe codes.initializeElement(at: row, to: Code(truncatingIfNeeded: written[offset]))
                        }
                    }
                    switch recipe.codes(rows: range).storage {
                    case .narrow(let written): copy(written)
                    case .wide(let written): copy(written)
                    case .remade: preconditionFailure("a recipe writes kept codes")
                    }
                    return true
                }
                initialized = rows
            }
        }
        return recipe.isNarrow ? BinCodes(written(UInt8.self)) : BinCodes(written(UInt16.self))
    }

    @inlinable
    public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int {
        switch storage {
        case .narrow(let codes): codes.count
        case .wide(let codes): codes.count
        case .remade(let recipe): recipe.count
        }
    }

    /// Inlined where it is read (a call and a switch per row cost the joint model's loops a third of their time).
    @inlinable
    public subscript(row: Int) -> UInt16 {
        switch storage {
        case .narrow(let codes): UInt16(codes[row])
        case .wide(let codes): codes[row]
        case .remade(let recipe): recipe.code(row)
        }
    }

    /// Equal codes row by row, whatever their widths. The same stored array compares in O(1).
    public static func == (lhs: BinCodes, rhs: BinCodes) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.narrow(let left), .narrow(let right)): left == right
        case (.wide(let left), .wide(let right)): left == right
        case (.remade(let left), .remade(let right)) where left === right: true
        default: lhs.materialized().elementsEqual(rhs.materialized())
        }
    }

    /// The codes as two-byte codes (a copy when stored at one byte).
    public var wide: [UInt16] {
        switch storage {
        case .narrow(let codes): codes.map(UInt16.init)
        case .wide(let codes): codes
        case .remade: materialized().wide
        }
    }

    /// The codes of `rows`, in that order, at the same width.
    public func gathered(_ rows: [Int]) -> BinCodes {
        switch storage {
        case .narrow(let codes): BinCodes(rows.map { codes[$0] })
        case .wide(let codes): BinCodes(rows.map { codes[$0] })
        // One row at a time: a sample of a column is not worth writing the column for.
        case .remade(let recipe):
            recipe.rememberedCodes(of: rows)
                ?? (recipe.isNarrow
                    ? BinCodes(rows.map { UInt8(truncatingIfNeeded: recipe.code($0)) })
                    : BinCodes(rows.map(recipe.code)))
        }
    }

    /// The codes of the rows where `keep` is true, in row order, at the same width.
    /// - Precondition: `keep.count == count`.
    public func compacted(keep: [Bool]) -> BinCodes {
        precondition(keep.count == count, "one keep flag per row")
        func kept<Code>(_ codes: [Code]) -> [Code] {
            var result: [Code] = []
            result.reserveCapacity(codes.count)
            for row in 0..<codes.count where keep[row] { result.append(codes[row]) }
            return result
        }
        switch storage {
        case .narrow(let codes): return BinCodes(kept(codes))
        case .wide(let codes): return BinCodes(kept(codes))
        case .remade: return materialized().compacted(keep: keep)
        }
    }
}

extension BinCodes {
    /// Each of `codes` at its stored width (``materialized()``), codes that are written again written once however
    /// often they appear (the same recipe): a feature followed in several slices is one column, not one per slice.
    public static func materializedOnce(_ codes: [BinCodes]) -> [BinCodes] {
        var written: [ObjectIdentifier: BinCodes] = [:]
        return codes.map { codes in
            guard case .remade(let recipe) = codes.storage else { return codes }
            if let done = written[ObjectIdentifier(recipe)] { return done }
            let done = recipe.all()
            written[ObjectIdentifier(recipe)] = done
            return done
        }
    }
}

extension BinCodes {
    /// The codes of an ascending list of rows, picked from a column's codes a block at a time as they are written
    /// (``GroupBy/aggregate(blocksOf:groupCount:outcomes:eachBlock:)``): what ``gathered(_:)`` gives from codes
    /// kept whole, without writing each row's code again on its own.
    public struct Gathering {
        /// The rows, ascending.
        public let rows: [Int]
        private let isNarrow: Bool
        private var picked: [UInt16] = []
        /// The first row not yet picked.
        private var next = 0

        /// - Precondition: `rows` ascending (``isAscending(_:)``).
        public init(rows: [Int], isNarrow: Bool) {
            precondition(Self.isAscending(rows), "rows gathered in order")
            self.rows = rows
            self.isNarrow = isNarrow
            picked.reserveCapacity(rows.count)
        }

        /// Whether each row of `rows` is after the one before: what gathering block by block needs.
        public static func isAscending(_ rows: [Int]) -> Bool {
            rows.indices.dropFirst().allSatisfy { rows[$0 - 1] < rows[$0] }
        }

        /// Picks the rows of `block` from its codes.
        /// - Precondition: blocks come in row order, each after the last; `codes` are the block's own.
        public mutating func add(_ codes: BinCodes, rows block: Range<Int>) {
            precondition(codes.count == block.count, "a code per row of the block")
            while next < rows.count && rows[next] < block.upperBound {
                precondition(rows[next] >= block.lowerBound, "blocks in row order")
                picked.append(codes[rows[next] - block.lowerBound])
                next += 1
            }
        }

        /// The rows' codes, in the order of `rows`, at the column's width.
        /// - Precondition: every row was in a block added.
        public var codes: BinCodes {
            precondition(picked.count == rows.count, "rows left to gather")
            return isNarrow ? BinCodes(picked.map { UInt8(truncatingIfNeeded: $0) }) : BinCodes(picked)
        }
    }
}

/// How to write a column's bin codes again from the column, which is kept (memory-mapped) where its codes are not:
/// every row's code at once (with the binning kernels), or one row's.
public final class CodeRecipe: Sendable {
    /// The number of rows.
    public let count: Int
    /// Whether the codes are one byte each.
    public let isNarrow: Bool
    private let writeAll: @Sendable () -> BinCodes
    private let writeBlock: (@Sendable (Range<Int>) -> BinCodes)?
    private let writeOne: @Sendable (Int) -> UInt16
    /// Lists of rows whose codes were gathered before the codes were let go, with those codes.
    private let remembered: [(rows: [Int], codes: BinCodes)]

    /// - Parameters:
    ///   - all: Writes every row's code, kept (never remade), at the width `isNarrow` says.
    ///   - block: Writes the codes of a range of rows, equal to that range of `all()`, when the kernels can (nil:
    ///     ``codes(rows:)`` takes them one row at a time).
    ///   - one: The code of one row, equal to `all()[row]`.
    public init(
        count: Int, isNarrow: Bool, all: @escaping @Sendable () -> BinCodes,
        block: (@Sendable (Range<Int>) -> BinCodes)? = nil, one: @escaping @Sendable (Int) -> UInt16
    ) {
        self.count = count
        self.isNarrow = isNarrow
        writeAll = all
        writeBlock = block
        writeOne = one
        remembered = []
    }

    private init(_ recipe: CodeRecipe, remembering more: [(rows: [Int], codes: BinCodes)]) {
        count = recipe.count
        isNarrow = recipe.isNarrow
        writeAll = recipe.writeAll
        writeBlock = recipe.writeBlock
        writeOne = recipe.writeOne
        remembered = recipe.remembered + more
    }

    /// Whether ``codes(rows:)`` writes a block with the kernels, not one row at a time: what the codes must have
    /// to be counted a block at a time without ever being written whole.
    public var writesBlocks: Bool { writeBlock != nil }

    /// This recipe, with the codes of some lists of rows at hand (gathered from the codes before they were let go):
    /// ``BinCodes/gathered(_:)`` of one of those lists returns them, where it would write each row's code again.
    /// - Precondition: `codes[i]` are the codes of `rows[i]`, kept (not remade).
    public func remembering(_ rows: [[Int]], codes: [BinCodes]) -> CodeRecipe {
        precondition(rows.count == codes.count, "one list of codes per list of rows")
        for (list, gathered) in zip(rows, codes) {
            precondition(
                list.count == gathered.count && !gathered.isRemade && gathered.isNarrow == isNarrow,
                "codes of other rows")
        }
        return CodeRecipe(self, remembering: Array(zip(rows, codes)))
    }

    /// The codes remembered for exactly `rows`, if any.
    func rememberedCodes(of rows: [Int]) -> BinCodes? {
        remembered.first { $0.rows == rows }?.codes
    }

    /// Every row's code.
    public func all() -> BinCodes {
        let codes = writeAll()
        precondition(!codes.isRemade && codes.count == count && codes.isNarrow == isNarrow, "a recipe of other codes")
        return codes
    }

    /// The codes of `rows`, kept, at the width `isNarrow` says.
    public func codes(rows: Range<Int>) -> BinCodes {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows out of range")
        guard let writeBlock else {
            return isNarrow
                ? BinCodes(rows.map { UInt8(truncatingIfNeeded: writeOne($0)) }) : BinCodes(rows.map(writeOne))
        }
        let codes = writeBlock(rows)
        precondition(
            !codes.isRemade && codes.count == rows.count && codes.isNarrow == isNarrow, "a recipe of other codes")
        return codes
    }

    /// Calls `body` with each block of ``GroupBy/blockRows`` rows and its codes (``codes(rows:)``), in row order: the
    /// blocks the counting kernels merge in, so that codes counted this way give the same results as kept ones.
    public func forEachBlock(_ body: (_ rows: Range<Int>, _ codes: BinCodes) -> Void) {
        for start in stride(from: 0, to: count, by: GroupBy.blockRows) {
            let rows = start..<min(start + GroupBy.blockRows, count)
            body(rows, codes(rows: rows))
        }
    }

    /// The code of `row`.
    @inlinable
    public func code(_ row: Int) -> UInt16 { _code(row) }

    @usableFromInline
    func _code(_ row: Int) -> UInt16 {
        precondition(row >= 0 && row < count, "row out of range")
        return writeOne(row)
    }
}
