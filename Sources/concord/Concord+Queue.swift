import Aggregation
import ArgumentParser
import Foundation
import JSONWriter
import Reports
import Store

/// `concord queue`, `concord resolve`, `concord send-back`: the adjudication queue and the
/// lead's decisions, scriptable (the same operations as the keys of `concord adjudicate`).
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "The adjudication queue: disagreeing or flagged items, most important first (leads and admins).",
        discussion: """
        --order magnitude (the default): by how far the votes are apart and how much of the \
        criterion's disagreement the unit carries. --order posterior: the units whose consensus \
        posterior (--method, ds by default) is least certain first, ties in the magnitude order; \
        numeric criteria have no posterior and come last (docs/adjudication.md).
        """)

    enum Order: String, ExpressibleByArgument, CaseIterable { case magnitude, posterior }

    @OptionGroup var global: GlobalOptions
    @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
    @Option(help: "text or json.") var format: DataFormat = .text
    @Option(help: "magnitude or posterior.") var order: Order = .magnitude
    @Option(help: ArgumentHelp("With --order posterior: the consensus method (\(AggregationMethod.allCases.map(\.rawValue).joined(separator: ", "))).",
                               valueName: "M"))
    var method: String?
    @Option(help: "With --order posterior: the seed of mace and glad's random start.") var seed: UInt64 = 0

    func validate() throws {
        if order != .posterior && method != nil { throw ValidationError("--method applies to --order posterior") }
        if let method, AggregationMethod(rawValue: method) == nil {
            throw ValidationError("--method must be one of \(AggregationMethod.allCases.map(\.rawValue).joined(separator: ", ")); got \(quoted(method))")
        }
    }

    /// The queue's order as Reports takes it (ds when no method is named).
    var queueOrder: AdjudicationQueue.Order {
        order == .magnitude ? .magnitude : .posterior(method.flatMap(AggregationMethod.init(rawValue:)) ?? .ds)
    }

    func run() throws {
        let session = try global.session()
        let batch = try self.batch ?? session.defaultBatch()
        let queue = try AdjudicationQueue(session.adjudicationContext(batch: batch), order: queueOrder, options: AggregationOptions(seed: seed))
        for (criterion, reason) in queue.undefined {
            FileDescriptorOutput.standardError.write("batch \(batch): \(method ?? "ds") is undefined on \(printableText(criterion)): \(printableText(reason)); its entries have no posterior and come last\n")
        }
        // A sent-back item stays in the queue until its raters answer again; say so.
        let sentBack = try session.pendingSendBacks(batch: batch)
        let out = FileDescriptorOutput.standardOutput
        switch format {
        case .json:
            // The magnitude order's JSON is as it always was; the posterior order names itself.
            var fields: [(String, String)] = [("batch", JSON.string(batch))]
            if order == .posterior { fields += [("order", JSON.string("posterior")), ("method", JSON.string(method ?? "ds"))] }
            fields.append(("entries", JSON.array(queue.entries.map { Self.json($0, sentBackTo: sentBack[$0.item]) })))
            out.write(JSON.object(fields, indent: "") + "\n")
        case .text:
            guard !queue.entries.isEmpty else {
                out.write("batch \(batch): the adjudication queue is empty (no disagreeing or flagged item awaits a decision)\n")
                return
            }
            let posterior = order == .posterior
            var rows = [["#", "item", "clip", "criterion", "votes", "spread", "priority", "α gain"] + (posterior ? ["posterior"] : []) + ["flags"]]
            for (i, e) in queue.entries.enumerated() {
                let note = (e.reopened ? " (re-opened)" : "") + (sentBack[e.item].map { " (sent back to \($0.joined(separator: ", ")))" } ?? "")
                var row: [String] = [String(i + 1), String(e.item), e.title, e.criterion + note,
                                     e.votes.map(Self.text).joined(separator: " "),
                                     NumberFormat.compact(e.spread), fixed(e.priority, 3), e.alphaGain.map { fixed($0, 4) } ?? "—"]
                if posterior { row.append(e.consensus?.shown ?? "—") }
                row.append(e.flags.isEmpty ? "" : "⚑ " + e.flags.joined(separator: "; "))
                rows.append(row)
            }
            out.write("batch \(batch): \(queue.entries.count) \(queue.entries.count == 1 ? "entry" : "entries") awaiting a decision\n\n" + table(rows))
        }
    }

    /// "ann=car"; on a pair item with the side the rater saw clip a on, "ann=a(a left)", so a
    /// lead sees position effects (docs/adjudication.md "Pairwise batches").
    static func text(_ vote: AdjudicationQueue.Entry.Vote) -> String {
        "\(vote.rater)=\(vote.value)" + (vote.leftIsA.map { $0 ? "(a left)" : "(b left)" } ?? "")
    }

    /// `sentBackTo`: the raters the item was sent back to who have not answered since. A pair
    /// item adds `clip_b` and each vote's `left` ("a" or "b", null when not recorded); other
    /// entries are as they always were.
    static func json(_ e: AdjudicationQueue.Entry, sentBackTo: [String]?) -> String {
        let votes = e.votes.map { vote in
            JSON.object([("rater", JSON.string(vote.rater)), ("value", JSON.string(vote.value))]
                        + (e.clipB == nil ? [] : [("left", vote.leftIsA.map { JSON.string($0 ? "a" : "b") } ?? JSON.null)]))
        }
        var fields: [(String, String)] = [("item", String(e.item)), ("clip", JSON.string(e.clip))]
        if let b = e.clipB { fields.append(("clip_b", JSON.string(b))) }
        fields += [("criterion", JSON.string(e.criterion)),
                     ("scale", JSON.string(e.scale.rawValue)),
                     ("votes", JSON.array(votes)),
                     ("spread", JSON.number(e.spread)), ("magnitude", JSON.number(e.magnitude)), ("priority", JSON.number(e.priority)),
                     ("alpha_gain", e.alphaGain.map(JSON.number) ?? JSON.null), ("flags", JSON.array(e.flags.map(JSON.string))),
                     ("reopened", JSON.bool(e.reopened))]
        if let c = e.consensus {
            let posterior: [(String, String)] = zip(c.options, c.posterior).map { ($0, JSON.number($1)) }
            fields.append(("consensus", JSON.object([("label", c.label.map(JSON.string) ?? JSON.null), ("posterior", JSON.object(posterior)),
                                                     ("uncertainty", JSON.number(c.uncertainty))])))
        }
        fields.append(("sent_back_to", sentBackTo.map { JSON.array($0.map(JSON.string)) } ?? JSON.null))
        return JSON.object(fields)
    }
}

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Decide the final value of a criterion on an item, with a reason (leads and admins).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The item number (as concord queue prints it) or its clip's name.") var item: String
    @Option(help: "The criterion.") var criterion: String
    @Option(help: "The final value.") var value: String
    @Option(help: "rater_error, rubric_ambiguous, clip_ambiguous, genuine_disagreement or other.") var reason: DecisionReason
    @Option(help: "The rationale.") var note: String?
    @Option(help: "The batch, when ITEM is a clip name that is in several.") var batch: String?

    func run() throws {
        let session = try global.session()
        let id = try session.item(item, batch: batch)
        try session.resolve(item: id, criterion: criterion, value: value, reason: reason, note: note)
        print("item \(id) \(criterion): resolved as \(quoted(value)) (\(reason.rawValue))")
    }
}

struct SendBackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-back",
        abstract: "Send an item back to chosen raters: it re-enters their queues, with your note (leads and admins).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The item number or its clip's name.") var item: String
    @Option(help: ArgumentHelp("Comma-separated rater names.", valueName: "a,b")) var raters: String
    @Option(help: "What to look at again.") var note: String?
    @Option(help: "The batch, when ITEM is a clip name that is in several.") var batch: String?

    func run() throws {
        let session = try global.session()
        let id = try session.item(item, batch: batch)
        let names = raters.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        try session.sendBack(item: id, raters: names, note: note)
        print("item \(id): sent back to \(names.joined(separator: ", "))")
    }
}

extension DecisionReason: ExpressibleByArgument {}

enum NumberFormat {
    /// 2 → "2", 0.5 → "0.5".
    static func compact(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
}
