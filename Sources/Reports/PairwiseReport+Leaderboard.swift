import Interchange
import JSONWriter
import Pairwise
import Printable

/// `concord pairwise --batch B --criterion C --by system`: the leaderboard of systems
/// (Pairwise's `Leaderboard`, docs/pairwise.md "Leaderboard") in text, JSON or CSV.
/// JSON: {"by": "system", "model", "ties", "nu", "converged", "comparisons", "left_out":
/// {"same_system", "untagged"}, "systems": [{"system", "rank", "score", "se", "ci95", "wins",
/// "losses", "ties", "group", "undefined", "regularised", "next", "difference_next",
/// "se_difference_next", "p_above_next", "win_probability_next", "next_undefined"}]};
/// full precision in JSON and CSV, four decimals in text.
public struct PairwiseLeaderboardReport: Sendable {
    let source: String
    let board: Leaderboard
    let bootstrap: BootstrapIntervals?

    public init(source: String, board: Leaderboard, bootstrap: BootstrapIntervals? = nil) {
        self.source = source; self.board = board; self.bootstrap = bootstrap
    }

    public func render(_ format: AgreementFormat) -> String {
        switch format {
        case .text: return text()
        case .json: return String(decoding: jsonBytes(), as: UTF8.self)
        case .csv: return csv()
        }
    }

    private var result: PairwiseResult { board.result }
    private func name(_ system: Int) -> String { board.systems[system] }
    private static let fixed = PairwiseReport.fixed

    /// "18 of two clips of one system and 3 with an untagged clip left out", or nil.
    var leftOut: String? {
        var parts = [String]()
        if board.sameSystem > 0 { parts.append("\(board.sameSystem) of two clips of one system") }
        if board.untagged > 0 { parts.append("\(board.untagged) with an untagged clip") }
        return parts.isEmpty ? nil : parts.joined(separator: " and ") + " left out"
    }

    // Not optimised: Swift 6.3.1's optimiser crashes on this function in release builds
    // (CopyPropagation: "Found outside of lifetime use" on ItemScore.Fit); text needs no speed.
    @_optimize(none) private func text() -> String {
        let model = result.model == .bt ? "Bradley–Terry (log-strength), ties \(result.ties.rawValue)" : "Thurstone Case V (z units), ties half-win"
        var out = "concord pairwise: \(printableText(source)) · leaderboard by system · \(model)\n"
        out += "\(board.systems.count) systems · \(board.data.count) comparisons between systems"
        if let leftOut { out += " (\(leftOut))" }
        if let nu = result.nu { out += " · Davidson ν \(Self.fixed(nu))" }
        out += "\nP(above next): the probability that the system's score is above the next one's (normal approximation, "
            + "with the two scores' covariance); win vs next: the model's chance it is preferred to the next in one comparison\n"
        if let bootstrap { out += "bootstrap: percentile 95% intervals from \(bootstrap.replicates) resamples of raters, seed \(bootstrap.seed)\n" }
        out += "\n"
        var rows = [["rank", "system", "score", "95% interval"] + (bootstrap == nil ? [] : ["bootstrap 95%"])
                    + ["wins", "losses", "ties", "P(above next)", "win vs next", "note"]]
        for (rank, row) in board.rows.enumerated() {
            let item = row.score
            var line = ["\(rank + 1)", printableCut(name(item.item))]
            line += item.score.map { [Self.fixed($0), item.ci95.map { "\(Self.fixed($0.0)) – \(Self.fixed($0.1))" } ?? "—"] } ?? ["—", "—"]
            if let bootstrap { line.append(bootstrap.ci95[item.item].map { "\(Self.fixed($0.lowerBound)) – \(Self.fixed($0.upperBound))" } ?? "—") }
            line += ["\(item.wins)", "\(item.losses)", "\(item.ties)"]
            var notes = [String]()
            switch row.aboveNext {
            case .success(let d)?: line += [Self.fixed(d.probabilityAbove), Self.fixed(d.winProbability)]
            case .failure(let u)?: line += ["—", "—"]; notes.append("vs \(printableCut(name(row.next!))): \(u.reason)")
            case nil: line += ["—", "—"]
            }
            if case .undefined(let reason, let regularised) = item.fit {
                notes.insert(reason + (regularised.map { "; regularised \(Self.fixed($0))" } ?? ""), at: 0)
            }
            if item.score != nil, row.next == nil, rank + 1 < board.rows.count, board.rows[rank + 1].score.score != nil {
                notes.append("the next is in another group: scores not comparable")
            }
            line.append(notes.joined(separator: "; "))
            rows.append(line)
        }
        return out + PairwiseReport.trimmed(table(rows))
    }

