import Testing

@testable import Report

/// Nice ticks (Heckbert 1990), the linear, log and band scales, and value formats of the SVG module.
struct SVGScaleTests {
    @Test func heckbertTicksCoverTheDataAtNiceSteps() {
        let rates = NiceTicks(minimum: 0, maximum: 0.348, count: 5)
        #expect(rates.values == [0, 0.1, 0.2, 0.3, 0.4])
        #expect(rates.step == 0.1 && rates.fractionDigits == 1)

        let weights = NiceTicks(minimum: 12285, maximum: 1_490_400, count: 5)
        #expect(weights.values == [0, 500_000, 1_000_000, 1_500_000])
        #expect(weights.fractionDigits == 0)

        let signed = NiceTicks(minimum: -3.7, maximum: 12.2, count: 5)
        #expect(signed.values == [-5, 0, 5, 10, 15])
    }

    @Test func tickValuesAreTheNearestDoubles() {
        // 3 × 0.1 would be 0.30000000000000004; ticks are computed as 3 / 10.
        let ticks = NiceTicks(minimum: 0, maximum: 0.3, count: 5)
        #expect(ticks.values == [0, 0.1, 0.2, 0.3])
        #expect(NiceTicks(minimum: 0, maximum: 0.0007, count: 5).values == [0, 0.0002, 0.0004, 0.0006, 0.0008])
    }

    @Test func flatAndDegenerateRangesStillGiveAnAxis() {
        let flat = NiceTicks(minimum: 5, maximum: 5, count: 5)
        #expect(flat.lower < 5 && flat.upper > 5 && flat.values.count >= 2)
        let zero = NiceTicks(minimum: 0, maximum: 0, count: 5)
        #expect(zero.lower == 0 && zero.upper >= 1)
        let notFinite = NiceTicks(minimum: .nan, maximum: .infinity, count: 5)
        #expect(notFinite.values.allSatisfy { $0.isFinite })
        let narrow = NiceTicks(minimum: 1e22, maximum: 1e22 + 1e7, count: 5)
        #expect(narrow.values == [1e22, 1e22 + 1e7], "too narrow for its magnitude: only the ends")
    }

    @Test func countTicksAreIntegers() {
        #expect(NiceTicks(minimum: 0, maximum: 2, count: 5, integers: true).values == [0, 1, 2])
        #expect(NiceTicks(minimum: 0, maximum: 37_155, count: 3, integers: true).values == [0, 20_000, 40_000])
    }

    @Test func niceNumbersAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(NiceTicks.nice(0.348, round: false).value == 0.5)
        #expect(NiceTicks.nice(0.125, round: true).value == 0.1)
        #expect(NiceTicks.nice(7.2, round: true).value == 10)
        #expect(NiceTicks.nice(2.5, round: true).value == 2)
        #expect(NiceTicks.nice(3.4, round: true).value == 5)
    }

    @Test func logarithmicTicksFollowOneTwoFiveThenThin() {
        #expect(NiceTicks.logarithmic(minimum: 0.3, maximum: 7) == [0.5, 1, 2, 5])
        #expect(NiceTicks.logarithmic(minimum: 0.001, maximum: 1000) == [0.001, 0.01, 0.1, 1, 10, 100, 1000])
        #expect(NiceTicks.logarithmic(minimum: 0.8, maximum: 1.2) == [1])
    }

    @Test func scalesMapDomainsOntoRanges() {
        let linear = LinearScale(domainLower: 0, domainUpper: 1, rangeStart: 100, rangeEnd: 300)
        #expect(linear(0.25) == 150)
        #expect(linear.clamped(2) == 300)
        let upward = LinearScale(domainLower: 0, domainUpper: 0.4, rangeStart: 240, rangeEnd: 40)
        #expect(upward(0.1) == 190)
        #expect(LinearScale(domainLower: 1, domainUpper: 1, rangeStart: 0, rangeEnd: 10)(1) == 5)

        let log = LogScale(domainLower: 0.1, domainUpper: 10, rangeStart: 0, rangeEnd: 200)
        #expect(abs(log(1) - 100) < 1e-9)
        #expect(abs(log(0.5) - (200 - log(2))) < 1e-9, "0.5 and 2 are equally far from 1")
        #expect(log(1e-9) == 0 && log(1e9) == 200)

        let band = BandScale(count: 4, rangeStart: 0, rangeEnd: 100, paddingInner: 0.2, paddingOuter: 0.1)
        #expect(band.step == 25 && band.bandwidth == 20)
        #expect(band.start(0) == 2.5 && band.center(0) == 12.5 && band.start(3) + band.bandwidth == 97.5)
    }

    @Test func ticksAreFormattedWithTheDecimalsTheStepNeeds() {
        let percent = NiceTicks(minimum: 0, maximum: 0.4, count: 5)
        #expect(percent.values.map { ValueFormat.percent.tick($0, of: percent) } == ["0%", "10%", "20%", "30%", "40%"])
        let fine = NiceTicks(minimum: 0, maximum: 0.02, count: 5)
        #expect(ValueFormat.percent.tick(0.005, of: fine) == "0.5%")
        let counts = NiceTicks(minimum: 0, maximum: 40_000, count: 3, integers: true)
        #expect(ValueFormat.count.tick(20_000, of: counts) == "20,000")
        #expect(ValueFormat.ratio.text(1.8456) == "1.85" && ValueFormat.probability.text(1.9e-12) == "1.9e-12")
        #expect(ForestPlot.tickLabel(0.05) == "0.05" && ForestPlot.tickLabel(1000) == "1,000")
    }

    @Test func coordinatesHaveAtMostTwoDecimals() {
        #expect(SVGWriter.number(3.0) == "3")
        #expect(SVGWriter.number(2.5) == "2.5")
        #expect(SVGWriter.number(1.239) == "1.24")
        #expect(SVGWriter.number(-0.001) == "0")
        #expect(SVGWriter.number(.nan) == "0")
        #expect(SVGWriter.points([(1, 2.5), (3.333, 4)]) == "1,2.5 3.33,4")
    }

    @Test func thePaletteIsOkabeItoAndTheHeatmapScaleDiverges() {
        #expect(Palette.series.count == Set(Palette.series).count)
        #expect(!Palette.series.contains(Palette.blue) && !Palette.series.contains(Palette.vermillion))
        #expect(Palette.diverging(-1) == "#2166AC")
        #expect(Palette.diverging(0) == "#F7F7F7")
        #expect(Palette.diverging(1) == "#B2182B")
        #expect(Palette.diverging(5) == Palette.diverging(1) && Palette.diverging(.nan) == Palette.diverging(0))
        #expect(Palette.needsLightText(1) && Palette.needsLightText(-1) && !Palette.needsLightText(0))
        #expect(Palette.emphasis(.higher) == Palette.vermillion && Palette.emphasis(.lower) == Palette.blue)
    }
}
