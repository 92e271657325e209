import Agreement
import Testing

@Suite struct BreakdownTests {
    @Test func raterPairsAreTheTwoRaterDataSets() throws {
        let data = try makeData(rowsFromTable(PublishedExamplesTests.krippendorff2011))
        let rows = Breakdown.perRaterPair(data)
        #expect(rows.map { "\($0.first)-\($0.second)" } == ["A-B", "A-C", "A-D", "B-C", "B-D", "C-D"])
        // A and B: units 1–9 rated by both, agreeing on all but unit 6 (1 vs 2).
        let ab = rows[0].summary
        #expect(ab.pairableUnits == 9)
        expectValue(ab.outcomes[.percentAgreement], 8.0 / 9.0)
        // Cohen by hand: A = 1 2 3 3 2 1 4 1 2, B = 1 2 3 3 2 2 4 1 2.
        // Table rows A, columns B over 1..4: A1→B1 ×2, A1→B2 ×1, A2→B2 ×3, A3→B3 ×2, A4→B4 ×1.
        // r = (3, 3, 2, 1), c = (2, 4, 2, 1), N = 9, agreements 8:
        // κ = (9·8 − (6 + 12 + 4 + 1)) / (81 − 23) = 49/58.
        expectValue(ab.outcomes[.cohenKappa], 49.0 / 58.0)
    }

    @Test func leaveOneRaterOutDropsExactlyThatRater() throws {
        let data = try makeData(rowsFromTable(PublishedExamplesTests.krippendorff2011))
        let rows = Breakdown.leaveOneRaterOut(data)
        #expect(rows.map(\.rater) == ["A", "B", "C", "D"])
        for (i, row) in rows.enumerated() {
            let direct = AgreementSummary(data.restricted(toRaters: (0..<4).filter { $0 != i }))
            #expect(row.summary.outcomes == direct.outcomes)
            #expect(row.summary.raters == 3)
        }
        // C disagrees most: leaving C out raises nominal alpha above the full-data 0.743.
        let withoutC = rows[2].summary.outcomes[.krippendorffAlphaNominal]!.value!
        #expect(withoutC > 113.0 / 152.0)
    }

    @Test func oneVsRestOnTwoCategoriesEqualsTheWhole() throws {
        // With two categories, "yes vs rest" is the data itself (relabelled).
        var rows: [(String, String, String?)] = []
        let a = ["yes", "no", "yes", "yes", "no", "no", "yes"], b = ["yes", "no", "no", "yes", "no", "yes", "yes"]
        for i in a.indices { rows.append(("\(i)", "a", a[i])); rows.append(("\(i)", "b", b[i])) }
        let data = try makeData(rows)
        let whole = AgreementSummary(data).outcomes
        for row in Breakdown.perCategory(data) {
            expectValue(row.summary.outcomes[.krippendorffAlphaNominal], whole[.krippendorffAlphaNominal]!.value!)
            expectValue(row.summary.outcomes[.fleissKappa], whole[.fleissKappa]!.value!)
        }
    }

    @Test func matrixInputEqualsRowInput() throws {
        var rng = Xoshiro256StarStar(seed: 12)
        for _ in 0..<20 {
            let data = try RandomData.make(&rng, maxUnits: 30, maxRaters: 6, maxCategories: 5, missing: 0.3)
            var matrix = [[Int32]](repeating: [Int32](repeating: -1, count: data.unitCount), count: data.raterCount)
            for u in 0..<data.unitCount { for r in data.ratings(ofUnit: u) { matrix[r.rater][u] = Int32(r.category) } }
            let fromMatrix = ReliabilityData(matrix: matrix, unitNames: data.unitNames, raterNames: data.raterNames,
                                             categories: data.categories)
            #expect(AgreementSummary(fromMatrix).outcomes == AgreementSummary(data).outcomes)
        }
    }
}
