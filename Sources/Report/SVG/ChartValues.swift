/// A failure rate with its 95% interval and the rows behind it: what every rate chart plots.
struct RateInterval: Equatable {
    var rate: Double
    var low: Double
    var high: Double
    /// Rows in the slice.
    var n: Int

    /// Whether there is a rate to draw (a slice of no rows has none).
    var isDrawable: Bool { rate.isFinite && n > 0 }

    /// Whether the interval can be drawn.
    var hasInterval: Bool { low.isFinite && high.isFinite && low <= high }

    /// `22.7% (95% CI 22.1% to 23.3%), n = 19,716`.
    var summary: String {
        guard isDrawable else { return "no rows" }
        var text = HumanFormat.percent(rate)
        if hasInterval { text += " (95% CI \(HumanFormat.percent(low)) to \(HumanFormat.percent(high)))" }
        return text + ", n = " + HumanFormat.count(n)
    }
}

/// How a mark relates to the baseline, as a test decided: the colour it gets.
enum Emphasis: Equatable {
    /// Significantly above the baseline.
    case higher
    /// Significantly below the baseline.
    case lower
    /// Not significantly different.
    case neutral
}

/// How numbers on a chart are written: through ``HumanFormat``, so they read like the rest of the report.
enum ValueFormat: Equatable {
    /// A rate as a percentage (`12.6%`).
    case percent
    /// A ratio such as a lift or an odds ratio (`1.85`).
    case ratio
    /// An integer count with thousands separators (`48,842`).
    case count
    /// A measurement with about four significant digits (`0.1234`).
    case quantity
    /// A p- or q-value (`0.003`, `1.9e-12`).
    case probability
    /// A measure on a fixed scale, with this many decimals (Cramér's V: `0.310`).
    case decimals(Int)

    /// One value, for labels and tooltips.
    func text(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        switch self {
        case .percent: return HumanFormat.percent(value)
        case .ratio: return HumanFormat.ratio(value)
        case .count: return HumanFormat.count(Int(value.rounded()))
        case .quantity: return HumanFormat.quantity(value)
        case .probability: return HumanFormat.probability(value)
        case .decimals(let decimals): return HumanFormat.fixed(value, decimals: decimals)
        }
    }

    /// A tick of `ticks`, with just the decimals the step needs (`5%`, `12.5%`, `0.25`, `1,000`).
    func tick(_ value: Double, of ticks: NiceTicks) -> String {
        switch self {
        case .percent:
            return HumanFormat.fixed(value * 100, decimals: max(ticks.fractionDigits - 2, 0)) + "%"
        case .count:
            return HumanFormat.count(Int(value.rounded()))
        case .ratio, .quantity, .probability, .decimals:
            if abs(value) >= 1e6 { return HumanFormat.quantity(value) }
            return HumanFormat.fixed(value, decimals: ticks.fractionDigits)
        }
    }
}
