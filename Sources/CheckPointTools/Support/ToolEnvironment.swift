import CheckPointAPI
import MCPCore

/// What every handler shares: the Check Point client and the server-wide settings.
/// (The confirmation store and the audit log join this when the write tools land.)
public struct ToolEnvironment: Sendable {
    public var client: CheckPointClient
    public var readOnly: Bool

    public init(client: CheckPointClient, readOnly: Bool = false) {
        self.client = client
        self.readOnly = readOnly
    }
}
