import Agreement
import Rubric

/// One agreement criterion of a batch, kept current one label revision at a time for the
/// lead's dashboard.
///
/// It holds the criterion's current human ratings (a mirror of the project's current
/// labels for this criterion) and incremental accumulators over them: one for the whole
/// data, and — for up to `liveBreakdownLimit` raters — one per rater left out and one per
/// rater pair. A label revision updates each accumulator in O(ratings on the unit +
/// categories²), so the headline, leave-one-rater-out and pair statistics are exact after
/// every change without recomputing anything from scratch (AgreementAccumulator's state is
/// integers: it equals a fresh build on the same data).
///
/// Two changes cannot be applied in place and rebuild this criterion from the mirror (not
/// from the project file): a numeric value never seen before (interval and ratio
/// categories are the observed values, and an accumulator's categories are fixed), and a
/// rater's last rating being withdrawn (a fresh computation no longer counts that rater,
/// which two-rater statistics depend on). Both are rare next to ordinary revisions; a
/// rebuild costs one pass over the criterion's ratings.
struct LiveCriterion {
    /// Above this many raters the per-pair and leave-one-out accumulators (R + R(R−1)/2 of
    /// them, each holding every rating) would cost too much memory and time per label; the
    /// dashboard then computes those tables in its periodic refresh instead.
    static let liveBreakdownLimit = 16

    let criterion: Criterion
    let unitCount: Int
    /// Current values by unit: rater name → value.
    private(set) var values: [[String: String]]
    private(set) var raterNames: [String] = []
    private var raterIndex: [String: Int] = [:]
    private var ratingsOfRater: [Int] = []
    /// Ratings per category (for the skew rule that brings Gwet's AC1 in).
    private(set) var categoryCounts: [Int] = []
    private(set) var all: AgreementAccumulator
    /// Accumulator without rater q, raters renumbered (r < q keeps r, r > q becomes r − 1).
    private(set) var withoutRater: [AgreementAccumulator]?
    /// Accumulator of raters (lo, hi) alone, as raters 0 and 1, at `pairKey(lo, hi)`.
    private(set) var pairs: [Int: AgreementAccumulator]?
    /// Times this criterion was rebuilt from the mirror (tests check when that happens).
    private(set) var rebuilds = 0

    /// Built from the batch's reliability data for this criterion (BatchReliability's
    /// units, human raters and categories).
    init(criterion: Criterion, data: ReliabilityData) {
        self.criterion = criterion
        unitCount = data.unitCount
        values = Array(repeating: [:], count: data.unitCount)
        all = AgreementAccumulator(categories: data.categories)
        for u in 0..<data.unitCount {
            for rating in data.ratings(ofUnit: u) {
                values[u][data.raterNames[rating.rater]] = data.categories.labels[rating.category]
            }
        }
        load(data)
    }

    var categories: CategorySet { all.categories }

    /// Share of all ratings in the most common category; nil while no item has two
    /// ratings (no statistic is defined then, skewed or not).
    var topCategoryShare: Double? {
        let total = categoryCounts.reduce(0, +)
        guard total > 0, all.pairableUnits > 0, let top = categoryCounts.max() else { return nil }
        return Double(top) / Double(total)
    }

    // MARK: - Changes

    /// Applies the current value of `rater` on `unit` (nil: withdrawn). Returns whether
    /// anything changed.
    @discardableResult
    mutating func set(unit: Int, rater: String, value: String?) -> Bool {
        guard unit >= 0 && unit < unitCount else { return false }
        let old = values[unit][rater]
        guard old != value else { return false }
        values[unit][rater] = value
        let oldCategory = old.flatMap(category(of:))
        if let value {
            guard let c = category(of: value) else {
                rebuild()   // a numeric value not seen before (or, defensively, an unknown option)
                return true
            }
            let r = raterIndex[rater] ?? addRater(rater)
            if let oldCategory { categoryCounts[oldCategory] -= 1 } else { ratingsOfRater[r] += 1 }
            categoryCounts[c] += 1
            setEverywhere(unit: unit, rater: r, category: c)
        } else {
            guard let r = raterIndex[rater], let oldCategory else { rebuild(); return true }
            ratingsOfRater[r] -= 1
            categoryCounts[oldCategory] -= 1
            if ratingsOfRater[r] == 0 {
                rebuild()   // the rater's last rating here: they no longer count as a rater
                return true
            }
            setEverywhere(unit: unit, rater: r, category: nil)
        }
        return true
    }

