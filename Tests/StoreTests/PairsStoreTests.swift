import Foundation
import Rubric
import Store
import Testing

/// Pairwise batches in the Store (docs/pairwise.md "Projects"): the pool, pairs, tags, pair
/// assignments with their sides, the queue's second clip and the comparisons read — the same
/// on both stores.
@Suite struct PairsStoreTests {
    static let rubricYAML = """
    name: pref
    criteria:
      - id: better
        question: Which clip is better?
        type: pairwise
        tie: true
      - id: notes
        question: Notes
        scale: text
    """

    static func clip(_ i: Int) -> ClipFacts {
        ClipFacts(path: "/clips/p\(i).mp4", name: "p\(i).mp4", sha256: String(format: "%064x", 500 + i), sizeBytes: Int64(1000 + i),
                  codec: "h264", duration: 2, frameRate: 25, frameCount: 50 + i, width: 64, height: 48, rotation: 0)
    }

    /// The demo project (batch b of one-clip items), the rubric pref, the lead lee, and
    /// clips p1…p4 in the pairwise batch pb's pool, p1 and p2 made by model x, p3 and p4 by
    /// y, all for the prompt g1.
    static func project(_ kind: StoreKind) throws -> TestProject {
        let project = try TestProject.demo(kind)
        _ = try project.admin.addRubric(try Rubric.parse(rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
        try project.addRater("lee", role: .lead)
        _ = try project.admin.addClips((1...4).map(clip), batch: "pb", rubric: "pref")
        let tags = (1...4).map { ClipTag(clip: "p\($0).mp4", group: "g1", system: $0 <= 2 ? "x" : "y") }
        #expect(try project.admin.tagClips(tags) == 4)
        return project
    }

    static func refused(_ words: String, _ body: () throws -> Void) { refused(.input, words, body) }

    static func refused(_ kind: StoreError.Kind, _ words: String, _ body: () throws -> Void) {
        #expect(throws: StoreError.self) { try body() }
        do { try body() } catch let error as StoreError {
            #expect(error.kind == kind)
            #expect("\(error)".contains(words), "\(error)")
        } catch { Issue.record("not a StoreError: \(error)") }
    }

    @Test(arguments: StoreKind.all)
    func pairsAreItemsOfTheirOwnAndThePoolHoldsEachClipOnce(kind: StoreKind) throws {
        let project = try Self.project(kind)
        let lee = try project.session("lee")
        let added = try lee.addPairs([PairRequest(a: "p1.mp4", b: "p3.mp4", group: "g1", source: "pairs.csv:2"),
                                      PairRequest(a: "p4.mp4", b: "p2.mp4", source: "pairs.csv:3")], batch: "pb", rubric: nil)
        // Items 1–2 are batch b's, 3–6 pb's pool: the pairs are items 7 and 8.
        #expect(added == [AddedPair(item: 7, a: "p1.mp4", b: "p3.mp4", isNew: true), AddedPair(item: 8, a: "p4.mp4", b: "p2.mp4", isNew: true)])
        // The same pair in the other order is the batch's pair, in its order; nothing written.
        let again = try lee.addPairs([PairRequest(a: "p3.mp4", b: "p1.mp4")], batch: "pb", rubric: nil)
        #expect(again == [AddedPair(item: 7, a: "p1.mp4", b: "p3.mp4", isNew: false)])
        // A clip of the project not yet in the pool (c1.mp4, batch b's) joins it.
        let joined = try lee.addPairs([PairRequest(a: "c1.mp4", b: "p1.mp4")], batch: "pb", rubric: nil)
        #expect(joined == [AddedPair(item: 10, a: "c1.mp4", b: "p1.mp4", isNew: true)])
        #expect(try lee.pairPool(batch: "pb") == [
            PoolClip(clip: "p1.mp4", group: "g1", system: "x"), PoolClip(clip: "p2.mp4", group: "g1", system: "x"),
            PoolClip(clip: "p3.mp4", group: "g1", system: "y"), PoolClip(clip: "p4.mp4", group: "g1", system: "y"),
            PoolClip(clip: "c1.mp4", group: nil, system: nil)])
        // clip add of a clip already in the pool is refused; being clip a of a pair is not being in the pool.
        Self.refused("already added to batch 'pb'") { _ = try lee.addClips([Self.clip(1)], batch: "pb", rubric: nil) }
        #expect(try project.admin.verifyAudit(anchors: []).intact)
    }

