import Agreement
import OpinionScores
import Printable

extension ReliabilityCSV {
    /// The reliability CSV as opinion scores for `concord mos` (docs/mos.md): every value a
    /// number, an empty value a missing rating, at most one row per (unit, rater), and ratings
    /// from at least two raters. Each problem is an `InputError` naming the file and the CSV
    /// line, so the command prints one line and exits 2 before computing anything.
    ///
    /// Units and raters are in input order. A unit or rater whose every value is empty has
    /// nothing to score and is left out (`leftOut` counts them for the command's summary).
    /// With a `content` column (parsed with `readContent: true`) units share contents;
    /// without one every unit is its own content, as sureal assumes.
    public func opinionData(name: String) throws -> (data: OpinionData, leftOut: (units: Int, raters: Int)) {
        if ratings.isEmpty {
            throw InputError(emptyCells.isEmpty
                ? "\(printableText(name)): only a header, no ratings; add one row per rating (unit,rater,value) under it"
                : "\(printableText(name)): every value is empty, so there is no rating to score; fill in the value column")
        }
        // Each distinct value text is parsed once (a 1–5 scale has five), as agreement does.
        var numbers: [Double] = []
        numbers.reserveCapacity(valueLabels.count)
        for (label, line) in zip(valueLabels, firstLineOfLabel) {
            guard let number = CategorySet.number(from: label) else {
                throw InputError(file: name, line: Int(line),
                                 "the value \(quoted(label)) is not a number; opinion scores need numbers (a 1–5 or 0–100 scale), so correct the row")
            }
            numbers.append(number)
        }
        let unitCount = unitNames.count, raterCount = raterNames.count
        // One bit per cell that a row has claimed (the matrix itself is 64 per cell): finds a
        // repeated (unit, rater) in the same pass that fills the matrix; the earlier line is
        // looked up only then.
        var claimed = [UInt64](repeating: 0, count: (unitCount * raterCount + 63) / 64)
        var scores = [Double](repeating: .nan, count: unitCount * raterCount)
        var unitRated = [Bool](repeating: false, count: unitCount), raterRated = [Bool](repeating: false, count: raterCount)
        func claim(_ unit: Int32, _ rater: Int32, line: Int32) throws -> Int {
            let cell = Int(unit) * raterCount + Int(rater)
            let bit = UInt64(1) << UInt64(cell & 63)
            if claimed[cell >> 6] & bit != 0 {
                let first = firstLine(unit: unit, rater: rater)
                throw InputError(file: name, line: Int(line),
                                 "unit \(quoted(unitNames[Int(unit)])) is rated twice by rater \(quoted(raterNames[Int(rater)])) (first at line \(first)); keep one row per unit and rater")
            }
            claimed[cell >> 6] |= bit
            return cell
        }
        // Rows in file order, empty values included, so the message names the later line second.
        var r = 0, e = 0
        while r < ratings.count || e < emptyCells.count {
            if e >= emptyCells.count || (r < ratings.count && ratingLines[r] < emptyCellLines[e]) {
                let rating = ratings[r]
                let cell = try claim(rating.unit, rating.rater, line: ratingLines[r])
                scores[cell] = numbers[Int(rating.category)]
                unitRated[Int(rating.unit)] = true
                raterRated[Int(rating.rater)] = true
                r += 1
            } else {
                _ = try claim(emptyCells[e].unit, emptyCells[e].rater, line: emptyCellLines[e])
                e += 1
            }
        }
        return try Self.opinionData(unitNames: unitNames, raterNames: raterNames, scores: scores, unitRated: unitRated,
                                    raterRated: raterRated, contentNames: contentNames, contentOfUnit: contentOfUnit, name: name)
    }

    /// The matrix of every row as `OpinionData`, once no row has a problem: units and raters
    /// without a rating left out, at least two raters left. Shared by this parse and the
    /// one-step read (`ReliabilityCSV+Matrix.swift`), so both word these the same.
    static func opinionData(unitNames: [String], raterNames: [String], scores: [Double], unitRated: [Bool], raterRated: [Bool],
                            contentNames: [String], contentOfUnit: [Int32], name: String) throws
        -> (data: OpinionData, leftOut: (units: Int, raters: Int)) {
        let unitCount = unitNames.count, raterCount = raterNames.count
        let keptRaters = (0..<raterCount).filter { raterRated[$0] }
        if keptRaters.count < 2 {
            throw InputError("\(printableText(name)): every rating is by one rater (\(quoted(raterNames[keptRaters[0]]))); opinion scores need ratings from at least 2 raters")
        }
        let keptUnits = (0..<unitCount).filter { unitRated[$0] }
        var data = scores
        if keptUnits.count != unitCount || keptRaters.count != raterCount {
            data = []
            data.reserveCapacity(keptUnits.count * keptRaters.count)
            for u in keptUnits { for r in keptRaters { data.append(scores[u * raterCount + r]) } }
        }
        var contentNamesKept: [String]?, contentOfKept: [Int]?
        if !contentOfUnit.isEmpty {
            var index: [Int32: Int] = [:], names: [String] = [], of: [Int] = []
            for u in keptUnits {
                let c = contentOfUnit[u]
                if let known = index[c] { of.append(known) } else {
                    index[c] = names.count; of.append(names.count); names.append(contentNames[Int(c)])
                }
            }
            (contentNamesKept, contentOfKept) = (names, of)
        }
        let opinion = try OpinionData(unitNames: keptUnits.map { unitNames[$0] }, raterNames: keptRaters.map { raterNames[$0] },
                                      scores: data, contentNames: contentNamesKept, contentOfUnit: contentOfKept)
        return (opinion, (unitCount - keptUnits.count, raterCount - keptRaters.count))
    }

    /// The first line with a row for (unit, rater), rated or empty.
    private func firstLine(unit: Int32, rater: Int32) -> Int32 {
        let rated = zip(ratings, ratingLines).first { $0.0.unit == unit && $0.0.rater == rater }?.1
        let empty = zip(emptyCells, emptyCellLines).first { $0.0.unit == unit && $0.0.rater == rater }?.1
        return min(rated ?? .max, empty ?? .max)
    }
}
