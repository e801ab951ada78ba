/// Parses the numeric cells of a CSV file: integers and decimal or scientific floats, in the syntax pandas accepts.
///
/// Accepted text, with no surrounding whitespace (unlike pandas, `" 12"` is text, not a number):
/// ```
/// number   = [sign] (digits ["." [digits]] | "." digits) [("e" | "E") [sign] digits]
/// infinity = [sign] ("inf" | "infinity")        (any letter case)
/// integer  = [sign] digits                        (a number without "." or exponent)
/// ```
/// Conversion to `Double` is correctly rounded (the value Python's `float(text)` gives): W. D. Clinger's exact fast
/// path ("How to Read Floating Point Numbers Accurately", PLDI 1990) handles a mantissa of at most 2^53 with a
/// decimal exponent in -22...22, where one IEEE multiplication or division of two exact values rounds once; every
/// other case goes to the C library's `strtod`, which glibc rounds correctly.
enum _DecimalParser {
    /// The shape of a numeric cell.
    enum Kind: Equatable {
        /// Digits with an optional sign.
        case integer
        /// A fraction or an exponent.
        case decimal
        /// `inf` or `infinity`.
        case infinity
    }

    /// A scanned number: `±mantissa × 10^exponent`, where `mantissa` holds the first 19 significant digits.
    struct Scan {
        var kind: Kind
        var negative: Bool
        var mantissa: UInt64
        var exponent: Int
        /// Whether nonzero digits beyond the first 19 significant ones were dropped.
        var truncated: Bool

        /// The value as an `Int64`, when the cell is an integer that fits.
        @inline(__always)
        var int64Value: Int64? {
            guard kind == .integer, exponent == 0 else { return nil }
            if negative {
                if mantissa <= UInt64(Int64.max) { return -Int64(mantissa) }
                return mantissa == UInt64(Int64.max) + 1 ? Int64.min : nil
            }
            return mantissa <= UInt64(Int64.max) ? Int64(mantissa) : nil
        }
    }

    private static let maximumMantissaDigits = 19
    /// Up to 18 digits always fit in `Int64`.
    private static let maximumFastIntegerDigits = 18
    /// Larger exponents are clamped: they already mean overflow to infinity or underflow to zero.
    private static let exponentClamp = 100_000
    /// The largest integer below which every integer is exactly representable as a Double.
    private static let exactIntegerLimit: UInt64 = 1 << 53
    /// The largest power of ten that is an exact Double.
    private static let maximumExactPowerOfTen = 22

    /// 10^`exponent` for 0...22, all exact Doubles (a switch over literals needs no lazy initialization).
    @inline(__always)
    private static func exactPowerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    private static let plus = UInt8(ascii: "+")
    private static let minus = UInt8(ascii: "-")
    private static let dot = UInt8(ascii: ".")
    private static let zero = UInt8(ascii: "0")

