import Testing
import _TestSupport

@testable import Ingest

/// `_UTF8Validation` agrees with the standard library's validation.
struct UTF8ValidationTests {
    /// (`#expect` cannot take a `Span` argument directly.)
    private func isValid(_ bytes: [UInt8]) -> Bool { _UTF8Validation.isValid(bytes.span) }

    @Test func knownSequences() {
        let valid: [[UInt8]] = [
            [], Array("plain ascii text".utf8), Array("é€😀".utf8), [0xED, 0x9F, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],
            [0xEF, 0xBF, 0xBF],
        ]
        let invalid: [[UInt8]] = [
            [0x80], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], Array("abcdefgh".utf8) + [0xFF], [0xC3, 0x28],
        ]
        for bytes in valid { #expect(isValid(bytes), "\(bytes)") }
        for bytes in invalid { #expect(!isValid(bytes), "\(bytes)") }
    }

    @Test func randomBytesAgreeWithTheStandardLibrary() {
        var random = SeededRandom(seed: 8)
        // Bytes drawn mostly from ranges where UTF-8 is decided (lead and continuation bytes), plus ASCII runs.
        let pools: [ClosedRange<UInt8>] = [
            0x00...0x7F, 0x80...0xBF, 0xC0...0xDF, 0xE0...0xEF, 0xF0...0xF7, 0xF8...0xFF,
        ]
        for _ in 0..<50_000 {
            let length = Int(random.next() % 12)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                let pool = pools[Int(random.next() % UInt64(pools.count))]
                bytes.append(pool.lowerBound &+ UInt8(random.next() % UInt64(pool.count)))
            }
            let reference = String(validating: bytes, as: UTF8.self) != nil
            #expect(isValid(bytes) == reference, "\(bytes)")
        }
    }
}
