import Foundation
import Testing

/// `concord mos FILE --format json` against sureal 0.9.0 on the same ratings, end to end: the
/// CSV (missing ratings, a content column, units and raters in any order) read into the
/// matrix sureal gets, and every number written in full precision. The methods' own tests
/// (OpinionScoresTests) cover the statistics in depth; this covers what lies between.
@Suite(.serialized) struct MosSurealTests {
    static var python: String {
        ProcessInfo.processInfo.environment["CONCORD_TEST_PYTHON"]
            ?? CLI.packageRoot.appendingPathComponent(".build-venv/bin/python3").path
    }

    /// A seeded data set: units × raters on `scale`, some raters biased or noisy, `missing`
    /// of the cells empty, units made from `contents` sources.
    struct DataSet {
        var scores: [[Double?]]
        var contents: [Int]

        init(seed: UInt64, units: Int, raters: Int, scale: ClosedRange<Int>, missing: Double, contents: Int) {
            var state = seed
            func next() -> Double {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
            }
            let span = Double(scale.upperBound - scale.lowerBound)
            let bias = (0..<raters).map { _ in (next() - 0.5) * span * 0.3 }
            let noise = (0..<raters).map { _ in 0.05 + next() * span * 0.25 }
            self.contents = (0..<units).map { $0 % contents }
            scores = (0..<units).map { _ in
                let truth = Double(scale.lowerBound) + next() * span
                return (0..<raters).map { r in
                    if next() < missing { return nil }
                    let value = (truth + bias[r] + (next() - 0.5) * 2 * noise[r]).rounded()
                    return min(Double(scale.upperBound), max(Double(scale.lowerBound), value))
                }
            }
            // Every rater rates the first unit, so no rater is without a rating.
            for r in 0..<raters where scores[0][r] == nil { scores[0][r] = Double(scale.lowerBound) }
        }

        /// Rows rater-major (not unit by unit), so the reader must place each cell itself.
        var csv: String {
            var out = "rater,content,unit,value\n"
            for r in scores[0].indices.reversed() {
                for u in scores.indices {
                    out += "r\(r),src\(contents[u]),clip\(u),\(scores[u][r].map { String(Int($0)) } ?? "")\n"
                }
            }
            return out
        }
    }

    /// sureal's results on every data set, from one Python (importing sureal takes a second).
    static func sureal(_ method: String, _ dataSets: [DataSet]) throws -> [[String: Any]] {
        try #require(FileManager.default.isExecutableFile(atPath: python), "no Python with sureal at \(python); run `make test`")
        var input = Data()
        for data in dataSets {
            let line: [String: Any] = ["method": method, "scores": data.scores.map { $0.map { $0 as Any? ?? NSNull() } },
                                       "contents": data.contents]
            input += try JSONSerialization.data(withJSONObject: line) + Data("\n".utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [CLI.packageRoot.appendingPathComponent("Tests/Reference/sureal_reference.py").path]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try out.split(separator: UInt8(ascii: "\n")).map { line in
            let result = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            try #require(result["error"] == nil, "sureal: \(result["error"]!)")
            return result
        }
    }

    static func concord(_ method: String, _ data: DataSet) throws -> [String: Any] {
        let file = try CLI.temporaryFile(data.csv)
        let result = try CLI.run(["mos", file, "--method", method, "--format", "json"])
        try #require(result.status == 0, "\(method): \(result.stderr)")
        return try CLI.json(result.stdout)
    }

    static let dataSets = [
        DataSet(seed: 1, units: 12, raters: 5, scale: 1...5, missing: 0.1, contents: 4),
        DataSet(seed: 2, units: 40, raters: 9, scale: 1...5, missing: 0.25, contents: 8),
        DataSet(seed: 3, units: 25, raters: 15, scale: 0...100, missing: 0.0, contents: 5),
    ]

    /// Scores, intervals, counts, rater figures and rejections equal sureal's to `tolerance`.
    static func compare(_ method: String, tolerance: Double) throws {
        let references = try sureal(method, dataSets)
        try #require(references.count == dataSets.count)
        for (data, theirs) in zip(dataSets, references) {
            let ours = try concord(method, data)
            // The iterative methods say how many sweeps their stopping rule took; closed forms none.
            let iterative = ["mle", "mle_co", "p910"].contains(method)
            #expect(iterative ? (ours["iterations"] as? Int ?? 0) > 0 : ours["iterations"] == nil, "\(method): \(ours["iterations"] ?? "none")")
            let units = try #require(ours["units"] as? [[String: Any]])
            let scores = try #require(theirs["quality_scores"] as? [Double])
            let ci = theirs["quality_scores_ci95"] as? [[Double?]]
            #expect(units.map { $0["unit"] as? String } == data.scores.indices.map { "clip\($0)" })
            for (u, unit) in units.enumerated() {
                let score = try #require(unit["score"] as? Double)
                #expect(abs(score - scores[u]) <= tolerance * max(1, abs(scores[u])), "\(method) clip\(u): \(score) vs \(scores[u])")
                if let ci, let low = ci[0][u], let high = ci[1][u], let interval = unit["ci95"] as? [Double] {
                    #expect(abs(interval[0] - (scores[u] - low)) <= tolerance * max(1, abs(scores[u])))
                    #expect(abs(interval[1] - (scores[u] + high)) <= tolerance * max(1, abs(scores[u])))
                }
            }
            // Raters: the CSV lists r(k-1) … r0, so input order is reversed against sureal's columns.
            let raters = try #require(ours["raters"] as? [[String: Any]])
            #expect(raters.map { $0["rater"] as? String } == data.scores[0].indices.reversed().map { "r\($0)" })
            let column = { (name: String) in Int(name.dropFirst())! }
            if let rejected = theirs["observer_rejected"] as? [Bool] {
                for rater in raters { #expect(rater["rejected"] as? Bool == rejected[column(rater["rater"] as! String)]) }
            }
            if let bias = theirs["observer_bias"] as? [Double?] {
                for rater in raters {
                    guard let expected = bias[column(rater["rater"] as! String)] else { continue }
                    let value = try #require(rater["bias"] as? Double, "\(method): \(rater)")
                    #expect(abs(value - expected) <= tolerance * max(1, abs(expected)), "\(method) \(rater["rater"]!): \(value) vs \(expected)")
                }
            }
            // mle: one ambiguity per content of the CSV's content column, named by it.
            if let ambiguity = theirs["content_ambiguity"] as? [Double?] {
                let contents = try #require(ours["contents"] as? [[String: Any]], "\(method): no contents")
                #expect(contents.count == ambiguity.count)
                for content in contents {
                    let index = Int((content["content"] as! String).dropFirst(3))!
                    guard let expected = ambiguity[index] else { continue }
                    let value = try #require(content["ambiguity"] as? Double)
                    #expect(abs(value - expected) <= tolerance * max(1, abs(expected)), "\(method) \(content): \(expected)")
                }
            } else {
                #expect(ours["contents"] == nil)
            }
        }
    }

    @Test func mosEqualsSureal() throws { try Self.compare("mos", tolerance: 1e-9) }
    @Test func bt500EqualsSureal() throws { try Self.compare("bt500", tolerance: 1e-9) }
    @Test func p913EqualsSureal() throws { try Self.compare("p913", tolerance: 1e-9) }
    @Test func mleEqualsSureal() throws { try Self.compare("mle", tolerance: 1e-6) }
    @Test func mleContentObliviousEqualsSureal() throws { try Self.compare("mle_co", tolerance: 1e-6) }
    @Test func p910EqualsSureal() throws { try Self.compare("p910", tolerance: 1e-6) }
}
