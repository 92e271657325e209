import ArgumentParser
import Store
#if canImport(Glibc)
import Glibc
#endif

/// Options every project command takes (README.md "A labeling project"), before or after the verb.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The project: a file, or a PostgreSQL URI postgresql://… (default: $CONCORD_PROJECT, else ./concord.db).",
                               valueName: "PATH|URI"))
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
