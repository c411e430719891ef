import Foundation
import MCPCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--audit-log` at a path that is not a regular file stops the server at startup, with the reason,
/// instead of following a planted symlink or wedging the first confirmed write on a FIFO.
@Suite("Audit log path at startup (end to end)")
struct AuditLogPathTests {
    @Test("a symlink or a FIFO at --audit-log: exit 2 with a clear message, nothing written to the target")
    func refusedAtStartup() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-start-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("target").path
        #expect(FileManager.default.createFile(atPath: target, contents: Data()))
        let link = dir.appendingPathComponent("link.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let fifo = dir.appendingPathComponent("audit.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)

        for (path, reason) in [(link, "symbolic link"), (fifo, "FIFO")] {
            let mcp = try MCPProcess.launch(["--demo", "--audit-log", path])
            #expect(try await mcp.waitForExit(timeout: .seconds(20)) == .exited(2), "\(path)")
            #expect(mcp.stderrText.contains("audit log \(path) could not be opened") && mcp.stderrText.contains(reason), "\(mcp.stderrText)")
            #expect(mcp.stdoutLines.isEmpty, "nothing on stdout")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
    }
}
