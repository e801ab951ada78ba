/// Axis ticks at "nice" values (1, 2 or 5 times a power of ten) that cover a data range: the loose labelling of
/// Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
///
/// Values are computed as integer multiples of the step divided by an exact power of ten, so `0.3` is the double
/// nearest 0.3 (not `0.30000000000000004`), and no libm call is involved: the ticks are the same on every platform.
struct NiceTicks: Equatable {
    /// The first tick, at or below the data minimum.
    var lower: Double
    /// The last tick, at or above the data maximum.
    var upper: Double
    /// The distance between ticks.
    var step: Double
    /// Every tick from `lower` to `upper`.
    var values: [Double]
    /// Decimals needed to print the ticks exactly: `max(-floor(log10(step)), 0)`.
    var fractionDigits: Int

    /// Ticks covering `minimum...maximum`, about `count` of them.
    /// - Parameters:
    ///   - integers: never use a step below 1 (for counts).
    /// - Complexity: O(number of ticks).
    init(minimum: Double, maximum: Double, count: Int = 5, integers: Bool = false) {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if low > high { swap(&low, &high) }
        if low == high {
            // A flat range: open it around the value so the axis still has a scale.
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= low == 0 ? 0 : pad
            high += pad
        }
        let range = Self.nice(high - low, round: false)
        var step = Self.nice(range.value / Double(max(count - 1, 1)), round: true)
        if integers && step.value < 1 { step = (value: 1, mantissa: 1, exponent: 0) }
        // A small tolerance keeps 0.3 / 0.1 = 2.9999999999999996 from adding a tick below the data.
        let tolerance = 1e-9
        guard abs(low / step.value) < 1e15, abs(high / step.value) < 1e15 else {
            // The range is too narrow for its magnitude to be divided into steps: label its two ends.
            self.lower = low
            self.upper = high
            self.step = high - low
            self.values = [low, high]
            self.fractionDigits = max(-step.exponent, 0)
            return
        }
        let first = Int((low / step.value + tolerance).rounded(.down))
        let last = Int((high / step.value - tolerance).rounded(.up))
        var values: [Double] = []
        for index in first...max(first, last) {
            values.append(Self.value(index * step.mantissa, exponent: step.exponent))
        }
        self.lower = values.first ?? low
        self.upper = values.last ?? high
        self.step = step.value
        self.values = values
        self.fractionDigits = max(-step.exponent, 0)
    }

    /// Heckbert's `nicenum`: a number of the form m × 10^e with m in {1, 2, 5, 10} near `x` (rounded when
    /// `round`, else the smallest such number at or above `x`).
    static func nice(_ x: Double, round: Bool) -> (value: Double, mantissa: Int, exponent: Int) {
        guard x > 0, x.isFinite else { return (1, 1, 0) }
        var exponent = Int(x.log10Floor)
        let fraction = x / HumanFormat.power10(exponent)
        var mantissa: Int
        if round {
            mantissa = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            mantissa = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        if mantissa == 10 { mantissa = 1; exponent += 1 }
        return (value(mantissa, exponent: exponent), mantissa, exponent)
    }

    /// `multiple × 10^exponent`, correctly rounded (a division by an exact power of ten for negative exponents).
    static func value(_ multiple: Int, exponent: Int) -> Double {
        exponent >= 0
            ? Double(multiple) * HumanFormat.power10(exponent)
            : Double(multiple) / HumanFormat.power10(-exponent)
    }

    /// Ticks for a log axis over `minimum...maximum` (both positive): the 1-2-5 sequence when it gives at most
    /// `maximumCount` ticks, else 1-3 or powers of ten only (every other one if still too many).
    static func logarithmic(minimum: Double, maximum: Double, maximumCount: Int = 8) -> [Double] {
        guard minimum > 0, maximum >= minimum, minimum.isFinite, maximum.isFinite else { return [1] }
        let lowExponent = Int(minimum.log10Floor)
        let highExponent = Int(maximum.log10Floor)
        for mantissas in [[1, 2, 5], [1, 3], [1]] {
            var ticks: [Double] = []
            for exponent in lowExponent...highExponent {
                for mantissa in mantissas {
                    let tick = value(mantissa, exponent: exponent)
                    if tick >= minimum * (1 - 1e-9) && tick <= maximum * (1 + 1e-9) { ticks.append(tick) }
                }
            }
            if ticks.count <= maximumCount { return ticks }
            if mantissas == [1] {
                let stride = (ticks.count + maximumCount - 1) / maximumCount
                return ticks.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
            }
        }
        return [1]
    }
}
