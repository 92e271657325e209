@testable import Store
import Testing

/// `submitted_at` in an import: a day past its month's end is no date on either store
/// (Clock.canonical in Swift, concord.op_clock_canonical in PostgreSQL), while February 29
/// of a leap year is one.
@Suite struct LabelImportDateTests {
    @Test func clockCanonicalKnowsEachMonthsLastDay() {
        #expect(Clock.canonical("2026-02-30T10:00:00Z") == nil)
        #expect(Clock.canonical("2025-02-29") == nil)
        #expect(Clock.canonical("1900-02-29T00:00:00Z") == nil)
        #expect(Clock.canonical("2026-04-31 12:00") == nil)
        #expect(Clock.canonical("2026-00-10") == nil)
        #expect(Clock.canonical("2026-01-00") == nil)
        #expect(Clock.canonical("2024-02-29") == "2024-02-29T00:00:00.000Z")
        #expect(Clock.canonical("2000-02-29T23:30:00-01:00") == "2000-03-01T00:30:00.000Z")
        #expect(Clock.canonical("2026-04-30T10:00:00.25Z") == "2026-04-30T10:00:00.250Z")
        #expect(Clock.canonical("2026-12-31T23:59:59Z") == "2026-12-31T23:59:59.000Z")
        #expect((1...12).map { Clock.daysIn(month: $0, year: 2026) } == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        #expect([1900, 2000, 2024, 2100].map { Clock.daysIn(month: 2, year: $0) } == [28, 29, 29, 28])
    }

    @Test(arguments: StoreKind.all)
    func anImpossibleDateIsRefusedAndALeapDayKept(kind: StoreKind) throws {
        let admin = try TestProject.demo(kind).admin
        let rows = [LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "present", value: "no", submittedAt: "2026-02-30T10:00:00Z"),
                    LabelImportRow(line: 3, clip: "c1.mp4", rater: "bob", criterion: "present", value: "no", submittedAt: "2025-02-29"),
                    LabelImportRow(line: 4, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no", submittedAt: "2024-02-29 08:00")]
        #expect(throws: StoreError(.input, "in.csv: 2 problems; nothing was imported", details: [
            "in.csv:2: submitted_at '2026-02-30T10:00:00Z' is not an ISO 8601 date-time like 2026-11-24T13:05:12Z",
            "in.csv:3: submitted_at '2025-02-29' is not an ISO 8601 date-time like 2026-11-24T13:05:12Z",
        ])) {
            try admin.importLabels(rows, file: "in.csv", fileSHA256: "x")
        }
        #expect(try admin.exportLabels().isEmpty)
        #expect(try admin.importLabels([rows[2]], file: "in.csv", fileSHA256: "x") == ImportSummary(added: 1))
        #expect(try admin.exportLabels().map(\.submittedAt) == ["2024-02-29T08:00:00.000Z"])
    }
}
