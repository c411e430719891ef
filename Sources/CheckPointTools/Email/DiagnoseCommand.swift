import CheckPointAPI
import MCPCore

/// `checkpoint-mcp check`: the `diagnose` tool's checks for a person at a terminal, with a verdict an
/// exit status can carry. The checks and the report are the tool's own (`Diagnose.run`); this only
/// decides what "everything needed works" means for the toolsets being served.
public enum ConnectionCheck {
    public struct Outcome: Sendable, Equatable {
        /// The same text the `diagnose` tool returns.
        public var report: String
        /// What does not work, one line each; empty when everything the served toolsets need works.
        public var failures: [String]
        public var passed: Bool { failures.isEmpty }
    }

    /// Skew beyond this makes relative windows ("24h") wrong; the same threshold `diagnose` warns at.
    static let maxClockSkewSeconds = 120.0

    public static func run(_ env: ToolEnvironment, toolsets: Set<Toolset>) async -> Outcome {
        let result: ToolResult
        do {
            result = try await ToolFrame.run(Diagnose.spec, [:], env, TerminalContext())
        } catch {
            return Outcome(report: "The check was cancelled.", failures: ["the check was cancelled"])
        }
        let text = result.content.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        guard !result.isError, let structured = result.structuredContent else {
            return Outcome(report: text, failures: ["the check itself failed (see above)"])
        }
        return Outcome(report: text, failures: failures(structured, toolsets: toolsets))
    }

    /// Only what the served toolsets need: `--toolsets email` does not fail on a missing Mobile key.
    static func failures(_ s: JSONValue, toolsets: Set<Toolset>) -> [String] {
        var failures: [String] = []
        if toolsets.contains(.email), s["ok"]?.boolValue != true {
            failures.append("Harmony Email & Collaboration does not work: the key is missing, refused, or sees no scope.")
        }
        if toolsets.contains(.mobile), s["mobile"]?["works"]?.boolValue != true {
            failures.append("""
                Harmony Mobile does not work: set \(Configuration.Env.mobileClientID) and \
                \(Configuration.Env.mobileClientSecret) to a key of the Mobile service, or serve without it \
                (--toolsets email,audit).
                """)
        }
        if let skew = s["clock_skew_seconds"]?.doubleValue, abs(skew) > maxClockSkewSeconds {
            failures.append("The local clock is \(Int(skew.rounded())) s off the gateway's: fix the system clock.")
        }
        return failures
    }
}

/// The context of a check run from a terminal: no MCP peer, so progress and log notifications go nowhere
/// (the client's own log lines still reach stderr through the client's logger).
private struct TerminalContext: ToolContext {
    var requestID: RequestID { .int(0) }
    var clientCapabilities: JSONValue { .object([:]) }
    func progress(_ progress: Double, total: Double?, message: String?) async {}
    func log(_ level: LogLevel, logger: String, _ data: JSONValue) async {}
}
