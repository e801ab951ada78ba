import Testing

@testable import Report

struct HumanFormatTests {
    @Test(arguments: [(0, "0"), (999, "999"), (1_000, "1,000"), (48_842, "48,842"), (-1_234_567, "-1,234,567")])
    func countsHaveThousandsSeparators(value: Int, text: String) {
        #expect(HumanFormat.count(value) == text)
    }

    @Test(arguments: [(0.126, "12.6%"), (0.12649, "12.6%"), (0.0031, "0.31%"), (1.0, "100.0%"), (Double.nan, "n/a")])
    func percentages(rate: Double, text: String) {
        #expect(HumanFormat.percent(rate) == text)
    }

    @Test(arguments: [(0.5, "0.500"), (0.0012, "0.001"), (1.9e-12, "1.9e-12"), (3.14159e-5, "3.1e-05"), (0.0, "<1e-300")])
    func probabilities(value: Double, text: String) {
        #expect(HumanFormat.probability(value) == text)
    }

    @Test func quantitiesKeepAboutFourSignificantDigits() {
        #expect(HumanFormat.quantity(103.0286) == "103.0")
        #expect(HumanFormat.quantity(0.012345) == "0.01235")
        #expect(HumanFormat.quantity(2_500_000) == "2.50e+06")
        #expect(HumanFormat.fixed(-0.0004, decimals: 2) == "0.00")
    }
}
