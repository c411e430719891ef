import CheckPointTools
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit file's path rules: no symlink is followed, a FIFO never wedges a write, and a bad path is
/// found by the startup check.
@Suite("Audit log path (Audit.swift)")
struct AuditTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func entry() -> AuditEntry { AuditEntry(time: Date(), tool: "delete_exception", confirm: "token", outcome: "executed") }

    @Test("a symlink at the path is refused at startup and at write time; its target is never written")
    func symlink() throws {
        let target = dir.appendingPathComponent("elsewhere.txt").path
        #expect(FileManager.default.createFile(atPath: target, contents: Data("keep\n".utf8)))
        let link = dir.appendingPathComponent("audit.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)

        let startup = try #require(AuditLog.check(path: link))
        #expect(startup.contains("symbolic link"), "\(startup)")
        let problem = try #require(AuditLog(path: link, writeToStderr: false).record(entry()))
        #expect(problem.contains("symbolic link"), "\(problem)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n", "the link's target is untouched")
    }

    @Test("a FIFO at the path is refused at once, with or without a reader, and never blocks the log")
    func fifo() throws {
        let path = dir.appendingPathComponent("audit.fifo").path
        #expect(mkfifo(path, 0o600) == 0)
        // Without a reader: opening for writing would block forever without O_NONBLOCK.
        let startup = try #require(AuditLog.check(path: path))
        #expect(startup.contains("FIFO"), "\(startup)")
        let log = AuditLog(path: path, writeToStderr: false)
        #expect(log.record(entry()) != nil)
        // With a reader: the open succeeds, but a FIFO is still not a regular file.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let problem = try #require(log.record(entry()))
        #expect(problem.contains("not a regular file"), "\(problem)")
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(read(reader, &buffer, buffer.count) <= 0, "nothing was written into the FIFO")
        // The refused lines are still in memory for list_session_writes.
        #expect(log.snapshot().recorded == 2)
    }

    @Test("a directory is refused; a regular file is created 0600 and accepted")
    func directoryAndRegularFile() throws {
        #expect(AuditLog.check(path: dir.path) != nil)
        let path = dir.appendingPathComponent("ok.jsonl").path
        #expect(AuditLog.check(path: path) == nil)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(AuditLog(path: path, writeToStderr: false).record(entry()) == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 1)
    }
}
