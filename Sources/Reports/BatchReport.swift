import Agreement
import Crypto
import OpinionScores
import Rubric
import Store

/// One batch's audit report, computed once and rendered as HTML, Markdown, CSV and JSON
/// by `concord report`, so the four formats can never disagree. Built only from
/// aggregate-level reads (labels for agreement, status, gold answers) so auditors can
/// produce it; lead-only sections are passed in as optional and noted when absent.
public struct BatchReport: Sendable {
    public struct Summary: Sendable {
        public let items: Int
        public let humanRaters: Int
        public let modelRaters: Int
        public let labels: Int
        /// Labeled ÷ assigned over all raters (nil when nothing is assigned).
        public let completion: Double?
        public let firstSubmission: String?
        public let lastSubmission: String?
    }

    public struct MetricRow: Sendable {
        public let metric: Metric
        public let outcome: Outcome
        public let interval: Result<BootstrapInterval, UndefinedInterval>?
        /// The reading of the estimate with its interval (it follows the interval: see
        /// `Interpretation`).
        public var interpretation: String? {
            outcome.value.flatMap { Interpretation.of(metric, $0, bootstrap: interval) }
        }
        /// For alpha with an interval: q, the share of replicates below 0.800.
        public var q: Double? {
            guard metric.alphaLevel != nil, case .success(let ci)? = interval else { return nil }
            return ci.shareBelow(Interpretation.reliableAlpha)
        }
    }

    public struct CriterionSection: Sendable {
        public let id: String
        public let scale: Scale
        public let units: Int
        public let raters: Int
        public let ratings: Int
        public let metrics: [MetricRow]
        /// Rater × rater headline alpha (rater names in `raterNames` order; nil on the
        /// diagonal and where undefined).
        public let raterNames: [String]
        public let pairAlpha: [[Double?]]
        /// Leave-one-rater-out headline alpha per rater name.
        public let leaveOneOut: [String: Double?]
        /// Confusion matrix (nominal/ordinal only): pooled over every ordered rater pair
        /// of each unit (each pair counted both ways, so the matrix is symmetric). With two
        /// raters this is their pair table counted both ways.
        public let categories: [String]
        public let confusion: [[Int]]?
    }

    public struct RaterRow: Sendable {
        public let rater: String
        public let role: Role
        public let labels: Int
        public let items: Int
        public let assigned: Int?
        public let goldAnswered: Int
        public let goldCorrect: Int
        public var goldAccuracy: Double? { goldAnswered > 0 ? Double(goldCorrect) / Double(goldAnswered) : nil }
        /// Mean of this rater's pairwise headline alpha with each other rater, over criteria.
        public let meanPairAlpha: Double?
        public let goldTimeline: [(at: String, correct: Bool)]
        /// Median time on an item (ms) over the items this rater labeled with a recorded
        /// dwell, and median share of the clip watched over their workbench submissions.
        public let medianDwellMs: Double?
        public let medianWatchedShare: Double?
        /// Throughput: items per hour of workbench dwell (`BatchActivity.Work.itemsPerHour`).
        public let itemsPerHour: Double?
    }

