import Testing

@testable import Faultline

struct FailureSpecTests {
    @Test(arguments: [
        ("misclassified", FailureSpec.misclassified),
        ("abs-error>p90", .absoluteError(.percentile(90))),
        ("abs-error > 2.5", .absoluteError(.value(2.5))),
        ("rel-error>0.1", .relativeError(.value(0.1))),
        ("sq-error>p99.5", .squaredError(.percentile(99.5))),
        ("log-loss>0.7", .logLoss(.value(0.7))),
        ("true-class-prob<0.2", .trueClassProbability(.value(0.2))),
    ])
    func parsesEveryForm(text: String, expected: FailureSpec) throws {
        #expect(try FailureSpec.parse(text) == expected)
    }

    @Test(arguments: ["abs-error>banana", "abs-error<3", "abs-error>p101", "abs-error>", "wrong", "", "log-loss>inf",
                      "true-class-prob>0.5", "abs-error>pNaN"])
    func rejectsNonsense(text: String) {
        #expect(throws: AnalysisError.self) { try FailureSpec.parse(text) }
        do {
            _ = try FailureSpec.parse(text)
        } catch {
            #expect(error.code == .invalidFailureSpec)
            #expect(error.message.contains("abs-error>X"))
        }
    }

    @Test func roundTripsThroughItsDescription() throws {
        for text in ["misclassified", "abs-error>p90", "rel-error>0.25", "true-class-prob<0.3"] {
            #expect(try FailureSpec.parse(text).description == text)
        }
    }
}