    @Test(arguments: StoreKind.all)
    func badPairsAreRefusedWithTheirLineAndNothingIsWritten(kind: StoreKind) throws {
        let project = try Self.project(kind)
        let lee = try project.session("lee")
        func pairs(_ list: [(String, String)]) -> [PairRequest] {
            list.enumerated().map { PairRequest(a: $1.0, b: $1.1, source: "pairs.csv:\($0 + 2)") }
        }
        Self.refused("pairs.csv:3: no clip named 'zz.mp4' in the project; add it first with: concord clip add FILE --batch pb; nothing was added") {
            _ = try lee.addPairs(pairs([("p1.mp4", "p2.mp4"), ("p1.mp4", "zz.mp4")]), batch: "pb", rubric: nil)
        }
        Self.refused("pairs.csv:2: the clip 'p2.mp4' is paired with itself; a pair needs two different clips; nothing was added") {
            _ = try lee.addPairs(pairs([("p2.mp4", "p2.mp4")]), batch: "pb", rubric: nil)
        }
        Self.refused("pairs.csv:4: the pair 'p2.mp4', 'p1.mp4' again (first at pairs.csv:2); list each pair once, in either order") {
            _ = try lee.addPairs(pairs([("p1.mp4", "p2.mp4"), ("p3.mp4", "p4.mp4"), ("p2.mp4", "p1.mp4")]), batch: "pb", rubric: nil)
        }
        do {
            _ = try lee.addPairs(pairs([("p1.mp4", "p1.mp4"), ("p2.mp4", "p3.mp4"), ("x.mp4", "p2.mp4")]), batch: "pb", rubric: nil)
            Issue.record("two bad lines were accepted")
        } catch let error as StoreError {
            #expect(error.message == "pairs.csv: 2 problems; nothing was added")
            #expect(error.details == ["pairs.csv:2: the clip 'p1.mp4' is paired with itself; a pair needs two different clips",
                                      "pairs.csv:4: no clip named 'x.mp4' in the project; add it first with: concord clip add FILE --batch pb"])
        }
        Self.refused("batch 'b' rates one clip at a time (its rubric 'demo' has no pairwise criterion); put pairs in a batch whose rubric has a criterion of type: pairwise") {
            _ = try lee.addPairs(pairs([("c1.mp4", "c2.mp4")]), batch: "b", rubric: nil)
        }
        Self.refused("the rubric 'demo' has no pairwise criterion; pairs need a rubric with a criterion of type: pairwise") {
            _ = try lee.addPairs(pairs([("c1.mp4", "c2.mp4")]), batch: "new", rubric: "demo")
        }
        Self.refused("batch 'new' does not exist yet; name its rubric with --rubric NAME") {
            _ = try lee.addPairs(pairs([("c1.mp4", "c2.mp4")]), batch: "new", rubric: nil)
        }
        Self.refused(.permission, "alice is a rater and cannot add clips") {
            _ = try project.session("alice").addPairs(pairs([("p1.mp4", "p2.mp4")]), batch: "pb", rubric: nil)
        }
        // Nothing of any refused call: no pair, no batch 'new'.
        #expect(try lee.comparisons(batch: "pb", criterion: "better").pairA.isEmpty)
        #expect(try lee.status(batch: nil).map(\.batch) == ["b", "pb"])
        #expect(try project.admin.verifyAudit(anchors: []).intact)
    }

    @Test(arguments: StoreKind.all)
    func tagsAreRevisionsAndTheLatestApplies(kind: StoreKind) throws {
        let project = try Self.project(kind)
        // The same tags again write nothing; a nil field keeps the clip's value.
        #expect(try project.admin.tagClips([ClipTag(clip: "p1.mp4", group: "g1", system: "x")]) == 0)
        #expect(try project.admin.tagClips([ClipTag(clip: "p1.mp4", group: nil, system: "z"), ClipTag(clip: "p2.mp4", group: "g2", system: nil)]) == 2)
        #expect(try project.admin.pairPool(batch: "pb").prefix(2) == [PoolClip(clip: "p1.mp4", group: "g1", system: "z"),
                                                                     PoolClip(clip: "p2.mp4", group: "g2", system: "x")])
        // A pair without a group takes its clips' group when both have the same one.
        _ = try project.admin.addPairs([PairRequest(a: "p3.mp4", b: "p4.mp4"), PairRequest(a: "p1.mp4", b: "p2.mp4")], batch: "pb", rubric: nil)
        try project.addRater("carl", role: .rater)
        _ = try project.admin.assign(batch: "pb", raters: ["carl"], overlap: nil, goldRate: nil)
        #expect(try project.session("carl").ratingQueue(batch: "pb").entries.map { $0.pair?.group } == ["g1", nil])
        Self.refused("no clip named 'nope.mp4' in the project") {
            _ = try project.admin.tagClips([ClipTag(clip: "nope.mp4", group: "g", system: nil)])
        }
        Self.refused("the system of 'p1.mp4' contains the control character ESC (U+001B) at character 2") {
            _ = try project.admin.tagClips([ClipTag(clip: "p1.mp4", group: nil, system: "x\u{1B}")])
        }
        Self.refused("the group of 'p1.mp4' is empty; give a name or leave out --group") {
            _ = try project.admin.tagClips([ClipTag(clip: "p1.mp4", group: "", system: nil)])
        }
        Self.refused(.permission, "alice is a rater and cannot add clips") {
            _ = try project.session("alice").tagClips([ClipTag(clip: "p1.mp4", group: "g", system: nil)])
        }
        // Raters judge blind to the model: the pool with its system tags is not theirs to read.
        Self.refused(.permission, "alice is a rater and cannot read agreement and progress of the whole project") {
            _ = try project.session("alice").pairPool(batch: "pb")
        }
        #expect(try project.admin.verifyAudit(anchors: []).intact)
    }
}
