import Foundation
import MCPCore

/// The MCP clients `config` writes a configuration for.
enum ClientKind: String, CaseIterable {
    case claudeDesktop = "claude-desktop"
    case claudeCode = "claude-code"
    case cursor
    case vscode

    /// Where the printed text goes (stderr, so stdout is exactly what to paste).
    var destination: String {
        switch self {
        case .claudeDesktop:
            return "Paste into claude_desktop_config.json (Claude Desktop: Settings > Developer > Edit Config; "
                + "macOS: ~/Library/Application Support/Claude/, Windows: %APPDATA%\\Claude\\), merging with any mcpServers already there."
        case .claudeCode: return "Run this command (it adds the server to Claude Code; add --scope user for every project)."
        case .cursor: return "Paste into ~/.cursor/mcp.json (or .cursor/mcp.json in a project), merging with any mcpServers already there."
        case .vscode: return "Paste into .vscode/mcp.json (or the user mcp.json: command 'MCP: Open User Configuration'); VS Code asks for the keys once and keeps them in its secret storage."
        }
    }
}

/// `checkpoint-mcp config CLIENT [server flags]`: a ready-to-paste configuration that starts this very
/// binary (its absolute path) with the flags given after the client name, and names the Check Point
/// environment variables with placeholders. Values from this process's environment are never printed.
/// - SeeAlso: https://code.visualstudio.com/docs/copilot/reference/mcp-configuration (VS Code `servers`, `inputs`)
enum ClientConfig {
    static let serverName = "checkpoint"

    static func text(for client: ClientKind, executable: String, arguments: [String], demo: Bool) -> String {
        // `--demo` needs no key: no environment block at all.
        let settings = demo ? [] : UserSetting.all.filter(\.checkPoint)
        switch client {
        case .claudeDesktop, .cursor:
            var server: JSONObject = ["command": .string(executable), "args": .array(arguments.map(JSONValue.string))]
            if !settings.isEmpty {
                server["env"] = .object(JSONObject(settings.map { (key: $0.variable, value: JSONValue.string($0.placeholder)) }))
            }
            let root: JSONValue = ["mcpServers": [serverName: .object(server)]]
            return root.serializedString(pretty: true) + "\n"
        case .vscode:
            var server: JSONObject = [
                "type": "stdio", "command": .string(executable), "args": .array(arguments.map(JSONValue.string)),
            ]
            var root: JSONObject = [:]
            if !settings.isEmpty {
                server["env"] = .object(JSONObject(settings.map { (key: $0.variable, value: JSONValue.string("${input:\(inputID($0))}")) }))
                root["inputs"] = .array(settings.map { s in
                    ["type": "promptString", "id": .string(inputID(s)), "description": .string("\(s.title): \(s.description)"),
                     "password": .bool(s.secret)]
                })
            }
            root["servers"] = [serverName: .object(server)]
            return JSONValue.object(root).serializedString(pretty: true) + "\n"
        case .claudeCode:
            var words = ["claude", "mcp", "add", serverName]
            for s in settings where !s.placeholder.isEmpty { words += ["-e", "\(s.variable)=\(s.placeholder)"] }
            words += ["--", executable] + arguments
            var text = words.map(shellQuoted).joined(separator: " ") + "\n"
            let optional = settings.filter(\.placeholder.isEmpty)
            if !optional.isEmpty {
                text += "# A key of its own for Harmony Mobile: add " + optional.map { "-e \($0.variable)=..." }.joined(separator: " ")
                    + " before the --\n"
            }
            return text
        }
    }

    static func inputID(_ s: UserSetting) -> String { "checkpoint-" + s.key.replacingOccurrences(of: "_", with: "-") }

    /// POSIX shell quoting: plain words stay as they are, anything else goes in single quotes.
    static func shellQuoted(_ word: String) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./,:=@%+")
        if !word.isEmpty, word.allSatisfy(plain.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// This binary's absolute path with symbolic links resolved, so the configuration keeps working
    /// from any directory. Falls back to `argv[0]` made absolute.
    static func executablePath() -> String {
        if let url = Bundle.main.executableURL { return url.resolvingSymlinksInPath().path }
        let argv0 = CommandLine.arguments.first ?? Product.name
        return URL(fileURLWithPath: argv0).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
