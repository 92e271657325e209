import ArgumentParser
import ClipIntake
import JSONWriter
import Reports
import struct Rubric.Rubric
import struct Rubric.RubricErrors
import Store

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init",
        abstract: "Create a project file, or a project in an empty PostgreSQL database; you (the OS user, or the database login) become its admin.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The project's name (default: the file's base name, or the database's name).") var name: String?

    func run() throws {
        let path = global.projectPath
        let login = try GlobalOptions.login()
        let projectName = name ?? ProjectStore.defaultName(path)
        let store = try ProjectStore.create(path: path, name: projectName, admin: login)
        // On PostgreSQL the admin is the login the server authenticated, which need not be the
        // OS login; and the URI is shown as the Store shows it, any password hidden.
        let admin = try store.session(login: login).actor.name
        print("created project '\(printableText(projectName))' at \(printableText(store.path)); \(admin) is its admin")
    }
}

struct RubricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rubric", abstract: "Check and add rubrics.",
                                                    subcommands: [Check.self, Add.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a rubric: every problem with file:line:column; exit 1 if any.")
        @Argument(help: ArgumentHelp(valueName: "FILE.yaml")) var file: String

        func run() throws {
            do {
                let rubric = try Rubric.load(path: file)
                print("\(printableText(file)): ok — rubric '\(rubric.name)', \(rubric.criteria.count) criteria, hash \(rubric.contentHash)")
            } catch let errors as RubricErrors {
                throw CheckFailed(message: errors.description)
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an immutable rubric version; prints its name and hash.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(valueName: "FILE.yaml")) var file: String

        func run() throws {
            let rubric: Rubric
            do { rubric = try Rubric.load(path: file) } catch let errors as RubricErrors {
                throw InputError(errors.description)
            }
            let result = try global.session().addRubric(rubric, sourcePath: file)
            print(result.added ? "added rubric '\(result.name)' version \(result.hash)"
                               : "rubric '\(result.name)' version \(result.hash) is already in the project; nothing added")
        }
    }
}

struct RaterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rater", abstract: "Add raters and list them.",
                                                    subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a rater with a role, or change a rater's role.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The rater's login name.") var name: String
        @Option(help: "rater, lead, auditor, admin or model.") var role: Role

        func run() throws {
            let changed = try global.session().addRater(name, role: role)
            print(changed ? "\(name) is now \(role.withArticle)" : "\(name) is already \(role.withArticle); nothing changed")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The project's raters and their roles.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "text or json.") var format: DataFormat = .text

        func run() throws {
            let raters = try global.session().raters()
            switch format {
            case .text:
                FileDescriptorOutput.standardOutput.write(table([["rater", "role", "since"]] + raters.map { [$0.name, $0.role.rawValue, $0.since] }))
            case .json:
                print(JSON.array(raters.map { JSON.object([("name", JSON.string($0.name)), ("role", JSON.string($0.role.rawValue)),
                                                           ("since", JSON.string($0.since))]) }))
            }
        }
    }
}

extension Role: ExpressibleByArgument {}

enum DataFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

