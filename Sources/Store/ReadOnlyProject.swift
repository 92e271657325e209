import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What to say when SQLite finds the project read-only for this OS user (SQLITE_READONLY):
/// which file, its mode, owner and group, and what to change. SQLite's own "attempt to
/// write a readonly database" names none of these.
enum ReadOnlyProject {
    static func message(_ path: String) -> String {
        let login = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(geteuid())"
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        // The first of the project's files this user cannot write; else its directory, where
        // SQLite must be able to create the -wal and -shm files.
        let culprit = [path, path + "-wal", path + "-shm"].first { FileManager.default.fileExists(atPath: $0) && access($0, W_OK) != 0 }
        let target = culprit ?? directory
        var info = stat()
        let facts = stat(target, &info) == 0
            ? " (mode \(String(format: "%04o", info.st_mode & 0o7777)), owner \(userName(info.st_uid)), group \(groupName(info.st_gid)))"
            : ""
        let subject = culprit == path ? "it" : culprit.map(printableText) ?? "its directory \(printableText(directory))"
        return "cannot write the project \(printableText(path)): \(subject) is read-only for \(login)\(facts); nothing was changed; "
            + "a shared project needs read and write for its group (files 0660, directory 2770): "
            + "ask its admin to fix the mode or group, or to add your login to that group (docs/security.md)"
    }

    private static func userName(_ uid: uid_t) -> String {
        getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "\(uid)"
    }

    private static func groupName(_ gid: gid_t) -> String {
        getgrgid(gid).flatMap { $0.pointee.gr_name.map { String(cString: $0) } } ?? "\(gid)"
    }
}
