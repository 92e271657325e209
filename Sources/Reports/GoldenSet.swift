import Aggregation
import Crypto
import Foundation
import JSONWriter
import Store

/// The golden set of a batch: every (item, criterion) whose human votes were unanimous (two
/// or more, all equal) or that a lead resolved — and not re-opened since by changed votes.
///
/// Its version is the SHA-256 of its canonical content: one JSON object per entry, keys
/// sorted, no whitespace, entries ordered by item then criterion, each line ending "\n"
/// (the `.jsonl` export's lines after its header). Timestamps are not content, so the same
/// answers always give the same version, and any change of a value, a vote, the
/// adjudicator, the reason or the rationale gives a new one. A consumer cites the version.
///
/// With a consensus method (`golden export --consensus ds`), every other unit of a nominal
/// or ordinal criterion with human votes, not resolved, gets the method's label, marked
/// `consensus:ds` with its posterior (docs/adjudication.md); a tie is left out and listed.
public struct GoldenSet: Sendable {
    public struct Entry: Sendable, Equatable {
        public let item: Int64
        public let clip: String
        public let clipSHA256: String
        public let criterion: String
        public let value: String
        public let rubricHash: String
        /// "unanimous", "adjudicated" or "consensus:M" (M the method).
        public let source: String
        public let votes: [(rater: String, value: String)]
        public let adjudicator: String?
        public let reason: String?
        public let rationale: String?
        /// A consensus entry's posterior, every option rounded to six decimals (nil for the
        /// others, whose lines stay as they were before consensus entries existed).
        public var posterior: [(value: String, p: Double)]? = nil
        /// A pair item's clip b and its SHA-256 (`clip` is clip a, the item's own clip): a
        /// value `a`, `b` or `tie` is about the pair. Nil for an item about one clip, whose
        /// line is as it was before pairs existed.
        public var clipB: String? = nil
        public var clipBSHA256: String? = nil

        public static func == (a: Entry, b: Entry) -> Bool { a.canonicalLine == b.canonicalLine }

        /// The entry's canonical JSON line (without the newline), as `JSON.encode(_, strings:
        /// .canonical)` writes the entry's object (`canonicalObjectLine`), written directly:
        /// through `Any` a golden set of 4,000 entries of 250 votes took 40 s to write.
        public var canonicalLine: String { canonicalText() }

        /// The same line through `JSON.encode` of an `[String: Any]` object: the definition
        /// `canonicalLine` is checked against (GoldenSetCanonicalTests).
        var canonicalObjectLine: String {
            var object: [String: Any] = [
                "item": item, "clip": clip, "clip_sha256": clipSHA256, "criterion": criterion, "value": value,
                "rubric_hash": rubricHash, "source": source,
                "votes": votes.map { ["rater": $0.rater, "value": $0.value] as [String: Any] },
            ]
            object["adjudicator"] = adjudicator ?? NSNull()
            object["reason"] = reason ?? NSNull()
            object["rationale"] = rationale ?? NSNull()
            if let posterior { object["posterior"] = Dictionary(posterior.map { ($0.value, $0.p) }, uniquingKeysWith: { a, _ in a }) }
            if let clipB { object["clip_b"] = clipB }
            if let clipBSHA256 { object["clip_b_sha256"] = clipBSHA256 }
            // The canonical string form: versions already cited stay the versions of the same answers.
            return JSON.encode(object, strings: .canonical)
        }
    }

    public let batch: String
    public let rubricHash: String
    public let entries: [Entry]
    /// The consensus method the set was filled with (nil: unanimous and adjudicated only).
    public let consensusMethod: AggregationMethod?
    /// Units the consensus left tied (not in `entries`), by item then criterion.
    public let ties: [Tie]

