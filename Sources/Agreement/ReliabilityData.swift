/// Reliability data: units × raters, a category (or nothing) in each cell.
///
/// A unit is what raters judge independently (in concord, an item × criterion). Ratings are
/// stored grouped by unit (compressed rows), because every statistic is a sum over units.
/// Missing cells are simply absent; a rater with no rating at all still counts as a rater.
public struct ReliabilityData: Sendable {
    public let unitNames: [String]
    public let raterNames: [String]
    public let categories: CategorySet

    /// Ratings of unit `u` are entries `unitStart[u] ..< unitStart[u + 1]`.
    let unitStart: [Int]
    let raterOf: [Int32]
    let categoryOf: [Int32]

    /// One rating given by `rater` to `unit`, in `category` (indices into the name lists).
    public struct Rating: Equatable, Sendable {
        public var unit: Int32
        public var rater: Int32
        public var category: Int32
        public init(unit: Int32, rater: Int32, category: Int32) {
            self.unit = unit
            self.rater = rater
            self.category = category
        }
    }

    /// The same rater rated the same unit twice: positions `first` and `second` in the input.
    public struct DuplicateRating: Error, Equatable, Sendable {
        public let first: Int
        public let second: Int
    }

    /// Groups `ratings` by unit (a stable counting sort, O(ratings + units)).
    /// Throws `DuplicateRating` naming the first repeated (unit, rater) pair in input order;
    /// `extraCells` are (unit, rater) cells that are present but empty (missing values), given
    /// so that a repeated cell is caught whether or not its value is missing.
    public init(unitNames: [String], raterNames: [String], categories: CategorySet,
                ratings: [Rating], emptyCells: [(unit: Int32, rater: Int32)] = []) throws {
        let unitCount = unitNames.count
        precondition(ratings.allSatisfy { Int($0.unit) < unitCount && Int($0.rater) < raterNames.count
            && $0.category >= 0 && Int($0.category) < categories.count }, "rating index out of range")
        // Cells in input order: the ratings first, then the empty cells, each with its position.
        var start = [Int](repeating: 0, count: unitCount + 1)
        for r in ratings { start[Int(r.unit) + 1] += 1 }
        for c in emptyCells { start[Int(c.unit) + 1] += 1 }
        for u in 0..<unitCount { start[u + 1] += start[u] }
        let total = start[unitCount]
        var fill = start
        var cellRater = [Int32](repeating: 0, count: total)
        var cellPosition = [Int](repeating: 0, count: total)
        for (i, r) in ratings.enumerated() {
            let slot = fill[Int(r.unit)]
            cellRater[slot] = r.rater
            cellPosition[slot] = i
            fill[Int(r.unit)] += 1
        }
        for (i, c) in emptyCells.enumerated() {
            let slot = fill[Int(c.unit)]
            cellRater[slot] = c.rater
            cellPosition[slot] = ratings.count + i
            fill[Int(c.unit)] += 1
        }
        // A repeated (unit, rater): mark each rater with the unit it was last seen in.
        var seenInUnit = [Int32](repeating: -1, count: raterNames.count)
        var seenAt = [Int](repeating: 0, count: raterNames.count)
        var duplicate: DuplicateRating?
        for u in 0..<unitCount {
            for slot in start[u]..<start[u + 1] {
                let rater = Int(cellRater[slot])
                if seenInUnit[rater] == Int32(u) {
                    let pair = DuplicateRating(first: min(seenAt[rater], cellPosition[slot]),
                                               second: max(seenAt[rater], cellPosition[slot]))
                    if duplicate == nil || pair.second < duplicate!.second { duplicate = pair }
                } else {
                    seenInUnit[rater] = Int32(u)
                    seenAt[rater] = cellPosition[slot]
                }
            }
        }
        if let duplicate { throw duplicate }

        // Keep the ratings only, grouped by unit, in input order within a unit.
        var ratingStart = [Int](repeating: 0, count: unitCount + 1)
        for r in ratings { ratingStart[Int(r.unit) + 1] += 1 }
        for u in 0..<unitCount { ratingStart[u + 1] += ratingStart[u] }
        var next = ratingStart
        var raterOf = [Int32](repeating: 0, count: ratings.count)
        var categoryOf = [Int32](repeating: 0, count: ratings.count)
        for r in ratings {
            let slot = next[Int(r.unit)]
            raterOf[slot] = r.rater
            categoryOf[slot] = r.category
            next[Int(r.unit)] += 1
        }
        self.unitNames = unitNames
        self.raterNames = raterNames
        self.categories = categories
        self.unitStart = ratingStart
        self.raterOf = raterOf
        self.categoryOf = categoryOf
    }

