import Agreement
@testable import Reports
import Rubric
@testable import Store
import Testing

/// Agreement over time (docs/statistics.md): each window's alpha and interval are those of
/// a direct Agreement computation on the window's labels; days and ISO weeks begin at
/// midnight UTC (weeks on Monday); rubric version markers; the drift warning both ways.
@Suite struct AgreementOverTimeTests {
    static let rubric = try! Rubric.parse("""
    name: t
    criteria:
      - id: kind
        question: Which kind?
        scale: nominal
        options: [car, truck, bike]
      - id: risk
        question: How risky?
        scale: ordinal
        options: [none, low, medium, high]
      - id: gap
        question: Gap?
        scale: interval
        range: [0, 10]
        step: 0.5
      - id: notes
        question: Notes
        scale: text
    """, file: "t.yaml")

    struct Label { let item: Int; let rater: String; let criterion: String; let value: String; let at: String; var role: Role = .rater }

    static func labels(_ list: [Label], items: Int) -> BatchLabels {
        var raters: [String] = [], roles: [Role] = []
        for l in list where !raters.contains(l.rater) { raters.append(l.rater); roles.append(l.role) }
        return BatchLabels(batch: "b", rubric: rubric, rubricHash: "hash-b", items: (1...items).map { Int64($0) },
                           clipNames: (1...items).map { "c\($0).mp4" }, raters: raters, roles: roles,
                           itemIndex: list.map { Int32($0.item - 1) }, raterIndex: list.map { Int32(raters.firstIndex(of: $0.rater)!) },
                           criterion: list.map(\.criterion), value: list.map(\.value), submittedAt: list.map(\.at),
                           dwellMs: list.map { _ in -1 })
    }

    /// A small deterministic generator (the data differ per seed, never per run).
    struct LCG { var s: UInt64; mutating func next(_ n: Int) -> Int { s = s &* 6364136223846793005 &+ 1442695040888963407; return Int((s >> 33) % UInt64(n)) } }

    static func at(day: Int, hour: Int, minute: Int) -> String {
        "2026-12-0\(day)T\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute):00.000Z"
    }

    // MARK: - Each window equals a direct computation

    @Test(arguments: [(1 as UInt64, 12), (2, 30), (3, 7)])
    func eachWindowsAlphaAndIntervalAreADirectComputationOnItsLabels(seed: UInt64, items: Int) throws {
        var rng = LCG(s: seed)
        let raters = ["ann", "ben", "cat", "dan"]
        let values = ["kind": ["car", "truck", "bike"], "risk": ["none", "low", "medium", "high"], "gap": ["0", "1.5", "2", "7.5"]]
        var list: [Label] = []
        for item in 1...items {
            for rater in raters where rng.next(4) != 0 {
                for criterion in ["kind", "risk", "gap"] {
                    // Mostly the item's "true" value, sometimes another; labels over four days.
                    let options = values[criterion]!
                    let value = rng.next(3) == 0 ? options[rng.next(options.count)] : options[item % options.count]
                    list.append(Label(item: item, rater: rater, criterion: criterion, value: value,
                                      at: Self.at(day: 1 + rng.next(4), hour: rng.next(24), minute: rng.next(60))))
                }
            }
        }
        list.append(Label(item: 1, rater: "mo", criterion: "kind", value: "bike", at: Self.at(day: 9, hour: 0, minute: 0), role: .model))
        let batch = Self.labels(list, items: items)
        for window in [OverTimeWindow.day, .week, .items(3)] {
            let overTime = try AgreementOverTime(labels: batch, versions: LabelRubricVersions(batchVersion: "v1"), gold: [], window: window,
                                                 resamples: 200, seed: 7)
            #expect(overTime.criteria.map(\.criterion.id) == ["kind", "risk", "gap"])
            for timeline in overTime.criteria {
                let mine = list.filter { $0.criterion == timeline.criterion.id && $0.role != .model }
                // Each item at its latest label's time, in order of that time.
                var latest: [Int: String] = [:]
                for l in mine { latest[l.item] = max(latest[l.item] ?? "", l.at) }
                let ordered = latest.keys.sorted { (latest[$0]!, $0) < (latest[$1]!, $1) }
                var groups: [(String, [Int])] = []
                for (k, item) in ordered.enumerated() {
                    let name: String
                    switch window {
                    case .day: name = String(latest[item]!.prefix(10))
                    case .week: name = "2026-W49"
                    case .items(let n): name = "items \(k / n * n + 1)–\(min(k / n * n + n, ordered.count))"
                    }
                    if groups.last?.0 == name { groups[groups.count - 1].1.append(item) } else { groups.append((name, [item])) }
                }
                #expect(timeline.windows.map(\.name) == groups.map(\.0), "\(window) \(timeline.criterion.id)")
                for (w, (_, items)) in zip(timeline.windows, groups) {
                    let data = try Self.direct(mine.filter { items.contains($0.item) }, items: items, criterion: timeline.criterion)
                    let expected = AgreementSummary(data).outcomes[timeline.metric]!
                    #expect(w.alpha == expected, "\(window) \(w.name) \(timeline.criterion.id)")
                    let interval = Bootstrap.intervals(data, metrics: [timeline.metric], resamples: 200, seed: 7, confidence: 0.95)[timeline.metric]!
                    #expect(w.interval == interval)
                    #expect(w.items == items.count && w.ratings == data.ratingCount)
                }
            }
        }
    }

