import Foundation
import Testing

@testable import ColumnStore

struct MappedFileTests {
    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func mapsAFileReadOnly() throws {
        let bytes = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let path = try Self.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try MappedFile.open(path: path)
        #expect(file.isMapped)
        #expect(file.count == 4096)
        #expect(file.bytes(in: 10..<20) == Array(bytes[10..<20]))
        let sum = file.withBytes { span in (0..<span.count).reduce(0) { $0 + Int(span[$1]) } }
        #expect(sum == bytes.reduce(0) { $0 + Int($1) })
    }

    /// Pages handed back are read again from the file: every byte is the same after, inside and around the range
    /// (its partial first and last pages are kept), and bytes that are not a mapping ignore it.
    @Test func releasedPagesReadTheSameBytes() throws {
        let page = _MappingSyscalls.pageSize
        let bytes = (0..<(5 * page + 123)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let path = try Self.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try MappedFile.open(path: path)
        #expect(file.isMapped)
        #expect(file.bytes(in: 0..<bytes.count) == bytes)
        for (offset, length) in [(100, 3 * page), (0, bytes.count), (page, page), (page + 1, page - 2), (7, 0)] {
            file.releasePages(offset: offset, length: length)
            #expect(file.bytes(in: 0..<bytes.count) == bytes, "\(offset), \(length)")
        }
        let copy = MappedFile(copying: bytes, path: "memory")
        copy.releasePages(offset: 0, length: bytes.count)
        #expect(copy.bytes(in: 0..<bytes.count) == bytes)
    }

    @Test func emptyFilesAndCopiesAreOwned() throws {
        let path = try Self.temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let empty = try MappedFile.open(path: path)
        #expect(empty.count == 0 && !empty.isMapped)
        let copy = MappedFile(copying: [1, 2, 3], path: "memory")
        #expect(copy.count == 3 && !copy.isMapped && copy.path == "memory")
        let aligned = unsafe copy.withUnsafeBytes { Int(bitPattern: $0.baseAddress) % MappedFile.allocationAlignment }
        #expect(aligned == 0)
    }

    @Test func errorsNameThePathAndTheCall() {
        do {
            _ = try MappedFile.open(path: "/nonexistent/file")
            Issue.record("opened a missing file")
        } catch {
            #expect(error.code == .openFailed)
            #expect(error.description.hasPrefix("/nonexistent/file: open: "))
        }
        do {
            _ = try MappedFile.open(path: "/tmp")
            Issue.record("mapped a directory")
        } catch {
            #expect(error.code == .isDirectory)
        }
    }

    @Test func containsChecksRangesWithoutOverflow() {
        let file = MappedFile(copying: [UInt8](repeating: 0, count: 16))
        #expect(file.contains(offset: 0, length: 16))
        #expect(file.contains(offset: 16, length: 0))
        #expect(!file.contains(offset: 8, length: 9))
        #expect(!file.contains(offset: -1, length: 1))
        #expect(!file.contains(offset: 1, length: .max))
    }

    @Test func mappedColumnBuffersViewTheBytes() throws {
        let values: [Int64] = [7, -1, .max, .min, 0]
        let bytes = [UInt8](repeating: 0xEE, count: 8) + values.flatMap { value in
            (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        let file = MappedFile(copying: bytes)
        let buffer = try #require(ColumnBuffer<Int64>(mapping: file, byteOffset: 8, count: 5))
        #expect(buffer.isMapped)
        #expect(buffer.count == 5)
        #expect(buffer[2] == .max)
        #expect(buffer.array == ContiguousArray(values))
        let sum = unsafe buffer.withUnsafeBufferPointer { unsafe $0.reduce(0, &+) }
        #expect(sum == values.reduce(0, &+))
        // Out of range or misaligned: no buffer.
        #expect(ColumnBuffer<Int64>(mapping: file, byteOffset: 8, count: 6) == nil)
        #expect(ColumnBuffer<Int64>(mapping: file, byteOffset: 4, count: 1) == nil)
        #expect(ColumnBuffer<Int64>(mapping: file, byteOffset: 8, count: -1) == nil)
        #expect(ColumnBuffer<Double>(mapping: file, byteOffset: 48, count: 0)?.count == 0)
        // The buffer keeps the bytes alive after the last other reference is gone.
        let kept = ColumnBuffer<UInt32>(mapping: MappedFile(copying: [1, 0, 0, 0, 2, 0, 0, 0]), byteOffset: 0, count: 2)
        #expect(kept?.array == [1, 2])
        #expect(!ColumnBuffer([1.0]).isMapped)
    }

    @Test func validityFromWordsClearsTheTail() {
        let bitmap = ValidityBitmap(words: [~0, ~0], count: 70)
        #expect(bitmap.words == [~0, 0b11_1111])
        #expect(bitmap.validCount == 70)
        #expect(bitmap == ValidityBitmap(count: 70, allValid: true))
    }
}
