import Store
import Testing

/// `clipFile(named:)`: what a rater's machine needs to find a clip by content (name, SHA-256,
/// size, the recorded path), for those who play clips, and nothing for a name the project
/// does not have.
@Suite struct ClipFilesTests {
    @Test func aClipsFileIsItsNameHashSizeAndRecordedPath() throws {
        let (store, _) = try StoreTests.project()
        let alice = try store.session(login: "admin", actingAs: "alice")
        #expect(try alice.clipFile(named: "c2.mp4") == ClipFile(name: "c2.mp4", sha256: String(repeating: "2", count: 64), sizeBytes: 100,
                                                               recordedPath: "/clips/c2.mp4"))
        #expect(try alice.clipFile(named: "c3.mp4") == nil)
    }

    @Test func onlyThoseWhoPlayClipsMayAsk() throws {
        let (store, admin) = try StoreTests.project()
        #expect(try admin.clipFile(named: "c1.mp4")?.name == "c1.mp4")
        let auditor = try store.session(login: "admin", actingAs: "aud")
        #expect(throws: StoreError(.permission, "aud is an auditor and plays no clips (raters, leads and admins do)")) {
            try auditor.clipFile(named: "c1.mp4")
        }
    }
}
