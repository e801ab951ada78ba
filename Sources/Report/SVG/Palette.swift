/// Colours of every chart: the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008), distinguishable
/// with the common colour-vision deficiencies, plus greys for the frame and ColorBrewer's RdBu diverging scheme
/// (marked colour-blind safe by ColorBrewer) for heatmaps.
enum Palette {
    // MARK: Okabe-Ito
    static let black = "#000000"
    static let orange = "#E69F00"
    static let skyBlue = "#56B4E9"
    static let bluishGreen = "#009E73"
    static let yellow = "#F0E442"
    static let blue = "#0072B2"
    static let vermillion = "#D55E00"
    static let reddishPurple = "#CC79A7"

    // MARK: Frame
    static let background = "#ffffff"
    static let text = "#222222"
    static let mutedText = "#5f5f5f"
    static let axis = "#8c8c8c"
    static let grid = "#e6e6e6"
    static let stripe = "#f5f6f8"
    static let sizeBar = "#c5cfd9"
    static let baseline = "#444444"
    static let missingCell = "#eeeeee"

    /// Lines of further series (slices over time), in order; blue and vermillion are kept for the overall series
    /// and for change points, yellow is left out (too light on white).
    static let series = [orange, skyBlue, bluishGreen, reddishPurple, black]

    /// The colour of a series by position, cycling.
    static func series(_ index: Int) -> String { series[index % series.count] }

    /// Above the baseline and significant: vermillion; below and significant: blue; otherwise grey.
    static func emphasis(_ emphasis: Emphasis) -> String {
        switch emphasis {
        case .higher: return vermillion
        case .lower: return blue
        case .neutral: return "#7a7a7a"
        }
    }

    /// ColorBrewer RdBu (9 classes), from blue (below) through near-white to red (above).
    static let diverging: [(red: Int, green: Int, blue: Int)] = [
        (0x21, 0x66, 0xAC), (0x43, 0x93, 0xC3), (0x92, 0xC5, 0xDE), (0xD1, 0xE5, 0xF0), (0xF7, 0xF7, 0xF7),
        (0xFD, 0xDB, 0xC7), (0xF4, 0xA5, 0x82), (0xD6, 0x60, 0x4D), (0xB2, 0x18, 0x2B),
    ]

    /// The diverging colour at `position` in [-1, 1] (-1 blue, 0 near-white, 1 red), interpolated in sRGB and
    /// rounded to integers, so the same position always gives the same `#rrggbb`.
    static func diverging(_ position: Double) -> String {
        let rgb = divergingComponents(position)
        return hex(rgb.red, rgb.green, rgb.blue)
    }

    /// Whether text on the diverging colour at `position` should be white (dark cell) rather than dark.
    static func needsLightText(_ position: Double) -> Bool {
        let rgb = divergingComponents(position)
        // Relative luminance approximated with the Rec. 709 weights on sRGB values.
        let luminance = (0.2126 * Double(rgb.red) + 0.7152 * Double(rgb.green) + 0.0722 * Double(rgb.blue)) / 255
        return luminance < 0.5
    }

    private static func divergingComponents(_ position: Double) -> (red: Int, green: Int, blue: Int) {
        let clamped = position.isFinite ? min(max(position, -1), 1) : 0
        let scaled = (clamped + 1) / 2 * Double(diverging.count - 1)
        let lowerIndex = min(Int(scaled.rounded(.down)), diverging.count - 2)
        let fraction = scaled - Double(lowerIndex)
        let a = diverging[lowerIndex]
        let b = diverging[lowerIndex + 1]
        func mix(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * fraction).rounded()) }
        return (mix(a.red, b.red), mix(a.green, b.green), mix(a.blue, b.blue))
    }

    static func hex(_ red: Int, _ green: Int, _ blue: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        var text = "#"
        for component in [red, green, blue] {
            let value = min(max(component, 0), 255)
            text.append(digits[value / 16])
            text.append(digits[value % 16])
        }
        return text
    }
}

/// Sizes and the font shared by every chart.
enum ChartStyle {
    /// Fonts with Arial's metrics first (what ``TextFit`` estimates), then common fallbacks.
    static let fontFamily = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif"
    static let fontSize = 12.0
    static let tickFontSize = 11.0
    static let titleFontSize = 14.0
    static let legendFontSize = 11.0
    /// The default width of a chart (it scales down with `viewBox` in narrow windows).
    static let width = 880.0
    static let margin = 12.0
    /// Height of one row in row-per-item charts.
    static let rowHeight = 22.0
}