    public let batch: String
    public let rubricName: String
    public let rubricHash: String
    public let version: String
    public let resamples: Int
    public let seed: UInt64
    public let summary: Summary
    public let criteria: [CriterionSection]
    public let raters: [RaterRow]
    /// SHA-256 (hex) of the label snapshot: one line per current label,
    /// `item,rater,criterion,value` (fields as stored), lines sorted bytewise and joined
    /// with "\n" plus a final "\n".
    public let snapshotSHA256: String
    /// The newest audit event of the labels' snapshot (one read): every event that wrote the snapshot's
    /// labels is at or before it, so `concord audit verify --anchor` with it later shows
    /// that none of them was rewritten. Set by the caller (nil: not recorded).
    public var auditAnchor: AuditAnchor?
    /// Agreement over time (docs/reports.md); set by the caller, which reads the rubric versions.
    public var overTime: AgreementOverTime?
    public let goldQuestions: Int
    /// Opinion scores per ordinal or numeric criterion (docs/reports.md, "Scores").
    public let scores: ScoresSection
    /// Each rater's Dawid–Skene confusion matrix per nominal or ordinal criterion (docs/reports.md).
    public let consensus: ConsensusSection
    /// Per pairwise criterion, win rates, Bradley–Terry scores and the raters' position bias
    /// (docs/reports.md, "Preferences"); set by the caller from the comparisons it read, nil
    /// (no section) for a batch without pairwise criteria.
    public var preferences: PreferencesSection?
    /// Per rater (by name), the items their latest workbench submission judged on each
    /// display mode: which ratings came from a 256-colour or half-block picture. Empty when
    /// no submission recorded its display (imports, older clients).
    public let displayMix: [String: [String: Int]]

    public init(labels: BatchLabels, activity: BatchActivity?, gold: [GoldAnswer], goldThreshold: Double?,
                version: String, resamples: Int, seed: UInt64, includeModels: Bool = false, viewing: BatchViewing? = nil,
                scoresMethod: OpinionMethod = ScoresSection.preferred, namingClips: Bool = true) throws {
        batch = labels.batch; rubricName = labels.rubric.name; rubricHash = labels.rubricHash
        displayMix = activity?.displays ?? [:]
        self.version = version; self.resamples = resamples; self.seed = seed
        // Per rater: labels and distinct items labeled; per (rater, item) the dwell of its
        // most recently submitted current label (the latest viewing that produced an answer).
        var labelCount = [Int](repeating: 0, count: labels.raters.count)
        var itemSets = [Set<Int64>](repeating: [], count: labels.raters.count)
        var latest: [Int: (at: String, dwell: Int32)] = [:]
        for i in labels.raterIndex.indices {
            let r = Int(labels.raterIndex[i]); labelCount[r] += 1
            itemSets[r].insert(labels.items[Int(labels.itemIndex[i])])
            let key = r * labels.items.count + Int(labels.itemIndex[i])
            if let seen = latest[key], seen.at >= labels.submittedAt[i] { continue }
            latest[key] = (labels.submittedAt[i], labels.dwellMs[i])
        }
        var dwell = [[Double]](repeating: [], count: labels.raters.count)
        for (key, v) in latest where v.dwell >= 0 { dwell[key / labels.items.count].append(Double(v.dwell)) }
        var assigned = 0, labeled = 0
        for (rater, items) in activity?.assigned ?? [:] {
            assigned += items.count
            if let r = labels.raters.firstIndex(of: rater) { labeled += items.intersection(itemSets[r]).count }
        }
        var first: String?, last: String?
        for t in labels.submittedAt {
            if first == nil || t < first! { first = t }
            if last == nil || t > last! { last = t }
        }
        summary = Summary(items: labels.items.count,
                          humanRaters: labels.roles.filter { $0 != .model }.count,
                          modelRaters: labels.roles.filter { $0 == .model }.count,
                          labels: labels.value.count,
                          completion: assigned > 0 ? Double(labeled) / Double(assigned) : nil,
                          firstSubmission: first, lastSubmission: last)
        // Criteria are independent: compute them side by side (a report over a million
        // labels is mostly this loop).
        let measured = labels.rubric.criteria.filter(\.isPartOfAgreement)
        let (computed, (snapshot, scores)) = try concurrently({
            try parallelMap(measured) { criterion in
                try Self.section(labels, criterion: criterion, resamples: resamples, seed: seed, includeModels: includeModels)
            }
        }, { (Self.snapshotHash(labels), try ScoresSection(labels: labels, viewing: viewing, method: scoresMethod,
                                                                     namingClips: namingClips)) })
        var pairSums: [String: (Double, Int)] = [:]
        for section in computed {
            for i in section.raterNames.indices { for j in section.raterNames.indices where j != i {
                if let v = section.pairAlpha[i][j] { pairSums[section.raterNames[i], default: (0, 0)].0 += v; pairSums[section.raterNames[i], default: (0, 0)].1 += 1 }
            } }
        }
        criteria = computed
        let goldAccuracy = GoldAccuracy(labels: labels, gold: gold, threshold: goldThreshold)
        let goldRows = Dictionary(goldAccuracy.rows.map { ($0.rater, $0) }, uniquingKeysWith: { a, _ in a })
        goldQuestions = goldAccuracy.goldQuestions
        var rows: [RaterRow] = labels.raters.indices.map { r in
            let name = labels.raters[r]
            let g = goldRows[name]
            let sum = pairSums[name]
            return RaterRow(rater: name, role: labels.roles[r], labels: labelCount[r], items: itemSets[r].count,
                            assigned: activity.map { $0.assigned[name]?.count ?? 0 }, goldAnswered: g?.answered ?? 0, goldCorrect: g?.correct ?? 0,
                            meanPairAlpha: sum.map { $0.0 / Double($0.1) }, goldTimeline: g?.timeline ?? [],
                            medianDwellMs: Self.median(dwell[r]), medianWatchedShare: activity?.medianWatchedShare[name],
                            itemsPerHour: activity?.work[name]?.itemsPerHour)
        }
        // Assigned raters who have not labeled anything yet are part of the audit too.
        for (name, items) in (activity?.assigned ?? [:]).sorted(by: { $0.key < $1.key }) where !labels.raters.contains(name) {
            rows.append(RaterRow(rater: name, role: activity?.roles[name] ?? .rater, labels: 0, items: 0, assigned: items.count,
                                 goldAnswered: 0, goldCorrect: 0, meanPairAlpha: nil, goldTimeline: [],
                                 medianDwellMs: nil, medianWatchedShare: activity?.medianWatchedShare[name],
                                 itemsPerHour: activity?.work[name]?.itemsPerHour))
        }
        raters = rows
        snapshotSHA256 = snapshot
        self.scores = scores
        consensus = try ConsensusSection(labels: labels, includeModels: includeModels)
    }

