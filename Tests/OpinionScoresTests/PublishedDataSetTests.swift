import Foundation
import Testing
@testable import OpinionScores

/// sureal's own published data set: the 79 PVS × 26 subjects of sureal's ITU-T P.910 demo
/// (itut_p910_demo/README.md, one vote missing), with the result that README prints
/// (MOS, SOS, subject bias and inconsistency). assets/examples/mos/sureal_sample_data.csv
/// holds the votes as a reliability CSV; ….published.json the printed result, as published.
/// concord's p910 must give those numbers; every method must give sureal's own on the data.
@Suite struct PublishedDataSetTests {
    static let folder = SurealReference.root.appendingPathComponent("assets/examples/mos")

    /// The CSV read by hand (unit,rater,value; an empty value is missing), in file order.
    static func data() throws -> OpinionData {
        let text = try String(contentsOf: folder.appendingPathComponent("sureal_sample_data.csv"), encoding: .utf8)
        var units: [String] = [], raters: [String] = [], cells: [String: Double] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if !units.contains(f[0]) { units.append(f[0]) }
            if !raters.contains(f[1]) { raters.append(f[1]) }
            if !f[2].isEmpty { cells[f[0] + "\u{0}" + f[1]] = Double(f[2])! }
        }
        let scores = units.flatMap { u in raters.map { cells[u + "\u{0}" + $0] ?? .nan } }
        return try OpinionData(unitNames: units, raterNames: raters, scores: scores)
    }

    struct Published: Decodable {
        let mos_j: [Double], sos_j: [Double], bias_i: [Double], inconsistency_i: [Double]
    }

    @Test func p910GivesThePublishedResult() throws {
        let d = try Self.data()
        #expect(d.unitCount == 79 && d.raterCount == 26 && d.ratingCount == 79 * 26 - 1)
        let json = try Data(contentsOf: Self.folder.appendingPathComponent("sureal_sample_data.published.json"))
        let published = try JSONDecoder().decode(Published.self, from: json)
        let r = try #require(OpinionScores.score(d, method: .p910).result)
        func within(_ ours: [Double], _ theirs: [Double], _ what: String) {
            #expect(ours.count == theirs.count, "\(what) count")
            for (i, (a, b)) in zip(ours, theirs).enumerated() {
                #expect(abs(a - b) <= 1e-6, "\(what)[\(i)]: concord \(a), published \(b)")
            }
        }
        within(r.units.map(\.score), published.mos_j, "MOS")
        within(r.units.map { $0.standardError ?? .nan }, published.sos_j, "SOS")
        within(r.raters.map { $0.bias ?? .nan }, published.bias_i, "bias")
        within(r.raters.map { $0.inconsistency ?? .nan }, published.inconsistency_i, "inconsistency")
    }

    @Test func everyIterativeMethodEqualsSurealOnIt() throws {
        let d = try Self.data()
        for method in [OpinionMethod.mleCO, .p910] {
            let compared = try IterativeComparison.compare(method, [d], undefinedAtMost: 0) { _ in "sureal's P.910 sample data" }
            #expect(compared > 79 + 2 * 26)
        }
        // The data name no contents, so each PVS is its own: one unit per content, and mle's
        // content ambiguity runs away. sureal raises (NaN reaches scipy); concord says why.
        try IterativeComparison.compare(.mle, [d], undefinedAtMost: 1) { _ in "sureal's P.910 sample data" }
        let reason = try #require(OpinionScores.score(d, method: .mle).undefinedReason)
        #expect(reason.contains("ran away") && reason.contains("use mle_co or p910"), "\(reason)")
    }

    @Test func everyClosedFormEqualsSurealOnIt() throws {
        let d = try Self.data()
        for method in [OpinionMethod.mos, .bt500, .p913] {
            let (values, _, undefined) = try ClosedFormReferenceTests.compare(method, method.rawValue, [d])
            #expect(values >= 79 && undefined == 0)
        }
    }
}
