import Testing
import _TestSupport

@testable import ColumnStore

/// Integers stored narrower than the buffer's elements read as the same values widened into an array, whichever way
/// they are read, in one piece or several, mapped or held.
struct ColumnBufferNarrowTests {
    /// `values` stored as `Stored`, cut into pieces of `sizes` rows (the last takes the rest), laid in one file with
    /// 3 bytes before each piece, so that pieces are neither aligned nor adjacent.
    static func narrow<Stored: FixedWidthInteger & BitwiseCopyable, Element: FixedWidthInteger & BitwiseCopyable>(
        _ values: [Stored], sizes: [Int], as element: Element.Type
    ) -> ColumnBuffer<Element>? {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var counts: [Int] = []
        var start = 0
        for (index, size) in sizes.enumerated() {
            let count = index == sizes.count - 1 ? values.count - start : min(size, values.count - start)
            bytes += [0xCD, 0xCD, 0xCD]
            offsets.append(bytes.count)
            counts.append(count)
            for value in values[start..<(start + count)] {
                bytes += (0..<(Stored.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
            }
            start += count
        }
        return ColumnBuffer<Element>(
            mapping: MappedFile(copying: bytes), byteOffsets: offsets, counts: counts, storedAs: Stored.self)
    }

    static let shapes: [(rows: Int, sizes: [Int])] = [
        (0, [0]), (1, [1]), (63, [1, 62]), (64, [64]), (65, [64, 1]), (2_047, [1_000, 1_000, 47]),
        (4_097, [4_096, 1]), (9_000, [9_000]), (9_000, [7, 4_100, 1, 4_892]), (40_000, [16_384, 16_384, 7_232]),
    ]

    /// Seeded values over the whole range of `T`, extremes included.
    static func values<T: FixedWidthInteger>(_ count: Int, _: T.Type) -> [T] {
        var generator = SeededRandom(seed: UInt64(count) &+ UInt64(T.bitWidth))
        return (0..<count).map { row in
            row % 97 == 0 ? T.min : row % 89 == 0 ? T.max : T(truncatingIfNeeded: generator.next())
        }
    }

    @Test(arguments: 0..<shapes.count)
    func signedAndUnsignedWidenToInt64(shape: Int) throws {
        let (rows, sizes) = Self.shapes[shape]
        func check<Stored: FixedWidthInteger & BitwiseCopyable>(_ type: Stored.Type) throws {
            let stored = Self.values(rows, Stored.self)
            let buffer = try #require(Self.narrow(stored, sizes: sizes, as: Int64.self))
            // No rows make an empty owned buffer; any row, narrow storage in place.
            #expect(buffer.isMapped == (rows > 0))
            #expect(buffer.isContiguous == (rows == 0))
            #expect(rows == 0 || buffer.storedBytesPerValue == Stored.bitWidth / 8)
            expectReads(buffer, stored.map { Int64($0) })
        }
        try check(Int8.self)
        try check(UInt8.self)
        try check(Int16.self)
        try check(UInt16.self)
        try check(Int32.self)
        try check(UInt32.self)
    }

    @Test(arguments: 0..<shapes.count)
    func unsignedCodesWidenToUInt32(shape: Int) throws {
        let (rows, sizes) = Self.shapes[shape]
        let bytes = Self.values(rows, UInt8.self)
        expectReads(try #require(Self.narrow(bytes, sizes: sizes, as: UInt32.self)), bytes.map { UInt32($0) })
        let halves = Self.values(rows, UInt16.self)
        expectReads(try #require(Self.narrow(halves, sizes: sizes, as: UInt32.self)), halves.map { UInt32($0) })
        let held = ColumnBuffer<UInt32>(narrow: ContiguousArray(halves))
        #expect(!held.isMapped)
        expectReads(held, halves.map { UInt32($0) })
    }

    @Test func narrowStorageIsRefusedWhereValuesWouldChange() {
        let file = MappedFile(copying: [UInt8](repeating: 0, count: 64))
        // Negative int32 values have no UInt32; a stored type as wide as the elements is not narrow.
        #expect(ColumnBuffer<UInt32>(mapping: file, byteOffsets: [0], counts: [4], storedAs: Int32.self) == nil)
        #expect(ColumnBuffer<UInt32>(mapping: file, byteOffsets: [0], counts: [4], storedAs: Int8.self) == nil)
        #expect(ColumnBuffer<Int64>(mapping: file, byteOffsets: [0], counts: [4], storedAs: Int64.self) == nil)
        // Past the end, or counts that do not match the offsets.
        #expect(ColumnBuffer<Int64>(mapping: file, byteOffsets: [0, 60], counts: [1, 2], storedAs: Int32.self) == nil)
        #expect(ColumnBuffer<Int64>(mapping: file, byteOffsets: [0], counts: [1, 1], storedAs: Int16.self) == nil)
        let unaligned = ColumnBuffer<Int64>(mapping: file, byteOffsets: [1, 33], counts: [8, 15], storedAs: Int16.self)
        #expect(unaligned?.count == 23)
    }

    @Test func codesBuilderWidensAsTheDictionaryGrows() {
        var builder = _NarrowCodesBuilder(reservingCapacity: 300_000)
        var expected: [UInt32] = []
        func append(_ codes: [UInt32]) {
            let bound = Int((expected + codes).max() ?? 0) + 1
            expected += codes
            ContiguousArray(codes).withSpan { builder.append($0, below: bound) }
        }
        append((0..<1_000).map { UInt32($0 % 200) })
        #expect(builder.width == 1)
        append((0..<1_000).map { UInt32($0 % 256) })
        #expect(builder.width == 1)
        append([256, 3, 999])
        #expect(builder.width == 2)
        append((0..<100_000).map { UInt32($0 % 65_536) })
        #expect(builder.width == 2)
        append((0..<150_000).map { UInt32($0 * 7 % 70_001) })
        #expect(builder.width == 4)
        #expect(builder.count == expected.count)
        let built = builder.build()
        #expect(built.storedBytesPerValue == 4)
        #expect(Array(built.array) == expected)

        var small = _NarrowCodesBuilder(reservingCapacity: 4)
        ContiguousArray<UInt32>([0, 1, 0, 2]).withSpan { small.append($0, below: 3) }
        let codes = small.build()
        #expect(codes.storedBytesPerValue == 1)
        #expect(Array(codes.array) == [0, 1, 0, 2])
    }
}

extension ContiguousArray {
    fileprivate func withSpan<R>(_ body: (Span<Element>) -> R) -> R { body(span) }
}