    /// The value of an integer cell that fits in `Int64`, or `nil` for anything else.
    @inline(__always)
    static func int64(_ text: Span<UInt8>) -> Int64? {
        let count = text.count
        guard count > 0, count <= maximumFastIntegerDigits else { return scan(text)?.int64Value }
        // At most 18 characters: at most 18 digits, which always fit.
        var index = 0
        let first = text[0]
        let negative = first == minus
        if negative || first == plus {
            guard count > 1 else { return nil }
            index = 1
        }
        var value: Int64 = 0
        while index < count {
            let digit = text[index] &- zero
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    /// Scans `text`, or returns `nil` when it is not a number.
    ///
    /// - Parameter integerFastPath: whether to try the plain-integer path first (not worth it in float columns).
    /// - Complexity: O(n) in the length of `text`.
    @inline(__always)
    static func scan(_ text: Span<UInt8>, integerFastPath: Bool = true) -> Scan? {
        let count = text.count
        var index = 0
        var negative = false
        guard count > 0 else { return nil }
        if integerFastPath, count <= maximumFastIntegerDigits {
            // Fast path for plain unsigned integers (ids, counts, labels): they cannot overflow here.
            var value: UInt64 = 0
            while index < count {
                let digit = text[index] &- zero
                guard digit < 10 else { break }
                value = value &* 10 &+ UInt64(digit)
                index += 1
            }
            if index == count {
                return Scan(kind: .integer, negative: false, mantissa: value, exponent: 0, truncated: false)
            }
            index = 0
        }
        let first = text[0]
        if first == plus || first == minus {
            negative = first == minus
            index = 1
            guard count > 1 else { return nil }
        }
        if text[index] | 0x20 == UInt8(ascii: "i") {
            return isInfinity(text, from: index)
                ? Scan(
                    kind: .infinity, negative: negative, mantissa: 0,
                    exponent: 0, truncated: false) : nil
        }

        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var truncated = false
        var kind = Kind.integer

        let integerStart = index
        let integerPart = accumulateDigits(
            text, from: index, mantissa: &mantissa, significantDigits: &significantDigits, truncated: &truncated)
        exponent += integerPart.dropped
        index = integerPart.end
        var digitCount = index - integerStart
        if index < count, text[index] == dot {
            kind = .decimal
            let fractionStart = index + 1
            let fraction = accumulateDigits(
                text, from: fractionStart, mantissa: &mantissa, significantDigits: &significantDigits,
                truncated: &truncated)
            index = fraction.end
            digitCount += index - fractionStart
            exponent -= index - fractionStart - fraction.dropped
        }
        guard digitCount > 0 else { return nil }
        if index < count, text[index] | 0x20 == UInt8(ascii: "e") {
            kind = .decimal
            index += 1
            var exponentNegative = false
            if index < count, text[index] == plus || text[index] == minus {
                exponentNegative = text[index] == minus
                index += 1
            }
            var explicit = 0
            var exponentDigits = 0
            while index < count {
                let digit = text[index] &- zero
                guard digit < 10 else { break }
                if explicit < exponentClamp { explicit = explicit * 10 + Int(digit) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -explicit : explicit
        }
        guard index == count else { return nil }
        return Scan(kind: kind, negative: negative, mantissa: mantissa, exponent: exponent, truncated: truncated)
    }

    /// Reads the digits at `start` into `mantissa`, keeping at most 19 significant ones.
    ///
    /// Leading zeros of a still-zero mantissa are skipped (neither kept nor dropped); eight digits at a time are
    /// converted with the SWAR method of fast_float (D. Lemire, "Number Parsing at a Gigabyte per Second", 2021).
    /// - Returns: where the digits end, and how many were dropped beyond the 19 kept.
    @inline(__always)
    private static func accumulateDigits(
        _ text: Span<UInt8>, from start: Int, mantissa: inout UInt64, significantDigits: inout Int,
        truncated: inout Bool
    ) -> (end: Int, dropped: Int) {
        let count = text.count
        var index = start
        var dropped = 0
        if mantissa == 0 {
            while index < count, text[index] == zero { index += 1 }
        }
        if index + eightDigits <= count, significantDigits + eightDigits <= maximumMantissaDigits {
            // Safe: a RawSpan view of the same bytes, used only within this call.
            let raw = unsafe text.bytes
            repeat {
                let word = _ByteWords.word(raw, at: index)
                guard isEightDigits(word) else { break }
                mantissa = mantissa &* 100_000_000 &+ eightDigitValue(word)
                significantDigits += eightDigits
                index += eightDigits
            } while index + eightDigits <= count && significantDigits + eightDigits <= maximumMantissaDigits
        }
        while index < count {
            let digit = text[index] &- zero
            guard digit < 10 else { break }
            if significantDigits < maximumMantissaDigits {
                if mantissa != 0 || digit != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                }
            } else {
                dropped += 1
                if digit != 0 { truncated = true }
            }
            index += 1
        }
        return (index, dropped)
    }

    private static let eightDigits = 8

    /// Whether all 8 bytes of a little-endian word are ASCII digits.
    @inline(__always)
    private static func isEightDigits(_ word: UInt64) -> Bool {
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        return (word & high) | (((word &+ 0x0606_0606_0606_0606) & high) >> 4) == 0x3333_3333_3333_3333
    }

    /// The value of 8 ASCII digits in a little-endian word (the first digit in the lowest byte).
    @inline(__always)
    private static func eightDigitValue(_ word: UInt64) -> UInt64 {
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let multiplier1: UInt64 = 100 + (1_000_000 << 32)
        let multiplier2: UInt64 = 1 + (10_000 << 32)
        var value = word &- 0x3030_3030_3030_3030
        value = (value &* 10) &+ (value >> 8)
        value = (((value & mask) &* multiplier1) &+ (((value >> 16) & mask) &* multiplier2)) >> 32
        return value & 0xFFFF_FFFF
    }

    /// Whether `text[start...]` is `inf` or `infinity`, in any letter case.
    private static func isInfinity(_ text: Span<UInt8>, from start: Int) -> Bool {
        let word = "infinity".utf8
        let length = text.count - start
        guard length == 3 || length == word.count else { return false }
        for (offset, letter) in word.prefix(length).enumerated() where text[start + offset] | 0x20 != letter {
            return false
        }
        return true
    }

    /// The correctly rounded Double of a scanned number.
    ///
    /// - Parameters:
    ///   - scan: the result of `scan(text)`.
    ///   - text: the same text, for the `strtod` fallback.
    ///   - scratch: reusable storage for the fallback's NUL-terminated copy.
    ///   - strtodUsable: whether the C locale's decimal point is `.`; when it is not, the fallback uses the Swift
    ///     standard library's (also correctly rounded) parser instead.
    static func doubleValue(
        _ scan: Scan, text: Span<UInt8>, scratch: inout [CChar], strtodUsable: Bool
    ) -> Double {
        switch scan.kind {
        case .infinity:
            return scan.negative ? -.infinity : .infinity
        case .integer, .decimal:
            if scan.mantissa == 0 { return scan.negative ? -0.0 : 0.0 }
            if !scan.truncated, scan.mantissa <= exactIntegerLimit,
                scan.exponent >= -maximumExactPowerOfTen, scan.exponent <= maximumExactPowerOfTen
            {
                // Clinger's fast path: both operands are exact, so the one IEEE operation rounds correctly.
                var value = Double(scan.mantissa)
                if scan.exponent < 0 {
                    value /= exactPowerOfTen(-scan.exponent)
                } else {
                    value *= exactPowerOfTen(scan.exponent)
                }
                return scan.negative ? -value : value
            }
            if strtodUsable { return _UnsafeLibC.strtod(text, scratch: &scratch) }
            var copy = ""
            copy.reserveCapacity(text.count)
            for index in text.indices { copy.unicodeScalars.append(Unicode.Scalar(text[index])) }
            return Double(copy) ?? .nan
        }
    }
}
