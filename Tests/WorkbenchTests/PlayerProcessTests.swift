import Foundation
import Testing
@testable import Workbench

/// `PlayerProcess`, the external player's process: its end is seen by pid whatever it left
/// running, it gets none of the workbench's descriptors, and `end` stops even a process that
/// ignores SIGTERM. Real processes (sh, sleep), no player needed.
@Suite struct PlayerProcessTests {
    static let environment = ["PATH": "/usr/bin:/bin"]

    @Test func anEndedProcessIsSeenWithItsStatus() throws {
        var process = try PlayerProcess("/bin/sh", ["-c", "exit 3"], environment: Self.environment)
        let ended = process.wait(seconds: 10)
        #expect(ended)
        let running = process.isRunning()
        #expect(!running)
        #expect(process.status.map { ($0 >> 8) & 0xFF } == 3)
    }

    /// A descendant that outlives the player (as a session daemon a toolkit autolaunches
    /// does) holds what the player inherited; the player's own end is still seen at once.
    @Test func aDescendantLeftRunningDoesNotHideTheEnd() throws {
        let pidFile = NSTemporaryDirectory() + "/player-process-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pid"
        var process = try PlayerProcess("/bin/sh", ["-c", "sleep 30 & echo $! > '\(pidFile)'; exit 0"], environment: Self.environment)
        defer {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let left = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(left, SIGKILL)
            }
            unlink(pidFile)
        }
        let start = Date()
        let ended = process.wait(seconds: 10)
        #expect(ended)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    /// Only standard input, output and error reach the player: not the terminal's, not a
    /// project's connection (here: a pipe this process holds open).
    @Test func theChildGetsNoOtherDescriptor() throws {
        var pipe: [Int32] = [0, 0]
        #expect(Glibc.pipe(&pipe) == 0)
        defer { close(pipe[0]); close(pipe[1]) }
        var process = try PlayerProcess("/bin/sleep", ["5"], environment: Self.environment)
        defer { process.end() }
        var descriptors: [String] = []
        for _ in 0..<200 {   // until the exec has happened (the spawned image is sleep's)
            let image = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.pid)/exe")) ?? ""
            if image.hasSuffix("/sleep") {
                descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.pid)/fd").sorted()
                break
            }
            usleep(10_000)
        }
        #expect(descriptors == ["0", "1", "2"])
    }

    @Test func endKillsAProcessThatIgnoresSIGTERM() throws {
        var process = try PlayerProcess("/bin/sh", ["-c", "trap '' TERM; while :; do sleep 1; done"], environment: Self.environment)
        usleep(200_000)   // the trap is set
        let start = Date()
        process.end(grace: 0.5)
        let running = process.isRunning()
        #expect(!running)
        #expect(process.status.map { $0 & 0x7F } == SIGKILL)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aMissingProgramIsAClearError() {
        #expect(throws: ExternalPlayer.Failure.self) {
            _ = try PlayerProcess("/nonexistent/mpv", [], environment: Self.environment)
        }
    }
}
