import Foundation

/// Maps a continuous domain linearly onto a pixel range (which may run backwards, as y axes do).
struct LinearScale: Equatable {
    var domainLower: Double
    var domainUpper: Double
    var rangeStart: Double
    var rangeEnd: Double

    /// The pixel position of `value`; the domain's middle when the domain is empty.
    func callAsFunction(_ value: Double) -> Double {
        let span = domainUpper - domainLower
        guard span != 0 else { return (rangeStart + rangeEnd) / 2 }
        return rangeStart + (value - domainLower) / span * (rangeEnd - rangeStart)
    }

    /// `value` clamped to the domain, then mapped.
    func clamped(_ value: Double) -> Double {
        self(min(max(value, min(domainLower, domainUpper)), max(domainLower, domainUpper)))
    }
}

/// Maps a positive domain onto a pixel range on a logarithmic scale (odds ratios: 0.5 and 2 are equally far
/// from 1).
struct LogScale: Equatable {
    var domainLower: Double
    var domainUpper: Double
    var rangeStart: Double
    var rangeEnd: Double

    /// The pixel position of `value` (> 0); values outside the domain are clamped to its ends.
    func callAsFunction(_ value: Double) -> Double {
        guard domainLower > 0, domainUpper > domainLower else { return (rangeStart + rangeEnd) / 2 }
        let clampedValue = min(max(value, domainLower), domainUpper)
        let fraction =
            (Foundation.log(clampedValue) - Foundation.log(domainLower))
            / (Foundation.log(domainUpper) - Foundation.log(domainLower))
        return rangeStart + fraction * (rangeEnd - rangeStart)
    }
}

/// Splits a pixel range into `count` equal bands with padding between and around them (a categorical axis).
///
/// ```
///  outer |  band  | inner |  band  | inner |  band  | outer
///        ^ start(0)       ^ start(1)
///        |<-- step ------>|
/// ```
struct BandScale: Equatable {
    var count: Int
    var rangeStart: Double
    var rangeEnd: Double
    /// Fraction of a step left empty between bands.
    var paddingInner: Double = 0.2
    /// Fraction of a step left empty before the first and after the last band.
    var paddingOuter: Double = 0.1

    /// The distance from one band's start to the next.
    var step: Double {
        let slots = Double(max(count, 1)) - paddingInner + 2 * paddingOuter
        return (rangeEnd - rangeStart) / max(slots, 1e-9)
    }

    /// The width of one band.
    var bandwidth: Double { step * (1 - paddingInner) }

    /// Where band `index` starts.
    func start(_ index: Int) -> Double { rangeStart + step * (paddingOuter + Double(index)) }

    /// The middle of band `index`.
    func center(_ index: Int) -> Double { start(index) + bandwidth / 2 }
}