    /// Reliability data written out by hand from a window's labels: units in the order given,
    /// raters as they come, the rubric's options or the observed numbers.
    static func direct(_ labels: [Label], items: [Int], criterion: Criterion) throws -> ReliabilityData {
        var raters: [String] = []
        for l in labels where !raters.contains(l.rater) { raters.append(l.rater) }
        let observed = Array(Set(labels.map(\.value)))
        let categories = criterion.scale == .interval ? CategorySet.observed(observed).0 : CategorySet(ordered: criterion.options.map(\.value))
        let numeric = categories.numericValues != nil
        return try ReliabilityData(unitNames: items.map { "\($0):c\($0).mp4" }, raterNames: raters, categories: categories, ratings: labels.map { l in
            let value = categories.labels.firstIndex { c in numeric ? CategorySet.number(from: c) == CategorySet.number(from: l.value) : c == l.value }!
            return ReliabilityData.Rating(unit: Int32(items.firstIndex(of: l.item)!), rater: Int32(raters.firstIndex(of: l.rater)!), category: Int32(value))
        })
    }

    // MARK: - Boundaries

    @Test func aLabelAtMondayMidnightUTCBeginsTheNextWeek() throws {
        let list = [Label(item: 1, rater: "ann", criterion: "kind", value: "car", at: "2026-11-29T23:59:59.999Z"),
                    Label(item: 1, rater: "ben", criterion: "kind", value: "car", at: "2026-11-29T12:00:00.000Z"),
                    Label(item: 2, rater: "ann", criterion: "kind", value: "car", at: "2026-11-30T00:00:00.000Z"),
                    Label(item: 2, rater: "ben", criterion: "kind", value: "car", at: "2026-11-29T08:00:00.000Z")]
        let weeks = try AgreementOverTime(labels: Self.labels(list, items: 2), versions: .init(batchVersion: "v"), gold: [], window: .week, resamples: 10)
        let kind = weeks.criteria[0]
        #expect(kind.windows.map(\.name) == ["2026-W48", "2026-W49"])
        #expect(kind.windows.map(\.items) == [1, 1])
        let days = try AgreementOverTime(labels: Self.labels(list, items: 2), versions: .init(batchVersion: "v"), gold: [], window: .day, resamples: 10)
        #expect(days.criteria[0].windows.map(\.name) == ["2026-11-29", "2026-11-30"])
        // One item per window: alpha is undefined and says why.
        #expect(kind.windows[0].alpha.undefinedReason != nil)
    }

