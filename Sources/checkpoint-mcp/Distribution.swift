import CheckPointTools
import MCPCore

/// The two release documents generated from what the binary knows (version, catalog, settings), so they
/// cannot drift from it: the MCP Bundle's `manifest.json` and the MCP Registry's `server.json`.
/// `scripts/package` writes them into the release; tests validate both against the published schemas.
enum Distribution {
    /// Where releases are published. The registry name below must be owned by whoever publishes
    /// (io.github.OWNER is proven by GitHub login), so both change together with the repository's home.
    static let repositoryURL = "https://github.com/checkpoint-mcp/checkpoint-mcp"
    static let registryName = "io.github.checkpoint-mcp/checkpoint-mcp"
    static let displayName = "Check Point Harmony Email & Mobile"
    /// At most 100 characters (server.json `description`).
    static let summary = "Search, triage and remediate Check Point Harmony Email & Collaboration and Harmony Mobile."

    /// The bundle's path of the executable, relative to the unpacked bundle.
    static let bundleEntryPoint = "server/checkpoint-mcp"

    /// The operating system this binary runs on, in the bundle's vocabulary (Node's `process.platform`).
    static var platform: String {
        #if os(macOS)
        return "darwin"
        #elseif os(Windows)
        return "win32"
        #else
        return "linux"
        #endif
    }

    static var architecture: String {
        #if arch(arm64)
        return "arm64"
        #else
        return "x86_64"
        #endif
    }

    /// `checkpoint-mcp-0.1.0-linux-x86_64`: a bundle holds one binary, so its name says which.
    static var artifactBase: String { "\(Product.name)-\(Product.version)-\(platform)-\(architecture)" }

    /// MCP Bundle manifest, `manifest_version` 0.4: a `binary` server whose environment is filled from
    /// `user_config` (secrets marked `sensitive`, which Claude Desktop keeps in the OS keychain).
    /// - SeeAlso: https://github.com/modelcontextprotocol/mcpb/blob/main/MANIFEST.md
    static func mcpbManifest() -> JSONValue {
        var userConfig = JSONObject()
        var env = JSONObject()
        for s in UserSetting.all {
            var entry: JSONObject = [
                "type": .string(s.kind.rawValue), "title": .string(s.title), "description": .string(s.description),
                "required": .bool(s.required),
            ]
            if s.secret { entry["sensitive"] = true }
            if let d = s.defaultValue { entry["default"] = s.kind == .boolean ? .bool(d == "true") : .string(d) }
            userConfig[s.key] = .object(entry)
            env[s.variable] = .string("${user_config.\(s.key)}")
        }
        let tools: [JSONValue] = Toolbox.allSpecs.map {
            ["name": .string($0.definition.name), "description": .string($0.definition.description)]
        }
        return [
            "manifest_version": "0.4",
            "name": .string(Product.name),
            "display_name": .string(displayName),
            "version": .string(Product.version),
            "description": .string(summary),
            "long_description": .string("""
                An MCP server for SOC analysts and MSP engineers: search mail and security events, read an email's \
                verdicts, quarantine and restore with a confirmation step, manage allow/block lists, and look up \
                Harmony Mobile devices, alerts and the audit trail. Read-only by default in this bundle; text from \
                Check Point is fenced as untrusted data. One native binary, no runtime needed.
                """),
            "author": ["name": "checkpoint-mcp contributors", "url": .string(repositoryURL)],
            "repository": ["type": "git", "url": .string(repositoryURL)],
            "homepage": .string(repositoryURL),
            "license": "Apache-2.0",
            "keywords": ["check point", "harmony", "email security", "hec", "avanan", "mobile", "soc"],
            "server": [
                "type": "binary",
                "entry_point": .string(bundleEntryPoint),
                "mcp_config": ["command": .string("${__dirname}/" + bundleEntryPoint), "args": [], "env": .object(env)],
            ],
            "tools": .array(tools),
            "tools_generated": false,
            // The playbook prompts are served by the server (prompts/list): their text is built from the
            // arguments and the served toolsets, which a static `text` template cannot express.
            "prompts_generated": true,
            "compatibility": ["platforms": [.string(platform)]],
            "user_config": .object(userConfig),
        ]
    }

    /// MCP Registry entry (schema 2025-12-11) describing the bundle: where to download it, its digest,
    /// stdio, and the environment variables with the secrets marked.
    /// - SeeAlso: https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json
    static func serverJSON(bundleSHA256: String) -> JSONValue {
        let variables: [JSONValue] = UserSetting.all.map { s in
            var v: JSONObject = [
                "name": .string(s.variable), "description": .string(s.description),
                "isRequired": .bool(s.required), "isSecret": .bool(s.secret),
            ]
            if s.kind == .boolean { v["format"] = "boolean" }
            if let d = s.defaultValue, !d.isEmpty { v["default"] = .string(d) }
            return .object(v)
        }
        return [
            "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
            "name": .string(registryName),
            "title": .string(displayName),
            "description": .string(summary),
            "version": .string(Product.version),
            "repository": ["url": .string(repositoryURL), "source": "github"],
            "websiteUrl": .string(repositoryURL),
            "packages": [[
                "registryType": "mcpb",
                "identifier": .string("\(repositoryURL)/releases/download/v\(Product.version)/\(artifactBase).mcpb"),
                "version": .string(Product.version),
                "fileSha256": .string(bundleSHA256),
                "transport": ["type": "stdio"],
                "environmentVariables": .array(variables),
            ]],
        ]
    }
}
