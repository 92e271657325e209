import ArgumentParser
import Reports

/// The quality rules' thresholds as flags (docs/quality-rules.md), for `status --batch` and
/// any command that applies the rules; each defaults to `QualityThresholds`' value.
struct QualityOptions: ParsableArguments {
    @Option(name: .customLong("min-watched-share"), help: ArgumentHelp("Quality rule: a clip counts as watched from this share of its frames (0–1; default 1).", valueName: "F"))
    var minWatchedShare: Double?
    @Option(name: .customLong("max-viewing-factor"), help: ArgumentHelp("Quality rule: time on a clip at most this many times its length (default 3).", valueName: "K"))
    var maxViewingFactor: Double?
    @Option(name: .customLong("straight-lining-variance"), help: ArgumentHelp("Quality rule: a rater's score variance at most this is straight-lining (default 0).", valueName: "V"))
    var straightLiningVariance: Double?
    @Option(name: .customLong("straight-lining-min-scores"), help: ArgumentHelp("Quality rule: judge straight-lining from this many scores (default 5).", valueName: "M"))
    var straightLiningMinScores: Int?
    @Option(name: .customLong("outlier-z"), help: ArgumentHelp("Quality rule: |z| against the clip's other raters from which a score is an outlier (default 3.29).", valueName: "Z"))
    var outlierZ: Double?
    @Option(name: .customLong("outlier-min-others"), help: ArgumentHelp("Quality rule: judge outliers on clips with this many other ratings (at least 2; default 2).", valueName: "N"))
    var outlierMinOthers: Int?

    /// The thresholds, or one line naming the flag and what it takes.
    func thresholds() throws -> QualityThresholds {
        var t = QualityThresholds()
        func check(_ ok: Bool, _ flag: String, _ takes: String, _ got: String) throws {
            if !ok { throw InputError("\(flag) takes \(takes); got \(got)") }
        }
        if let v = minWatchedShare {
            try check(v >= 0 && v <= 1, "--min-watched-share", "a share from 0 to 1", NumberFormat.compact(Double(v))); t.minWatchedShare = v
        }
        if let v = maxViewingFactor {
            try check(v > 0 && v.isFinite, "--max-viewing-factor", "a positive factor", NumberFormat.compact(Double(v))); t.maxViewingFactor = v
        }
        if let v = straightLiningVariance {
            try check(v >= 0 && v.isFinite, "--straight-lining-variance", "a variance of 0 or more", NumberFormat.compact(Double(v))); t.straightLiningVariance = v
        }
        if let v = straightLiningMinScores {
            try check(v >= 2, "--straight-lining-min-scores", "a count of at least 2 (a variance needs two scores)", NumberFormat.compact(Double(v))); t.straightLiningMinRatings = v
        }
        if let v = outlierZ {
            try check(v > 0 && v.isFinite, "--outlier-z", "a positive |z|", NumberFormat.compact(Double(v))); t.outlierZ = v
        }
        if let v = outlierMinOthers {
            try check(v >= 2, "--outlier-min-others", "a count of at least 2 (an SD needs two ratings)", NumberFormat.compact(Double(v))); t.outlierMinOthers = v
        }
        return t
    }
}
