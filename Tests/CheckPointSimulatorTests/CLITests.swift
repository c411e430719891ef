import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Drives the built `checkpoint-sim` executable as a subprocess.
@Suite("checkpoint-sim executable")
struct CLITests {
    static func binary() throws -> URL {
        // The test bundle sits next to the built products in .build/<config>/.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("checkpoint-sim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fallback = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/checkpoint-sim")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else { throw CLIError.notBuilt }
        return fallback
    }

    enum CLIError: Error { case notBuilt }

    static func run(_ args: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = try binary()
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test("--help lists every flag and the fault options")
    func help() throws {
        let (code, out, _) = try Self.run(["--help"])
        #expect(code == 0)
        for flag in ["--port", "--client-id", "--client-secret", "--mobile-client-id", "--mobile-client-secret",
                     "--msp-client-id", "--msp-client-secret", "--seed", "--token-lifetime", "--task-delay",
                     "--scroll-style", "--scroll-end", "--latency-ms", "--fault", "retry_after", "invalid_scroll", "sim-client-id"] {
            #expect(out.contains(flag), "help lacks \(flag)")
        }
    }

    @Test("A bad flag exits 2 with a message on stderr")
    func badFlag() throws {
        let (code, out, err) = try Self.run(["--frobnicate"])
        #expect(code == 2)
        #expect(out.isEmpty)
        #expect(err.contains("--frobnicate"))
    }

    @Test("--port 0 prints the loopback URL first, serves, and exits when stdin closes")
    func serves() async throws {
        let p = Process()
        p.executableURL = try Self.binary()
        p.arguments = ["--port", "0", "--fault", "latency:latency_ms=1"]
        let input = Pipe(), out = Pipe()
        p.standardInput = input
        p.standardOutput = out
        try p.run()
        var line = Data()
        while !line.contains(10) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        #expect(text.hasPrefix("listening on http://127.0.0.1:"))
        let url = URL(string: String(text.dropFirst("listening on ".count)) + "/_sim/stats")!
        let (data, _) = try await URLSession.shared.data(from: url)
        let stats = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(stats?["auth_calls"] as? Int == 0)
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }
}
