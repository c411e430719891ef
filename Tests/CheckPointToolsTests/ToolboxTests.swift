import CheckPointAPI
import MCPCore
import Testing

@testable import CheckPointTools

/// `Toolbox.select`: the one filter (read-only, then toolsets) and the refusal reason of every tool left out.
@Suite("Toolbox selection")
struct ToolboxTests {
    static let env = ToolEnvironment(client: CheckPointClient(configuration: Configuration(gatewayURL: nil)))
    static var writes: [String] { Toolbox.allSpecs.filter(\.isWrite).map(\.name) }

    @Test("everything is served by default, nothing refused")
    func all() {
        let (tools, refused, _, _) = Toolbox.select(Toolbox.Selection(), in: Self.env)
        #expect(tools.map(\.definition.name) == Toolbox.allSpecs.map(\.name))
        #expect(refused.isEmpty)
    }

    @Test("read-only leaves out exactly the write tools, each refused with where read-only came from")
    func readOnly() {
        let (tools, refused, _, _) = Toolbox.select(Toolbox.Selection(readOnly: true, readOnlySource: "CHECKPOINT_READ_ONLY"), in: Self.env)
        #expect(Self.writes.count >= 10)
        #expect(Set(refused.keys) == Set(Self.writes))
        #expect(tools.count + refused.count == Toolbox.allSpecs.count)
        #expect(refused["quarantine_entities"]?.hasPrefix("the server runs read-only (CHECKPOINT_READ_ONLY)") == true)
    }

    @Test("a toolset left out refuses its tools naming the toolset and how to enable it; read-only wins for writes")
    func toolsets() {
        let selection = Toolbox.Selection(readOnly: true, toolsets: [.email, .audit], toolsetsSource: "CHECKPOINT_TOOLSETS")
        let (tools, refused, _, _) = Toolbox.select(selection, in: Self.env)
        let mobile = Toolbox.allSpecs.filter { $0.toolset == .mobile }
        #expect(!tools.contains { name in mobile.contains { $0.name == name.definition.name } })
        #expect(refused["list_mobile_groups"]
            == "it belongs to the 'mobile' toolset, which is not enabled (CHECKPOINT_TOOLSETS email,audit); restart with 'mobile' in CHECKPOINT_TOOLSETS to use it")
        #expect(refused["delete_mobile_device"]?.hasPrefix("the server runs read-only") == true)
        #expect(tools.contains { $0.definition.name == "list_session_writes" })
    }
}