    @Test func isoWeeksAcrossTheYearsEnd() {
        // 2026-12-31 is a Thursday (week 53 of 2026), 2027-01-01 a Friday of the same week,
        // 2027-01-04 the Monday of 2027's week 1; 2021-01-03 (Sunday) is in 2020's week 53.
        let cases = ["2026-12-31": "2026-W53", "2027-01-01": "2026-W53", "2027-01-03": "2026-W53", "2027-01-04": "2027-W01",
                     "2021-01-03": "2020-W53", "2021-01-04": "2021-W01", "2026-11-29": "2026-W48", "2026-11-30": "2026-W49"]
        for (day, week) in cases { #expect(OverTimeWindow.week.calendarKey(day + "T00:00:00.000Z") == week, "\(day)") }
    }

    @Test func windowSpellings() {
        #expect(OverTimeWindow.parse("day") == .success(.day))
        #expect(OverTimeWindow.parse("week") == .success(.week))
        #expect(OverTimeWindow.parse("20") == .success(.items(20)))
        #expect(OverTimeWindow.parse("20items") == .success(.items(20)))
        for bad in ["fortnight", "", "-3", "2.5", "items"] {
            guard case .failure(let e) = OverTimeWindow.parse(bad) else { Issue.record("\(bad) parsed"); continue }
            #expect(e.message.hasPrefix("unknown window"))
        }
        for small in ["1", "0"] {
            guard case .failure(let e) = OverTimeWindow.parse(small) else { Issue.record("\(small) parsed"); continue }
            #expect(e.message.contains("give at least 2 items per window"))
        }
    }

    // MARK: - Rubric version markers

    @Test func aMarkerWhereTheRubricVersionChanged() throws {
        var list: [Label] = []
        for (day, items) in [(1, 1...3), (2, 4...6), (3, 7...9)] {
            for item in items { for rater in ["ann", "ben"] { list.append(Label(item: item, rater: rater, criterion: "kind", value: "car", at: Self.at(day: day, hour: 9, minute: item))) } }
        }
        // Day 2's and day 3's labels were made under v2 (item 4 by ann only: still day 2).
        var others: [LabelVersionKey: String] = [:]
        for item in 4...9 { for rater in ["ann", "ben"] { others[LabelVersionKey(item: Int64(item), rater: rater, criterion: "kind")] = "v2" } }
        let overTime = try AgreementOverTime(labels: Self.labels(list, items: 9), versions: LabelRubricVersions(batchVersion: "v1", others: others),
                                             gold: [], window: .day, resamples: 10)
        let kind = overTime.criteria[0]
        #expect(kind.windows.map(\.versions) == [["v1"], ["v2"], ["v2"]])
        #expect(kind.windows.map(\.newVersions) == [[], ["v2"], []])
        #expect(AgreementOverTime.rows(kind)[2][6].hasPrefix("▲ rubric version v2"))
        #expect(overTime.json().contains("\"rubric_changed\": [\"v2\"]"))
    }

    // MARK: - Drift

    /// Day 1: four raters agree on 12 items; day 3: they agree on `agreeingLater` of 12.
    /// Gold answers: ann 4/4 then 1/4, ben 4/4 then 3/4, cat 2/2 then 2/2.
    static func driftCase(agreeingLater: Int) throws -> AgreementOverTime.CriterionTimeline {
        var list: [Label] = []
        let raters = ["ann", "ben", "cat", "dan"], kinds = ["car", "truck", "bike"]
        for item in 1...12 { for (r, rater) in raters.enumerated() {
            list.append(Label(item: item, rater: rater, criterion: "kind", value: kinds[item % 3], at: Self.at(day: 1, hour: 10, minute: item * 4 + r)))
        } }
        for item in 13...24 { for (r, rater) in raters.enumerated() {
            let agree = item - 12 <= agreeingLater
            list.append(Label(item: item, rater: rater, criterion: "kind", value: agree ? kinds[item % 3] : kinds[(item + r) % 3],
                              at: Self.at(day: 3, hour: 10, minute: item + r)))
        } }
        func answers(_ rater: String, day: Int, right: Int, of n: Int) -> [(String, String, Bool)] {
            (0..<n).map { (rater, Self.at(day: day, hour: 8, minute: $0), $0 < right) }
        }
        let all = answers("ann", day: 1, right: 4, of: 4) + answers("ann", day: 3, right: 1, of: 4) + answers("ben", day: 1, right: 4, of: 4)
            + answers("ben", day: 3, right: 3, of: 4) + answers("cat", day: 1, right: 2, of: 2) + answers("cat", day: 3, right: 2, of: 2)
        let gold = all.enumerated().map { i, a in
            GoldAnswer(item: Int64(100 + i), criterion: "kind", value: "car", addedBy: "lee", source: "gold", training: false,
                       responses: [GoldResponse(rater: a.0, role: .rater, value: a.2 ? "car" : "bike", at: a.1, revised: false)])
        }
        let overTime = try AgreementOverTime(labels: Self.labels(list, items: 24), versions: .init(batchVersion: "v"), gold: gold, window: .day,
                                             resamples: 500)
        return overTime.criteria[0]
    }

    @Test func theDriftWarningNamesTheRatersWhoseGoldAccuracyFellMost() throws {
        let kind = try Self.driftCase(agreeingLater: 2)
        #expect(kind.windows.map(\.name) == ["2026-12-01", "2026-12-03"])
        #expect(kind.windows[0].gold == .init(answered: 10, correct: 10))
        #expect(kind.windows[1].gold == .init(answered: 10, correct: 6))
        guard case .drifting(let first, let latest, let raters) = kind.drift else { Issue.record("no drift: \(kind.drift)"); return }
        #expect(latest.upper < first.lower)
        #expect(raters == [.init(rater: "ann", first: 1, latest: 0.25), .init(rater: "ben", first: 1, latest: 0.75)])
        #expect(AgreementOverTime.driftText(kind).hasPrefix("⚠ drift: the latest window's interval"))
        #expect(AgreementOverTime.driftText(kind).hasSuffix("gold accuracy fell most for ann (1.000 → 0.250), ben (1.000 → 0.750)"))
        // The dashboard's few words, with the same intervals.
        #expect(AgreementOverTime.shortDriftText(kind.drift)
                == "⚠ drift: latest [\(fixed(latest.lower, 3)), \(fixed(latest.upper, 3))] below first [1.000, 1.000]; gold fell most: ann 1.00→0.25, ben 1.00→0.75")
    }

    @Test func noDriftWhileTheLatestIntervalReachesTheFirsts() throws {
        let kind = try Self.driftCase(agreeingLater: 12)
        guard case .steady = kind.drift else { Issue.record("\(kind.drift)"); return }
        #expect(AgreementOverTime.driftText(kind) == "no drift: the latest window's interval is not wholly below the first's")
        #expect(AgreementOverTime.shortDriftText(kind.drift) == nil)
        // One window: nothing to compare.
        let one = try AgreementOverTime(labels: Self.labels([Label(item: 1, rater: "ann", criterion: "kind", value: "car", at: Self.at(day: 1, hour: 1, minute: 1))], items: 1),
                                        versions: .init(batchVersion: "v"), gold: [], window: .day, resamples: 10)
        guard case .undetermined(let why) = one.criteria[0].drift else { Issue.record("judged"); return }
        #expect(why == "one window only: nothing to compare yet")
    }

    @Test func sparklineLevels() {
        #expect(AgreementOverTime.sparkline([0, 0.5, 1, nil, -0.2, 0.124, 0.125, 0.99]) == "▁▅█·▁▁▂█")
    }
}
