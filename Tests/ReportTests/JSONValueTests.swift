import Testing

@testable import Report

struct JSONValueTests {
    @Test func keysAreSortedAndNumbersRoundTrip() {
        let value = JSONValue.object([
            "b": .number(0.1), "a": .array([.int(1), .null, .bool(true)]), "c": .number(3), "d": .finite(.nan),
            "e": .object([:]), "f": .array([]),
        ])
        let expected = """
            {
              "a": [
                1,
                null,
                true
              ],
              "b": 0.1,
              "c": 3,
              "d": null,
              "e": {},
              "f": []
            }

            """
        #expect(value.rendered() == expected)
    }

    @Test func stringsAreEscaped() {
        #expect(JSONValue.string("a\"b\\c\nd\u{01}é").rendered() == "\"a\\\"b\\\\c\\nd\\u0001é\"\n")
    }

    @Test func numbersUseTheShortestRoundTripForm() {
        #expect(JSONValue.numberText(106072.20000000001) == "106072.20000000001")
        #expect(JSONValue.numberText(1e-300) == "1e-300")
        #expect(JSONValue.numberText(-0.0) == "0")
        #expect(JSONValue.numberText(.infinity) == "null")
    }
}
