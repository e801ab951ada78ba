/// Builds an SVG document as text: one element per line, attributes in the order given, coordinates with at most
/// two decimals. Nothing depends on the clock, the locale or randomness, so equal inputs give equal bytes.
///
/// Every text node and attribute value goes through ``XMLText/escape(_:)``: labels are user data (column names,
/// categories) and must never break the markup.
struct SVGWriter {
    /// An attribute list, written in this order.
    typealias Attributes = [(String, String)]

    private(set) var body = ""
    private var depth = 1

    /// Opens `<name ...>`; close it with ``close(_:)``.
    mutating func open(_ name: String, _ attributes: Attributes = []) {
        line("<" + name + Self.attributeText(attributes) + ">")
        depth += 1
    }

    /// Closes the element opened last.
    mutating func close(_ name: String) {
        depth -= 1
        line("</" + name + ">")
    }

    /// An element without text content; with `title`, a `<title>` child gives it a tooltip.
    mutating func element(_ name: String, _ attributes: Attributes, title: String? = nil) {
        if let title {
            line(
                "<" + name + Self.attributeText(attributes) + "><title>" + XMLText.escape(title) + "</title></" + name
                    + ">")
        } else {
            line("<" + name + Self.attributeText(attributes) + "/>")
        }
    }

    /// A `<text>` element; with `title`, the full text (or any explanation) shows as a tooltip.
    mutating func text(_ content: String, _ attributes: Attributes, title: String? = nil) {
        let tooltip = title.map { "<title>" + XMLText.escape($0) + "</title>" } ?? ""
        line("<text" + Self.attributeText(attributes) + ">" + tooltip + XMLText.escape(content) + "</text>")
    }

    /// A `<text>` of several lines (`<tspan>`s `lineHeight` apart), the first at the element's `y`.
    mutating func multilineText(
        _ lines: [String], x: Double, y: Double, lineHeight: Double, _ attributes: Attributes,
        title: String? = nil
    ) {
        var content = "<text" + Self.attributeText([("x", Self.number(x)), ("y", Self.number(y))] + attributes) + ">"
        if let title { content += "<title>" + XMLText.escape(title) + "</title>" }
        for (index, text) in lines.enumerated() {
            content +=
                "<tspan x=\"" + Self.number(x) + "\" dy=\"" + Self.number(index == 0 ? 0 : lineHeight) + "\">"
                + XMLText.escape(text) + "</tspan>"
        }
        line(content + "</text>")
    }

    /// A `<title>` child of the element opened last (a tooltip for a whole group).
    mutating func title(_ text: String) {
        line("<title>" + XMLText.escape(text) + "</title>")
    }

    private mutating func line(_ text: String) {
        body += String(repeating: "  ", count: depth) + text + "\n"
    }

    /// The complete document: a white background, the body, and an accessible name (`aria-label`).
    func document(width: Double, height: Double, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Self.number(width) + "\" height=\""
            + Self.number(height) + "\" viewBox=\"0 0 " + Self.number(width) + " " + Self.number(height)
            + "\" role=\"img\" aria-label=\"" + XMLText.escape(label) + "\" font-family=\"" + ChartStyle.fontFamily
            + "\" font-size=\"" + Self.number(ChartStyle.fontSize) + "\" fill=\"" + Palette.text + "\">\n"
            + "  <rect width=\"" + Self.number(width) + "\" height=\"" + Self.number(height) + "\" fill=\""
            + Palette.background + "\"/>\n" + body + "</svg>\n"
    }

    static func attributeText(_ attributes: Attributes) -> String {
        var text = ""
        for (name, value) in attributes { text += " " + name + "=\"" + XMLText.escape(value) + "\"" }
        return text
    }

    /// A coordinate: rounded half away from zero to two decimals, trailing zeros dropped, `-0` written `0`,
    /// non-finite values written `0` (callers filter them first; this only keeps the markup valid).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        var text = HumanFormat.fixed(value, decimals: 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A list of points for `points=` or a path: `x,y x,y ...`.
    static func points(_ points: [(x: Double, y: Double)]) -> String {
        points.map { number($0.x) + "," + number($0.y) }.joined(separator: " ")
    }
}

/// XML escaping for text nodes and attribute values (SVG and the XHTML-compatible HTML report).
enum XMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities; characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF)
    /// replaced by U+FFFD so any user string yields well-formed markup.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default:
                output.unicodeScalars.append(isAllowed(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return output
    }

    /// XML 1.0 `Char`: tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD, U+10000 and above.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
