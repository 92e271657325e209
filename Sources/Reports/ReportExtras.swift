import Agreement
import Store

/// The lead-only parts of the report, nil when the acting user may not read them.
public struct ReportExtras: Sendable {
    struct Decision: Sendable { let item: Int64; let criterion: String; let kind: String; let value: String; let lead: String; let reason: String; let note: String }
    let decisions: [Decision]?
    let clipHashes: [(Int64, String)]?
    let goldenVersion: String?
    /// Disagreements not yet settled, in queue order.
    let open: [AdjudicationQueue.Entry]?
    /// Every model rater of the batch scored against the golden set.
    let judges: [JudgeScore]?
    /// Each judge's calibration and self-agreement (JudgeCalibrationSection), in `judges`' order.
    let calibrations: [JudgeCalibrationReport]?

    public init(context: AdjudicationContext?, predictions: [String: [PredictionRow]] = [:], resamples: Int, seed: UInt64) throws {
        guard let context else { decisions = nil; clipHashes = nil; goldenVersion = nil; open = nil; judges = nil; calibrations = nil; return }
        // The names the command line uses (send_back, rubric_ambiguous), never Swift's.
        decisions = context.decisions.map {
            let value = $0.kind == .sendBack ? "sent back to \($0.raters.joined(separator: ", "))" : ($0.value ?? "")
            return Decision(item: $0.item, criterion: $0.criterion ?? "", kind: $0.kind.rawValue, value: value,
                            lead: $0.lead, reason: $0.reason?.rawValue ?? "", note: $0.note ?? "")
        }
        clipHashes = context.clipHashes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let golden = GoldenSet(context)
        goldenVersion = golden.version
        open = try AdjudicationQueue(context).entries
        let labels = context.labels
        judges = try labels.raters.indices.filter { labels.roles[$0] == .model }.sorted { labels.raters[$0] < labels.raters[$1] }.map {
            try JudgeScore(labels: labels, golden: golden, judge: labels.raters[$0], resamples: resamples, seed: seed)
        }
        calibrations = judges?.map { JudgeCalibrationReport(labels: labels, golden: golden, judge: $0.judge, predictions: predictions[$0.judge] ?? [],
                                                            resamples: resamples, seed: seed) }
    }

    static let unavailable = "not available to auditors"

    /// "yes ×3, no ×1": an entry's votes as counts (a batch can have hundreds of raters).
    static func voteSummary(_ e: AdjudicationQueue.Entry, text: (String) -> String = { $0 }) -> String {
        var counts: [(String, Int)] = []
        for v in e.votes {
            if let i = counts.firstIndex(where: { $0.0 == v.value }) { counts[i].1 += 1 } else { counts.append((v.value, 1)) }
        }
        return counts.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map { "\(text($0.0)) ×\($0.1)" }.joined(separator: ", ")
    }

    /// Per judge and criterion: the judge's row, then the human raters' median of each
    /// statistic (every human row is in the JSON).
    static func judgeRows(_ j: JudgeScore, _ c: JudgeScore.CriterionScore, text: (String) -> String = { $0 }) -> [[String]] {
        let names = c.judge.statistics.map(\.name)
        var rows = [["rater", "n"] + names]
        rows.append(["\(text(j.judge)) (model)", "\(c.judge.pairs)"] + c.judge.statistics.map { JudgeFormat.cell($0.estimate) })
        let humans = c.humans.filter { $0.pairs > 0 }
        let medians = names.map { name in
            BatchReport.median(humans.compactMap { h in h.statistics.first { $0.name == name }?.estimate.value }).map { fixed($0, 3) } ?? "—"
        }
        rows.append(["human raters, median of \(humans.count)", humans.isEmpty ? "—" : "\(BatchReport.median(humans.map { Double($0.pairs) }).map { Int($0) } ?? 0)"] + medians)
        return rows
    }
}
