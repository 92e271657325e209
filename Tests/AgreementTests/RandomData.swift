import Agreement

/// Seeded random reliability data for the property and comparison tests.
enum RandomData {
    struct Spec {
        var rows: [(String, String, String?)]
        var order: [String]?
    }

    /// Random rows: 1…maxUnits units, 1…maxRaters raters, values from `labels` (string or
    /// numeric categories), each cell missing with probability `missing`, correlated across
    /// raters so statistics are not all near 0.
    static func rows(_ rng: inout Xoshiro256StarStar, maxUnits: Int, maxRaters: Int, maxCategories: Int,
                     missing: Double, numeric: Bool? = nil) -> Spec {
        let units = 1 + rng.index(below: maxUnits)
        let raters = 1 + rng.index(below: maxRaters)
        let k = 1 + rng.index(below: maxCategories)
        let kind = numeric.map { $0 ? 0 : 1 } ?? rng.index(below: 3)
        let labels: [String]
        switch kind {
        case 0: labels = (0..<k).map { "\($0 * 2 - 3)" }              // numeric, some negative
        case 1: labels = (0..<k).map { "cat\(Character(UnicodeScalar(97 + $0)!))" }
        default: labels = (0..<k).map { "\(Double($0) * 1.5)" }        // numeric, non-negative
        }
        var rows: [(String, String, String?)] = []
        for u in 0..<units {
            let truth = rng.index(below: k)
            for r in 0..<raters {
                if Double(rng.next() >> 11) / Double(1 << 53) < missing { continue }
                let value = rng.index(below: 3) == 0 ? rng.index(below: k) : truth
                rows.append(("u\(u)", "r\(r)", labels[value]))
            }
        }
        let order: [String]? = kind == 1 && rng.index(below: 2) == 0 ? labels.shuffledDeterministically(&rng) : nil
        return Spec(rows: rows, order: order)
    }

    static func make(_ rng: inout Xoshiro256StarStar, maxUnits: Int, maxRaters: Int, maxCategories: Int,
                     missing: Double) throws -> ReliabilityData {
        let spec = rows(&rng, maxUnits: maxUnits, maxRaters: maxRaters, maxCategories: maxCategories, missing: missing)
        return try makeData(spec.rows, order: spec.order)
    }
}

extension Array {
    func shuffledDeterministically(_ rng: inout Xoshiro256StarStar) -> [Element] {
        var copy = self
        for i in stride(from: copy.count - 1, to: 0, by: -1) {
            copy.swapAt(i, rng.index(below: i + 1))
        }
        return copy
    }
}
