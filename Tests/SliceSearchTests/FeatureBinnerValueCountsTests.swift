import ColumnStore
import Kernels
import Stats
import Testing
import _TestSupport

@testable import SliceSearch

/// A numeric feature binned from its value counts (the binner given the failures) against the same feature binned
/// from its present values: the same bins, edges and codes, bit for bit, whatever the shape of the column; and the
/// raw-value measures it carries against the row-by-row statistics.
struct FeatureBinnerValueCountsTests {
    /// A column of one of several shapes, with its failure flags.
    static func column(shape: Int, count: Int, integer: Bool, withValidity: Bool, seed: UInt64)
        -> (column: Column, failure: [UInt8])
    {
        var random = SeededRandom(seed: seed)
        let values: [Double] = (0..<count).map { _ in
            let draw = random.next()
            switch shape {
            case 0: return (random.unit() - 0.5) * 1e4  // spread, nearly all distinct
            case 1: return (random.unit() * 200).rounded() / 4  // repeats, 801 values
            case 2:  // infinities and NaN among repeats, -0 and +0
                switch draw % 23 {
                case 0: return .infinity
                case 1: return -.infinity
                case 2: return .nan
                case 3: return -0.0
                default: return Double(draw % 50) - 10
                }
            case 3: return draw % 3 == 0 ? .infinity : .nan  // no finite value
            case 4: return Double(draw % 7)  // categorical
            default: return draw % 5 == 0 ? 0 : random.unit()  // zero-inflated
            }
        }
        let failure = values.map { value -> UInt8 in
            let rate = value.isFinite && value > 0 ? 0.4 : 0.15
            return random.unit() < rate ? 1 : 0
        }
        let validity = withValidity ? ValidityBitmap((0..<count).map { _ in random.next() % 9 != 0 }) : nil
        let columnValues: ColumnValues =
            integer
            ? .int64(ColumnBuffer(values.map { $0.isFinite ? Int64($0.rounded()) : -1 }))
            : .float64(ColumnBuffer(values))
        return (Column(name: "x", values: columnValues, validity: validity), failure)
    }

    @Test(arguments: [BinningMethod.quantile, .uniform], [1, 2, 64, 2049, 60_000])
    func valueCountsBinLikeThePresentValues(method: BinningMethod, count: Int) throws {
        var options = SlicingOptions()
        options.binning = method
        let binner = FeatureBinner(options: options)
        for shape in 0..<6 {
            for (integer, withValidity, keepSome) in [(false, false, false), (false, true, false), (true, false, true),
                (false, false, true), (true, true, false)]
            {
                let seed = UInt64(count * 64 + shape * 8) &+ (integer ? 1 : 0) &+ (withValidity ? 2 : 0)
                let (column, allFailures) = Self.column(
                    shape: shape, count: count, integer: integer, withValidity: withValidity, seed: seed)
                var random = SeededRandom(seed: seed ^ 0xC0DE)
                let keep: [Bool]? = keepSome ? (0..<count).map { _ in random.next() % 4 != 0 } : nil
                let failure = keep.map { keep in allFailures.indices.filter { keep[$0] }.map { allFailures[$0] } }
                    ?? allFailures
                let label = "shape \(shape) count \(count) integer \(integer) validity \(withValidity) keep \(keepSome)"
                let plain = binner.bin(column, role: .feature, keep: keep)
                let counted = binner.bin(column, role: .feature, keep: keep, failure: failure)
                #expect((plain == nil) == (counted == nil), "\(label)")
                guard let plain, let counted else { continue }
                #expect(counted.kind == plain.kind, "\(label)")
                #expect(counted.identities == plain.identities, "\(label)")
                #expect(counted.edges?.map(\.bitPattern) == plain.edges?.map(\.bitPattern), "\(label)")
                #expect(counted.codes == plain.codes, "\(label)")
                #expect(plain.rawValueMeasures == nil)
                if counted.kind != .numeric {
                    #expect(counted.rawValueMeasures == nil, "\(label)")
                    continue
                }
                // The measures, against the row-by-row statistics on the same values.
                let values = try #require(FeatureAssociations.numericValues(of: column, keep: keep))
                let measures = try #require(counted.rawValueMeasures, "\(label)")
                let rows = Association.pointBiserial(values: values, outcome: failure)
                let auc = Association.rocAUC(values: values, outcome: failure)
                #expect(measures.rows == rows.count, "\(label)")
                #expect(measures.auc.bitPattern == auc.auc.bitPattern, "\(label)")
                #expect(measures.aucPValue.bitPattern == auc.pValue.bitPattern, "\(label)")
                #expect(
                    measures.pointBiserial.isNaN == rows.r.isNaN
                        && (rows.r.isNaN || isClose(measures.pointBiserial, rows.r, relative: 1e-9, absolute: 1e-12)),
                    "\(label): r \(measures.pointBiserial) vs \(rows.r)")
            }
        }
    }

    /// Integer label, prediction and batch columns read in place (every row kept) get the same slices as through the
    /// general path (taken when a keep mask is given): narrow and wide ranges, missing rows, values beyond 2⁵³.
    @Test func integerRolesReadInPlaceBinLikeTheGeneralPath() throws {
        let binner = FeatureBinner(options: SlicingOptions())
        var random = SeededRandom(seed: 404)
        let shapes: [(String, () -> Int64)] = [
            ("two classes", { Int64(random.next() % 2) }),
            ("19 batches", { 1000 + Int64(random.next() % 19) }),
            ("negative", { -Int64(random.next() % 7) - 3 }),
            ("too many values", { Int64(random.next() % 5000) }),
            ("wide", { random.next() % 2 == 0 ? 0 : 1 << 40 }),
            ("beyond 2^53", { (1 << 60) + Int64(random.next() % 3) }),
        ]
        for (name, draw) in shapes {
            for withMissing in [false, true] {
                let count = 3000
                let values = (0..<count).map { _ in draw() }
                let validity = withMissing ? ValidityBitmap((0..<count).map { _ in random.next() % 10 != 0 }) : nil
                let column = Column(name: "y", values: .int64(ColumnBuffer(values)), validity: validity)
                let everyRow = [Bool](repeating: true, count: count)
                for role in [FeatureBinner.Role.label, .prediction, .batch] {
                    let inPlace = binner.bin(column, role: role, keep: nil)
                    let general = binner.bin(column, role: role, keep: everyRow)
                    #expect(inPlace?.identities == general?.identities, "\(name) missing \(withMissing) \(role)")
                    #expect(inPlace?.codes == general?.codes, "\(name) missing \(withMissing) \(role)")
                    #expect(inPlace?.kind == general?.kind, "\(name) missing \(withMissing) \(role)")
                }
            }
        }
        let empty = Column(name: "y", values: .int64(ColumnBuffer([1, 2])), validity: ValidityBitmap([false, false]))
        #expect(binner.bin(empty, role: .label, keep: nil) == nil)
    }

    /// The label, prediction, time and batch roles never take the value-counts path (their bins follow other rules).
    @Test func onlyFeaturesCarryMeasures() throws {
        let (column, failure) = Self.column(shape: 1, count: 500, integer: true, withValidity: false, seed: 3)
        let binner = FeatureBinner(options: SlicingOptions())
        for role in [FeatureBinner.Role.label, .prediction, .batch] {
            let binned = try #require(binner.bin(column, role: role, keep: nil, failure: failure))
            #expect(binned.rawValueMeasures == nil)
            #expect(binned.codes == binner.bin(column, role: role, keep: nil)?.codes)
        }
    }
}
