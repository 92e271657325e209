import ArgumentParser
import Store
#if canImport(Glibc)
import Glibc
#endif

/// Options every project command takes (DESIGN.md "Command line").
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The project file (default: $CONCORD_PROJECT, else ./concord.db).", valueName: "PATH"))
    var project: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as another rater (admins only).", valueName: "NAME"))
    var actingAs: String?

    var projectPath: String {
        if let project { return project }
        if let path = getenv("CONCORD_PROJECT"), !String(cString: path).isEmpty { return String(cString: path) }
        return "concord.db"
    }

    /// The acting user is the process's OS account, never $USER (which anyone can set).
    static func login() throws -> String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else {
            throw InputError("cannot find the name of user id \(getuid()) in the password database")
        }
        return String(cString: name)
    }

    func open() throws -> ProjectStore {
        try ProjectStore.open(path: projectPath)
    }

    func session() throws -> ProjectSession {
        try open().session(login: try Self.login(), actingAs: actingAs)
    }
}

/// Writes `text` to `path` atomically (a temporary file renamed into place), so a failed
/// export never leaves half a file; "-" or nil writes standard output.
func writeOutput(_ text: String, to path: String?) throws {
    guard let path, path != "-" else {
        FileDescriptorOutput.standardOutput.write(text)
        return
    }
    let temporary = path + ".concord-tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw InputError("\(path): cannot write: \(String(cString: strerror(errno)))") }
    FileDescriptorOutput(fd: fd).write(text)
    let synced = fsync(fd) == 0
    close(fd)
    guard synced, rename(temporary, path) == 0 else {
        unlink(temporary)
        throw InputError("\(path): cannot write: \(String(cString: strerror(errno)))")
    }
}
