import Foundation
import Workbench

/// The CLI tests start their helper programs (tmux, Xvfb, xterm) with the workbench's
/// `CleanSpawn` (Sources/Workbench/CleanSpawn.swift): the way a shell would, not the way the
/// test process happens to be. Tests run on threads that block signals, SIGTERM among them,
/// and a child inherits that mask across exec: tmux's `kill-server` (which signals itself),
/// Foundation's `Process.terminate()` on Xvfb, and SIGTERM to a concord TUI under them all
/// did nothing, and those processes outlived the tests (or hung them in `waitUntilExit`).
/// Named here so every test file sees it without importing Workbench.
typealias CleanSpawn = Workbench.CleanSpawn

extension Workbench.CleanSpawn {
    /// The child's exit status (128 + N when signal N ended it), once it has ended; nil
    /// when it is still running after `timeout` seconds (nil timeout: wait for ever).
    static func wait(_ pid: pid_t, timeout: Double? = nil) -> Int32? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, timeout == nil ? 0 : WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { return -1 }
            if let deadline, Date() >= deadline { return nil }
            if timeout != nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
