/// The protocol revisions this server speaks, and the two eras they fall into.
///
/// - Legacy (handshake) era: `initialize` negotiates one version for the whole stdio process.
/// - Modern era (2026-07-28): every request names its version in `params._meta`; no handshake.
/// A dual-era server may serve both on one process (2026-07-28 `basic/versioning`, "Backward Compatibility").
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#version-negotiation
public enum ProtocolVersion {
    public static let v2024_11_05 = "2024-11-05"
    /// The only revision with JSON-RPC batches; we accept them when it is negotiated (docs/protocol.md).
    public static let v2025_03_26 = "2025-03-26"
    public static let v2025_06_18 = "2025-06-18"
    public static let v2025_11_25 = "2025-11-25"
    public static let v2026_07_28 = "2026-07-28"

    /// Handshake-era versions, newest first. An `initialize` asking for one of these gets it echoed;
    /// anything else gets the first (newest).
    public static let legacy = [v2025_11_25, v2025_06_18, v2025_03_26, v2024_11_05]
    /// Versions served statelessly with the per-request `_meta` envelope.
    public static let modern = [v2026_07_28]
    /// Everything, newest first: `supportedVersions` of `server/discover` and `supported` of -32022.
    public static let all = modern + legacy

    public static var latestLegacy: String { legacy[0] }
}

/// Reserved `_meta` keys of the 2026-07-28 envelope.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/basic/index#meta
public enum MetaKey {
    public static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
    public static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
    public static let clientInfo = "io.modelcontextprotocol/clientInfo"
    public static let logLevel = "io.modelcontextprotocol/logLevel"
    public static let serverInfo = "io.modelcontextprotocol/serverInfo"
    public static let progressToken = "progressToken"
}