    /// Reliability data from a raters × units matrix of category indices, −1 for missing:
    /// the shape reliability data is printed in papers and held in numpy. A matrix cannot
    /// hold a repeated (unit, rater), so there is nothing to check. O(raters · units).
    public init(matrix: [[Int32]], unitNames: [String], raterNames: [String], categories: CategorySet) {
        precondition(matrix.count == raterNames.count && matrix.allSatisfy { $0.count == unitNames.count },
                     "matrix shape does not match the names")
        var start = [Int](repeating: 0, count: unitNames.count + 1)
        var raters: [Int32] = [], cats: [Int32] = []
        raters.reserveCapacity(unitNames.count * raterNames.count)
        cats.reserveCapacity(unitNames.count * raterNames.count)
        for u in 0..<unitNames.count {
            for r in 0..<raterNames.count {
                let c = matrix[r][u]
                guard c >= 0 else { continue }
                precondition(Int(c) < categories.count, "category index out of range")
                raters.append(Int32(r))
                cats.append(c)
            }
            start[u + 1] = raters.count
        }
        self.init(unitNames: unitNames, raterNames: raterNames, categories: categories,
                  unitStart: start, raterOf: raters, categoryOf: cats)
    }

    /// Already grouped and checked storage (used by the transformations below).
    private init(unitNames: [String], raterNames: [String], categories: CategorySet,
                 unitStart: [Int], raterOf: [Int32], categoryOf: [Int32]) {
        self.unitNames = unitNames
        self.raterNames = raterNames
        self.categories = categories
        self.unitStart = unitStart
        self.raterOf = raterOf
        self.categoryOf = categoryOf
    }

    public var unitCount: Int { unitNames.count }
    public var raterCount: Int { raterNames.count }
    /// Non-missing ratings.
    public var ratingCount: Int { raterOf.count }

    /// The ratings of unit `u` as (rater, category) pairs.
    public func ratings(ofUnit u: Int) -> [(rater: Int, category: Int)] {
        (unitStart[u]..<unitStart[u + 1]).map { (Int(raterOf[$0]), Int(categoryOf[$0])) }
    }

    /// Only the ratings of `raters` (indices), renumbered in the given order; units keep
    /// their names, including those left with no rating.
    public func restricted(toRaters raters: [Int]) -> ReliabilityData {
        var newIndex = [Int32](repeating: -1, count: raterCount)
        for (i, r) in raters.enumerated() { newIndex[r] = Int32(i) }
        return filtered(raterNames: raters.map { raterNames[$0] }, categories: categories) { rater, category in
            newIndex[Int(rater)] < 0 ? nil : (newIndex[Int(rater)], category)
        }
    }

    /// Every rater but `rater` (leave-one-rater-out).
    public func excluding(rater: Int) -> ReliabilityData {
        restricted(toRaters: (0..<raterCount).filter { $0 != rater })
    }

    /// The data recoded to two categories, `category` and "not category" (one-vs-rest).
    public func oneVsRest(category: Int) -> ReliabilityData {
        filtered(raterNames: raterNames, categories: .oneVsRest(categories.labels[category])) { rater, c in
            (rater, c == Int32(category) ? 0 : 1)
        }
    }

    private func filtered(raterNames: [String], categories: CategorySet,
                          _ transform: (Int32, Int32) -> (Int32, Int32)?) -> ReliabilityData {
        var start = [Int](repeating: 0, count: unitCount + 1)
        var raters: [Int32] = []
        var cats: [Int32] = []
        for u in 0..<unitCount {
            for slot in unitStart[u]..<unitStart[u + 1] {
                if let (r, c) = transform(raterOf[slot], categoryOf[slot]) {
                    raters.append(r)
                    cats.append(c)
                }
            }
            start[u + 1] = raters.count
        }
        return ReliabilityData(unitNames: unitNames, raterNames: raterNames, categories: categories,
                               unitStart: start, raterOf: raters, categoryOf: cats)
    }
}
