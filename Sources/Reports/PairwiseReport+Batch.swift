import Pairwise
import Printable
import Rubric
import Store

/// What `pairwise --batch` and `gate --pairwise` read from a project (docs/pairwise.md
/// "Projects"): the batch's current answers to one pairwise criterion, with models' answers
/// left out unless asked for (a consensus of people, as `aggregate --batch` and `mos --batch`
/// make it), and clips named as those commands name items — `ITEM:CLIP` for those who may see
/// clips, the pool item's number alone for an auditor (docs/security.md).
public struct PairwiseBatchInput: Sendable {
    public let pairwise: BatchPairwise
    /// The model raters whose answers were left out, by name.
    public let modelsLeftOut: [String]

    public init?(_ stored: BatchComparisons, criterion: Criterion, includeModels: Bool, namingClips: Bool) {
        var kept = stored
        var left = [String]()
        if !includeModels, stored.raterIsModel.count == stored.raters.count, stored.raterIsModel.contains(true) {
            left = stored.raters.indices.filter { stored.raterIsModel[$0] }.map { stored.raters[$0] }
            let keep = stored.raters.indices.filter { !stored.raterIsModel[$0] }
            var index = [Int32](repeating: -1, count: stored.raters.count)
            for (k, r) in keep.enumerated() { index[r] = Int32(k) }
            kept.raters = keep.map { stored.raters[$0] }
            kept.raterIsModel = keep.map { _ in false }
            kept.rater = []; kept.a = []; kept.b = []; kept.value = []; kept.shownLeft = []; kept.dwellMs = []
            for k in 0..<stored.rater.count where index[Int(stored.rater[k])] >= 0 {
                kept.rater.append(index[Int(stored.rater[k])]); kept.a.append(stored.a[k]); kept.b.append(stored.b[k])
                kept.value.append(stored.value[k])
                kept.shownLeft.append(k < stored.shownLeft.count ? stored.shownLeft[k] : -1)
                kept.dwellMs.append(k < stored.dwellMs.count ? stored.dwellMs[k] : nil)
            }
        }
        kept.clips = Self.names(clips: stored.clips, items: stored.items, namingClips: namingClips)
        guard let pairwise = BatchPairwise(kept, criterion: criterion) else { return nil }
        self.pairwise = pairwise
        self.modelsLeftOut = left
    }

    /// Item names as the other batch commands print them: `ITEM:CLIP`, or `ITEM` alone for an
    /// auditor; without pool item ids, the clip (or "clip N" in pool order for an auditor).
    public static func names(clips: [String], items: [Int64], namingClips: Bool) -> [String] {
        guard items.count == clips.count else {
            return namingClips ? clips : clips.indices.map { "clip \($0 + 1)" }
        }
        return zip(items, clips).map { namingClips ? "\($0):\($1)" : "\($0)" }
    }
}

extension PairwiseBatchInput {
    /// Reads a pairwise criterion's answers through the Store API (SQLite and PostgreSQL
    /// alike): leads, auditors and admins. Store refuses an unknown batch, a batch that is not
    /// pairwise and a criterion that is not one of its pairwise criteria, naming the choices.
    public static func read(_ session: ProjectSession, batch: String, criterion name: String,
                            includeModels: Bool) throws -> PairwiseBatchInput {
        let stored = try session.comparisons(batch: batch, criterion: name)
        guard let hash = try session.status(batch: batch).first?.rubricHash,
              let rubric = try session.rubricsByHash()[hash], let criterion = rubric.criterion(name),
              let input = PairwiseBatchInput(stored, criterion: criterion, includeModels: includeModels,
                                             namingClips: session.allows(.adjudicate)) else {
            throw StoreError(.input, "batch \(quoted(batch)) has no pairwise criterion \(quoted(name))")
        }
        return input
    }

    /// "batch B · C (pairwise); model raters excluded (judge-1)": the source line of the outputs.
    public func source(batch: String) -> String {
        "batch \(batch) · \(pairwise.criterion.id) (pairwise)"
            + (modelsLeftOut.isEmpty ? "" : "; model raters excluded (\(modelsLeftOut.joined(separator: ", ")))")
    }
}
