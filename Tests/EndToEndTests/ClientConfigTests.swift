import Foundation
import MCPCore
import Testing

/// `checkpoint-mcp config CLIENT` (Sources/checkpoint-mcp/ClientConfig.swift): what a person pastes into
/// their client. It must start this very binary, pass the flags given, and name the variables without
/// ever printing a value from the environment.
@Suite("config: ready-to-paste client configurations")
struct ClientConfigTests {
    /// Values that must never be echoed, however the environment is set.
    static let environment = [
        "CHECKPOINT_CLIENT_ID": "id-from-env-1234", "CHECKPOINT_CLIENT_SECRET": "secret-from-env-5678",
        "CHECKPOINT_MOBILE_CLIENT_SECRET": "mobile-secret-from-env-9012",
    ]
    static let variables = ["CHECKPOINT_CLIENT_ID", "CHECKPOINT_CLIENT_SECRET", "CHECKPOINT_REGION",
                            "CHECKPOINT_MOBILE_CLIENT_ID", "CHECKPOINT_MOBILE_CLIENT_SECRET"]

    static var binaryPath: String { URL(fileURLWithPath: Binaries.mcp).resolvingSymlinksInPath().path }

    static func run(_ arguments: [String]) async throws -> (stdout: String, all: String) {
        let mcp = try MCPProcess.launch(arguments, environment: environment)
        #expect(try await mcp.waitForExit() == .exited(0))
        let all = mcp.allOutput
        for value in environment.values { #expect(!all.contains(value), "config printed a value from the environment") }
        return (mcp.stdoutLines.map { $0.text + "\n" }.joined(), all)
    }

    @Test("claude-desktop and cursor: mcpServers.checkpoint with this binary, the flags given and every variable",
          arguments: ["claude-desktop", "cursor"])
    func mcpServersFormat(client: String) async throws {
        let (out, all) = try await Self.run(["config", client, "--read-only", "--toolsets", "email"])
        let server = try #require(try JSONValue.parse(Array(out.utf8))["mcpServers"]?["checkpoint"])
        #expect(server["command"]?.stringValue == Self.binaryPath)
        #expect(server["command"]?.stringValue?.hasPrefix("/") == true)
        #expect(server["args"] == ["--read-only", "--toolsets", "email"])
        #expect(server["env"]?.objectValue?.keys == Self.variables)
        #expect(server["env"]?["CHECKPOINT_CLIENT_SECRET"] == "your-secret-key")
        #expect(all.contains(client == "cursor" ? ".cursor/mcp.json" : "claude_desktop_config.json"))
    }

    @Test("vscode: servers.checkpoint of type stdio; the keys come from inputs, the secrets as passwords")
    func vscodeFormat() async throws {
        let (out, _) = try await Self.run(["config", "vscode"])
        let root = try JSONValue.parse(Array(out.utf8))
        let server = try #require(root["servers"]?["checkpoint"])
        #expect(server["type"] == "stdio")
        #expect(server["command"]?.stringValue == Self.binaryPath)
        #expect(server["args"] == [])
        #expect(server["env"]?["CHECKPOINT_CLIENT_SECRET"] == "${input:checkpoint-client-secret}")
        let inputs = try #require(root["inputs"]?.arrayValue)
        let passwords = inputs.filter { $0["password"] == true }.compactMap { $0["id"]?.stringValue }
        #expect(passwords == ["checkpoint-client-secret", "checkpoint-mobile-client-secret"])
        // Every ${input:...} the servers use is declared.
        let declared = Set(inputs.compactMap { $0["id"]?.stringValue })
        for (_, value) in server["env"]?.objectValue ?? [:] {
            let id = try #require(value.stringValue?.dropFirst("${input:".count).dropLast())
            #expect(declared.contains(String(id)))
        }
    }

    @Test("claude-code: one `claude mcp add` command with -e NAME=placeholder and the binary after --")
    func claudeCodeCommand() async throws {
        let (out, _) = try await Self.run(["config", "claude-code", "--read-only"])
        let command = try #require(out.split(separator: "\n").first.map(String.init))
        #expect(command.hasPrefix("claude mcp add checkpoint -e CHECKPOINT_CLIENT_ID=your-client-id "))
        #expect(command.contains("-e CHECKPOINT_CLIENT_SECRET=your-secret-key"))
        #expect(command.hasSuffix(" -- \(ClientConfigShell.quoted(Self.binaryPath)) --read-only"))
    }

    @Test("--demo: no environment block at all")
    func demoHasNoEnvironment() async throws {
        let (out, _) = try await Self.run(["config", "claude-desktop", "--demo"])
        let server = try #require(try JSONValue.parse(Array(out.utf8))["mcpServers"]?["checkpoint"])
        #expect(server["args"] == ["--demo"])
        #expect(server["env"] == nil)
    }

    @Test("an unknown or missing client exits 2 and lists the clients", arguments: [["config", "emacs"], ["config"]])
    func unknownClient(arguments: [String]) async throws {
        let mcp = try MCPProcess.launch(arguments)
        #expect(try await mcp.waitForExit() == .exited(2))
        #expect(mcp.stdoutLines.isEmpty)
        #expect(mcp.stderrText.contains("claude-desktop, claude-code, cursor, vscode"))
    }
}

/// The shell quoting the command line is expected to use (plain paths stay unquoted).
enum ClientConfigShell {
    static func quoted(_ word: String) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./,:=@%+")
        return word.allSatisfy(plain.contains) ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
