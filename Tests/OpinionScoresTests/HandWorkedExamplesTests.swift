import Foundation
import Testing
@testable import OpinionScores

/// Tier 2: the examples worked by hand in assets/examples/mos/README.md. The test reads the
/// CSVs and the README's tables, so the numbers a reader checks by hand are the ones tested.
@Suite struct HandWorkedExamplesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("assets/examples/mos")

    /// A reliability CSV (`unit,rater,value`, empty = missing) as OpinionData, units and raters
    /// in order of first appearance.
    static func load(_ name: String) throws -> OpinionData {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        var units: [String] = [], raters: [String] = [], cells: [(String, String, Double?)] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(f.count == 3, "\(name): \(line)")
            if !units.contains(f[0]) { units.append(f[0]) }
            if !raters.contains(f[1]) { raters.append(f[1]) }
            cells.append((f[0], f[1], f[2].isEmpty ? nil : try #require(Double(f[2]))))
        }
        var scores = [Double](repeating: .nan, count: units.count * raters.count)
        for (u, r, v) in cells { scores[units.firstIndex(of: u)! * raters.count + raters.firstIndex(of: r)!] = v ?? .nan }
        return try OpinionData(unitNames: units, raterNames: raters, scores: scores)
    }

    /// The README's table rows (`| clip…` or `| rater…`) in the section `## name`, as cells.
    static func table(_ name: String, rowsStarting prefix: String) throws -> [[String]] {
        let text = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        let sections = text.components(separatedBy: "\n## ")
        let section = try #require(sections.first { $0.hasPrefix(name) }, "README has no section \(name)")
        return section.split(separator: "\n").filter { $0.hasPrefix("| \(prefix)") }.map {
            $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }.filter { $0[0] != prefix }   // not the header row
    }

    /// Checks every unit row of the README's table against concord's result.
    static func checkUnits(_ result: OpinionResult, _ data: OpinionData, _ rows: [[String]]) throws {
        try #require(rows.count == data.unitCount)
        for row in rows {
            let u = try #require(data.unitNames.firstIndex(of: row[0]))
            let ours = result.units[u]
            #expect(ours.n == Int(row[1]), "\(row[0]): n")
            #expect(abs(ours.score - Double(row[2])!) <= 1e-9, "\(row[0]): MOS expected \(row[2]), observed \(ours.score)")
            if row[3] == "—" {
                #expect(ours.standardError == nil && ours.ci95 == nil, "\(row[0]): no SE with one rating")
                continue
            }
            let se = try #require(ours.standardError), ci = try #require(ours.ci95)
            #expect(abs(se - Double(row[3])!) <= 1e-9, "\(row[0]): SE expected \(row[3]), observed \(se)")
            #expect(abs(ci.low - Double(row[4])!) <= 1e-9, "\(row[0]): low expected \(row[4]), observed \(ci.low)")
            #expect(abs(ci.high - Double(row[5])!) <= 1e-9, "\(row[0]): high expected \(row[5]), observed \(ci.high)")
        }
    }

    @Test func acrSmallMOS() throws {
        let data = try Self.load("acr_small.csv")
        let result = try #require(OpinionScores.score(data, method: .mos).result)
        try Self.checkUnits(result, data, try Self.table("acr_small.csv", rowsStarting: "clip"))
        #expect(result.raters.allSatisfy { !$0.rejected && $0.bias == nil })
    }

    @Test func bt500RejectsTheErraticRater() throws {
        let data = try Self.load("bt500_screening.csv")
        let result = try #require(OpinionScores.score(data, method: .bt500).result)
        try Self.checkUnits(result, data, try Self.table("bt500_screening.csv", rowsStarting: "clip"))
        let screening = SubjectRejection.screen(data.scores, units: data.unitCount, raters: data.raterCount)
        let rows = try Self.table("bt500_screening.csv", rowsStarting: "rater")
        try #require(rows.count == data.raterCount)
        for row in rows {
            let r = try #require(data.raterNames.firstIndex(of: String(row[0].dropFirst("rater ".count))))
            #expect(screening[r].p == Int(row[1]) && screening[r].q == Int(row[2]), "\(row[0]): P, Q")
            #expect(screening[r].first == Double(row[3]), "\(row[0]): (P+Q)/clips")
            #expect(result.raters[r].rejected == (row[4] == "yes"), "\(row[0]): rejected")
        }
        // F's P is from clip1 and its Q from clip2, both under the 2σ band; clip3's outlier
        // (β₂ = 4.2) is inside the √20σ band.
        #expect(screening[5] == SubjectRejection.Screening(aboveNarrow: 1, belowNarrow: 1, aboveWide: 0, belowWide: 0,
                                                           first: 0.5, second: 0, meetsRule: true, rejected: true))
        #expect(result.raters[5].reason == "BT.500 P/Q rule: P = 1 (ratings at or above their unit's mean + kσ), Q = 1 (at or below mean − kσ) (k = 2 where the unit's kurtosis β₂ is in [2, 4], else √20; all with k = 2); (P+Q)/units = 2/4 = 0.5 > 0.05 and |P−Q|/(P+Q) = 0/2 = 0 < 0.3")
    }
}
