import CheckPointTools
import MCPCore

/// What the command line and the `CHECKPOINT_MCP_*` environment ask for. Flags win over variables.
struct Invocation: Equatable {
    enum Action: Equatable {
        case serve, help, version, printCatalog, printToolDocs, printMCPBManifest
        /// `check` / `--check`: the `diagnose` tool's checks from the command line (Check.swift).
        case check
        /// `config CLIENT`: a ready-to-paste client configuration (ClientConfig.swift).
        case config(ClientKind)
        /// `--print-server-json SHA256`: the MCP Registry entry for the bundle with that digest.
        case printServerJSON(bundleSHA256: String)
    }

    var action: Action = .serve
    /// The server flags as given on the command line (without `check`, `config CLIENT` and the print
    /// actions), so `config` can put them into the generated configuration.
    var serverArguments: [String] = []
    var toolsets: Set<Toolset> = Set(Toolset.allCases)
    var readOnly = false
    var confirm: ConfirmMode = .required
    var auditLogPath: String?
    var logLevel: LogLevel = .info
    var demo = false
    /// How long a client that stopped reading stdout is waited for (`StdioTransport.drainSeconds`).
    var drainSeconds = StdioTransport.defaultDrainSeconds
    /// Where each setting came from, for the startup summary ("--read-only" or "CHECKPOINT_MCP_READ_ONLY").
    var readOnlySource = "--read-only"
    var toolsetsSource: String?
}

/// A command line or environment value we cannot use. Rendered in one place (`message`); exit code 2.
enum UsageError: Error, Equatable {
    case unknownFlag(String)
    case missingValue(flag: String, expected: String)
    case badValue(source: String, value: String, expected: String)
    case unexpectedValue(flag: String)
    case unexpectedArgument(String)

    var message: String {
        switch self {
        case .unknownFlag(let flag): return "unknown flag \(flag)"
        case .missingValue(let flag, let expected): return "\(flag) needs a value: \(expected)"
        case .badValue(let source, let value, let expected): return "\(source)=\"\(value)\" is not valid: expected \(expected)"
        case .unexpectedValue(let flag): return "\(flag) takes no value"
        case .unexpectedArgument(let word): return "unexpected argument \(word) (commands: check, config CLIENT)"
        }
    }
}

enum EnvVar {
    static let toolsets = "CHECKPOINT_MCP_TOOLSETS"
    static let readOnly = "CHECKPOINT_MCP_READ_ONLY"
    static let logLevel = "CHECKPOINT_MCP_LOG_LEVEL"
    static let confirm = "CHECKPOINT_MCP_CONFIRM"
    static let auditLog = "CHECKPOINT_MCP_AUDIT_LOG"
    /// Shortens the 5 s stdout drain bound (0 < seconds <= 5); the tests use it, so that a server a client
    /// stopped reading is shown to exit on its own without waiting 10 s for it.
    static let drainSeconds = "CHECKPOINT_MCP_DRAIN_SECONDS"
}

extension Invocation {
    static let toolsetNames = Toolset.allCases.map(\.rawValue).joined(separator: ", ")
    static let levelNames = LogLevel.allCases.map(\.rawValue).joined(separator: ", ")

