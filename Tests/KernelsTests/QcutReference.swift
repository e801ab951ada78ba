import Foundation

/// The numpy/pandas reference written by `scripts/make_quantile_fixtures.py` (`Fixtures/qcut_reference.json`).
///
/// Floats are stored with Python's round-trip `repr`, NaN as `null`; `roundtrip` lists doubles with their bit
/// patterns so a test can prove the decoder reads them exactly.
struct QcutReference: Decodable, Sendable {
    struct Probabilities: Decodable, Sendable {
        let bins: Int
        let values: [Double]
    }

    struct QuantileValue: Decodable, Sendable {
        let q: Double
        let value: Double
    }

    struct Qcut: Decodable, Sendable {
        let bins: Int
        /// `pd.qcut(x, bins, duplicates="drop", retbins=True)[1]`.
        let edges: [Double]
        /// `pd.qcut(...).codes`: -1 for NaN rows (and every row when fewer than two edges survive).
        let codes: [Int]
        /// Whether edges from plain `linspace` probabilities (no nextafter nudge) would differ.
        let nudgeChangesEdges: Bool

        enum CodingKeys: String, CodingKey {
            case bins, edges, codes
            case nudgeChangesEdges = "nudge_changes_edges"
        }
    }

    struct Case: Decodable, Sendable {
        let name: String
        /// The input, `nil` for NaN.
        let values: [Double?]
        let quantiles: [QuantileValue]
        let qcut: [Qcut]

        /// The input with NaN for missing entries.
        var doubles: [Double] { values.map { $0 ?? .nan } }
    }

    struct RoundTrip: Decodable, Sendable {
        let value: Double
        /// The IEEE-754 bit pattern, 16 hex digits.
        let bits: String
    }

    let bins: [Int]
    let probabilities: [Probabilities]
    let cases: [Case]
    let roundtrip: [RoundTrip]

    struct LoadError: Error, CustomStringConvertible, Sendable {
        let description: String
    }

    /// The fixture, decoded once.
    static let cached: Result<QcutReference, LoadError> = {
        guard
            let url = Bundle.module.url(forResource: "qcut_reference", withExtension: "json", subdirectory: "Fixtures")
        else { return .failure(LoadError(description: "Fixtures/qcut_reference.json is not in the test bundle")) }
        do {
            let data = try Data(contentsOf: url)
            return .success(try JSONDecoder().decode(QcutReference.self, from: data))
        } catch {
            return .failure(LoadError(description: "cannot decode qcut_reference.json: \(error)"))
        }
    }()

    static func load() throws -> QcutReference { try cached.get() }

    /// The case names, for `@Test(arguments:)`; empty when the fixture is missing (a separate test then fails).
    static var caseNames: [String] { ((try? load())?.cases ?? []).map(\.name) }

    static func testCase(named name: String) throws -> Case {
        guard let found = try load().cases.first(where: { $0.name == name }) else {
            throw LoadError(description: "no case \(name)")
        }
        return found
    }
}
