import Agreement
import ArgumentParser
import JSONWriter
import OpinionScores
import Reports
import Store

/// `concord gate`: agreement, gold accuracy and opinion scores against thresholds, for a CI pipeline.
/// Exit 0 when every check passes, 1 when one fails, 2 on an error.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Check a batch's agreement, gold accuracy and opinion scores against thresholds: exit 0 pass, 1 fail, 2 error.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
    @Option(name: .customLong("min-alpha"), help: "Krippendorff's alpha (at each criterion's level) must be at least this.") var minAlpha: Double?
    @Option(name: .customLong("min-kappa"), help: "Cohen's / weighted kappa (two raters) or Fleiss' kappa must be at least this.") var minKappa: Double?
    @Option(name: .customLong("min-gold-accuracy"), help: "Every rater's gold accuracy must be at least this (0–1).") var minGoldAccuracy: Double?
    @Option(help: "Only this criterion.") var criterion: String?
    @Flag(name: .customLong("use-ci-lower"), help: "Compare the lower bound of the bootstrap interval, not the estimate.") var useCILower = false
    @Option(help: "Bootstrap resamples for --use-ci-lower and --as-good-as-humans.") var bootstrap: Int = Bootstrap.defaultResamples
    @Option(help: "Bootstrap seed for --use-ci-lower and --as-good-as-humans.") var seed: UInt64 = Bootstrap.defaultSeed
    @Option(help: ArgumentHelp("The model rater --as-good-as-humans judges.", valueName: "M")) var judge: String?
    @Flag(name: .customLong("as-good-as-humans"), help: "Pass only when the lower 95% bound of the judge's alpha with the golden set is at least the lower bound of the human raters' alpha on the same items (leads and admins).")
    var asGoodAsHumans = false
    @Option(name: .customLong("min-units"), help: "Warn when a criterion has fewer pairable units (items rated twice or more) than this; 0: never.")
    var minUnits: Int = ReleaseGate.Thresholds().minUnits
    @Option(help: "text or json.") var format: DataFormat = .text
    @Option(name: .customLong("max-mos-ci"), help: ArgumentHelp("Every clip's 95% interval half-width (opinion scores by --method) must be at most this, on each ordinal or numeric criterion.", valueName: "W"))
    var maxMosCI: Double?
    @Option(name: .customLong("max-rejected-raters"), help: ArgumentHelp("At most this many raters rejected per ordinal or numeric criterion (by --method bt500 or p913's screening, and --reject quality).", valueName: "N"))
    var maxRejectedRaters: Int?
    @Option(help: ArgumentHelp("The opinion-score method of --max-mos-ci and --max-rejected-raters: p910 (default, docs/mos.md), mle, mle_co, mos, bt500, p913.", valueName: "M"))
    var method: String = ScoresSection.preferred.rawValue
    @Option(help: ArgumentHelp("quality — score without the raters who broke a quality rule (docs/quality-rules.md); --max-rejected-raters counts them.", valueName: "quality"))
    var reject: RejectRule?
    @OptionGroup var quality: QualityOptions
    @OptionGroup var preference: PairwiseGateOptions

    func validate() throws {
        if judge != nil && !asGoodAsHumans { throw ValidationError("--judge names the model of --as-good-as-humans: add --as-good-as-humans") }
        if asGoodAsHumans && judge == nil { throw ValidationError("--as-good-as-humans needs the model rater to judge: add --judge M") }
        try preference.validate()
        if minAlpha == nil && minKappa == nil && minGoldAccuracy == nil && maxMosCI == nil && maxRejectedRaters == nil && !asGoodAsHumans
            && preference.pairwise == nil {
            throw ValidationError("give at least one threshold: --min-alpha, --min-kappa or --min-gold-accuracy (or, on opinion scores, --max-mos-ci or --max-rejected-raters; for a model judge, --judge M --as-good-as-humans; on side-by-side preferences, --pairwise C --system NEW --beats OLD)")
        }
        if let maxMosCI, !(maxMosCI > 0 && maxMosCI.isFinite) {
            throw ValidationError("--max-mos-ci must be a positive half-width in the criterion's units (e.g. 0.3 on a 1–5 scale); got \(maxMosCI)")
        }
        if let maxRejectedRaters, maxRejectedRaters < 0 { throw ValidationError("--max-rejected-raters must be 0 or more; got \(maxRejectedRaters)") }
        if reject != nil && maxMosCI == nil && maxRejectedRaters == nil {
            throw ValidationError("--reject quality applies to the opinion-score checks: add --max-mos-ci or --max-rejected-raters")
        }
        if reject == nil && quality.isSet { throw ValidationError("the quality-rule thresholds apply with --reject quality") }
        for (name, value) in [("--min-alpha", minAlpha), ("--min-kappa", minKappa)] {
            if let value, !(value >= -1 && value <= 1) { throw ValidationError("\(name) must be between -1 and 1; got \(value)") }
        }
        if let minGoldAccuracy, !(0...1).contains(minGoldAccuracy) {
            throw ValidationError("--min-gold-accuracy must be between 0 and 1; got \(minGoldAccuracy)")
        }
        if !(1...100_000).contains(bootstrap) { throw ValidationError("--bootstrap must be between 1 and 100000; got \(bootstrap)") }
        if minUnits < 0 { throw ValidationError("--min-units must be 0 or more; got \(minUnits)") }
    }

    func run() throws {
        guard let mosMethod = OpinionMethod(rawValue: method) else {
            throw InputError("unknown method \(quoted(method)); choose from: \(OpinionMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if maxRejectedRaters != nil && !ReleaseGate.screens(mosMethod) && reject == nil {
            throw InputError("--max-rejected-raters counts the raters a screening rejects, and \(mosMethod.rawValue) rejects none; add --method bt500 or --method p913, or --reject quality")
        }
        let session = try global.session()
        let batch = try self.batch ?? session.defaultBatch()
        // The judge's rule reads the golden set (the lead's context, with the labels of the same read).
        let context = asGoodAsHumans ? try session.adjudicationContext(batch: batch) : nil
        let labels = try context?.labels ?? session.labelsForAgreement(batch: batch)
        let gold = minGoldAccuracy == nil ? [] : try session.goldAnswers(batch: batch).answers
        var thresholds = ReleaseGate.Thresholds()
        thresholds.pairwise = try preference.verdict(session, batch: batch)
        thresholds.minAlpha = minAlpha
        thresholds.minKappa = minKappa
        thresholds.minGoldAccuracy = minGoldAccuracy
        thresholds.criterion = criterion
        thresholds.useLowerBound = useCILower
        thresholds.resamples = bootstrap
        thresholds.seed = seed
        thresholds.minUnits = minUnits
        thresholds.maxMosCI = maxMosCI
        thresholds.maxRejectedRaters = maxRejectedRaters
        thresholds.mosMethod = mosMethod
        if let context, let judge { thresholds.asGoodAsHumans = ReleaseGate.JudgeRule(judge: judge, golden: GoldenSet(context)) }
        // Auditors read aggregates without clip names (docs/security.md).
        thresholds.namingClips = session.allows(.adjudicate)
        if reject == .quality {
            let viewing = try session.viewing(batch: batch), rules = try quality.thresholds()
            for criterion in labels.rubric.criteria where BatchScores.refusal(criterion) == nil {
                thresholds.excluded[criterion.id] = try BatchScores.qualityRejections(labels: labels, viewing: viewing, criterion: criterion,
                                                                                      thresholds: rules)
            }
        }
        // Read after the labels: the anchor covers every event that wrote them, so a release
        // record that keeps it can later show the log behind the decision was not rewritten.
        let anchor = try session.auditHead()
        let gate = try ReleaseGate(labels: labels, gold: gold, thresholds: thresholds)
        guard !gate.checks.isEmpty else {
            throw InputError("nothing to check: no criterion of the rubric has the statistics asked for (kappa applies to nominal and ordinal criteria); opinion scores need an ordinal or numeric criterion")
        }
        FileDescriptorOutput.standardOutput.write(format == .json ? json(gate, anchor) : text(gate, anchor))
        if let warning = smallSampleWarning(gate) { FileDescriptorOutput.standardError.write("concord: warning: \(warning)\n") }
        if !gate.passed {
            let failed = gate.checks.filter { !$0.passed }.count
            // A ceiling (--max-…) is failed from above, not below.
            let side = gate.checks.contains { !$0.passed && $0.atMost } ? "outside its threshold" : "below threshold"
            throw CheckFailed(message: "gate failed: \(failed) of \(gate.checks.count) check\(gate.checks.count == 1 ? "" : "s") \(side)"
                              + (smallSampleReason(gate).map { "; \($0)" } ?? ""))
        }
    }

    /// The criteria with fewer pairable units than --min-units, as "present (3), severity (1)".
    private func smallCriteria(_ gate: ReleaseGate) -> [String] {
        var seen: [String] = []
        for c in gate.checks where c.smallSample {
            let name = "\(c.subject) (\(c.units ?? 0))"
            if !seen.contains(name) { seen.append(name) }
        }
        return seen
    }

    /// Why a failure may be the sample's, not the raters': few units give a wide interval.
    private func smallSampleReason(_ gate: ReleaseGate) -> String? {
        let failedSmall = gate.checks.filter { !$0.passed && $0.smallSample }.count
        guard failedSmall > 0 else { return nil }
        return "\(failedSmall) of them rest\(failedSmall == 1 ? "s" : "") on fewer than \(minUnits) pairable units, "
            + (useCILower ? "too few for a bootstrap interval narrow enough to clear a threshold" : "too few to tell agreement from luck")
    }

    private func smallSampleWarning(_ gate: ReleaseGate) -> String? {
        let small = smallCriteria(gate)
        guard !small.isEmpty else { return nil }
        return "fewer than \(minUnits) pairable units (items rated by two or more raters): \(small.joined(separator: ", ")); "
            + "agreement on so few items is not evidence either way — rate more items, or set --min-units"
    }

    private func number(_ x: Double?) -> String { x.map { fixed($0, 4) } ?? "—" }

    private func text(_ gate: ReleaseGate, _ anchor: AuditAnchor?) -> String {
        var rows: [[String]] = []
        for c in gate.checks {
            // A count (rejected raters) reads as a whole number; a ceiling compares ≤ / >.
            let show = { (x: Double) in c.statistic == "rejected_raters" ? String(Int(x)) : fixed(x, 4) }
            let sign = { (x: Double) in c.atMost ? (x <= c.threshold ? "≤" : ">") : (x >= c.threshold ? "≥" : "<") }
            let comparison = c.value.map { "\(show($0)) \(sign($0)) \(show(c.threshold))" } ?? "— vs \(show(c.threshold))"
            // With --use-ci-lower the compared number is the lower bound (the header says
            // so); the estimate and q, the share of resamples below the threshold, beside it.
            let units = c.units.map { plural($0, "unit") + (c.smallSample ? " (< \(minUnits))" : "") }
            // --as-good-as-humans: both intervals, the judge's first (its lower bound is the value).
            let intervals = c.intervals.isEmpty ? nil : c.intervals.map { i in
                "\(i.name) " + (i.estimate.map { fixed($0, 4) } ?? "—")
                    + (i.lower.map { l in i.upper.map { " [\(fixed(l, 4)), \(fixed($0, 4))]" } ?? "" } ?? " (no interval)")
            }.joined(separator: "; ")
            let detail = [units, intervals ?? c.estimate.map { "estimate \(fixed($0, 4))" }, c.q.map { "q = \(fixed($0, 3))" }, c.note]
                .compactMap { $0 }.joined(separator: "; ")
            rows.append([c.passed ? "PASS" : "FAIL", c.subject, c.statistic, comparison, detail])
        }
        let failed = gate.checks.filter { !$0.passed }.count
        let why = smallSampleReason(gate).map { "; \($0)" } ?? ""
        let warning = failed == 0 ? (smallCriteria(gate).isEmpty ? "" : "; but fewer than \(minUnits) pairable units behind \(smallCriteria(gate).joined(separator: ", "))") : ""
        return "gate: batch \(gate.batch) · rubric \(gate.rubricHash.prefix(12))\(useCILower ? " · lower bounds of 95% percentile intervals, \(Bootstrap.method(resamples: bootstrap, seed: seed)); q: the share of resamples below the threshold" : "")\(maxMosCI == nil && maxRejectedRaters == nil ? "" : " · opinion scores by \(method) (docs/mos.md)")\(judge.map { " · \($0) as good as humans: lower bounds of 95% percentile intervals of alpha, \(Bootstrap.method(resamples: bootstrap, seed: seed)); \($0) vs the golden set against the human raters on the same items" } ?? "")\(gate.pairwiseHeader)\n"
            + "units: the pairable units (items rated by two or more raters) behind an agreement check\n\n"
            + table(rows)
            + (anchor.map { "\naudit anchor \($0) (the log behind this result: check it later with concord audit verify --anchor)\n" } ?? "")
            + "\ngate: \(failed == 0 ? "PASSED" : "FAILED") (\(failed == 0 ? "all \(gate.checks.count) checks pass" : "\(failed) of \(gate.checks.count) checks fail")\(why)\(warning))\n"
    }

    private func json(_ gate: ReleaseGate, _ anchor: AuditAnchor?) -> String {
        JSON.object([
            ("batch", JSON.string(gate.batch)), ("rubric_hash", JSON.string(gate.rubricHash)), ("passed", JSON.bool(gate.passed)),
            ("use_ci_lower", JSON.bool(useCILower)), ("min_units", "\(minUnits)"),
            ("bootstrap", useCILower || asGoodAsHumans ? JSON.object([("resamples", "\(bootstrap)"), ("seed", "\(seed)")]) : JSON.null), ("audit_anchor", anchor.map { JSON.string($0.description) } ?? JSON.null),
        ] + (maxMosCI == nil && maxRejectedRaters == nil ? [] : [("mos_method", JSON.string(method))])
          + (gate.pairwiseJSON.map { [("pairwise", $0)] } ?? []) + [
            ("checks", JSON.array(gate.checks.map { c in
                JSON.object([("subject", JSON.string(c.subject)), ("statistic", JSON.string(c.statistic)),
                             ("value", c.value.map(JSON.number) ?? JSON.null), ("estimate", c.estimate.map(JSON.number) ?? JSON.null),
                             ("threshold", JSON.number(c.threshold)), ("passed", JSON.bool(c.passed)),
                             ("note", c.note.map(JSON.string) ?? JSON.null), ("pairable_units", c.units.map { "\($0)" } ?? JSON.null),
                             ("q", c.q.map(JSON.number) ?? JSON.null), ("small_sample", JSON.bool(c.smallSample))]
                            + (c.atMost ? [("at_most", "true")] : [])
                            + (c.intervals.isEmpty ? [] : [("intervals", JSON.array(c.intervals.map { i in
                                JSON.object([("name", JSON.string(i.name)), ("estimate", i.estimate.map(JSON.number) ?? JSON.null),
                                             ("ci95_lower", i.lower.map(JSON.number) ?? JSON.null), ("ci95_upper", i.upper.map(JSON.number) ?? JSON.null),
                                             ("pairable_units", "\(i.units)"), ("raters", "\(i.raters)")])
                            }))]))
            })),
        ], indent: "") + "\n"
    }
}
