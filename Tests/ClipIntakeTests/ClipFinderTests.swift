@testable import ClipIntake
import Foundation
import Media
import Store
import Testing

/// Finding a project's clip on another machine by content (docs/project-file.md "Clips on
/// the rater's machine"): the search order, a renamed copy, a tampered one refused with its
/// message, the hash cache (a hit reads nothing; a damaged cache is ignored and rewritten),
/// and the folder walk's bounds. The files are small byte strings: finding is by SHA-256,
/// not by decoding.
@Suite struct ClipFinderTests {
    /// A scratch folder with `clips/`, `other/` and `cache/` inside.
    struct Place {
        let root: String
        var clips: String { root + "/clips" }
        var other: String { root + "/other" }
        var cacheFile: String { root + "/cache/concord/clip-hashes" }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("concord-finder-\(UUID().uuidString)").path
            for dir in [root + "/clips", root + "/other"] {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
        }

        func write(_ path: String, _ text: String) throws {
            let dir = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try #require(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// The clip the project recorded: `content`'s hash and size, at `recordedPath`.
    static func clip(_ name: String, _ content: String, recordedPath: String) -> ClipFile {
        ClipFile(name: name, sha256: FileHash.sha256(bytes: Array(content.utf8)), sizeBytes: Int64(content.utf8.count),
                 recordedPath: recordedPath)
    }

    /// A finder over `folders` (all given as --clips) that counts the files it reads whole.
    final class Counting {
        var reads: [String] = []
        func finder(_ folders: [String], cacheFile: String?) -> ClipFinder {
            ClipFinder(folders: folders.map { ClipFolder(path: $0, origin: "--clips") }, cache: ClipHashCache(file: cacheFile)) { path in
                self.reads.append(path)
                return try FileHash.sha256(path: path)
            }
        }
    }

    // MARK: - Order

    @Test func aRenamedCopyInASubfolderIsFoundByItsContent() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/day2/renamed.bin", "the clip's bytes")
        try place.write(place.clips + "/same-size.bin", "other bytes here")   // 16 bytes, as the clip: read, not taken
        let clip = Self.clip("cutin-left-close.mp4", "the clip's bytes", recordedPath: "/gone/cutin-left-close.mp4")
        let counting = Counting()
        #expect(counting.finder([place.clips], cacheFile: nil).locate(clip) == .found(place.clips + "/day2/renamed.bin"))
        #expect(counting.reads == [place.clips + "/same-size.bin", place.clips + "/day2/renamed.bin"])
    }

    @Test func inAFolderTheClipsNameComesBeforeFilesOfItsSize() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/a-copy.bin", "content")
        try place.write(place.clips + "/sub/x.mp4", "content")
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        let counting = Counting()
        #expect(counting.finder([place.clips], cacheFile: nil).locate(clip) == .found(place.clips + "/sub/x.mp4"))
        #expect(counting.reads == [place.clips + "/sub/x.mp4"])
    }

