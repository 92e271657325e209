import Agreement
import Rubric

/// The adjudication queue's rule for a pairwise criterion (docs/adjudication.md "Pairwise
/// batches"): a pair disagrees when its raters do not all choose the same winner (a, b or
/// the tie). Strength words alone ("a/much-better" beside "a/better") do not put a pair in
/// the queue: both raters preferred a, which is what the scaling models use (they read the
/// winner only, docs/pairwise.md), and a lead cannot make a strength more true than the two
/// raters who saw it. Magnitude and alpha gain are those of the winners at the nominal level.
extension AdjudicationQueue {
    /// The winner a stored pairwise answer names ("a/better" → "a"); the value itself when it
    /// is not a pairwise answer (which Store's checks make impossible).
    public static func winner(_ value: String) -> String {
        PairChoice(value: value)?.winner.rawValue ?? value
    }

    /// `data` (a pairwise criterion's answers, categories its stored values) with each answer
    /// replaced by its winner: categories a, b and, when the criterion allows it, tie.
    static func winners(_ data: ReliabilityData, criterion: Criterion) -> ReliabilityData {
        let names = ["a", "b"] + (criterion.preference?.tie == true ? ["tie"] : [])
        let set = CategorySet(ordered: names)
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        let map = data.categories.labels.map { index[winner($0)] }
        var ratings: [ReliabilityData.Rating] = []
        for u in 0..<data.unitCount {
            for r in data.ratings(ofUnit: u) {
                guard let c = map[r.category] else { continue }
                ratings.append(.init(unit: Int32(u), rater: Int32(r.rater), category: c))
            }
        }
        // One rating per (unit, rater), as in `data`: this cannot throw.
        return (try? ReliabilityData(unitNames: data.unitNames, raterNames: data.raterNames, categories: set, ratings: ratings)) ?? data
    }
}
