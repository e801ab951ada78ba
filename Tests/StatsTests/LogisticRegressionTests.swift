import Foundation
import Stats
import Testing
import _TestSupport

/// The penalised IRLS fit against statsmodels (GLM Binomial for λ = 0, its penalised GLM for λ > 0), plus
/// invariances and failure modes.
struct LogisticRegressionTests {
    static func fit(_ reference: ConditionsFixture.LogisticCase) throws -> LogisticRegression.Fit {
        var options = LogisticRegression.Options()
        options.penalty = reference.penalty
        return try LogisticRegression.fit(
            x: reference.x, rows: reference.rows, columns: reference.columns, successes: reference.successes,
            trials: reference.trials, options: options)
    }

    /// statsmodels 0.15 (fit to tol 1e-14, and checked there against a numpy Newton iteration to 1e-9): coefficients,
    /// standard errors and odds-ratio bounds within 1e-8 relative (1e-12 absolute near 0), Wald p-values within 1e-7;
    /// the log-likelihood within 1e-10. Measured: coefficients 3e-15, standard errors 9e-10, bounds 3e-10, p-values
    /// 4e-8 (statsmodels' own covariance differs from the exact Newton solution at the 1e-9 level, and small p-values
    /// amplify it).
    @Test(arguments: try ConditionsFixture.load().logistic)
    func matchesStatsmodels(_ reference: ConditionsFixture.LogisticCase) throws {
        let fit = try Self.fit(reference)
        #expect(fit.converged)
        #expect(fit.iterations < 30)
        #expect(fit.solver == .cholesky)
        for index in reference.params.indices {
            #expect(isClose(fit.coefficients[index], reference.params[index], relative: 1e-8, absolute: 1e-12),
                    "β\(index): \(fit.coefficients[index]) vs \(reference.params[index])")
            #expect(isClose(fit.standardErrors[index], reference.bse[index], relative: 1e-8),
                    "se\(index): \(fit.standardErrors[index]) vs \(reference.bse[index])")
            #expect(isClose(fit.oddsRatioLow[index], reference.or_low[index], relative: 1e-8))
            #expect(isClose(fit.oddsRatioHigh[index], reference.or_high[index], relative: 1e-8))
            #expect(isClose(fit.pValues[index], reference.pvalues[index], relative: 1e-7, absolute: 1e-14))
            #expect(isClose(fit.oddsRatios[index], exp(fit.coefficients[index]), relative: 1e-15))
        }
        #expect(isClose(fit.logLikelihood, reference.loglike, relative: 1e-10))
        // The covariance is symmetric and its diagonal gives the standard errors.
        let p = reference.columns + 1
        for row in 0..<p {
            #expect(isClose(fit.covariance[row * p + row].squareRoot(), fit.standardErrors[row], relative: 1e-15))
            for column in 0..<p {
                #expect(fit.covariance[row * p + column] == fit.covariance[column * p + row])
            }
        }
    }

    /// Aggregating identical rows into binomial cells gives the same fit (1e-10 relative): the likelihood is the
    /// same function of β.
    @Test(arguments: [0.0, 1.0])
    func aggregatedCellsEqualRows(penalty: Double) throws {
        var random = SeededRandom(seed: 11)
        let rows = 900
        var x: [Double] = []
        var y: [Double] = []
        var cellSuccesses = [Double](repeating: 0, count: 4)
        var cellTrials = [Double](repeating: 0, count: 4)
        for _ in 0..<rows {
            let a = random.unit() < 0.4 ? 1.0 : 0
            let b = random.unit() < 0.3 ? 1.0 : 0
            let probability = 1 / (1 + exp(1 - 0.8 * a + 0.5 * b))
            let outcome = random.unit() < probability ? 1.0 : 0
            x += [a, b]
            y.append(outcome)
            let cell = Int(a) * 2 + Int(b)
            cellSuccesses[cell] += outcome
            cellTrials[cell] += 1
        }
        var options = LogisticRegression.Options()
        options.penalty = penalty
        let rowFit = try LogisticRegression.fit(
            x: x, rows: rows, columns: 2, successes: y, trials: [Double](repeating: 1, count: rows), options: options)
        let cellFit = try LogisticRegression.fit(
            x: [0, 0, 0, 1, 1, 0, 1, 1], rows: 4, columns: 2, successes: cellSuccesses, trials: cellTrials,
            options: options)
        for index in 0..<3 {
            #expect(isClose(rowFit.coefficients[index], cellFit.coefficients[index], relative: 1e-10))
            #expect(isClose(rowFit.standardErrors[index], cellFit.standardErrors[index], relative: 1e-10))
        }
    }

    /// An intercept-only model estimates the logit of the overall rate, with se = 1/√(N p (1-p)) (the penalty does not
    /// touch the intercept).
    @Test func interceptOnly() throws {
        let fit = try LogisticRegression.fit(x: [], rows: 2, columns: 0, successes: [3, 27], trials: [10, 90])
        let rate = 30.0 / 100
        #expect(isClose(fit.coefficients[0], log(rate / (1 - rate)), relative: 1e-12))
        #expect(isClose(fit.standardErrors[0], 1 / (100 * rate * (1 - rate)).squareRoot(), relative: 1e-10))
        #expect(isClose(fit.oddsRatios[0], 3.0 / 7, relative: 1e-12))
    }

    /// Without a penalty, a cell with no successes separates the data: the coefficient diverges and the fit reports
    /// that it did not converge. The default penalty (λ = 1) gives a finite estimate.
    @Test func separationNeedsThePenalty() throws {
        let x: [Double] = [0, 1]
        var options = LogisticRegression.Options()
        options.penalty = 0
        options.maximumIterations = 40
        let unpenalised = try LogisticRegression.fit(
            x: x, rows: 2, columns: 1, successes: [30, 0], trials: [150, 120], options: options)
        #expect(!unpenalised.converged)
        #expect(unpenalised.coefficients[1] < -10)
        let penalised = try LogisticRegression.fit(x: x, rows: 2, columns: 1, successes: [30, 0], trials: [150, 120])
        #expect(penalised.converged)
        #expect(penalised.coefficients[1].isFinite && penalised.coefficients[1] < -1)
        #expect(penalised.oddsRatioHigh[1] < 1)
    }

    /// λ = 0 with a column of zeros (a bin with no rows) makes XᵀWX singular: dpotrf fails, dsysv meets an exactly
    /// zero pivot, and the error names the routine.
    @Test func singularDesignThrows() {
        var options = LogisticRegression.Options()
        options.penalty = 0
        #expect {
            try LogisticRegression.fit(
                x: [0, 0, 1, 0, 0, 0], rows: 3, columns: 2, successes: [1, 2, 3], trials: [5, 5, 5], options: options)
        } throws: { error in
            guard case .lapack(let routine, _) = (error as? StatsError)?.code else { return false }
            return routine == "dsysv"
        }
    }

    /// The one-hot (sparse) fit equals the dense fit of the same 0/1 design: coefficients, standard errors and the
    /// covariance to 1e-9 relative, the same iterations and solver. Designs like the joint model's: a few features,
    /// each with a reference bin that adds no column, and rows with unequal trials. The wide design (twelve
    /// features, up to thirteen active parameters a row) runs the Hessian's eight-at-a-time loop and its remainder.
    @Test(arguments: [0.0, 1.0], [[4, 3, 6, 2], [2, 3, 2, 4, 2, 3, 2, 2, 5, 2, 3, 2]])
    func oneHotFitEqualsTheDenseFit(penalty: Double, binsPerFeature: [Int]) throws {
        var random = SeededRandom(seed: 23 + UInt64(penalty) + UInt64(binsPerFeature.count))
        let columns = binsPerFeature.reduce(0) { $0 + $1 - 1 }
        let rows = 600
        var x = [Double](repeating: 0, count: rows * columns)
        var rowStarts = [0]
        var active: [Int] = []
        var successes: [Double] = []
        var trials: [Double] = []
        for row in 0..<rows {
            var offset = 0
            var logit = -1.0
            for bins in binsPerFeature {
                let code = Int(random.next() % UInt64(bins))
                if code > 0 {
                    x[row * columns + offset + code - 1] = 1
                    active.append(offset + code - 1)
                    logit += 0.3 * Double(code) / Double(binsPerFeature.count - 3)
                }
                offset += bins - 1
            }
            rowStarts.append(active.count)
            let m = Double(1 + random.next() % 5)
            let p = 1 / (1 + exp(-logit))
            var y = 0.0
            for _ in 0..<Int(m) where random.unit() < p { y += 1 }
            successes.append(y)
            trials.append(m)
        }
        var options = LogisticRegression.Options()
        options.penalty = penalty
        let dense = try LogisticRegression.fit(
            x: x, rows: rows, columns: columns, successes: successes, trials: trials, options: options)
        let sparse = try LogisticRegression.fit(
            rowStarts: rowStarts, activeColumns: active, columns: columns, successes: successes, trials: trials,
            options: options)
        #expect(sparse.iterations == dense.iterations && sparse.converged && sparse.solver == dense.solver)
        for index in dense.coefficients.indices {
            #expect(isClose(sparse.coefficients[index], dense.coefficients[index], relative: 1e-9, absolute: 1e-12))
            #expect(isClose(sparse.standardErrors[index], dense.standardErrors[index], relative: 1e-9))
        }
        for index in dense.covariance.indices {
            #expect(isClose(sparse.covariance[index], dense.covariance[index], relative: 1e-9, absolute: 1e-14))
        }
        #expect(isClose(sparse.logLikelihood, dense.logLikelihood, relative: 1e-12))
        // Columns listed in descending order within each row: the Hessian is built from an ascending copy, the
        // same system to the bit.
        var descending: [Int] = []
        for row in 0..<rows { descending += active[rowStarts[row]..<rowStarts[row + 1]].reversed() }
        let unordered = try LogisticRegression.fit(
            rowStarts: rowStarts, activeColumns: descending, columns: columns, successes: successes, trials: trials,
            options: options)
        #expect(unordered.iterations == dense.iterations && unordered.converged)
        for index in dense.coefficients.indices {
            #expect(isClose(unordered.coefficients[index], dense.coefficients[index], relative: 1e-9, absolute: 1e-12))
            #expect(isClose(unordered.standardErrors[index], sparse.standardErrors[index], relative: 1e-12))
        }
    }

    /// On two threads (each accumulating the rows of XᵀWX of its own parameters) the fit is the one-thread fit to the
    /// bit, on a design past the size at which the second thread is used, with rows listed in either order.
    @Test(arguments: [false, true])
    func twoThreadsGiveTheSameFitToTheBit(descending: Bool) throws {
        var random = SeededRandom(seed: descending ? 31 : 32)
        let binsPerFeature = [2, 3, 2, 4, 2, 3, 2, 2, 5, 2, 3, 2, 40, 7]
        let columns = binsPerFeature.reduce(0) { $0 + $1 - 1 }
        let rows = 16_000
        var rowStarts = [0]
        var active: [Int] = []
        var successes: [Double] = []
        var trials: [Double] = []
        for _ in 0..<rows {
            var offset = 0
            var logit = -1.0
            var rowColumns: [Int] = []
            for bins in binsPerFeature {
                let code = Int(random.next() % UInt64(bins))
                if code > 0 {
                    rowColumns.append(offset + code - 1)
                    logit += 0.2 * Double(code) / Double(bins)
                }
                offset += bins - 1
            }
            active += descending ? rowColumns.reversed() : rowColumns
            rowStarts.append(active.count)
            let m = Double(1 + random.next() % 4)
            var y = 0.0
            for _ in 0..<Int(m) where random.unit() < 1 / (1 + exp(-logit)) { y += 1 }
            successes.append(y)
            trials.append(m)
        }
        #expect(active.count >= 100_000)
        var options = LogisticRegression.Options()
        let one = try LogisticRegression.fit(
            rowStarts: rowStarts, activeColumns: active, columns: columns, successes: successes, trials: trials,
            options: options)
        options.threads = 2
        let two = try LogisticRegression.fit(
            rowStarts: rowStarts, activeColumns: active, columns: columns, successes: successes, trials: trials,
            options: options)
        #expect(one.converged && one.iterations > 2)
        var sameOptions = two
        sameOptions.options = one.options
        // Compared whole (coefficients, covariance, likelihood, iterations, solver): no tolerance.
        let identical = sameOptions == one
        #expect(identical, "the two-thread fit differs from the one-thread fit")
    }

    @Test func badOneHotDesignThrows() {
        // Offsets that do not end at the column count, a column out of range, a column twice in a row.
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(rowStarts: [0, 1], activeColumns: [0, 1], columns: 2, successes: [1], trials: [2])
        }
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(rowStarts: [0, 1], activeColumns: [2], columns: 2, successes: [1], trials: [2])
        }
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(
                rowStarts: [0, 2, 2], activeColumns: [1, 1], columns: 2, successes: [1, 0], trials: [2, 1])
        }
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(rowStarts: [0], activeColumns: [], columns: 0, successes: [], trials: [])
        }
    }

    @Test func badInputThrows() {
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(x: [1], rows: 2, columns: 1, successes: [1, 1], trials: [2, 2])
        }
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(x: [.nan, 1], rows: 2, columns: 1, successes: [1, 1], trials: [2, 2])
        }
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(x: [0, 1], rows: 2, columns: 1, successes: [3, 1], trials: [2, 2])
        }
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(x: [], rows: 0, columns: 0, successes: [], trials: [])
        }
    }
}