struct ClipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clip", abstract: "Add clips to a batch.",
                                                    subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Probe and hash clips, and register them as items of a batch (all or nothing).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(valueName: "FILE")) var files: [String]
        @Option(help: "The batch (created when new).") var batch: String
        @Option(help: "The batch's rubric, for a new batch.") var rubric: String?
        @Option(help: ArgumentHelp("Tag the clips with a group (the prompt they render): pairs are made within a group.", valueName: "G"))
        var group: String?
        @Option(help: ArgumentHelp("Tag the clips with a system (the model that made them), for the leaderboard; raters never see it.", valueName: "S"))
        var system: String?

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one clip file") }
        }

        func run() throws {
            // Checked before anything is written, so a bad tag leaves no clip behind.
            for (option, value) in [("--group", group), ("--system", system)] {
                guard let value else { continue }
                if value.isEmpty { throw InputError("\(option) is empty; give a name or leave it out") }
                if let problem = StoredText.problem(value) { throw InputError("\(option) \(problem)") }
            }
            let session = try global.session()
            let facts: [ClipFacts]
            do { facts = try ClipIntake.facts(files) } catch let problems as ClipIntake.Problems {
                throw InputError(problems.lines.joined(separator: "\n") + "\nnothing was added")
            }
            let added = try session.addClips(facts, batch: batch, rubric: rubric)
            // Clips without a container index (MPEG-TS, Matroska): their scan, kept so the
            // workbench opens them at once. A cache: failing to keep one is not an error.
            _ = try? session.keepClipIndexes(ClipIntake.frameIndexes(facts))
            for item in added {
                print("item \(item.item): \(printableText(item.clip))\(item.newClip ? "" : " (already in the project; added to this batch)")")
            }
            print("added \(added.count) clip\(added.count == 1 ? "" : "s") to batch '\(batch)'")
            if group != nil || system != nil {
                let tagged = try session.tagClips(added.map { ClipTag(clip: $0.clip, group: group, system: system) })
                print("tagged \(plural(tagged, "clip"))" + [group.map { " with group \(quoted($0))" }, system.map { " system \(quoted($0))" }]
                    .compactMap { $0 }.joined(separator: ","))
            }
        }
    }
}

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign",
        abstract: "Assign a batch's items to raters: everyone everything, --overlap N raters per item, or --until-ci W: more raters for just the clips whose interval is wider.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
    @Option(help: ArgumentHelp("Comma-separated rater names.", valueName: "a,b,c")) var raters: String?
    @Option(help: "Raters per item, spread evenly.") var overlap: Int?
    @Option(name: .customLong("gold-rate"), help: "Mix the batch's gold questions blind into each rater's queue at this share (0–1).") var goldRate: Double?
    @Option(name: .customLong("gold-threshold"), help: "Flag raters whose gold accuracy falls below this (0–1).") var goldThreshold: Double?
    @Option(name: .customLong("disagreement-spread"), help: "Ordinal and numeric votes enter the adjudication queue when their spread exceeds this (steps or units; default 0).")
    var disagreementSpread: Double?

    @Option(name: .customLong("until-ci"), help: ArgumentHelp("Top up: more raters for the clips whose 95% interval is wider than ±W, from --raters or the batch's raters.", valueName: "W"))
    var untilCI: Double?
    @Option(name: .customLong("max-per-clip"), help: ArgumentHelp("With --until-ci: at most N raters (rated or assigned) per clip.", valueName: "N")) var maxPerClip: Int?
    @Option(help: ArgumentHelp("With --until-ci: the ordinal or numeric criterion to score (default: the rubric's only one); with --pairs adaptive: the pairwise criterion whose answers guide it.", valueName: "C")) var criterion: String?
    @Option(help: ArgumentHelp("In a pairwise batch: plan pairs for --raters, every pair within each group (all-within-group) or those that teach most (adaptive).", valueName: "all-within-group|adaptive"))
    var pairs: String?
    @Option(name: .customLong("per-rater"), help: ArgumentHelp("With --pairs adaptive: new pairs per rater.", valueName: "N")) var perRater: Int?
    @Option(help: ArgumentHelp("With --pairs: the seed the plan and the sides are drawn with (default 1).", valueName: "S")) var seed: UInt64?

    func validate() throws {
        if raters == nil && goldThreshold == nil && disagreementSpread == nil && untilCI == nil && pairs == nil {
            throw ValidationError("give --raters a,b,c (and optionally --overlap, --gold-rate), --until-ci W, or a batch threshold (--gold-threshold, --disagreement-spread)")
        }
        if raters == nil && (overlap != nil || goldRate != nil) { throw ValidationError("--overlap and --gold-rate need --raters") }
    }

    func run() throws {
        if let pairs { return try assignPairs(mode: pairs) }
        if perRater != nil || seed != nil { throw InputError("\(perRater != nil ? "--per-rater" : "--seed") goes with --pairs all-within-group|adaptive") }
        if untilCI == nil, maxPerClip != nil || criterion != nil {
            throw InputError("\(maxPerClip != nil ? "--max-per-clip" : "--criterion") goes with --until-ci W: the top-up it limits")
        }
        if untilCI != nil, overlap != nil || goldRate != nil {
            throw InputError("--until-ci gives raters only to the clips that need them; it does not take \(overlap != nil ? "--overlap" : "--gold-rate")")
        }
        if let w = untilCI, !(w > 0 && w.isFinite) {
            throw InputError("--until-ci must be a positive half-width in the criterion's units; got \(NumberFormat.compact(w))")
        }
        if let n = maxPerClip, n < 1 { throw InputError("--max-per-clip takes a count of at least 1; got \(n)") }
        let session = try global.session()
        let batch = try self.batch ?? session.defaultBatch()
        if let w = untilCI { return try topUp(session, batch: batch, halfWidth: w) }
        if goldThreshold != nil || disagreementSpread != nil {
            try session.setBatchRule(batch: batch, spreadThreshold: disagreementSpread, goldThreshold: goldThreshold)
            print("batch '\(batch)': " + [disagreementSpread.map { "disagreement spread above \(NumberFormat.compact($0)) enters the queue" },
                                          goldThreshold.map { "gold accuracy below \(NumberFormat.compact($0)) is flagged" }]
                .compactMap { $0 }.joined(separator: "; "))
        }
        guard let raters else { return }
        let names = raters.split(separator: ",").map { String($0).trimmedForOption() }.filter { !$0.isEmpty }
        let created = try session.assign(batch: batch, raters: names, overlap: overlap, goldRate: goldRate)
        print("\(created) new assignment\(created == 1 ? "" : "s") in batch '\(batch)'")
    }

    /// `--pairs MODE`: `PairPlanner` plans pairs for the named raters and
    /// `ProjectSession.assignPairs` writes them with their sides (docs/pairwise.md "Projects").
    private func assignPairs(mode name: String) throws {
        guard let mode = PairPlanner.Mode(rawValue: name) else {
            throw InputError("unknown --pairs \(quoted(name)); choose from: \(PairPlanner.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let other = [(overlap != nil, "--overlap"), (goldRate != nil, "--gold-rate"), (untilCI != nil, "--until-ci"),
                        (maxPerClip != nil, "--max-per-clip")].first(where: \.0)?.1 {
            throw InputError("--pairs plans pairs itself; it does not take \(other)")
        }
        if mode == .allWithinGroup, perRater != nil { throw InputError("--per-rater goes with --pairs adaptive; all-within-group gives every pair of each group") }
        if let n = perRater, n < 1 { throw InputError("--per-rater takes a count of at least 1; got \(n)") }
        guard let raters else { throw InputError("--pairs needs --raters a,b,c: who gets the pairs") }
        let names = raters.split(separator: ",").map { String($0).trimmedForOption() }.filter { !$0.isEmpty }
        if names.isEmpty { throw InputError("--raters needs at least one rater name") }
        let session = try global.session()
        let batch = try self.batch ?? session.defaultBatch()
        let plan = try PairPlanner.plan(session, batch: batch, criterion: criterion, raters: names, mode: mode, perRater: perRater, seed: seed ?? 1)
        let created = try session.assignPairs(batch: batch, plan: plan)
        let pairs = Set(plan.map { [$0.a, $0.b].sorted() }).count
        print("\(created) new assignment\(created == 1 ? "" : "s") of \(plural(pairs, "pair")) in batch '\(batch)' (\(mode.rawValue))")
    }

    /// `--until-ci W`: the clips `status --target-ci W` says need ratings get raters from the
    /// pool (--raters, else every person who rated or is assigned in the batch, models
    /// left out), fairly (`AssignmentTopUp`), in one audited write.
    private func topUp(_ session: ProjectSession, batch: String, halfWidth w: Double) throws {
        let labels = try session.labelsForAgreement(batch: batch)
        let criterion = try BatchScores.criterion(in: labels.rubric, named: self.criterion)
        let scores = try BatchScores(labels, criterion: criterion)
        let needed: RatingsNeeded.Plan
        do { needed = try RatingsNeeded.plan(scores, halfWidth: w) } catch let problem as RatingsNeeded.Problem {
            throw InputError("batch \(quoted(batch)), \(criterion.id): \(problem.description)")
        }
        let activity = try session.activity(batch: batch)
        var roles = activity.roles
        for (name, role) in zip(labels.raters, labels.roles) { roles[name] = role }
        var holders: [Int64: Set<String>] = [:], load: [String: Int] = [:]
        func hold(_ item: Int64, _ rater: String) {
            guard roles[rater] != .model, holders[item, default: []].insert(rater).inserted else { return }
            load[rater, default: 0] += 1
        }
        for (rater, items) in activity.assigned { for item in items { hold(item, rater) } }
        for r in scores.ratings { hold(scores.items[r.item], scores.raters[r.rater]) }
        let pool = raters.map { $0.split(separator: ",").map { String($0).trimmedForOption() }.filter { !$0.isEmpty } }
            ?? roles.filter { $0.value != .model && $0.value != .auditor }.map(\.key)
        if pool.isEmpty { throw InputError("batch \(quoted(batch)) has no raters yet to top up from; name them with --raters a,b,c") }
        let result = AssignmentTopUp.plan(needed, holders: holders, pool: pool, load: load, maxPerClip: maxPerClip)
        let created = try session.assign(batch: batch, items: result.assignments)
        let target = "±\(NumberFormat.compact(w)) on \(criterion.id)"
        guard !result.clips.isEmpty else {
            print("batch '\(batch)': no clip needs more raters for \(target)\(maxPerClip.map { " within \($0) per clip" } ?? ""); nothing assigned")
            return
        }
        var out = "\(created) new assignment\(created == 1 ? "" : "s") in batch '\(batch)' for \(target):\n"
        var rows: [[String]] = []
        for clip in result.clips {
            rows.append(["  " + clip.clip, clip.raters.isEmpty ? "—" : clip.raters.joined(separator: ", ")]
                        + (clip.short > 0 ? ["\(clip.short) short: every rater of the pool already has it; name more with --raters"] : []))
        }
        out += table(rows)
        FileDescriptorOutput.standardOutput.write(out)
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log.",
                                                    subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-check the audit log's hash chain and every audited row; exit 1 if broken.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("anchor"), parsing: .singleValue,
                help: "SEQ:HASH of an event printed by an earlier verify and kept outside the project file; fails if that event is gone or differs (repeatable).")
        var anchors: [String] = []

        func run() throws {
            let parsed = try anchors.map { text in
                guard let anchor = AuditAnchor(parsing: text.trimmingCharacters(in: .whitespaces)) else {
                    throw InputError("--anchor \(quoted(text)) is not SEQ:HASH (an event number, a colon and 64 lowercase hex digits), as `concord audit verify` prints it on its 'anchor' line")
                }
                return anchor
            }
            let report = try global.session().verifyAudit(anchors: parsed)
            guard report.intact else {
                throw CheckFailed(message: "audit log BROKEN: " + report.problems.joined(separator: "\n"))
            }
            print("audit log intact: \(plural(report.events, "event")), chain and \(plural(report.rows, "audited row")) verified"
                  + (parsed.isEmpty ? "" : "; \(plural(parsed.count, "anchor")) matched"))
            // The chain alone cannot show a log rewritten from some event onwards with every
            // hash recomputed, or cut short: an anchor kept elsewhere can.
            if let head = report.head { print("anchor \(head)   (keep it outside the project file; pass it to --anchor later)") }
        }
    }
}
