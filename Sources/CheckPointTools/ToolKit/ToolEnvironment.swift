import CheckPointAPI
import Foundation
import MCPCore

/// Whether write tools demand a confirmation round-trip before acting.
public enum ConfirmMode: String, Sendable, CaseIterable {
    /// Default: a write asks the user in the client when the client can (elicitation); otherwise the first
    /// call previews and returns a `confirmation_token`, and only a second call with it acts.
    case required
    /// Every write needs the user's answer in the client (elicitation). Tokens are never issued, and writes
    /// from clients that cannot ask the user are refused (`--confirm human`).
    case human
    /// For unattended automation (`--confirm never`): writes act at once. Logged at startup.
    case never
}

/// What every handler shares: the Check Point client, the server-wide settings, and the write machinery.
/// Built once by the executable; each call gets a copy naming its tool. Copies share one `ConfirmationStore` (an actor) and one `AuditLog`.
/// Write tools go through `performWrite` (see `ConfirmationFlow.swift`), never straight to the client.
public struct ToolEnvironment: Sendable {
    /// Transport, auth, limits, retries and caches; tools call the typed APIs below, never an endpoint by hand.
    public var client: CheckPointClient
    /// Harmony Email & Collaboration's endpoints, typed.
    public var hec: HECAPI { HECAPI(client: client) }
    /// Harmony Mobile's endpoints, typed.
    public var mobile: MobileAPI { MobileAPI(client: client) }
    /// The time windows are counted back from ("last 24h", a default of 7 days): the client's clock, so a
    /// test that moves its `ManualTime` moves every tool's "now" with the token and cache expiry.
    public var now: Date { client.time.date }
    public var readOnly: Bool
    public var confirm: ConfirmMode
    /// `--audit-log PATH`: every write is also appended here as a JSON line (always to stderr too).
    public var auditLogPath: String?
    /// `--demo`: the gateway is the in-process simulator; results say the data is simulated.
    public var demo: Bool
    /// Pending confirmation tokens, shared by every write tool of both toolsets.
    public var confirmations: ConfirmationStore
    /// Where executed (and refused) writes are recorded: stderr always, plus `auditLogPath`.
    public var audit: AuditLog
    /// The tool being called, set by `ToolFrame` on the call's copy (empty outside a call): confirmation
    /// tokens are bound to it and audit lines name it, so a tool's name is written only in its definition.
    public var tool = ""
    /// The untrusted-data warning of the tool being called (`Toolset.untrustedNotice`), set by `ToolFrame`:
    /// placed before the first fenced value of its results and of the confirmation question it asks.
    public var notice = UntrustedText.notice
    /// What this session's results showed (sender domains), for prompt-argument completion.
    public var memory = SessionMemory()
    /// The server's version and enabled toolsets, as `diagnose` reports them.
    public var serverVersion: String
    public var toolsets: Set<Toolset>

    public init(
        client: CheckPointClient, readOnly: Bool = false, confirm: ConfirmMode = .required,
        auditLogPath: String? = nil, demo: Bool = false, serverVersion: String = "dev",
        toolsets: Set<Toolset> = Set(Toolset.allCases)
    ) {
        self.serverVersion = serverVersion
        self.toolsets = toolsets
        self.client = client
        self.readOnly = readOnly
        self.confirm = confirm
        self.auditLogPath = auditLogPath
        self.demo = demo
        self.confirmations = ConfirmationStore(ttlSeconds: ConfirmationStore.ttlFromEnvironment())
        self.audit = AuditLog(path: auditLogPath)
    }
}
