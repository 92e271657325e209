import Foundation
import Testing

/// Issue 14, "Values that reach a terminal": a clip file named `ESC ] 0 ; pwned BEL` set the
/// pane title, `ESC ] 52 ; c ; …` wrote the clipboard and `ESC [ 2 J` cleared the screen when
/// concord printed them; messages echoed 100 KB values whole. Every value is now shown in
/// Printable's notation (`\e`, `\x07`, `\u{202E}`, `\\`) and cut after 80 characters; machine
/// formats stay exact in files and pipes and are escaped only on a terminal.
@Suite struct TerminalEscapeTests {
    static let title = "\u{1B}]0;pwned\u{07}"
    static let clipboard = "\u{1B}]52;c;cHduZWQ=\u{07}"
    static let clear = "\u{1B}[2J"

    /// No byte that acts on a terminal: C0 but LF, DEL, and the C1 and bidi scalars.
    static func raw(_ text: String) -> [String] {
        text.unicodeScalars.filter { s in
            (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value)
                || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
        }.map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    @Test(arguments: StoreKind.available)
    func clipAddPrintsNamesEscaped(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let names = ["a\(Self.title).mp4", "b\(Self.clipboard).mp4", "c\(Self.clear).mp4"]
        for (name, source) in zip(names, ["smptebars", "color=c=blue", "rgbtestsrc"]) {
            try Clips.make(project.dir + "/made.mp4", source: source)
            try FileManager.default.moveItem(atPath: project.dir + "/made.mp4", toPath: project.dir + "/" + name)
        }
        let result = try project.run(["clip", "add"] + names.map { project.dir + "/" + $0 } + ["--batch", "b2", "--rubric", "av-cut-in"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == #"""
            item 4: a\e]0;pwned\x07.mp4
            item 5: b\e]52;c;cHduZWQ=\x07.mp4
            item 6: c\e[2J.mp4
            added 3 clips to batch 'b2'

            """#)
        #expect(Self.raw(result.stdout + result.stderr) == [])
    }

    @Test func rubricCheckQuotesWhatItFoundEscaped() throws {
        let dir = try scratchDirectory("escape-rubric")
        let file = dir + "/r\(Self.clear).yaml"
        try writeFile(file, """
            name: esc
            criteria:
              - id: present
                question: "Is there a cut-in?"
                scale: "\\e]0;pwned\\a"

            """)
        let result = try CLI.run(["rubric", "check", file])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "concord: \(dir)/r\\e[2J.yaml:5:12: scale must be one of nominal, ordinal, interval, ratio, text; found '\\e]0;pwned\\x07'\n")
        #expect(Self.raw(result.stderr) == [])
    }

    /// The commands the issue lists, each with a hostile value where it quotes one: the
    /// whole message, in the one notation, and nothing raw.
    @Test(arguments: StoreKind.available)
    func errorMessagesShowValuesEscaped(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let dir = project.dir
        var cases: [(arguments: [String], message: String)] = [
            (["resolve", "1", "--criterion", Self.title, "--value", "yes", "--reason", "rubric_ambiguous", "--project", project.db],
             #"concord: the rubric 'av-cut-in' has no criterion '\e]0;pwned\x07'; criteria: present, severity, ego-response, ttc, notes"#),
            (["resolve", "x\(Self.clear).mp4", "--criterion", "present", "--value", "yes", "--reason", "rubric_ambiguous", "--project", project.db],
             #"concord: no item with the clip 'x\e[2J.mp4'"#),
            (["rater", "add", Self.clear, "--role", "rater", "--project", project.db],
             #"concord: '\e[2J' is not a valid rater name; use letters, digits, '.', '_' or '-' (like a login name)"#),
            (["clip", "add", try Standard.clip("d.mp4"), "--batch", Self.clipboard, "--rubric", "av-cut-in", "--project", project.db],
             #"concord: '\e]52;c;cHduZWQ=\x07' is not a valid batch name; use letters, digits, '.', '_' or '-'"#),
            (["clip", "add", dir + "/n\(Self.title).mp4", "--batch", "b1", "--project", project.db],
             "concord: \(dir)/n\\e]0;pwned\\x07.mp4: cannot open: No such file or directory\nnothing was added"),
            (["preview", dir + "/p\(Self.clear).mp4"],
             "concord: \(dir)/p\\e[2J.mp4: cannot open as a video (No such file or directory); is it a video file?"),
            (["preview", "--frames", "1-\(Self.clear)", try Standard.clip("d.mp4")],
             #"concord: --frames takes A-B with 0 ≤ A ≤ B, e.g. 10-40; got '1-\e[2J'"#),
            (["agreement", "--order", "lo,\(Self.title),\(Self.title)", CLI.example("krippendorff2011.csv")],
             #"concord: --order names the category '\e]0;pwned\x07' twice"#),
            (["agreement", "--order", "lo,,\(Self.clear)", CLI.example("krippendorff2011.csv")],
             #"concord: --order has an empty category in 'lo,,\e[2J'; write the categories low to high, separated by commas"#),
        ]
        let task = dir + "/tasks.json"
        let criterion = Self.clear + String(repeating: "x", count: 200)
        try writeFile(task, #"[{"data": {"video": "a.mp4"}, "annotations": [{"completed_by": {"username": "alice"}, "result": [{"from_name": ""#
                      + criterion.replacingOccurrences(of: "\u{1B}", with: #"\u001b"#) + #"", "type": "bogus", "value": {}}]}]}]"#)
        cases.append((["label", "import", task, "--project", project.db],
                      "concord: \(task): task 1, \\e[2J\(String(repeating: "x", count: 76)): a result of type 'bogus' with no usable value"))
        let csv = dir + "/ratings\u{202E}vsc.csv"
        try writeFile(csv, "unit,rater,value\nu1,ann,lo\nu1,bob,\(Self.clear)\n")
        cases.append((["agreement", "--order", "lo,hi", csv],
                      "concord: \(dir)/ratings\\u{202E}vsc.csv:3: the value '\\e[2J' is not in --order (lo,hi); add it to --order or correct the row"))
        for (arguments, message) in cases {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            // The message, then (for the argument parser's own usage errors) its usage lines.
            let lines = concordMessage(result.stderr).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.prefix(message.split(separator: "\n").count).joined(separator: "\n") == message, "\(arguments)")
            #expect(Self.raw(result.stdout + result.stderr) == [], "\(arguments)")
        }
    }

    /// `concord agreement FILE`: the header names the file and lists the categories, both
    /// from the user; both are shown escaped.
    @Test func agreementHeaderShowsFileAndCategoriesEscaped() throws {
        let dir = try scratchDirectory("escape-agreement")
        let file = dir + "/r\(Self.title).csv"
        try writeFile(file, "unit,rater,value\nu1,ann,\(Self.clear)x\nu1,bob,y\\z\nu2,ann,y\\z\nu2,bob,y\\z\n")
        let result = try CLI.run(["agreement", file])
        #expect(result.status == 0, "\(result.stderr)")
        let header = result.stdout.split(separator: "\n").prefix(3).joined(separator: "\n")
        #expect(header == """
            concord agreement: \(dir)/r\\e]0;pwned\\x07.csv
            2 units · 2 raters · 4 ratings · 2 pairable units
            2 categories: \\e[2Jx, y\\\\z
            """)
        #expect(Self.raw(result.stdout + result.stderr) == [])
        // CSV output too: a reason is concord's message, and it quotes the value.
        let csv = try CLI.run(["agreement", file, "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").contains(#"krippendorff_alpha_interval,,needs numeric values; '\e[2Jx' is not a number,,,"#))
        #expect(Self.raw(csv.stdout) == [])
    }

    /// `demo --dir` names the directory it was given on every line it prints.
    @Test func demoNamesItsDirectoryEscaped() throws {
        let parent = try scratchDirectory("escape-demo")
        let dir = parent + "/d\(Self.title)"
        let result = try CLI.run(["demo", "--dir", dir, "--no-rate"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("built the demo project \(parent)/d\\e]0;pwned\\x07/concord.db (clips from ") == true, "\(lines)")
        #expect(lines.contains("Next: concord rate --project \(parent)/d\\e]0;pwned\\x07/concord.db"))
        #expect(Self.raw(result.stdout + result.stderr) == [])
    }

    /// 100 rows naming a 100 KB clip: each problem quotes 80 characters and the length, and
    /// the whole message stays a few KB (it was 2 MB).
    @Test(arguments: StoreKind.available)
    func aLongValueIsQuotedCutWithItsLength(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        let long = String(repeating: "x", count: 102_400)
        let file = project.dir + "/long.csv"
        try writeFile(file, "clip,rater,criterion,value\n" + String(repeating: "\(long),alice,present,yes\n", count: 100))
        let result = try project.run(["label", "import", file])
        #expect(result.status == 2)
        let lines = concordMessage(result.stderr).split(separator: "\n").map(String.init)
        let quoted = "'" + String(repeating: "x", count: 80) + "'… (102400 bytes)"
        #expect(lines.first == "concord: \(file): 100 problems; nothing was imported")
        #expect(lines.dropFirst().first == "\(file):2: no clip named \(quoted) in the project; add it with concord clip add, or use its SHA-256 (12+ hex digits)")
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.contains(" no clip named \(quoted) in the project;") })
        #expect(result.stderr.utf8.count < 40_000, "\(result.stderr.utf8.count) bytes of errors")

        let csv = project.dir + "/ratings.csv"
        try writeFile(csv, "unit,rater,value\n" + (1...100).map { "u\($0),ann,\(long)\n" }.joined())
        let agreement = try CLI.run(["agreement", "--order", "lo,hi", csv])
        #expect(agreement.status == 2)
        #expect(agreement.stderr == "concord: \(csv):2: the value \(quoted) is not in --order (lo,hi); add it to --order or correct the row\n")
    }

    /// `label export` writes the clip's name exactly into a pipe (CSV and JSON Lines, where
    /// JSON escapes C0, C1 and bidi anyway) and escaped on a terminal (a real pty); so does
    /// `golden export`.
    @Test(arguments: StoreKind.available)
    func labelExportIsExactInAPipeAndEscapedOnATerminal(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        defer { project.remove() }
        // ESC, BEL, a C1 CSI, a right-to-left override and a zero-width space.
        let name = "e\(Self.title)\u{9B}2J\u{202E}4pm\u{200B}.mp4"
        try Clips.make(project.dir + "/made.mp4", source: "smptebars")
        try FileManager.default.moveItem(atPath: project.dir + "/made.mp4", toPath: project.dir + "/" + name)
        try project.ok(["clip", "add", project.dir + "/" + name, "--batch", "b1"])
        let sha = try Tool.sha256(project.dir + "/" + name)
        let labels = project.dir + "/l\(Self.clear).csv"
        try writeFile(labels, "clip,rater,criterion,value\n\(sha.prefix(16)),alice,present,yes\n")
        #expect(try project.ok(["label", "import", labels]) == "\(project.dir)/l\\e[2J.csv: imported 1 new label and 0 revisions\n")

        let piped = try project.ok(["label", "export"])
        let pipedRow = try #require(piped.split(separator: "\n").last.map(String.init))
        #expect(pipedRow.hasPrefix(name + ",alice,present,yes,"))
        let ttyCSV = try Self.onTerminal(project, ["label", "export"])
        let ttyRow = try #require(ttyCSV.split(separator: "\n").last.map(String.init))
        #expect(ttyRow.hasPrefix(#"e\e]0;pwned\x07\u{009B}2J\u{202E}4pm\u{200B}.mp4,alice,present,yes,"#))
        #expect(ttyCSV.split(separator: "\n").first == piped.split(separator: "\n").first)
        #expect(Self.raw(ttyCSV) == [])

        let jsonName = #""clip": "e\u001b]0;pwned\u0007\u009b2J\u202e4pm"#
        let pipedJSON = try project.ok(["label", "export", "--format", "jsonl"])
        let pipedLine = try #require(pipedJSON.split(separator: "\n").last.map(String.init))
        #expect(pipedLine.hasPrefix("{" + jsonName + "\u{200B}.mp4\","))
        let ttyJSON = try Self.onTerminal(project, ["label", "export", "--format", "jsonl"])
        let ttyLine = try #require(ttyJSON.split(separator: "\n").last.map(String.init))
        #expect(ttyLine == pipedLine.replacingOccurrences(of: "\u{200B}", with: #"\u200b"#))
        #expect(Self.raw(ttyJSON) == [] && Self.raw(pipedJSON) == [])
        // The same data to a JSON reader.
        let decoded = try #require(JSONSerialization.jsonObject(with: Data(ttyLine.utf8)) as? [String: Any])
        #expect(decoded["clip"] as? String == name)

        // The golden set's lines are its canonical text (the version hashes them as they
        // are): exact in a pipe, C1 and bidi escaped on a terminal.
        try writeFile(project.dir + "/l2.csv", "clip,rater,criterion,value\n\(sha.prefix(16)),bob,present,yes\n")
        try project.ok(["label", "import", project.dir + "/l2.csv"])
        let golden = try project.ok(["golden", "export", "--batch", "b1"])
        let entry = try #require(golden.split(separator: "\n").first { $0.contains("pwned") }.map(String.init))
        #expect(entry.contains(#""clip":"e\u001b]0;pwned\u0007"# + "\u{9B}2J\u{202E}4pm\u{200B}.mp4\""))
        let goldenTTY = try Self.onTerminal(project, ["golden", "export", "--batch", "b1"])
        #expect(goldenTTY == golden.replacingOccurrences(of: "\u{9B}", with: #"\u009b"#)
            .replacingOccurrences(of: "\u{202E}", with: #"\u202e"#).replacingOccurrences(of: "\u{200B}", with: #"\u200b"#))
        #expect(Self.raw(goldenTTY) == [])
    }

    /// Runs concord with its standard output on a new pseudo-terminal and returns what it
    /// wrote there (the pty's CR LF turned back into LF).
    static func onTerminal(_ project: Project, _ arguments: [String]) throws -> String {
        // posix_openpt/grantpt/unlockpt need _XOPEN_SOURCE, which Glibc's Swift module does
        // not define; these are the Linux ioctls they wrap (asm-generic/ioctls.h).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(master >= 0)
        defer { close(master) }
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430
        var unlock: Int32 = 0, number: Int32 = 0
        try #require(ioctl(master, TIOCSPTLCK, &unlock) == 0 && ioctl(master, TIOCGPTN, &number) == 0)
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments + ["--project", project.db]
        process.standardOutput = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        close(slave)
        // Read while it writes (a pty holds a few KB); EIO once no process has it open.
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n > 0 { bytes += buffer.prefix(n); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }
}

/// The workbench draws clip names, rubric text and notes through one painter: a clip named
/// with an OSC title sequence and a bidi override shows escaped there too (ncurses showed
/// ESC as `^[` but passed C1 and bidi characters on).
@Suite(.serialized, .tmuxLeftoverCheck) struct TerminalEscapeTmuxTests {
    @Test func rateShowsAHostileClipNameEscaped() throws {
        let project = try Project.create("escape-rate")
        defer { project.remove() }
        try project.ok(["rubric", "add", Standard.rubric])
        let name = "a\(TerminalEscapeTests.title)\u{202E}.mp4"
        try Clips.make(project.dir + "/made.mp4")
        try FileManager.default.moveItem(atPath: project.dir + "/made.mp4", toPath: project.dir + "/" + name)
        try project.ok(["clip", "add", project.dir + "/" + name, "--batch", "b1", "--rubric", "av-cut-in"])
        try project.ok(["assign", "--batch", "b1", "--raters", testLogin])
        let tui = try TmuxSession("'\(CLI.binary.path)' rate --project '\(project.db)'", label: "escape")
        let screen = try tui.wait(for: "the clip's name, escaped") { $0.contains(#"a\e]0;pwned\x07\u{202E}.mp4"#) }
        #expect(TerminalEscapeTests.raw(screen) == [])
        try tui.send("q")
        #expect(try tui.exitStatus() == 0)
    }
}
