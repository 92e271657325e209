import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// What the write functions refuse, whoever calls them: a role without the permission, a
/// rater on someone else's item, a value outside its criterion's domain, and every bad input
/// the Swift Store refuses, in the Swift Store's words (SQLSTATE 42501 for a permission,
/// 22023 or P0002 for the input).
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresOperationsRefusalTests {
    /// Each write function, the permission it asks for, and a call that is otherwise sound.
    static let calls: [(function: String, permission: Permission, arguments: [String?])] = [
        ("add_clips", .addClips, ["b", "ops", TwinProject.json(TwinProject.clips(5...5))]),
        ("assign", .assign, ["b", "{alice}", nil, nil]),
        ("set_batch_rule", .assign, ["b", "1", nil]),
        ("submit_item", .submitLabels, [nil, "1", #"{"present": "no"}"#, nil, nil, nil, "1"]),
        ("mark_item", .submitLabels, ["1", "flag", "why"]),
        ("resolve", .adjudicate, ["1", "present", "no", "other", nil]),
        ("send_back", .adjudicate, ["1", "{alice}", nil]),
        ("mark_needs_revision", .adjudicate, ["1", "present", nil]),
        ("add_gold", .manageGold, ["1", "present", "no", "false", "false"]),
        ("tag_clips", .addClips, [#"[{"clip": "c1.mp4", "system": "m1"}]"#]),
    ]

    @Test func eachRoleMayCallExactlyWhatItsPermissionAllowsInTheSwiftWords() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...2)), nil])
            try twin.call("assign", ["b", "{alice,bob,lena}", nil, nil, nil])
            // Acting as each role through the admin's --as: the database's require() decides.
            let acting: [(String, Role)] = [("alice", .rater), ("lena", .lead), ("aud", .auditor), ("mo", .model)]
            for (function, permission, arguments) in Self.calls {
                for (name, role) in acting {
                    let call = { try twin.call(function, arguments + [name]) }
                    if permission.allowed(for: role) {
                        #expect(throws: Never.self, "\(function) as \(role)") { try call() }
                    } else {
                        let error = #expect(throws: PostgresError.self, "\(function) as \(role)") { try call() }
                        #expect(error?.sqlState == "42501")
                        #expect(error?.serverMessage == "\(name) is \(role.withArticle) and cannot \(permission.sentence)")
                    }
                }
            }
            let importError = #expect(throws: PostgresError.self) {
                try twin.importRows([], file: "l.csv", sha256: "0", batch: nil, as: "alice")
            }
            #expect(importError?.serverMessage == "alice is a rater and cannot import labels (admins and leads)")
            // The group roles may EXECUTE exactly the functions their permission allows, and
            // PUBLIC none; the internal helpers are the owner's alone.
            for (signature, permission) in PostgresOperations.functions {
                for role in Role.allCases {
                    let group = PostgresSchema.roleName(role.rawValue, database: twin.project.database)
                    #expect(try twin.project.column("SELECT has_function_privilege($1, $2, 'EXECUTE')", [group, "concord.\(signature)"])
                            == [permission.allowed(for: role) ? "t" : "f"], "\(signature) for \(role)")
                }
            }
            for helper in PostgresOperations.internalFunctions {
                for role in Role.allCases {
                    let group = PostgresSchema.roleName(role.rawValue, database: twin.project.database)
                    #expect(try twin.project.column("SELECT has_function_privilege($1, $2, 'EXECUTE')", [group, "concord.\(helper)"]) == ["f"])
                }
            }
            // A rater's own login: PostgreSQL itself refuses a function its group may not call.
            try twin.project.createLogin("alice")
            try twin.call("add_rater", ["alice", "rater", nil])
            let direct = #expect(throws: PostgresError.self) {
                try twin.project.connect(as: "alice").execute("SELECT concord.add_clips('b', 'ops', '[]')")
            }
            #expect(direct?.sqlState == "42501")
            #expect(direct?.serverMessage == "permission denied for function add_clips")
        }
    }

    @Test func aRaterWritesOnlyOnItemsAssignedToThem() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...2)), nil])
            try twin.call("assign", ["b", "{alice,bob}", "1", nil, nil])   // item 1: alice, item 2: bob
            try twin.project.createLogin("alice")
            try twin.call("add_rater", ["alice", "rater", nil])
            let alice = try twin.project.connect(as: "alice")
            let before = try twin.project.column("SELECT count(*) FROM concord.audit_event")
            for sql in ["SELECT concord.submit_item(NULL, 2, '{\"present\": \"no\"}', NULL, NULL, NULL, 1)",
                        "SELECT concord.mark_item(2, 'flag', 'not mine')"] {
                let error = #expect(throws: PostgresError.self) { try alice.execute(sql) }
                #expect(error?.sqlState == "42501")
                #expect(error?.serverMessage == "item 2 is not assigned to alice")
            }
            // The Swift Store says the same.
            let swift = #expect(throws: StoreError.self) {
                _ = try twin.sqlite(as: nil).addClips(TwinProject.clips(1...2), batch: "b", rubric: "ops")
                _ = try twin.sqlite(as: nil).assign(batch: "b", raters: ["alice", "bob"], overlap: 1, goldRate: nil)
                try twin.sqlite(as: "alice").markItem(2, kind: .flag, note: "not mine")
            }
            #expect(swift?.message == "item 2 is not assigned to alice" && swift?.kind == .permission)
            #expect(try twin.project.column("SELECT count(*) FROM concord.audit_event") == before)
            // Her own item: written, as her, whatever she might pass as p_as.
            #expect(try alice.execute("SELECT concord.mark_item(1, 'flag', 'mine')::text").rows == [[#"{"mark": 1}"#]])
            let asBob = #expect(throws: PostgresError.self) { try alice.execute("SELECT concord.mark_item(2, 'flag', 'as bob', 'bob')") }
            #expect(asBob?.serverMessage == "--as is for admins; alice is a rater")
            #expect(try twin.project.column("SELECT r.name FROM concord.item_mark m JOIN concord.rater r ON r.id = m.rater_id") == ["alice"])
        }
    }

    @Test func badInputIsRefusedAsTheSwiftStoreRefusesIt() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            let clips = TwinProject.clips(1...2)
            _ = try twin.sqlite(as: nil).addClips(clips, batch: "b", rubric: "ops")
            try twin.call("add_clips", ["b", "ops", TwinProject.json(clips), nil])
            _ = try twin.sqlite(as: nil).assign(batch: "b", raters: ["alice"], overlap: nil, goldRate: nil)
            try twin.call("assign", ["b", "{alice}", nil, nil, nil])
            var renamed = clips[0]
            renamed.name = "other.mp4"
            var sameName = TwinProject.clips(3...3)[0]
            sameName.name = "c1.mp4"
            let twice = TwinProject.clips(3...3) + TwinProject.clips(3...3)
            let lena = try twin.sqlite(as: "lena"), alice = try twin.sqlite(as: "alice")
            func submission(_ answers: [String: String], frame: Int? = nil, share: Double = 1) -> ItemSubmission {
                ItemSubmission(item: 1, answers: answers, frame: frame, pts: nil, dwellMs: nil, watchedShare: share)
            }
            let cases: [(String, () throws -> Void, String, [String?])] = [
                ("batch name", { _ = try lena.addClips(clips, batch: "two words", rubric: "ops") },
                 "add_clips", ["two words", "ops", TwinProject.json(clips), "lena"]),
                ("new batch without rubric", { _ = try lena.addClips(clips, batch: "new", rubric: nil) },
                 "add_clips", ["new", nil, TwinProject.json(clips), "lena"]),
                ("unknown rubric", { _ = try lena.addClips(clips, batch: "new", rubric: "nope") },
                 "add_clips", ["new", "nope", TwinProject.json(clips), "lena"]),
                ("content twice", { _ = try lena.addClips(twice, batch: "b", rubric: nil) },
                 "add_clips", ["b", nil, TwinProject.json(twice), "lena"]),
                ("content under another name", { _ = try lena.addClips([renamed], batch: "b2", rubric: "ops") },
                 "add_clips", ["b2", "ops", TwinProject.json([renamed]), "lena"]),
                ("already in the batch", { _ = try lena.addClips([clips[1]], batch: "b", rubric: nil) },
                 "add_clips", ["b", nil, TwinProject.json([clips[1]]), "lena"]),
                ("another clip of that name", { _ = try lena.addClips([sameName], batch: "b", rubric: nil) },
                 "add_clips", ["b", nil, TwinProject.json([sameName]), "lena"]),
                ("no raters", { _ = try lena.assign(batch: "b", raters: [], overlap: nil, goldRate: nil) },
                 "assign", ["b", "{}", nil, nil, "lena"]),
                ("overlap", { _ = try lena.assign(batch: "b", raters: ["alice"], overlap: 2, goldRate: nil) },
                 "assign", ["b", "{alice}", "2", nil, "lena"]),
                ("gold rate", { _ = try lena.assign(batch: "b", raters: ["alice"], overlap: nil, goldRate: 1.5) },
                 "assign", ["b", "{alice}", nil, "1.5", "lena"]),
                ("unknown batch", { _ = try lena.assign(batch: "zz", raters: ["alice"], overlap: nil, goldRate: nil) },
                 "assign", ["zz", "{alice}", nil, nil, "lena"]),
                ("unknown rater", { _ = try lena.assign(batch: "b", raters: ["alice", "zed"], overlap: nil, goldRate: nil) },
                 "assign", ["b", "{alice,zed}", nil, nil, "lena"]),
                ("auditor", { _ = try lena.assign(batch: "b", raters: ["aud"], overlap: nil, goldRate: nil) },
                 "assign", ["b", "{aud}", nil, nil, "lena"]),
                ("rater twice", { _ = try lena.assign(batch: "b", raters: ["alice", "alice"], overlap: nil, goldRate: nil) },
                 "assign", ["b", "{alice,alice}", nil, nil, "lena"]),
                ("gold rate without gold", { _ = try lena.assign(batch: "b", raters: ["alice"], overlap: nil, goldRate: 0.2) },
                 "assign", ["b", "{alice}", nil, "0.2", "lena"]),
                ("no item", { _ = try alice.submitItem(ItemSubmission(item: 99, answers: [:], frame: nil, pts: nil, dwellMs: nil, watchedShare: 1)) },
                 "submit_item", [nil, "99", "{}", nil, nil, nil, "1", "alice"]),
                ("unknown criterion", { _ = try alice.submitItem(submission(["present": "no", "speed": "1"])) },
                 "submit_item", [nil, "1", #"{"present": "no", "speed": "1"}"#, nil, nil, nil, "1", "alice"]),
                ("control character", { _ = try alice.submitItem(submission(["present": "no", "notes": "a\u{1B}[2Jb"])) },
                 "submit_item", [nil, "1", #"{"present": "no", "notes": "a\u001b[2Jb"}"#, nil, nil, nil, "1", "alice"]),
                ("option", { _ = try alice.submitItem(submission(["present": "maybe"])) },
                 "submit_item", [nil, "1", #"{"present": "maybe"}"#, nil, nil, nil, "1", "alice"]),
                ("number out of range", { _ = try alice.submitItem(submission(["present": "no", "ttc": "12"])) },
                 "submit_item", [nil, "1", #"{"present": "no", "ttc": "12"}"#, nil, nil, nil, "1", "alice"]),
                ("number off the step", { _ = try alice.submitItem(submission(["present": "no", "ttc": "0.35"])) },
                 "submit_item", [nil, "1", #"{"present": "no", "ttc": "0.35"}"#, nil, nil, nil, "1", "alice"]),
                ("not a number", { _ = try alice.submitItem(submission(["present": "no", "ttc": "0x10"])) },
                 "submit_item", [nil, "1", #"{"present": "no", "ttc": "0x10"}"#, nil, nil, nil, "1", "alice"]),
                ("frame", { _ = try alice.submitItem(submission(["present": "no"], frame: 30)) },
                 "submit_item", [nil, "1", #"{"present": "no"}"#, "30", nil, nil, "1", "alice"]),
                ("watched share", { _ = try alice.submitItem(submission(["present": "no"], share: 1.5)) },
                 "submit_item", [nil, "1", #"{"present": "no"}"#, nil, nil, nil, "1.5", "alice"]),
                ("empty skip", { try alice.markItem(1, kind: .skip, note: " \n ") }, "mark_item", ["1", "skip", " \n ", "alice"]),
                ("empty flag", { try alice.markItem(1, kind: .flag, note: "") }, "mark_item", ["1", "flag", "", "alice"]),
                ("control character in a reason", { try alice.markItem(1, kind: .skip, note: "bell\u{7}") },
                 "mark_item", ["1", "skip", "bell\u{7}", "alice"]),
                ("resolve an unknown criterion", { try lena.resolve(item: 1, criterion: "speed", value: "1", reason: .other, note: nil) },
                 "resolve", ["1", "speed", "1", "other", nil, "lena"]),
                ("resolve a text criterion", { try lena.resolve(item: 1, criterion: "notes", value: "x", reason: .other, note: nil) },
                 "resolve", ["1", "notes", "x", "other", nil, "lena"]),
                ("resolve out of range", { try lena.resolve(item: 1, criterion: "ttc", value: "-1", reason: .other, note: nil) },
                 "resolve", ["1", "ttc", "-1", "other", nil, "lena"]),
                ("resolve with a control character", { try lena.resolve(item: 1, criterion: "ttc", value: "1", reason: .other, note: "\r") },
                 "resolve", ["1", "ttc", "1", "other", "\r", "lena"]),
                ("send back to nobody", { try lena.sendBack(item: 1, raters: [], note: nil) }, "send_back", ["1", "{}", nil, "lena"]),
                ("send back to a stranger", { try lena.sendBack(item: 1, raters: ["zed"], note: nil) }, "send_back", ["1", "{zed}", nil, "lena"]),
                ("send back to someone without it", { try lena.sendBack(item: 1, raters: ["bob"], note: nil) },
                 "send_back", ["1", "{bob}", nil, "lena"]),
                ("send back twice", { try lena.sendBack(item: 1, raters: ["alice", "alice"], note: nil) },
                 "send_back", ["1", "{alice,alice}", nil, "lena"]),
                ("revise an unknown criterion", { try lena.markNeedsRevision(item: 1, criterion: "speed", note: nil) },
                 "mark_needs_revision", ["1", "speed", nil, "lena"]),
                ("revise on no item", { try lena.markNeedsRevision(item: 7, criterion: "present", note: nil) },
                 "mark_needs_revision", ["7", "present", nil, "lena"]),
                ("gold on text", { try lena.addGold(item: 1, criterion: "notes", value: "x") },
                 "add_gold", ["1", "notes", "x", "false", "false", "lena"]),
                ("gold out of domain", { try lena.addGold(item: 1, criterion: "severity", value: "extreme") },
                 "add_gold", ["1", "severity", "extreme", "false", "false", "lena"]),
                ("spread", { try lena.setBatchRule(batch: "b", spreadThreshold: -0.5, goldThreshold: nil) },
                 "set_batch_rule", ["b", "-0.5", nil, "lena"]),
                ("gold threshold", { try lena.setBatchRule(batch: "b", spreadThreshold: nil, goldThreshold: 2) },
                 "set_batch_rule", ["b", nil, "2", "lena"]),
                ("rule of no batch", { try lena.setBatchRule(batch: "zz", spreadThreshold: 1, goldThreshold: nil) },
                 "set_batch_rule", ["zz", "1", nil, "lena"]),
            ]
            let events = try twin.project.column("SELECT count(*) FROM concord.audit_event")
            for (name, swift, function, arguments) in cases {
                let expected = #expect(throws: StoreError.self, "\(name)") { try swift() }
                let found = #expect(throws: PostgresError.self, "\(name)") { try twin.call(function, arguments) }
                #expect(found?.serverMessage == expected?.message, "\(name)")
                let state = found?.sqlState ?? "none"
                if expected?.kind == .permission {
                    #expect(state == "42501", "\(name)")
                } else {
                    #expect(state == "22023" || state == "P0002", "\(name): \(state)")
                }
            }
            #expect(try twin.project.column("SELECT count(*) FROM concord.audit_event") == events)
            try twin.expectSameRows()
        }
    }
}
