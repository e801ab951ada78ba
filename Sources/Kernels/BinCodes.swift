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

    /// Two-byte codes, as written.
    public init(arrayLiteral elements: UInt16...) { storage = .wide(elements) }

    /// The most codes stored at one byte.
    public static let narrowCodeCount = 1 << 8

    /// Whether a column of `codeCount` codes is stored at one byte.
    public static func isNarrow(codeCount: Int) -> Bool { codeCount <= narrowCodeCount }

    /// Whether the codes are stored at one byte.
    @inlinable
    public var isNarrow: Bool {
        if case .narrow = storage { true } else { false }
    }

    @inlinable
    public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int {
        switch storage {
        case .narrow(let codes): codes.count
        case .wide(let codes): codes.count
        }
    }

    /// Inlined where it is read (a call and a switch per row cost the joint model's loops a third of their time).
    @inlinable
    public subscript(row: Int) -> UInt16 {
        switch storage {
        case .narrow(let codes): UInt16(codes[row])
        case .wide(let codes): codes[row]
        }
    }

    /// Equal codes row by row, whatever their widths. The same stored array compares in O(1).
    public static func == (lhs: BinCodes, rhs: BinCodes) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.narrow(let left), .narrow(let right)): left == right
        case (.wide(let left), .wide(let right)): left == right
        default: lhs.elementsEqual(rhs)
        }
    }

    /// The codes as two-byte codes (a copy when stored at one byte).
    public var wide: [UInt16] {
        switch storage {
        case .narrow(let codes): codes.map(UInt16.init)
        case .wide(let codes): codes
        }
    }

    /// The codes of `rows`, in that order, at the same width.
    public func gathered(_ rows: [Int]) -> BinCodes {
        switch storage {
        case .narrow(let codes): BinCodes(rows.map { codes[$0] })
        case .wide(let codes): BinCodes(rows.map { codes[$0] })
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
        }
    }
}
