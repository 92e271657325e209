import JSONWriter
import Pairwise

/// The Preferences section in the report's JSON and CSV: every clip, every system, every
/// rater and every compared pair at full precision, where Markdown and HTML show the best
/// and worst rounded. A fit is written exactly as `concord pairwise --format json` writes it
/// (`PairwiseReport`: "model", "ties", "nu", "converged", "items", "raters"), so a program
/// reads the report's scores and the command's with one parser.
extension ReportRender {
    /// `concord pairwise`'s JSON of one fit, as a value to nest.
    static func fitJSON(_ data: Comparisons, _ result: PairwiseResult, source: String) -> String {
        var text = String(decoding: PairwiseReport(source: source, data: data, result: result).jsonBytes(), as: UTF8.self)
        while text.last == "\n" { text.removeLast() }
        return text
    }

    static func winRateJSON(_ c: PreferencesSection.Criterion) -> String {
        let m = c.matrix
        var f: [(String, String)] = [("by", JSON.string(m.axis.rawValue)), ("entries", JSON.array(m.entries.map(JSON.string))),
                                     ("shown", JSON.array(m.shown.map { JSON.string(m.entries[$0]) }))]
        if m.axis == .system, let board = c.systems { f.append(("same_system_left_out", "\(board.sameSystem)")) }
        f.append(("pairs", JSON.array(m.pairs.map { cell in
            JSON.object([("row", JSON.string(m.entries[cell.row])), ("column", JSON.string(m.entries[cell.column])),
                         ("wins", "\(cell.wins)"), ("losses", "\(cell.losses)"), ("ties", "\(cell.ties)"), ("share", num(cell.share))])
        })))
        return JSON.object(f)
    }

    /// The leaderboard: the systems' fit as `concord pairwise` writes a fit, what was left
    /// out, and per system the difference to the next one down with P(above the next);
    /// `{"undefined": why}` when there is none, null when no compared clip is tagged.
    static func leaderboardJSON(_ c: PreferencesSection.Criterion) -> String {
        switch c.leaderboard {
        case nil: return JSON.null
        case .failure(let u)?: return JSON.object([("undefined", JSON.string(u.reason))])
        case .success(let board)?:
            return JSON.object([("fit", fitJSON(board.data, board.result, source: c.id)), ("same_system_left_out", "\(board.sameSystem)"),
                                ("untagged_left_out", "\(board.untagged)"), ("order", JSON.array(board.rows.map { row in
                var f: [(String, String)] = [("system", JSON.string(board.systems[row.score.item]))]
                if let next = row.next { f.append(("next", JSON.string(board.systems[next]))) }
                switch row.aboveNext {
                case .success(let d)?:
                    f += [("difference", num(d.estimate)), ("se", num(d.standardError)), ("probability_above", num(d.probabilityAbove)),
                          ("win_probability", num(d.winProbability))]
                case .failure(let u)?: f.append(("undefined", JSON.string(u.reason)))
                case nil: break
                }
                return JSON.object(f)
            }))])
        }
    }

    /// `preferences`: by criterion, its counts, the fit of its clips, the win-rate matrix and
    /// the leaderboard; `{"undefined": why}` without answers.
    static func preferencesJSON(_ s: PreferencesSection) -> String {
        JSON.object(s.criteria.map { c in
            if let why = c.undefinedReason { return (c.id, JSON.object([("undefined", JSON.string(why))])) }
            return (c.id, JSON.object([("comparisons", "\(c.data.count)"), ("groups", "\(c.result.groups)"),
                                       ("fit", fitJSON(c.data, c.result, source: c.id)), ("win_rate", winRateJSON(c)),
                                       ("leaderboard", leaderboardJSON(c))]))
        })
    }

    /// `preferences.<criterion>` rows of the report's long CSV (section,key,value):
    /// `item.<clip>.*` (score, ci95_lower, ci95_upper, wins, losses, ties, group,
    /// regularised, undefined), `system.<system>.*` the same plus probability_above_next, `win.<row>|<column>.*` (wins,
    /// losses, ties, share) and `rater.<rater>.*` (comparisons, circular_triads, zeta,
    /// left_wins with its interval and n).
    static func preferencesCSV(_ s: PreferencesSection) -> [(String, String, String)] {
        var rows: [(String, String, String)] = []
        let v: (Double?) -> String = { $0.map { "\($0)" } ?? "" }
        func items(_ sec: String, _ prefix: String, _ data: Comparisons, _ result: PairwiseResult) {
            for i in WinMatrix.order(data, result).map({ result.items[$0] }) {
                let key = "\(prefix).\(data.items[i.item])"
                rows += [(sec, "\(key).score", v(i.score)), (sec, "\(key).ci95_lower", v(i.ci95?.0)), (sec, "\(key).ci95_upper", v(i.ci95?.1)),
                         (sec, "\(key).wins", "\(i.wins)"), (sec, "\(key).losses", "\(i.losses)"), (sec, "\(key).ties", "\(i.ties)"),
                         (sec, "\(key).group", "\(i.group + 1)")]
                if let r = PreferencesSection.Criterion.regularised(i) { rows.append((sec, "\(key).regularised", v(r))) }
                if let why = PreferencesSection.Criterion.reason(i) { rows.append((sec, "\(key).undefined", why)) }
            }
        }
        for c in s.criteria {
            let sec = "preferences.\(c.id)"
            if let why = c.undefinedReason { rows.append((sec, "undefined", why)); continue }
            rows += [(sec, "comparisons", "\(c.data.count)"), (sec, "model", c.result.model.rawValue), (sec, "ties", c.result.ties.rawValue),
                     (sec, "nu", v(c.result.nu)), (sec, "win_rate_by", c.matrix.axis.rawValue)]
            items(sec, "item", c.data, c.result)
            switch c.leaderboard {
            case .success(let board)?:
                rows += [(sec, "same_system_left_out", "\(board.sameSystem)"), (sec, "untagged_left_out", "\(board.untagged)")]
                items(sec, "system", board.data, board.result)
                for row in board.rows {
                    guard case .success(let d)? = row.aboveNext else { continue }
                    rows.append((sec, "system.\(board.systems[row.score.item]).probability_above_next", v(d.probabilityAbove)))
                }
            case .failure(let u)?: rows.append((sec, "leaderboard_undefined", u.reason))
            case nil: break
            }
            let m = c.matrix
            for cell in m.pairs {
                let key = "win.\(m.entries[cell.row])|\(m.entries[cell.column])"
                rows += [(sec, "\(key).wins", "\(cell.wins)"), (sec, "\(key).losses", "\(cell.losses)"), (sec, "\(key).ties", "\(cell.ties)"),
                         (sec, "\(key).share", v(cell.share))]
            }
            for r in c.result.raters {
                let key = "rater.\(c.data.raters[r.rater])"
                rows += [(sec, "\(key).comparisons", "\(r.comparisons)"), (sec, "\(key).circular_triads", "\(r.circularTriads)")]
                if case .success(let z) = r.zeta { rows.append((sec, "\(key).zeta", v(z))) }
                switch r.leftWins {
                case .success(let p):
                    rows += [(sec, "\(key).left_wins", v(p.share)), (sec, "\(key).left_wins_ci95_lower", v(p.low)),
                             (sec, "\(key).left_wins_ci95_upper", v(p.high)), (sec, "\(key).left_wins_n", "\(p.n)")]
                case .failure(let u): rows.append((sec, "\(key).left_wins_undefined", u.reason))
                }
            }
        }
        return rows
    }
}