    public func jsonBytes() -> [UInt8] {
        var j = JSONBytes(capacity: 400 * board.rows.count + 512)
        func num(_ x: Double?) { if let x { j.number(x) } else { j.raw("null") } }
        func str(_ s: String?) { if let s { j.string(s) } else { j.raw("null") } }
        j.raw("{\"by\": \"system\", \"source\": "); j.string(source)
        j.raw(", \"model\": "); j.string(result.model.rawValue)
        j.raw(", \"ties\": "); j.string(result.model == .bt ? result.ties.rawValue : TieModel.halfWin.rawValue)
        j.raw(", \"nu\": "); num(result.nu)
        j.raw(", \"converged\": "); j.raw(result.converged ? "true" : "false")
        j.raw(", \"comparisons\": "); j.integer(board.data.count)
        j.raw(", \"left_out\": {\"same_system\": "); j.integer(board.sameSystem)
        j.raw(", \"untagged\": "); j.integer(board.untagged); j.raw("}")
        if let bootstrap {
            j.raw(", \"bootstrap\": {\"replicates\": "); j.integer(bootstrap.replicates)
            j.raw(", \"seed\": "); j.raw("\(bootstrap.seed)"); j.raw(", \"resampled\": \"raters\"}")
        }
        j.raw(", \"systems\": [")
        for (rank, row) in board.rows.enumerated() {
            let item = row.score
            if rank > 0 { j.raw(", ") }
            j.raw("{\"system\": "); j.string(name(item.item))
            j.raw(", \"rank\": "); j.integer(rank + 1)
            j.raw(", \"score\": "); num(item.score)
            j.raw(", \"se\": "); num(item.standardError)
            j.raw(", \"ci95\": ")
            if let ci = item.ci95 { j.raw("["); j.number(ci.0); j.raw(", "); j.number(ci.1); j.raw("]") } else { j.raw("null") }
            j.raw(", \"wins\": "); j.integer(item.wins)
            j.raw(", \"losses\": "); j.integer(item.losses)
            j.raw(", \"ties\": "); j.integer(item.ties)
            j.raw(", \"group\": "); j.integer(item.group + 1)
            var undefined: String?, regularised: Double?
            if case .undefined(let r, let reg) = item.fit { undefined = r; regularised = reg }
            j.raw(", \"undefined\": "); str(undefined)
            j.raw(", \"regularised\": "); num(regularised)
            j.raw(", \"next\": "); str(row.next.map(name))
            let d = try? row.aboveNext?.get()
            j.raw(", \"difference_next\": "); num(d?.estimate)
            j.raw(", \"se_difference_next\": "); num(d?.standardError)
            j.raw(", \"p_above_next\": "); num(d?.probabilityAbove)
            j.raw(", \"win_probability_next\": "); num(d?.winProbability)
            j.raw(", \"next_undefined\": ")
            if case .failure(let u)? = row.aboveNext { j.string(u.reason) } else { j.raw("null") }
            if let bootstrap {
                j.raw(", \"bootstrap95\": ")
                if let ci = bootstrap.ci95[item.item] {
                    j.raw("["); j.number(ci.lowerBound); j.raw(", "); j.number(ci.upperBound); j.raw("]")
                } else { j.raw("null") }
            }
            j.raw("}")
        }
        j.raw("]}\n")
        return j.bytes
    }

    private func csv() -> String {
        var out = "rank,system,score,se,ci95_low,ci95_high,wins,losses,ties,group,next,difference_next,se_difference_next,"
            + "p_above_next,win_probability_next,regularised,undefined" + (bootstrap == nil ? "" : ",bootstrap95_low,bootstrap95_high") + "\n"
        func num(_ x: Double?) -> String { x.map { JSON.number($0) } ?? "" }
        for (rank, row) in board.rows.enumerated() {
            let item = row.score, d = try? row.aboveNext?.get()
            var undefined = "", regularised: Double?
            if case .undefined(let r, let reg) = item.fit { undefined = r; regularised = reg }
            var cells = ["\(rank + 1)", CSVField.escape(name(item.item)), num(item.score), num(item.standardError), num(item.ci95?.0),
                         num(item.ci95?.1), "\(item.wins)", "\(item.losses)", "\(item.ties)", "\(item.group + 1)",
                         CSVField.escape(row.next.map(name) ?? ""), num(d?.estimate), num(d?.standardError), num(d?.probabilityAbove),
                         num(d?.winProbability), num(regularised), CSVField.escape(undefined)]
            if let bootstrap { cells += [num(bootstrap.ci95[item.item]?.lowerBound), num(bootstrap.ci95[item.item]?.upperBound)] }
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }
}
