/// Opinion scores: units (clips, "processed video sequences") × raters → a number, with
/// missing ratings allowed, and each unit's content (the source clip it was made from).
///
/// The layout is sureal's: a dense units × raters matrix with NaN where a rater did not
/// rate a unit (docs/mos.md). Dense because every method here sweeps whole rows and columns
/// many times; 10,000 clips × 100 raters is 8 MB. Repetitions (one rater scoring the same
/// unit twice) are not represented: the reliability CSV and a project's current labels hold
/// at most one value per (unit, rater).
public struct OpinionData: Sendable {
    public let unitNames: [String]
    public let raterNames: [String]
    /// The contents (sources) the units were made from; `mle` estimates an ambiguity per
    /// content. With no content information every unit is its own content.
    public let contentNames: [String]
    /// `contentOfUnit[u]` indexes `contentNames`.
    public let contentOfUnit: [Int]
    /// Row-major, `unitCount × raterCount`; `.nan` marks a missing rating.
    public let scores: [Double]

    public var unitCount: Int { unitNames.count }
    public var raterCount: Int { raterNames.count }

    public struct ShapeError: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Checks the shape; values must be finite or NaN (missing).
    public init(unitNames: [String], raterNames: [String], scores: [Double],
                contentNames: [String]? = nil, contentOfUnit: [Int]? = nil) throws {
        guard scores.count == unitNames.count * raterNames.count else {
            throw ShapeError(description: "scores has \(scores.count) entries; \(unitNames.count) units × \(raterNames.count) raters need \(unitNames.count * raterNames.count)")
        }
        if let bad = scores.firstIndex(where: { $0.isInfinite }) {
            throw ShapeError(description: "score \(bad) is infinite")
        }
        let contents = contentNames ?? unitNames
        let ofUnit = contentOfUnit ?? Array(0..<unitNames.count)
        guard ofUnit.count == unitNames.count, ofUnit.allSatisfy({ $0 >= 0 && $0 < contents.count }) else {
            throw ShapeError(description: "contentOfUnit must give one content index (0..<\(contents.count)) per unit")
        }
        self.unitNames = unitNames
        self.raterNames = raterNames
        self.scores = scores
        self.contentNames = contents
        self.contentOfUnit = ofUnit
    }

    /// The rating of `unit` by `rater`, or nil when missing.
    public subscript(unit: Int, rater: Int) -> Double? {
        let v = scores[unit * raterNames.count + rater]
        return v.isNaN ? nil : v
    }

    /// How many ratings are present.
    public var ratingCount: Int { scores.reduce(0) { $1.isNaN ? $0 : $0 + 1 } }
}
