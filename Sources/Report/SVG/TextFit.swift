/// Fits text into charts without a font engine: widths are estimated from Arial's advance widths (the first font
/// every chart asks for; Liberation Sans has the same metrics) with a safety margin for wider fallbacks, long
/// labels are shortened with an ellipsis (the caller puts the full text in a `<title>` tooltip), and labels along
/// a band axis are laid out horizontally, wrapped, or rotated, and thinned so that they never overlap.
enum TextFit {
    /// Estimates above the Arial metrics by this factor, so fallbacks such as DejaVu Sans still fit.
    static let safetyFactor = 1.08
    static let ellipsis = "\u{2026}"

    /// Arial advance widths in 1/1000 em for ASCII 32 (space) to 126 (`~`).
    private static let asciiWidths: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // space to /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556,  // 0 to 9
        278, 278, 584, 584, 584, 556, 1015,  // : to @
        667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
        667, 944, 667, 667, 611,  // A to Z
        278, 278, 278, 469, 556, 333,  // [ to `
        556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556,
        500, 722, 500, 500, 500,  // a to z
        334, 260, 334, 584,  // { to ~
    ]

    /// The advance width of one scalar in 1/1000 em.
    static func advance(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch value {
        case 32...126: return asciiWidths[Int(value) - 32]
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: return 0  // combining marks, zero-width
        case 0x2026: return 1000
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
            return 1000  // East Asian wide and emoji
        default: return 600
        }
    }

    /// The estimated width of `text` in pixels at `fontSize`.
    static func width(_ text: String, fontSize: Double) -> Double {
        var total = 0
        for scalar in text.unicodeScalars { total += advance(scalar) }
        return Double(total) / 1000 * fontSize * safetyFactor
    }

    /// `text` on one line: line breaks, tabs and other control characters become spaces.
    static func singleLine(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            output.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return output
    }

    /// `text` cut to fit `maxWidth` with a trailing ellipsis, or unchanged when it fits. Cuts between characters
    /// (grapheme clusters), never inside one.
    static func truncated(_ text: String, toWidth maxWidth: Double, fontSize: Double) -> String {
        if width(text, fontSize: fontSize) <= maxWidth { return text }
        let budget = maxWidth - width(ellipsis, fontSize: fontSize)
        var kept = ""
        var used = 0.0
        for character in text {
            let characterWidth = width(String(character), fontSize: fontSize)
            if used + characterWidth > budget { break }
            kept.append(character)
            used += characterWidth
        }
        while kept.last == " " { kept.removeLast() }
        return kept + ellipsis
    }

    /// A label shortened to `maxWidth`, with the full text when it was shortened (for a `<title>` tooltip).
    static func fitted(_ text: String, toWidth maxWidth: Double, fontSize: Double) -> (shown: String, full: String?) {
        let line = singleLine(text)
        let shown = truncated(line, toWidth: maxWidth, fontSize: fontSize)
        return (shown, shown == line ? nil : text)
    }

    /// `text` broken into at most `maxLines` lines no wider than `maxWidth`, breaking at spaces (dropped) and after
    /// `-`, `_` and `/`; nil when it cannot be done.
    static func wrapped(_ text: String, toWidth maxWidth: Double, fontSize: Double, maxLines: Int) -> [String]? {
        var pieces: [String] = []
        var current = ""
        for character in singleLine(text) {
            if character == " " {
                if !current.isEmpty { pieces.append(current) }
                current = ""
            } else {
                current.append(character)
                if character == "-" || character == "_" || character == "/" {
                    pieces.append(current)
                    current = ""
                }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        var lines: [String] = []
        var line = ""
        for piece in pieces {
            let joiner = line.isEmpty || line.last == "-" || line.last == "_" || line.last == "/" ? "" : " "
            let candidate = line + joiner + piece
            if width(candidate, fontSize: fontSize) <= maxWidth {
                line = candidate
            } else {
                if width(piece, fontSize: fontSize) > maxWidth { return nil }
                if !line.isEmpty { lines.append(line) }
                line = piece
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.count <= maxLines ? lines : nil
    }

    /// The smallest `k` such that showing every k-th of labels (widths in pixels, centred `spacing` apart) leaves at
    /// least `gap` pixels between neighbours.
    static func thinningStep(widths: [Double], spacing: Double, gap: Double) -> Int {
        guard widths.count > 1, spacing > 0 else { return 1 }
        for step in 1..<widths.count {
            var fits = true
            var index = 0
            while index + step < widths.count {
                if (widths[index] + widths[index + step]) / 2 + gap > Double(step) * spacing {
                    fits = false
                    break
                }
                index += step
            }
            if fits { return step }
        }
        return widths.count
    }

    /// How labels under a band axis are drawn.
    struct BandLabels: Equatable {
        enum Mode: Equatable {
            /// One line, centred under the band.
            case horizontal
            /// Up to two lines, centred.
            case wrapped
            /// Rotated 45° counter-clockwise, ending under the band's centre.
            case rotated
        }

        var mode: Mode
        /// Every `step`-th label is drawn (from the first); the others are left out so none overlap.
        var step: Int
        /// The lines of each label as drawn (shortened when needed); empty for labels left out.
        var lines: [[String]]
        /// For each label, the full text when what is drawn is shortened or left out (for a tooltip).
        var full: [String?]
        /// The height the labels take below the axis line.
        var height: Double
        /// How far the first label reaches left of its band centre (rotated labels lean left).
        var leftOverhang: Double
    }

    /// The sine (and cosine) of the 45° rotation of crowded labels.
    static let rotationSine = 0.7071067811865476

    /// Lays out `labels` for bands whose centres are `spacing` pixels apart: on one line when they fit, else
    /// wrapped on two lines, else rotated and shortened to `maxRotatedWidth`; thinned when even that is too dense.
    static func bandLabels(_ labels: [String], spacing: Double, fontSize: Double, maxRotatedWidth: Double) -> BandLabels
    {
        let lineHeight = fontSize * 1.25
        let texts = labels.map(singleLine)
        let room = spacing - 4
        if texts.allSatisfy({ width($0, fontSize: fontSize) <= room }) {
            return BandLabels(
                mode: .horizontal, step: 1, lines: texts.map { [$0] }, full: texts.map { _ in nil },
                height: lineHeight + 4, leftOverhang: width(texts.first ?? "", fontSize: fontSize) / 2)
        }
        let wrappedLabels = texts.map { Self.wrapped($0, toWidth: room, fontSize: fontSize, maxLines: 2) }
        if wrappedLabels.allSatisfy({ $0 != nil }) {
            let lines = wrappedLabels.map { $0 ?? [] }
            let count = Double(lines.map(\.count).max() ?? 1)
            return BandLabels(
                mode: .wrapped, step: 1, lines: lines, full: texts.map { _ in nil }, height: count * lineHeight + 4,
                leftOverhang: (lines.first ?? []).map { width($0, fontSize: fontSize) }.max().map { $0 / 2 } ?? 0)
        }
        var step = 1
        while Double(step) * spacing * rotationSine < lineHeight { step += 1 }
        var lines: [[String]] = []
        var full: [String?] = []
        var widest = 0.0
        for (index, text) in texts.enumerated() {
            let shown = truncated(text, toWidth: maxRotatedWidth, fontSize: fontSize)
            if index % step == 0 {
                lines.append([shown])
                full.append(shown == text ? nil : text)
                widest = max(widest, width(shown, fontSize: fontSize))
            } else {
                lines.append([])
                full.append(text)
            }
        }
        let firstWidth = width(lines.first?.first ?? "", fontSize: fontSize)
        return BandLabels(
            mode: .rotated, step: step, lines: lines, full: full,
            height: (widest + fontSize) * rotationSine + 6, leftOverhang: firstWidth * rotationSine)
    }
}