    /// Parses `arguments` (without the program name) over `environment`. `--flag value` and
    /// `--flag=value` are both accepted.
    static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError) -> Invocation {
        var inv = Invocation()
        // Environment first, so that flags override it.
        if let raw = environment[EnvVar.toolsets], !raw.isEmpty {
            inv.toolsets = try toolsets(raw, source: EnvVar.toolsets)
            inv.toolsetsSource = EnvVar.toolsets
        }
        if let raw = environment[EnvVar.readOnly], !raw.isEmpty {
            switch raw.lowercased() {
            case "1", "true", "yes", "on": inv.readOnly = true; inv.readOnlySource = EnvVar.readOnly
            case "0", "false", "no", "off": inv.readOnly = false
            default: throw .badValue(source: EnvVar.readOnly, value: raw, expected: "1, true, 0 or false")
            }
        }
        if let raw = environment[EnvVar.logLevel], !raw.isEmpty { inv.logLevel = try level(raw, source: EnvVar.logLevel) }
        if let raw = environment[EnvVar.confirm], !raw.isEmpty { inv.confirm = try confirm(raw, source: EnvVar.confirm) }
        if let raw = environment[EnvVar.auditLog], !raw.isEmpty { inv.auditLogPath = raw }
        if let raw = environment[EnvVar.drainSeconds], !raw.isEmpty {
            guard let seconds = Double(raw), seconds > 0, seconds <= StdioTransport.defaultDrainSeconds else {
                throw .badValue(source: EnvVar.drainSeconds, value: raw, expected: "seconds above 0, at most 5")
            }
            inv.drainSeconds = seconds
        }

        var rest = arguments[...]
        while let argument = rest.popFirst() {
            // The two commands are words, not flags; everything else is a server flag.
            if argument == "check" || argument == "--check" { inv.action = .check; continue }
            if argument == "config" {
                let expected = "the client to configure: " + ClientKind.allCases.map(\.rawValue).joined(separator: ", ")
                guard let name = rest.popFirst(), !name.hasPrefix("-") else { throw .missingValue(flag: "config", expected: expected) }
                guard let client = ClientKind(rawValue: name) else { throw .badValue(source: "config", value: name, expected: expected) }
                inv.action = .config(client)
                continue
            }
            if !argument.hasPrefix("-") { throw .unexpectedArgument(argument) }
            let consumedBefore = rest.count
            var flag = argument
            var inline: String? = nil
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                flag = String(argument[..<eq])
                inline = String(argument[argument.index(after: eq)...])
            }
            func value(_ expected: String) throws(UsageError) -> String {
                if let inline { return inline }
                guard let next = rest.popFirst(), !next.hasPrefix("--") else {
                    throw .missingValue(flag: flag, expected: expected)
                }
                return next
            }
            func noValue() throws(UsageError) { if inline != nil { throw .unexpectedValue(flag: flag) } }
            switch flag {
            case "--help", "-h": try noValue(); inv.action = .help
            case "--version": try noValue(); inv.action = .version
            case "--print-catalog": try noValue(); inv.action = .printCatalog
            case "--print-tool-docs": try noValue(); inv.action = .printToolDocs
            case "--print-mcpb-manifest": try noValue(); inv.action = .printMCPBManifest
            case "--print-server-json":
                let digest = try value("the SHA-256 of the .mcpb bundle (64 lowercase hex digits)")
                guard digest.count == 64, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                    throw .badValue(source: flag, value: digest, expected: "64 lowercase hex digits (sha256sum of the .mcpb)")
                }
                inv.action = .printServerJSON(bundleSHA256: digest)
                continue
            case "--read-only": try noValue(); inv.readOnly = true; inv.readOnlySource = "--read-only"
            case "--demo": try noValue(); inv.demo = true
            case "--toolsets":
                inv.toolsets = try toolsets(try value("a comma-separated list of \(toolsetNames), or all"), source: flag)
                inv.toolsetsSource = "--toolsets"
            case "--log-level": inv.logLevel = try level(try value("one of \(levelNames)"), source: flag)
            case "--confirm": inv.confirm = try confirm(try value("required, human or never"), source: flag)
            case "--audit-log":
                let path = try value("a file path")
                guard !path.isEmpty else { throw .missingValue(flag: flag, expected: "a file path") }
                inv.auditLogPath = path
            default: throw .unknownFlag(argument)
            }
            if !flag.hasPrefix("--print-"), flag != "--help", flag != "-h", flag != "--version" {
                inv.serverArguments += [argument] + arguments.suffix(consumedBefore).prefix(consumedBefore - rest.count)
            }
        }
        return inv
    }

    private static func toolsets(_ raw: String, source: String) throws(UsageError) -> Set<Toolset> {
        var result = Set<Toolset>()
        for name in raw.split(separator: ",").map({ $0.trimmingWhitespace().lowercased() }) where !name.isEmpty {
            if name == "all" { result.formUnion(Toolset.allCases); continue }
            guard let toolset = Toolset(rawValue: name) else {
                throw .badValue(source: source, value: raw, expected: "a comma-separated list of \(toolsetNames), or all (unknown: \(name))")
            }
            result.insert(toolset)
        }
        guard !result.isEmpty else { throw .badValue(source: source, value: raw, expected: "at least one of \(toolsetNames)") }
        return result
    }

    private static func level(_ raw: String, source: String) throws(UsageError) -> LogLevel {
        guard let level = LogLevel(rawValue: raw.lowercased()) else {
            throw .badValue(source: source, value: raw, expected: "one of \(levelNames)")
        }
        return level
    }

    private static func confirm(_ raw: String, source: String) throws(UsageError) -> ConfirmMode {
        guard let mode = ConfirmMode(rawValue: raw.lowercased()) else {
            throw .badValue(source: source, value: raw, expected: "required, human or never")
        }
        return mode
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
