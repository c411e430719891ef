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

    /// The warning placed before the first fenced value of this toolset's texts: Mobile data (owner and group
    /// names, alert and audit text) is typed by users and attackers, not only email senders.
    var untrustedNotice: String { self == .mobile ? MobileText.untrustedNote : UntrustedText.notice }

    public var summary: String {
        switch self {
        case .email: return "Harmony Email & Collaboration: search, entity details, security events, quarantine/restore, tasks, allow/block lists"
        case .mobile: return "Harmony Mobile: devices, groups, alerts, audit trail, enrolment"
        case .audit: return "Audit: the writes this server made since it started, from its own audit log (local, no Check Point request)"
        }
    }
}

/// One tool as this layer knows it: its toolset, its definition, its deadline policy, and a handler that
/// gets the shared environment. The definition and handler of a tool live side by side in one file per
/// tool or family; whether it reads or writes is its definition's `readOnlyHint`.
///
/// A handler holds only the tool's own logic: `tool(in:)` runs every handler in the one `ToolFrame`
/// (deadline, log routing, error rendering, the tool's name), so no tool can forget part of it.
public struct ToolSpec: Sendable {
    public typealias Handler = @Sendable (_ arguments: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult

    public var toolset: Toolset
    public var definition: ToolDefinition
    public var deadline: DeadlinePolicy
    /// What a not-found error names ("entity 8c1f…"), from the arguments; nil: "the requested item".
    public var subject: (@Sendable (JSONArguments) -> String?)?
    public var handler: Handler

    /// `deadline` defaults to `.configured` for reads and `.write` for tools whose annotations say they write.
    public init(
        toolset: Toolset, definition: ToolDefinition, deadline: DeadlinePolicy? = nil,
        subject: (@Sendable (JSONArguments) -> String?)? = nil, handler: @escaping Handler
    ) {
        self.toolset = toolset
        self.definition = definition
        self.deadline = deadline ?? (definition.annotations.readOnlyHint ? .configured : .write)
        self.subject = subject
        self.handler = handler
    }

    public var name: String { definition.name }
    public var isWrite: Bool { !definition.annotations.readOnlyHint }

    /// Binds the environment, giving the core a plain `Tool` whose every call runs in the `ToolFrame`.
    public func tool(in env: ToolEnvironment) -> Tool {
        let spec = self
        return Tool(definition: definition) { args, context in try await ToolFrame.run(spec, args, env, context) }
    }
}