    @Test func foldersAreSearchedInOrderAndBeforeTheRecordedPath() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.other + "/x.mp4", "content")
        try place.write(place.clips + "/renamed.bin", "content")
        try place.write(place.root + "/recorded/x.mp4", "content")
        let clip = Self.clip("x.mp4", "content", recordedPath: place.root + "/recorded/x.mp4")
        // A renamed copy in the first folder wins over the clip's own name in the second.
        #expect(Counting().finder([place.clips, place.other], cacheFile: nil).locate(clip) == .found(place.clips + "/renamed.bin"))
        #expect(Counting().finder([place.other, place.clips], cacheFile: nil).locate(clip) == .found(place.other + "/x.mp4"))
        // No folder: the recorded path, checked.
        #expect(Counting().finder([], cacheFile: nil).locate(clip) == .found(place.root + "/recorded/x.mp4"))
    }

    // MARK: - Other content

    @Test func aFileOfTheClipsNameWithOtherContentIsRefused() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/cutin-left-close.mp4", "tampered bytes")
        let clip = Self.clip("cutin-left-close.mp4", "the clip's bytes", recordedPath: "/gone/cutin-left-close.mp4")
        let here = FileHash.sha256(bytes: Array("tampered bytes".utf8))
        #expect(Counting().finder([place.clips], cacheFile: nil).locate(clip) == .refused(
            "the file \(place.clips)/cutin-left-close.mp4 is not the project's cutin-left-close.mp4: its SHA-256 differs "
            + "(\(here.prefix(12))… here, \(clip.sha256.prefix(12))… in the project); "
            + "get the project's file from the lead, or pass the folder that has it with --clips"))
    }

    @Test func theRecordedPathWithOtherContentIsRefusedToo() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.root + "/recorded/x.mp4", "edited since")
        let clip = Self.clip("x.mp4", "content", recordedPath: place.root + "/recorded/x.mp4")
        guard case .refused(let message) = Counting().finder([], cacheFile: nil).locate(clip) else {
            Issue.record("not refused")
            return
        }
        #expect(message.hasPrefix("the file \(place.root)/recorded/x.mp4 is not the project's x.mp4: its SHA-256 differs ("))
    }

    @Test func theRightContentElsewhereIsPlayedDespiteATamperedNamesake() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/x.mp4", "tampered")
        try place.write(place.other + "/y.bin", "content")
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        #expect(Counting().finder([place.clips, place.other], cacheFile: nil).locate(clip) == .found(place.other + "/y.bin"))
    }

    @Test func noFileWithTheContentIsSaidWithWhereConcordLooked() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/unrelated.bin", "unrelated")
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        let finder = ClipFinder(folders: [ClipFolder(path: place.clips, origin: "--clips"), ClipFolder(path: place.other, origin: "CONCORD_CLIPS")],
                                cache: ClipHashCache(file: nil))
        #expect(finder.locate(clip) == .missing(
            "the clip x.mp4 is not on this machine: no file in --clips \(place.clips), CONCORD_CLIPS \(place.other) or at its recorded path /gone/x.mp4 "
            + "has its content (SHA-256 \(clip.sha256.prefix(12))…, 7 bytes); "
            + "pass the folder that has it with --clips DIR (or CONCORD_CLIPS), or get the file from the lead"))
        #expect(ClipFinder(folders: [], cache: ClipHashCache(file: nil)).locate(clip) == .missing(
            "the clip x.mp4 is not on this machine: no file at its recorded path /gone/x.mp4 has its content "
            + "(SHA-256 \(clip.sha256.prefix(12))…, 7 bytes); "
            + "pass the folder that has it with --clips DIR (or CONCORD_CLIPS), or get the file from the lead"))
    }

    @Test func aCandidateThatCannotBeReadIsNamedWithWhy() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/x.mp4", "content")
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        // Root reads any file, whatever its mode: the read fails through the hook instead.
        let finder = ClipFinder(folders: [ClipFolder(path: place.clips, origin: "--clips")], cache: ClipHashCache(file: nil)) { path in
            throw MediaError(path: path, message: "cannot open: Permission denied")
        }
        #expect(finder.locate(clip) == .missing(
            "the clip x.mp4 is not on this machine: no file in --clips \(place.clips) or at its recorded path /gone/x.mp4 "
            + "has its content (SHA-256 \(clip.sha256.prefix(12))…, 7 bytes); a candidate could not be read: "
            + "\(place.clips)/x.mp4: cannot open: Permission denied; "
            + "pass the folder that has it with --clips DIR (or CONCORD_CLIPS), or get the file from the lead"))
    }

    // MARK: - The cache

    @Test func aCachedHashIsNotReadAgainUntilTheFileChanges() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/x.mp4", "content")
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        let first = Counting()
        #expect(first.finder([place.clips], cacheFile: place.cacheFile).locate(clip) == .found(place.clips + "/x.mp4"))
        #expect(first.reads == [place.clips + "/x.mp4"])
        // A later run (a new finder, the cache read from disk) reads nothing.
        let second = Counting()
        #expect(second.finder([place.clips], cacheFile: place.cacheFile).locate(clip) == .found(place.clips + "/x.mp4"))
        #expect(second.reads == [])
        // Replaced by other bytes of the same size (written beside it and renamed over it, so
        // a new inode even if the mtime were equal): read again, and refused.
        try place.write(place.clips + "/x.new", "CONTENT")
        try #require(rename(place.clips + "/x.new", place.clips + "/x.mp4") == 0)
        let third = Counting()
        guard case .refused = third.finder([place.clips], cacheFile: place.cacheFile).locate(clip) else {
            Issue.record("the changed file was not refused")
            return
        }
        #expect(third.reads == [place.clips + "/x.mp4"])
    }

    @Test func theCacheFileIsPrivateAndOneLinePerFile() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/x\nwith newline\\.mp4", "content")
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        _ = Counting().finder([place.clips], cacheFile: place.cacheFile).locate(clip)
        let attributes = try FileManager.default.attributesOfItem(atPath: place.cacheFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: place.root + "/cache/concord")
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        var info = stat()
        try #require(stat(place.clips + "/x\nwith newline\\.mp4", &info) == 0)
        let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #expect(try String(contentsOfFile: place.cacheFile, encoding: .utf8) == """
            concord clip-hashes 1
            \(clip.sha256) 7 \(mtime) \(info.st_ino) \(place.clips)/x\\nwith newline\\\\.mp4

            """)
        // Read back: the same file is a hit.
        let again = Counting()
        _ = again.finder([place.clips], cacheFile: place.cacheFile).locate(clip)
        #expect(again.reads == [])
    }

    @Test(arguments: ["", "garbage\n", "concord clip-hashes 1\nnot a line\n", "concord clip-hashes 1\n" + String(repeating: "0", count: 64) + " 7 1 2 relative\n",
                      "concord clip-hashes 1\n" + String(repeating: "0", count: 64) + " 7 1 2 /x", "concord clip-hashes 2\n",
                      "concord clip-hashes 1\n" + String(repeating: "A", count: 64) + " 7 1 2 /x\n"])
    func aDamagedCacheIsIgnoredAndRewritten(text: String) throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/x.mp4", "content")
        try place.write(place.cacheFile, text)
        #expect(ClipHashCache.parse(text) == nil)
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        let counting = Counting()
        #expect(counting.finder([place.clips], cacheFile: place.cacheFile).locate(clip) == .found(place.clips + "/x.mp4"))
        #expect(counting.reads == [place.clips + "/x.mp4"])
        #expect(try String(contentsOfFile: place.cacheFile, encoding: .utf8).hasPrefix("concord clip-hashes 1\n\(clip.sha256) 7 "))
    }

    @Test func theCacheKeepsTheMostRecentlyUsedFilesOnly() throws {
        let place = try Place()
        defer { place.remove() }
        let cache = ClipHashCache(file: place.cacheFile)
        let sha = String(repeating: "a", count: 64)
        func file(_ i: Int) -> FileIdentity { FileIdentity(path: "/clips/\(i)", size: 1, mtimeNanoseconds: 1, inode: UInt64(i)) }
        for i in 0...ClipHashCache.capacity { cache.remember(sha, for: file(i)) }
        #expect(cache.sha256(of: file(0)) == sha)   // used again: now the most recent
        cache.save()
        let kept = try #require(ClipHashCache.parse(try String(contentsOfFile: place.cacheFile, encoding: .utf8)))
        #expect(kept.count == ClipHashCache.capacity)
        #expect(kept.first?.0 == file(2) && kept.last?.0 == file(0))   // file 1 was the least recently used
    }

    @Test func aCacheThatCannotBeWrittenIsNoError() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.clips + "/x.mp4", "content")
        try place.write(place.root + "/cache", "a file where the cache folder would be")
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        #expect(Counting().finder([place.clips], cacheFile: place.cacheFile).locate(clip) == .found(place.clips + "/x.mp4"))
    }

    @Test func theCacheLivesUnderXDGCacheHomeElseHome() {
        #expect(ClipHashCache.defaultFile(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/a"]) == "/x/cache/concord/clip-hashes")
        #expect(ClipHashCache.defaultFile(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/a"]) == "/home/a/.cache/concord/clip-hashes")
        #expect(ClipHashCache.defaultFile(environment: ["HOME": "/home/a"]) == "/home/a/.cache/concord/clip-hashes")
    }

    // MARK: - Folders

    @Test func concordClipsIsSplitAtColonsWithEmptyEntriesLeftOut() {
        #expect(ClipFolder.entries("/a:/b") == ["/a", "/b"])
        #expect(ClipFolder.entries("::/a::b/c:") == ["/a", "b/c"])
        #expect(ClipFolder.entries("") == [])
    }

    @Test func clipsOptionsComeBeforeConcordClipsAndANameTwiceIsSearchedOnce() throws {
        let place = try Place()
        defer { place.remove() }
        #expect(try ClipFolder.folders(options: [place.other, place.clips], environment: "\(place.clips)::\(place.root)") == [
            ClipFolder(path: place.other, origin: "--clips"), ClipFolder(path: place.clips, origin: "--clips"),
            ClipFolder(path: place.root, origin: "CONCORD_CLIPS"),
        ])
        let cwd = FileManager.default.currentDirectoryPath
        #expect(try ClipFolder.folders(options: ["."], environment: nil) == [ClipFolder(path: cwd + "/.", origin: "--clips")])
    }

    @Test func aFolderThatCannotBeSearchedIsOneLine() throws {
        let place = try Place()
        defer { place.remove() }
        try place.write(place.root + "/file", "x")
        let advice = "pass a folder that holds the project's clips (--clips DIR, repeatable, or CONCORD_CLIPS=DIR:DIR)"
        #expect(throws: ClipFolderError(message: "--clips \(place.root)/missing does not exist; \(advice)")) {
            try ClipFolder.folders(options: [place.root + "/missing"], environment: nil)
        }
        #expect(throws: ClipFolderError(message: "--clips \(place.root)/file is not a folder; \(advice)")) {
            try ClipFolder.folders(options: [place.root + "/file"], environment: nil)
        }
        #expect(throws: ClipFolderError(message: "CONCORD_CLIPS names \(place.root)/missing, which does not exist; \(advice)")) {
            try ClipFolder.folders(options: [place.clips], environment: place.root + "/missing")
        }
        #expect(throws: ClipFolderError(message: "--clips needs a folder, not an empty name; \(advice)")) {
            try ClipFolder.folders(options: [""], environment: nil)
        }
    }

    @Test func aFolderWithMoreEntriesThanTheBoundIsSearchedInPartAndSaysSo() throws {
        let place = try Place()
        defer { place.remove() }
        for name in ["a", "b", "c", "d", "e"] { try place.write(place.clips + "/" + name, "other") }
        let index = FolderIndex(listing: place.clips, mostFiles: 3)
        #expect(index.truncated && index.byName.keys.sorted() == ["a", "b", "c"])
        let clip = Self.clip("x.mp4", "content", recordedPath: "/gone/x.mp4")
        let finder = Counting().finder([place.clips], cacheFile: nil)
        finder.mostFiles = 3
        #expect(finder.locate(clip) == .missing(
            "the clip x.mp4 is not on this machine: no file in --clips \(place.clips) or at its recorded path /gone/x.mp4 "
            + "has its content (SHA-256 \(clip.sha256.prefix(12))…, 7 bytes) (only the first 3 entries of \(place.clips) were searched); "
            + "pass the folder that has it with --clips DIR (or CONCORD_CLIPS), or get the file from the lead"))
    }

    @Test func theWalkStopsAtItsDepthAndFollowsNoFolderLinks() throws {
        let place = try Place()
        defer { place.remove() }
        let deepest = place.clips + String(repeating: "/d", count: FolderIndex.deepest)
        try place.write(deepest + "/found.bin", "deep")
        try place.write(deepest + "/d/too-deep.bin", "deeper")
        try FileManager.default.createSymbolicLink(atPath: place.clips + "/loop", withDestinationPath: place.clips)
        try FileManager.default.createSymbolicLink(atPath: place.clips + "/link.bin", withDestinationPath: deepest + "/found.bin")
        let index = FolderIndex(listing: place.clips)
        #expect(index.byName["found.bin"]?.map(\.path) == [deepest + "/found.bin"])
        #expect(index.byName["too-deep.bin"] == nil)
        #expect(index.byName["link.bin"]?.map(\.path) == [place.clips + "/link.bin"])
        #expect(index.byName["loop"] == nil && !index.truncated)
    }
}
