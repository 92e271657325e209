import Store
import Testing

/// What the workbenches find a clip's file by: each queue entry's and adjudication entry's
/// clip as the project recorded it (name, SHA-256, size, the path it was added from); and
/// the same by the clip's name, for those who play clips.
@Suite struct ClipFilesTests {
    @Test(arguments: StoreKind.all)
    func eachItemCarriesItsClipsNameHashSizeAndRecordedPath(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let expected = (1...2).map { i in
            ClipFile(name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 100, recordedPath: "/clips/c\(i).mp4")
        }
        let alice = try project.session("alice")
        #expect(try alice.ratingQueue().entries.map(\.clipFile) == expected)
        #expect(try project.admin.adjudicationContext(batch: "b").clipFiles == [1: expected[0], 2: expected[1]])
    }

    @Test(arguments: StoreKind.all)
    func aClipsFileByNameIsNilForAnUnknownName(kind: StoreKind) throws {
        let alice = try TestProject.demo(kind).session("alice")
        #expect(try alice.clipFile(named: "c2.mp4") == ClipFile(name: "c2.mp4", sha256: String(repeating: "2", count: 64), sizeBytes: 100,
                                                               recordedPath: "/clips/c2.mp4"))
        #expect(try alice.clipFile(named: "c3.mp4") == nil)
    }

    @Test(arguments: StoreKind.all)
    func onlyThoseWhoPlayClipsMayAskByName(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        #expect(try project.admin.clipFile(named: "c1.mp4")?.name == "c1.mp4")
        let auditor = try project.session("aud")
        #expect(throws: StoreError(.permission, "aud is an auditor and plays no clips (raters, leads and admins do)")) {
            try auditor.clipFile(named: "c1.mp4")
        }
    }
}
