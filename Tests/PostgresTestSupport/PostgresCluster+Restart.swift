import Foundation

/// Taking a running cluster down and up again, for the fault tests (a server restart under
/// writers, a workbench waiting for a stopped server). The server keeps its socket, its
/// options and its data; `stop()` still cleans up whatever state these leave it in.
extension PostgresCluster {
    /// `pg_ctl restart -m immediate`: every session is cut at once, as by a crash or a power
    /// loss (the server recovers from its WAL on start); returns once it accepts connections.
    public func restartImmediately() throws {
        try pgCtl(["-m", "immediate", "restart"])
    }

    /// `pg_ctl stop -m immediate`: the server is gone until `start()`.
    public func stopImmediately() throws {
        try pgCtl(["-m", "immediate", "stop"])
    }

    /// Starts a server `stopImmediately()` stopped; returns once it accepts connections.
    public func start() throws {
        try pgCtl(["start"])
    }

    private func pgCtl(_ arguments: [String]) throws {
        try Self.run("/bin/bash", ["-c", Self.closeInheritedDescriptors, "close-fds", "/usr/sbin/runuser", "-u", Self.osUser, "--",
                                   "\(Self.binaries)/pg_ctl", "-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60",
                                   "-o", "-k \(socketDirectory) -c listen_addresses=''"] + arguments, cwd: directory)
    }
}