    private mutating func setEverywhere(unit: Int, rater r: Int, category: Int?) {
        all.set(unit: unit, rater: r, category: category)
        if withoutRater != nil {
            for q in 0..<raterNames.count where q != r {
                withoutRater![q].set(unit: unit, rater: r < q ? r : r - 1, category: category)
            }
        }
        if pairs != nil {
            for q in 0..<raterNames.count where q != r {
                let key = Self.pairKey(min(q, r), max(q, r))
                if pairs![key] == nil { pairs![key] = pairAccumulator() }
                pairs![key]!.set(unit: unit, rater: r < q ? 0 : 1, category: category)
            }
        }
    }

    /// A rater seen for the first time: the next index. Their leave-out accumulator is
    /// the current whole (they have no rating yet); their pairs hold the other rater's
    /// ratings only.
    private mutating func addRater(_ name: String) -> Int {
        let r = raterNames.count
        raterNames.append(name)
        raterIndex[name] = r
        ratingsOfRater.append(0)
        if raterNames.count > Self.liveBreakdownLimit {
            withoutRater = nil
            pairs = nil
            return r
        }
        withoutRater?.append(all)
        if pairs != nil {
            for q in 0..<r {
                var pair = pairAccumulator()
                let other = raterNames[q]
                for u in 0..<unitCount {
                    if let v = values[u][other], let c = category(of: v) { pair.set(unit: u, rater: 0, category: c) }
                }
                pairs![Self.pairKey(q, r)] = pair
            }
        }
        return r
    }

    private func pairAccumulator() -> AgreementAccumulator {
        AgreementAccumulator(categories: categories, raters: 2, units: unitCount)
    }

    static func pairKey(_ lo: Int, _ hi: Int) -> Int { hi * (hi - 1) / 2 + lo }

    private func category(of value: String) -> Int? {
        guard case .success(let indices) = categories.indices(of: [value]) else { return nil }
        return Int(indices[0])
    }

    // MARK: - Building

    /// The mirror as reliability data: the same units, categories and raters as
    /// BatchReliability would give for the same current labels (raters in first-seen
    /// order, which no statistic depends on).
    func data() -> ReliabilityData {
        var names: [String] = []
        var index: [String: Int32] = [:]
        var rows: [(unit: Int32, rater: Int32, value: String)] = []
        for u in 0..<unitCount {
            for (rater, value) in values[u].sorted(by: { $0.key < $1.key }) {
                let r: Int32
                if let known = index[rater] { r = known } else {
                    r = Int32(names.count); index[rater] = r; names.append(rater)
                }
                rows.append((Int32(u), r, value))
            }
        }
        let set: CategorySet
        var map: [Int32]
        if criterion.scale == .nominal || criterion.scale == .ordinal {
            set = CategorySet(ordered: criterion.options.map(\.value))
            switch set.indices(of: rows.map(\.value)) {
            case .success(let indices): map = indices
            case .failure:
                // Not an option (the Store validates answers, so only a tampered file):
                // leave such ratings out rather than crash the lead's screen.
                map = rows.map { r in (try? set.indices(of: [r.value]).get())?.first ?? -1 }
            }
        } else {
            (set, map) = CategorySet.observed(rows.map(\.value))
        }
        var ratings: [ReliabilityData.Rating] = []
        ratings.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() where map[i] >= 0 {
            ratings.append(.init(unit: row.unit, rater: row.rater, category: map[i]))
        }
        let unitNames = (0..<unitCount).map { String($0) }
        // One rating per (unit, rater) by construction, so this cannot throw.
        return (try? ReliabilityData(unitNames: unitNames, raterNames: names, categories: set, ratings: ratings))
            ?? ReliabilityData(matrix: [], unitNames: unitNames, raterNames: [], categories: set)
    }

    private mutating func rebuild() {
        rebuilds += 1
        load(data())
    }

    /// Replaces every accumulator and count with those of `data` (whose ratings equal the
    /// mirror's).
    private mutating func load(_ data: ReliabilityData) {
        raterNames = data.raterNames
        raterIndex = Dictionary(uniqueKeysWithValues: data.raterNames.enumerated().map { ($1, $0) })
        ratingsOfRater = Array(repeating: 0, count: data.raterCount)
        categoryCounts = Array(repeating: 0, count: data.categories.count)
        for u in 0..<data.unitCount {
            for rating in data.ratings(ofUnit: u) {
                ratingsOfRater[rating.rater] += 1
                categoryCounts[rating.category] += 1
            }
        }
        all = AgreementAccumulator(data)
        guard data.raterCount <= Self.liveBreakdownLimit else {
            withoutRater = nil
            pairs = nil
            return
        }
        withoutRater = (0..<data.raterCount).map { AgreementAccumulator(data.excluding(rater: $0)) }
        var pairs: [Int: AgreementAccumulator] = [:]
        for hi in 0..<data.raterCount {
            for lo in 0..<hi {
                pairs[Self.pairKey(lo, hi)] = AgreementAccumulator(data.restricted(toRaters: [lo, hi]))
            }
        }
        self.pairs = pairs
    }
}
