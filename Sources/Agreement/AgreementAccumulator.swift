/// Live agreement over reliability data that changes one rating at a time.
///
/// Raters label one clip at a time and revise their labels; the lead's dashboard shows
/// agreement as they go. Each edit (add, replace or remove one rating) updates integer
/// tallies in O(ratings on the unit + categories²), and every statistic can be read at any
/// time in O(max ratings per unit · categories²). Because the state is integers, the
/// accumulator after any sequence of edits is identical (==) to one built fresh from the
/// final data: there is no drift to test for, and the tests check exactly that.
public struct AgreementAccumulator: Sendable, Equatable {
    public let categories: CategorySet
    /// Raters known to the data (a rater with no rating still counts: Cohen's kappa asks for
    /// exactly two).
    public private(set) var raterCount: Int
    private var tallies: Tallies
    /// Current ratings of each unit, as (rater, category), in no particular order.
    private var unitRatings: [[RaterCategory]]
    /// Pair tables of raters (a, b), a > b, at triangular index a(a − 1)/2 + b; made on
    /// first co-occurrence so that a thousand crowd raters do not cost a million tables.
    private var pairTables: [Int: PairTable] = [:]
    public private(set) var ratingCount = 0

    struct RaterCategory: Sendable, Equatable {
        var rater: Int32
        var category: Int32
    }

    /// An empty accumulator over `categories`, with `raters` raters and `units` units known
    /// (both grow when a rating names a higher index).
    public init(categories: CategorySet, raters: Int = 0, units: Int = 0) {
        self.categories = categories
        self.raterCount = raters
        self.tallies = Tallies(categoryCount: categories.count)
        self.unitRatings = Array(repeating: [], count: units)
    }

    /// The accumulator of a whole data set, built in one pass over its units.
    public init(_ data: ReliabilityData) {
        self.init(categories: data.categories, raters: data.raterCount, units: data.unitCount)
        var counts = [Int](repeating: 0, count: categories.count)
        var present: [Int32] = []
        for u in 0..<data.unitCount {
            let range = data.unitStart[u]..<data.unitStart[u + 1]
            guard !range.isEmpty else { continue }
            var ratings: [RaterCategory] = []
            ratings.reserveCapacity(range.count)
            present.removeAll(keepingCapacity: true)
            for slot in range {
                let c = data.categoryOf[slot]
                if counts[Int(c)] == 0 { present.append(c) }
                counts[Int(c)] += 1
                ratings.append(RaterCategory(rater: data.raterOf[slot], category: c))
            }
            tallies.add(present: present, count: { counts[$0] }, m: range.count, weight: 1)
            for c in present { counts[Int(c)] = 0 }
            addPairs(of: ratings, weight: 1)
            unitRatings[u] = ratings
        }
        ratingCount = data.ratingCount
    }

    public var unitCount: Int { unitRatings.count }

    /// The category `rater` gave `unit`, if any.
    public func rating(unit: Int, rater: Int) -> Int? {
        guard unit < unitRatings.count else { return nil }
        return unitRatings[unit].first { $0.rater == Int32(rater) }.map { Int($0.category) }
    }

    /// Sets, replaces (`category` non-nil) or removes (`category` nil) one rating.
    public mutating func set(unit: Int, rater: Int, category: Int?) {
        precondition(unit >= 0 && rater >= 0, "negative index")
        precondition(category.map { $0 >= 0 && $0 < categories.count } ?? true, "category index out of range")
        if unit >= unitRatings.count {
            unitRatings.append(contentsOf: repeatElement([], count: unit + 1 - unitRatings.count))
        }
        raterCount = max(raterCount, rater + 1)
        var ratings = unitRatings[unit]
        let existing = ratings.firstIndex { $0.rater == Int32(rater) }
        if let existing, category.map(Int32.init) == ratings[existing].category { return }

        addUnitTally(ratings, weight: -1)
        if let existing {
            addPairs(of: ratings, involving: existing, weight: -1)
            ratings.remove(at: existing)
            ratingCount -= 1
        }
        if let category {
            ratings.append(RaterCategory(rater: Int32(rater), category: Int32(category)))
            addPairs(of: ratings, involving: ratings.count - 1, weight: 1)
            ratingCount += 1
        }
        addUnitTally(ratings, weight: 1)
        unitRatings[unit] = ratings
    }

    public mutating func add(unit: Int, rater: Int, category: Int) {
        set(unit: unit, rater: rater, category: category)
    }

    public mutating func remove(unit: Int, rater: Int) {
        set(unit: unit, rater: rater, category: nil)
    }

    // MARK: Reading

    /// Units with at least two ratings (those the statistics use).
    public var pairableUnits: Int { tallies.coincidences().pairableUnits }

