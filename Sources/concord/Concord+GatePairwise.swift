import ArgumentParser
import JSONWriter
import Pairwise
import Reports
import Store

/// `concord gate --pairwise C --system NEW --beats OLD [--confidence 0.95]`: the release
/// decision between two models from side-by-side preferences (docs/release-gate-and-judges.md,
/// docs/pairwise.md "Release gate"). The numbers are Reports' `PairwiseVerdict`; this parses
/// the options and prints the header and JSON lines the gate adds.
struct PairwiseGateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Gate on side-by-side preferences: this pairwise criterion of the batch (with --system and --beats).", valueName: "C"))
    var pairwise: String?
    @Option(help: ArgumentHelp("With --pairwise: the system (model) that must beat --beats.", valueName: "NEW"))
    var system: String?
    @Option(help: ArgumentHelp("With --pairwise: the system NEW must beat.", valueName: "OLD"))
    var beats: String?
    @Option(help: ArgumentHelp("With --pairwise: pass when P(score NEW > score OLD) exceeds this, i.e. the one-sided lower bound of the score difference at this confidence is above 0 (0.5 to 1).", valueName: "P"))
    var confidence: Double?

    func validate() throws {
        guard pairwise != nil else {
            if system != nil || beats != nil || confidence != nil {
                throw ValidationError("--system, --beats and --confidence go with --pairwise C (the pairwise criterion to gate on)")
            }
            return
        }
        guard let system, let beats else { throw ValidationError("--pairwise needs --system NEW --beats OLD: the model to release and the one it must beat") }
        if system == beats { throw ValidationError("--system and --beats are both \(system): name two different systems") }
        if let confidence, !(confidence >= 0.5 && confidence < 1) {
            throw ValidationError("--confidence must be at least 0.5 and below 1 (e.g. 0.95); got \(confidence)")
        }
    }

    /// The verdict, read through the Store API (human raters' answers only, as the other
    /// checks); nil without --pairwise.
    func verdict(_ session: ProjectSession, batch: String) throws -> PairwiseVerdict? {
        guard let pairwise, let system, let beats else { return nil }
        let input = try PairwiseBatchInput.read(session, batch: batch, criterion: pairwise, includeModels: false)
        return try PairwiseVerdict(input, system: system, beats: beats, confidence: confidence ?? 0.95)
    }
}

extension ReleaseGate {
    /// " · pairwise: …" in the gate's header: what the pairwise check compares.
    var pairwiseHeader: String {
        guard let v = pairwise else { return "" }
        let model = v.model == .bt ? "Bradley–Terry, ties \(v.ties.rawValue)" : "Thurstone Case V"
        return " · pairwise \(v.criterion): \(model) on comparisons between systems; \(v.system) passes when the one-sided "
            + "\(PairwiseVerdict.percent(v.confidence)) lower bound of score(\(v.system)) − score(\(v.beats)) is above 0 (docs/pairwise.md)"
    }

    /// The gate JSON's "pairwise" object: the rule and its figures.
    var pairwiseJSON: String? {
        guard let v = pairwise else { return nil }
        let d = try? v.difference.get()
        func number(_ x: Double?) -> String { x.map(JSON.number) ?? JSON.null }
        var undefined: String?
        if case .failure(let why) = v.difference { undefined = why.reason }
        return JSON.object([
            ("criterion", JSON.string(v.criterion)), ("system", JSON.string(v.system)), ("beats", JSON.string(v.beats)),
            ("confidence", JSON.number(v.confidence)), ("model", JSON.string(v.model.rawValue)),
            ("ties", JSON.string(v.model == .bt ? v.ties.rawValue : TieModel.halfWin.rawValue)),
            ("difference", number(d?.estimate)), ("se", number(d?.standardError)), ("lower_bound", number(v.lowerBound)),
            ("p_above", number(d?.probabilityAbove)), ("win_probability", number(d?.winProbability)),
            ("score", number(v.scores.system.score)), ("score_beats", number(v.scores.beats.score)),
            ("head_to_head", JSON.object([("wins", "\(v.direct.wins)"), ("losses", "\(v.direct.losses)"), ("ties", "\(v.direct.ties)")])),
            ("comparisons", "\(v.comparisons)"), ("systems", "\(v.systems)"), ("passed", JSON.bool(v.passed)),
            ("undefined", undefined.map(JSON.string) ?? JSON.null),
        ])
    }
}