    /// Lowercase hex SHA-256 of the canonical content.
    public var version: String {
        var hasher = SHA256()
        for entry in entries { hasher.update(data: Data((entry.canonicalLine + "\n").utf8)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public init(_ context: AdjudicationContext, consensus: Consensus? = nil) {
        let labels = context.labels
        batch = labels.batch
        rubricHash = labels.rubricHash
        let resolutions = context.resolutions
        // Votes by (item index, criterion code) in one array: a million labels are not a
        // million hashed (item, criterion) keys. Criterion codes are found once per run of
        // equal names (labels come criterion by criterion within a rater).
        var code: [String: Int] = [:], lastName: String?, lastCode = 0
        func codeOf(_ name: String) -> Int {
            if name == lastName { return lastCode }
            lastName = name
            if let known = code[name] { lastCode = known } else { lastCode = code.count; code[name] = lastCode }
            return lastCode
        }
        for criterion in labels.rubric.criteria where criterion.isPartOfAgreement { _ = codeOf(criterion.id) }
        var votes: [[(rater: String, value: String)]] = []
        func votesIndex(_ itemIndex: Int, _ criterion: Int) -> Int { itemIndex * code.count + criterion }
        // The newest vote's time, asked only of resolved (item, criterion)s.
        var newest: [ItemCriterion: String] = [:]
        let resolvedItems = Set(resolutions.keys.map(\.item))
        var labelCodes = [Int](repeating: 0, count: labels.value.count)
        for i in 0..<labels.value.count { labelCodes[i] = codeOf(labels.criterion[i]) }
        votes = Array(repeating: [], count: labels.items.count * code.count)
        for i in 0..<labels.value.count {
            let r = Int(labels.raterIndex[i])
            guard labels.roles[r] != .model else { continue }
            let itemIndex = Int(labels.itemIndex[i])
            votes[votesIndex(itemIndex, labelCodes[i])].append((labels.raters[r], labels.value[i]))
            let item = labels.items[itemIndex]
            if resolvedItems.contains(item), i < labels.submittedAt.count {
                let key = ItemCriterion(item: item, criterion: labels.criterion[i])
                if labels.submittedAt[i] > newest[key, default: ""] { newest[key] = labels.submittedAt[i] }
            }
        }
        var positionOf: [Int64: Int] = [:]
        for (i, item) in labels.items.enumerated() { positionOf[item] = i }
        var out: [Entry] = [], ties: [Tie] = []
        for criterion in labels.rubric.criteria where criterion.isPartOfAgreement {
            for (index, item) in labels.items.enumerated() {
                let key = ItemCriterion(item: item, criterion: criterion.id)
                let its = votes[votesIndex(index, codeOf(criterion.id))].sorted { $0.rater < $1.rater }
                let clipHash = context.clipHashes[item] ?? ""
                if let decision = resolutions[key], !(newest[key].map { $0 > decision.at } ?? false), let value = decision.value {
                    out.append(Entry(item: item, clip: labels.clipNames[index], clipSHA256: clipHash, criterion: criterion.id,
                                     value: value, rubricHash: labels.rubricHash, source: "adjudicated", votes: its,
                                     adjudicator: decision.lead, reason: decision.reason?.rawValue, rationale: decision.note))
                } else if its.count >= 2, Set(its.map(\.value)).count == 1, resolutions[key] == nil {
                    out.append(Entry(item: item, clip: labels.clipNames[index], clipSHA256: clipHash, criterion: criterion.id,
                                     value: its[0].value, rubricHash: labels.rubricHash, source: "unanimous", votes: its,
                                     adjudicator: nil, reason: nil, rationale: nil))
                } else if !its.isEmpty, resolutions[key] == nil, let method = consensus,
                          let (options, items) = method.criteria[criterion.id], let c = items[item] {
                    guard let label = c.label else {
                        ties.append(Tie(item: item, criterion: criterion.id, options: c.tiedLabels.map { options[$0] }))
                        continue
                    }
                    out.append(Entry(item: item, clip: labels.clipNames[index], clipSHA256: clipHash, criterion: criterion.id,
                                     value: options[label], rubricHash: labels.rubricHash, source: method.source, votes: its,
                                     adjudicator: nil, reason: nil, rationale: nil,
                                     posterior: Self.rounded(c.posterior, options: options)))
                }
            }
        }
        for (n, entry) in out.enumerated() {
            guard let pair = context.pairs[entry.item] else { continue }
            out[n].clipB = pair.clipB.name
            out[n].clipBSHA256 = pair.clipB.sha256
        }
        entries = out.sorted { a, b in
            a.item != b.item ? a.item < b.item : a.criterion < b.criterion
        }
        self.ties = ties.sorted { a, b in a.item != b.item ? a.item < b.item : a.criterion < b.criterion }
        consensusMethod = consensus?.method
    }
}
