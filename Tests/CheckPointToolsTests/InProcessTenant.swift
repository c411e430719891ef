import CheckPointAPI
import CheckPointSimulator
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// A tool handler against the simulator in this process (loopback HTTP, no subprocess): the fast way to
/// test what one tool does with real wire data. Calls go through `ToolFrame`, as in the server.
final class InProcessTenant: Sendable {
    let server: SimulatorServer
    let env: ToolEnvironment

    init(_ options: SimulatorOptions = SimulatorOptions()) throws {
        server = SimulatorServer(options: options)
        let port = try server.start()
        let configuration = Configuration(
            gatewayURL: URL(string: "http://127.0.0.1:\(port)")!,
            hec: Credentials(clientID: SimulatorOptions.defaultClientID, secret: SimulatorOptions.defaultClientSecret),
            mobile: Credentials(clientID: SimulatorOptions.defaultMobileClientID, secret: SimulatorOptions.defaultMobileClientSecret))
        var env = ToolEnvironment(client: CheckPointClient(configuration: configuration))
        env.audit = AuditLog(path: nil, writeToStderr: false)
        self.env = env
    }

    deinit { server.stop() }

    /// Calls `spec` with `arguments` in the frame and returns its result.
    func call(_ spec: ToolSpec, _ arguments: JSONObject = [:]) async throws -> ToolResult {
        try await ToolFrame.run(spec, arguments, env, RecordingContext())
    }

    /// Requests the simulator counted for one "METHOD /path".
    func count(_ route: String) -> Int { server.stats.requests[route] ?? 0 }
}

extension ToolResult {
    var text: String { content.compactMap { $0["text"]?.stringValue }.joined(separator: "\n") }
    var structured: JSONValue? { structuredContent }
}
