import Agreement
import Testing

/// Builds reliability data from (unit, rater, value) rows the way the CLI does: categories
/// observed (numeric ones merged and sorted) or from an explicit order; nil value = missing.
func makeData(_ rows: [(String, String, String?)], order: [String]? = nil) throws -> ReliabilityData {
    var units: [String] = [], raters: [String] = [], labels: [String] = []
    func index(_ name: String, _ list: inout [String]) -> Int32 {
        if let i = list.firstIndex(of: name) { return Int32(i) }
        list.append(name)
        return Int32(list.count - 1)
    }
    var raw: [ReliabilityData.Rating] = []
    var empty: [(unit: Int32, rater: Int32)] = []
    for (unit, rater, value) in rows {
        let u = index(unit, &units), r = index(rater, &raters)
        if let value { raw.append(.init(unit: u, rater: r, category: index(value, &labels))) }
        else { empty.append((u, r)) }
    }
    let categories: CategorySet, map: [Int32]
    if let order {
        categories = CategorySet(ordered: order)
        map = try categories.indices(of: labels).get()
    } else {
        (categories, map) = CategorySet.observed(labels)
    }
    for i in raw.indices { raw[i].category = map[Int(raw[i].category)] }
    return try ReliabilityData(unitNames: units, raterNames: raters, categories: categories,
                               ratings: raw, emptyCells: empty)
}

/// Rows from a raters × units table of values, "." or "" for missing (as papers print them).
func rowsFromTable(_ table: [String: String]) -> [(String, String, String?)] {
    var rows: [(String, String, String?)] = []
    for rater in table.keys.sorted() {
        for (u, v) in table[rater]!.split(separator: " ").enumerated() {
            rows.append(("\(u + 1)", rater, v == "." ? nil : String(v)))
        }
    }
    return rows
}

/// Expects `outcome` to be a value within `tolerance` of `expected`, printing expected,
/// observed and |error| on failure.
func expectValue(_ outcome: Outcome?, _ expected: Double, tolerance: Double = 1e-12,
                 _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    guard let observed = outcome?.value else {
        Issue.record("\(label): expected \(expected), got \(String(describing: outcome))", sourceLocation: sourceLocation)
        return
    }
    let error = abs(observed - expected)
    #expect(error <= tolerance, "\(label): expected \(expected), observed \(observed), |error| \(error)",
            sourceLocation: sourceLocation)
}

func expectUndefined(_ outcome: Outcome?, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(outcome == .undefined(reason: reason), "got \(String(describing: outcome))", sourceLocation: sourceLocation)
}