    /// Every statistic at once (the coincidences are read once).
    public func outcomes(_ metrics: [Metric] = Metric.allCases) -> [Metric: Outcome] {
        let coincidences = tallies.coincidences()
        var result: [Metric: Outcome] = [:]
        for metric in metrics {
            result[metric] = outcome(metric, coincidences)
        }
        return result
    }

    public func outcome(_ metric: Metric) -> Outcome {
        outcome(metric, metric.needsTwoRaters ? nil : tallies.coincidences())
    }

    private func outcome(_ metric: Metric, _ coincidences: Coincidences?) -> Outcome {
        evaluate(metric, coincidences: { coincidences ?? tallies.coincidences() },
                 pairTable: { pairTable(0, 1) }, categories: categories, raterCount: raterCount)
    }

    /// The contingency table of raters `first` and `second` on the units both rated
    /// (rows `first`). Empty when they share no unit.
    public func pairTable(_ first: Int, _ second: Int) -> PairTable {
        precondition(first != second, "a rater pair needs two raters")
        let (hi, lo) = first > second ? (first, second) : (second, first)
        guard let table = pairTables[hi * (hi - 1) / 2 + lo] else {
            return PairTable(categoryCount: categories.count)
        }
        guard first > second else { return table }
        // Stored with rows = the lower index; transpose for the caller's order.
        var transposed = PairTable(categoryCount: table.categoryCount)
        let k = table.categoryCount
        for i in 0..<k { for j in 0..<k { transposed.cells[i * k + j] = table.cells[j * k + i] } }
        return transposed
    }

    // MARK: Updating the state

    private mutating func addUnitTally(_ ratings: [RaterCategory], weight: Int) {
        guard !ratings.isEmpty else { return }
        // A unit has few ratings: count categories by scanning the list (no allocation
        // proportional to the category count).
        var present: [Int32] = []
        present.reserveCapacity(ratings.count)
        for r in ratings where !present.contains(r.category) { present.append(r.category) }
        tallies.add(present: present, count: { c in ratings.reduce(0) { $0 + ($1.category == Int32(c) ? 1 : 0) } },
                    m: ratings.count, weight: weight)
    }

    /// Adds every pair of ratings on one unit to the pair tables.
    private mutating func addPairs(of ratings: [RaterCategory], weight: Int) {
        for i in 1..<max(ratings.count, 1) {
            addPairs(of: ratings[0...i], involving: i, weight: weight)
        }
    }

    /// Adds the pairs formed by rating `index` with every other rating on the unit.
    private mutating func addPairs<C: RandomAccessCollection<RaterCategory>>(of ratings: C, involving index: C.Index, weight: Int) {
        let k = categories.count
        let me = ratings[index]
        for other in ratings.indices where other != index {
            let them = ratings[other]
            let (hi, lo) = me.rater > them.rater ? (me, them) : (them, me)
            let key = Int(hi.rater) * (Int(hi.rater) - 1) / 2 + Int(lo.rater)
            pairTables[key, default: PairTable(categoryCount: k)]
                .cells[Int(lo.category) * k + Int(hi.category)] += weight
        }
    }

    public static func == (a: AgreementAccumulator, b: AgreementAccumulator) -> Bool {
        // Rating order within a unit is not state; empty pair tables equal missing ones.
        func normalized(_ units: [[RaterCategory]]) -> [[RaterCategory]] {
            units.map { $0.sorted { $0.rater < $1.rater } }
        }
        func nonEmpty(_ tables: [Int: PairTable]) -> [Int: PairTable] {
            tables.filter { $0.value.cells.contains { $0 != 0 } }
        }
        return a.categories == b.categories && a.raterCount == b.raterCount
            && a.ratingCount == b.ratingCount
            && a.tallies.sameCounts(as: b.tallies)
            && normalized(a.unitRatings) == normalized(b.unitRatings)
            && nonEmpty(a.pairTables) == nonEmpty(b.pairTables)
    }
}

extension Tallies {
    /// Equal counts, ignoring trailing all-zero m levels (an accumulator that once saw a
    /// unit with 5 ratings keeps an empty level 5).
    func sameCounts(as other: Tallies) -> Bool {
        func level(_ t: Tallies, _ m: Int) -> ([Int], [Int], Int) {
            let k = t.categoryCount
            guard m < t.units.count else {
                return ([Int](repeating: 0, count: k * k), [Int](repeating: 0, count: k), 0)
            }
            return (Array(t.pairs[m * k * k..<(m + 1) * k * k]), Array(t.counts[m * k..<(m + 1) * k]), t.units[m])
        }
        guard categoryCount == other.categoryCount else { return false }
        for m in 0...max(maxM, other.maxM) where level(self, m) != level(other, m) { return false }
        return true
    }
}
