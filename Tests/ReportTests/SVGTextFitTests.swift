import Testing
import _TestSupport

@testable import Report

/// Width estimates, shortening with tooltips, wrapping, rotation and thinning: labels must never overlap.
struct SVGTextFitTests {
    @Test func widthsFollowArialMetricsWithAMargin() {
        #expect(isClose(TextFit.width("0", fontSize: 10), 0.556 * 10 * TextFit.safetyFactor))
        #expect(TextFit.width("iiii", fontSize: 12) < TextFit.width("MMMM", fontSize: 12))
        #expect(TextFit.width("漢字", fontSize: 10) == 2 * 10 * TextFit.safetyFactor)
        #expect(TextFit.width("e\u{301}", fontSize: 10) == TextFit.width("e", fontSize: 10))
    }

    @Test func longLabelsAreShortenedWithAnEllipsisAndKeepTheirFullText() {
        let label = "Outlying-US(Guam-USVI-etc)"
        let short = TextFit.truncated(label, toWidth: 80, fontSize: 12)
        #expect(short.hasSuffix("…") && short.count < label.count)
        #expect(TextFit.width(short, fontSize: 12) <= 80)
        #expect(TextFit.truncated("Cuba", toWidth: 80, fontSize: 12) == "Cuba")
        let fitted = TextFit.fitted(label, toWidth: 80, fontSize: 12)
        #expect(fitted.full == label && fitted.shown == short)
        #expect(TextFit.fitted("Cuba", toWidth: 80, fontSize: 12).full == nil)
        #expect(TextFit.truncated("Wide", toWidth: 1, fontSize: 12) == "…")
        // Grapheme clusters are never split.
        let accents = TextFit.truncated(String(repeating: "e\u{301}", count: 40), toWidth: 50, fontSize: 12).dropLast()
        #expect(!accents.isEmpty && accents.unicodeScalars.count == 2 * accents.count)
    }

    @Test func controlCharactersBecomeSpaces() {
        #expect(TextFit.singleLine("a\nb\tc\u{7F}") == "a b c ")
    }

    @Test func wrappingBreaksAtSpacesAndHyphens() {
        #expect(
            TextFit.wrapped("(65738.2, 106072]", toWidth: 60, fontSize: 11, maxLines: 2) == ["(65738.2,", "106072]"])
        #expect(
            TextFit.wrapped("Married-civ-spouse", toWidth: 60, fontSize: 11, maxLines: 2) == ["Married-", "civ-spouse"])
        #expect(TextFit.wrapped("Supercalifragilistic", toWidth: 60, fontSize: 11, maxLines: 2) == nil)
        #expect(TextFit.wrapped("a b c d e f g h", toWidth: 12, fontSize: 11, maxLines: 2) == nil)
    }

    @Test func bandLabelsGoHorizontalThenWrappedThenRotatedAndThinned() {
        let short = TextFit.bandLabels(["0", "1"], spacing: 100, fontSize: 11, maxRotatedWidth: 150)
        #expect(short.mode == .horizontal && short.step == 1)

        let intervals = ["[12285, 65738.2]", "(65738.2, 106072]", "(106072, 130714]"]
        let wrapped = TextFit.bandLabels(intervals, spacing: 66, fontSize: 11, maxRotatedWidth: 150)
        #expect(wrapped.mode == .wrapped && wrapped.lines[1] == ["(65738.2,", "106072]"])

        let countries = (0..<40).map { "Country-with-a-long-name-\($0)" }
        let crowded = TextFit.bandLabels(countries, spacing: 8, fontSize: 11, maxRotatedWidth: 100)
        #expect(crowded.mode == .rotated && crowded.step > 1)
        for (index, lines) in crowded.lines.enumerated() {
            #expect(lines.isEmpty == (index % crowded.step != 0))
            #expect(lines.allSatisfy { TextFit.width($0, fontSize: 11) <= 100 })
            #expect(crowded.full[index] == countries[index], "shortened or hidden labels keep their text for a tooltip")
        }
        // Rotated neighbours are at least a line apart (measured across the 45° baseline).
        #expect(Double(crowded.step) * 8 * TextFit.rotationSine >= 11 * 1.25)
    }

    @Test func thinnedLabelsNeverOverlap() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<200 {
            let count = 2 + Int(random.unit() * 60)
            let widths = (0..<count).map { _ in 5 + random.unit() * 90 }
            let spacing = 2 + random.unit() * 60
            let step = TextFit.thinningStep(widths: widths, spacing: spacing, gap: 4)
            var index = 0
            while index + step < count {
                #expect((widths[index] + widths[index + step]) / 2 + 4 <= Double(step) * spacing || step == count)
                index += step
            }
            let ticks = (0..<count).map {
                Axis.Tick(position: Double($0) * spacing, label: String(repeating: "8", count: 1 + $0 % 9))
            }
            let kept = Axis.thinnedHorizontally(ticks, fontSize: 11)
            #expect(!kept.isEmpty)
            for (a, b) in zip(kept, kept.dropFirst()) {
                let right = a.position + TextFit.width(a.label, fontSize: 11) / 2
                let left = b.position - TextFit.width(b.label, fontSize: 11) / 2
                #expect(left >= right + 6)
            }
        }
    }

    @Test func markupEscapesEveryUserString() {
        #expect(XMLText.escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
        #expect(XMLText.escape("bell\u{07}zero\u{0}") == "bell\u{FFFD}zero\u{FFFD}")
        #expect(XMLText.escape("tab\tline\nok é 漢") == "tab\tline\nok é 漢")
    }

    @Test func chartNamesAreSafeFileNamesAndUnique() {
        #expect(ChartNames.sanitize("Native Country (2)") == "native-country-2")
        #expect(ChartNames.sanitize("feature-../../etc/passwd") == "feature-etc-passwd")
        #expect(ChartNames.sanitize("日本") == "chart")
        #expect(ChartNames.sanitize(String(repeating: "ab-", count: 40)).count <= 60)
        var names = ChartNames()
        #expect(names.unique("feature-a b") == "feature-a-b")
        #expect(names.unique("feature-a.b") == "feature-a-b-2")
        #expect(names.unique("feature-a_b") == "feature-a-b-3")
    }
}
