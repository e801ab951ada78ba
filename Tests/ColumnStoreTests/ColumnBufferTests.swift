import ColumnStore
import Testing

struct ColumnBufferTests {
    @Test func countSubscriptAndArray() {
        let buffer = ColumnBuffer([1.5, -2, 4])
        #expect(buffer.count == 3)
        #expect(buffer[1] == -2)
        #expect(buffer.array == [1.5, -2, 4])
        #expect(ColumnBuffer(ContiguousArray<Int64>([7, 8])).array == [7, 8])
        #expect(ColumnBuffer([UInt8]()).count == 0)
    }

    @Test func unsafeBufferSeesEveryValue() {
        let buffer = ColumnBuffer((0..<1_000).map { Int64($0) })
        let sum = unsafe buffer.withUnsafeBufferPointer { unsafe $0.reduce(0, +) }
        #expect(sum == 499_500)
        let count = unsafe buffer.withUnsafeBufferPointer { $0.count }
        #expect(count == 1_000)
    }

    struct Stop: Error, Equatable {}

    @Test func unsafeBufferRethrowsTypedErrors() {
        let buffer = ColumnBuffer([1.0])
        #expect(throws: Stop.self) {
            try unsafe buffer.withUnsafeBufferPointer { (_) throws(Stop) -> Int in throw Stop() }
        }
    }
}
