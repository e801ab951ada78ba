/// The level at which the "under what conditions" question makes claims.
///
/// The question is answered by two families of tests: the per-feature associations (BH over features) and the joint
/// model's odds ratios (BH over bins). Each family is held at half the false discovery rate, so that when failures
/// are independent of every feature the report claims a condition in at most `fdr` of cases (Bonferroni over the
/// two families; measured in the tests). With only one family each at `fdr`, the chance of some claim would be
/// close to `2 · fdr`.
public enum ConditionsLevel {
    /// The q-value threshold of each family: `fdr / 2`.
    public static func familyLevel(fdr: Double) -> Double { fdr / 2 }

    /// Marks the associations and odds ratios the report claims.
    public static func mark(
        associations: inout [FeatureAssociation], model: inout JointModelResult?, fdr: Double
    ) {
        let level = familyLevel(fdr: fdr)
        for index in associations.indices { associations[index].significant = associations[index].qValue < level }
        guard var fitted = model else { return }
        for index in fitted.terms.indices {
            fitted.terms[index].significant = fitted.terms[index].qValue < level && fitted.terms[index].excludesOne
        }
        model = fitted
    }
}
