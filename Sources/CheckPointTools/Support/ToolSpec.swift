import CheckPointAPI
import MCPCore

/// The toolsets a user can switch on with `--toolsets` (default: all).
public enum Toolset: String, Sendable, CaseIterable {
    /// Harmony Email & Collaboration (HEC).
    case email
    /// Harmony Mobile.
    case mobile
    /// This server's own record of its writes (local; no Check Point request).
    case audit

    public var summary: String {
        switch self {
        case .email: return "Harmony Email & Collaboration: search, entity details, security events, quarantine/restore, tasks, allow/block lists"
        case .mobile: return "Harmony Mobile: devices, groups, alerts, audit trail, enrolment"
        case .audit: return "Audit: the writes this server made since it started, from its own audit log (local, no Check Point request)"
        }
    }
}

/// One tool as this layer knows it: its toolset, its definition, and a handler that gets the shared
/// environment. The definition and handler of a tool live side by side in one file per tool or family.
public struct ToolSpec: Sendable {
    public var toolset: Toolset
    public var definition: ToolDefinition
    public var handler: @Sendable (_ arguments: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult

    public init(
        toolset: Toolset, definition: ToolDefinition,
        handler: @escaping @Sendable (_ arguments: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult
    ) {
        self.toolset = toolset
        self.definition = definition
        self.handler = handler
    }

    public var isWrite: Bool { !definition.annotations.readOnlyHint }

    /// Binds the environment, giving the core a plain `Tool`; the client's log lines made during the call
    /// go to the call's context (stderr and `notifications/message`), see `ClientLog`.
    public func tool(in env: ToolEnvironment) -> Tool {
        let handler = self.handler
        return Tool(definition: definition) { args, context in
            try await ClientLog.routed(to: context) { try await handler(args, env, context) }
        }
    }
}