    /// The median (Agreement's type-7 percentile at ½), nil for no values.
    public static func median(_ xs: [Double]) -> Double? {
        xs.isEmpty ? nil : Bootstrap.percentile(xs.sorted(), 0.5)
    }

    /// SHA-256 of the sorted snapshot lines (`snapshotSHA256`).
    static func snapshotHash(_ labels: BatchLabels) -> String {
        rankedSnapshotHash(labels) ?? lineSnapshotHash(labels)
    }

    /// The same digest without a String per line (a million of them, sorted, cost more than
    /// the rest of the digest). A line is `item,rater,criterion,value`; with each of the first
    /// three ending in its comma, none is a prefix of another of its kind as long as no rater
    /// name or criterion holds a comma, so byte order of lines is the order of (item, rater,
    /// criterion) ranked by their bytes, and the value — one per label_current key — never
    /// decides. Nil (the line sort decides) when a name holds a comma or a key repeats.
    static func rankedSnapshotHash(_ labels: BatchLabels) -> String? {
        let comma = UInt8(ascii: ","), count = labels.value.count
        let items = labels.items.map { Array("\($0),".utf8) }
        let raters = labels.raters.map { Array($0.utf8) + [comma] }
        var criteria: [[UInt8]] = [], codeOf: [String: Int32] = [:], rowCriterion = [Int32](repeating: 0, count: count)
        var lastName: String?, lastCode: Int32 = 0
        for i in 0..<count {
            let name = labels.criterion[i]
            if name != lastName {
                if let known = codeOf[name] { lastCode = known } else {
                    lastCode = Int32(criteria.count)
                    codeOf[name] = lastCode
                    criteria.append(Array(name.utf8) + [comma])
                }
                lastName = name
            }
            rowCriterion[i] = lastCode
        }
        guard (raters + criteria).allSatisfy({ !$0.dropLast().contains(comma) }),
              items.count < 1 << 22, raters.count < 1 << 21, criteria.count < 1 << 21 else { return nil }
        func ranks(_ texts: [[UInt8]]) -> [UInt64] {
            var rank = [UInt64](repeating: 0, count: texts.count)
            for (r, i) in texts.indices.sorted(by: { texts[$0].lexicographicallyPrecedes(texts[$1]) }).enumerated() { rank[i] = UInt64(r) }
            return rank
        }
        let itemRank = ranks(items), raterRank = ranks(raters), criterionRank = ranks(criteria)
        var keyed = (0..<count).map { i in
            (key: itemRank[Int(labels.itemIndex[i])] << 42 | raterRank[Int(labels.raterIndex[i])] << 21 | criterionRank[Int(rowCriterion[i])],
             row: Int32(i))
        }
        keyed.sort { $0.key < $1.key }
        for i in keyed.indices.dropFirst() where keyed[i].key == keyed[i - 1].key { return nil }
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16 + 4096)
        for (_, row) in keyed {
            let i = Int(row)
            buffer += items[Int(labels.itemIndex[i])]
            buffer += raters[Int(labels.raterIndex[i])]
            buffer += criteria[Int(rowCriterion[i])]
            buffer += labels.value[i].utf8
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 {
                buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    /// SHA-256 of the sorted snapshot lines, hashed line by line (no joined copy).
    static func lineSnapshotHash(_ labels: BatchLabels) -> String {
        var lines = labels.value.indices.map { i in
            "\(labels.items[Int(labels.itemIndex[i])]),\(labels.raters[Int(labels.raterIndex[i])]),\(labels.criterion[i]),\(labels.value[i])\n"
        }
        lines.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var hasher = SHA256()
        for var line in lines {
            line.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { b in let s = String(b, radix: 16); return s.count == 1 ? "0" + s : s }.joined()
    }

    /// One criterion's section: headline metrics with intervals, pairs, leave-one-out, confusion.
    static func section(_ labels: BatchLabels, criterion: Criterion, resamples: Int, seed: UInt64, includeModels: Bool) throws -> CriterionSection {
        let data = try BatchReliability.data(labels, criterion: criterion, includeModels: includeModels)
        let shown = BatchReliability.metrics(for: criterion.scale, raters: data.raterCount)
        let s = AgreementSummary(data)
        let intervals = resamples > 0 ? Bootstrap.intervals(data, metrics: shown, resamples: resamples, seed: seed, confidence: 0.95) : [:]
        let rows = shown.map { MetricRow(metric: $0, outcome: s.outcomes[$0] ?? .undefined(reason: "not computed"), interval: intervals[$0]) }
        let alpha = BatchReliability.alpha(for: criterion.scale)!
        let names = data.raterNames
        var matrix = [[Double?]](repeating: [Double?](repeating: nil, count: names.count), count: names.count)
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for pair in Breakdown.perRaterPair(data, metrics: [alpha]) {
            guard let i = index[pair.first], let j = index[pair.second] else { continue }
            let v = pair.summary.outcomes[alpha]?.value
            matrix[i][j] = v; matrix[j][i] = v
        }
        var loo: [String: Double?] = [:]
        if names.count > 2 {
            for row in Breakdown.leaveOneRaterOut(data, metrics: [alpha]) { loo[row.rater] = row.summary.outcomes[alpha]?.value }
        }
        var confusion: [[Int]]?
        if criterion.scale == .nominal || criterion.scale == .ordinal {
            confusion = Breakdown.pooledPairCounts(data)
        }
        return CriterionSection(id: criterion.id, scale: criterion.scale, units: s.units, raters: s.raters,
                                ratings: s.ratings, metrics: rows, raterNames: names, pairAlpha: matrix,
                                leaveOneOut: loo, categories: data.categories.labels, confusion: confusion)
    }
}
