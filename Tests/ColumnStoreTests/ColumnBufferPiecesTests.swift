import Testing

@testable import ColumnStore

/// Values in pieces of a file read the same as the same values in one array, whichever way they are read.
struct ColumnBufferPiecesTests {
    /// `values` cut into pieces of `sizes` rows (the last takes the rest), laid in one file with a gap of 24 bytes
    /// before each piece, so that no piece follows the one before it.
    static func pieces(_ values: [Double], sizes: [Int]) -> ColumnBuffer<Double>? {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var counts: [Int] = []
        var start = 0
        for (index, size) in sizes.enumerated() {
            let count = index == sizes.count - 1 ? values.count - start : min(size, values.count - start)
            bytes += [UInt8](repeating: 0xAB, count: 24)
            offsets.append(bytes.count)
            counts.append(count)
            for value in values[start..<(start + count)] {
                bytes += (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) }
            }
            start += count
        }
        return ColumnBuffer<Double>(mapping: MappedFile(copying: bytes), byteOffsets: offsets, counts: counts)
    }

    static let shapes: [(rows: Int, sizes: [Int])] = [
        (0, [0, 0]), (1, [0, 1]), (63, [1, 62]), (64, [32, 32]), (65, [64, 1]), (2_047, [1_000, 1_000, 47]),
        (2_049, [64, 64, 64, 1_857]), (5_000, [1_024, 1_024, 1_024, 1_024, 904]), (5_000, [7, 3_000, 1, 1_992]),
        (40_000, [16_384, 16_384, 7_232]), (40_000, [100, 39_000, 900]),
    ]

    @Test(arguments: 0..<shapes.count)
    func piecesReadAsTheArray(shape: Int) throws {
        let (rows, sizes) = Self.shapes[shape]
        let values = (0..<rows).map { Double($0) * 0.5 - 7 }
        let buffer = try #require(Self.pieces(values, sizes: sizes))
        #expect(buffer.count == rows)
        #expect(buffer.isMapped)
        #expect(buffer.isContiguous == (sizes.filter { $0 > 0 }.count <= 1 || rows == 0 || sizes[0] >= rows))
        // Whole, by rows, by runs, and ranges across and inside pieces, by rows and by blocks.
        expectReads(buffer, values)
    }

    @Test func misplacedPiecesAreRefused() {
        let file = MappedFile(copying: [UInt8](repeating: 0, count: 256))
        #expect(ColumnBuffer<Double>(mapping: file, byteOffsets: [0, 12], counts: [1, 1]) == nil)  // unaligned
        #expect(ColumnBuffer<Double>(mapping: file, byteOffsets: [0, 248], counts: [1, 2]) == nil)  // past the end
        #expect(ColumnBuffer<Double>(mapping: file, byteOffsets: [0], counts: [1, 1]) == nil)
        #expect(ColumnBuffer<Int64>(mapping: file, byteOffsets: [8, 64], counts: [2, 3])?.count == 5)
    }
}
