import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14: when standard output fails, concord says so and exits 2 — a full device
/// (`> /dev/full`, opened here for writing as the child's standard output, as a shell
/// does), a full tmpfs part-way through — and a reader that went away (`| head`) ends it
/// quietly with exit 2, not killed by SIGPIPE and not with exit 0.
@Suite struct StandardOutputTests {
    /// The five commands the issue found exiting 0 with their output lost.
    enum Command: String, CaseIterable, Sendable {
        case labelExport, status, agreementFile, reportToDash, auditVerify
        func arguments(_ project: Project) -> [String] {
            switch self {
            case .labelExport: return ["label", "export", "--project", project.db]
            case .status: return ["status", "--project", project.db]
            case .agreementFile: return ["agreement", CLI.example("krippendorff2011.csv")]
            case .reportToDash: return ["report", "--out", "-", "--project", project.db]
            case .auditVerify: return ["audit", "verify", "--project", project.db]
            }
        }
    }

    static let full = "concord: cannot write standard output: no space left on the device; the output is incomplete\n"

    @Test(arguments: Command.allCases)
    func aFullDeviceIsReported(_ command: Command) throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let device = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? device.close() }
        let (ending, stderr) = try StandardOutputRun.run(command.arguments(project), output: device)
        #expect(ending == .exit(2), "\(command)")
        #expect(stderr == Self.full, "\(command)")
    }

    @Test(arguments: Command.allCases)
    func aClosedPipeEndsQuietly(_ command: Command) throws {
        let project = try Standard.copy()
        defer { project.remove() }
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let (ending, stderr) = try StandardOutputRun.run(command.arguments(project), output: pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
        #expect(ending == .exit(2), "\(command)")
        #expect(stderr == "", "\(command)")
    }

    /// Part of the export fits: the failure comes after a short write, and is still one line.
    @Test(.enabled(if: SmallDisk.available, "needs root to mount a tmpfs"))
    func aDiskFillingUpUnderARedirectionIsReported() throws {
        let project = try BigExport.project()
        defer { project.remove() }
        let disk = try SmallDisk(size: "64k")
        defer { disk.unmount() }
        let path = disk.dir + "/redirected.csv"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let (ending, stderr) = try StandardOutputRun.run(["label", "export", "--project", project.db], output: file)
        try file.close()
        #expect(ending == .exit(2))
        #expect(stderr == Self.full)
        let written = try #require(FileFacts.bytes(path))
        #expect(written.count > 0 && written.count <= 64 * 1024, "\(written.count) bytes")
    }

    /// The answers of --help and --version are output too.
    @Test(arguments: [["--version"], ["--help"], ["status", "--help"]])
    func helpToAFullDeviceIsReported(_ arguments: [String]) throws {
        let device = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? device.close() }
        let (ending, stderr) = try StandardOutputRun.run(arguments, output: device)
        #expect(ending == .exit(2))
        #expect(stderr == Self.full)
    }
}
