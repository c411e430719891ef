import CheckPointAPI
import MCPCore
import Testing

@testable import CheckPointTools

@Suite("resource templates and resource links")
struct ResourceCatalogTests {
    func env() -> ToolEnvironment {
        ToolEnvironment(client: CheckPointClient(configuration: Configuration(gatewayURL: nil)))
    }

    @Test("resource templates follow the served tools; resource links name only ids")
    func resources() {
        let templates = Toolbox.select(Toolbox.Selection(), in: env()).resources.map(\.template.uriTemplate)
        #expect(templates == ["checkpoint://email/{entity_id}", "checkpoint://email/{entity_id}/raw", "checkpoint://event/{event_id}", "checkpoint://mobile/device/{device_id}", "checkpoint://task/{task_id}"])
        #expect(Toolbox.select(Toolbox.Selection(toolsets: [.audit]), in: env()).resources.isEmpty)
        #expect(ResourceLinks.email("8b1d") == ["type": "resource_link", "uri": "checkpoint://email/8b1d", "name": "email 8b1d"])
        let many = ResourceLinks.add((1...30).map { ResourceLinks.device($0) }, to: .success(text: "t", structured: [:]))
        #expect(many.content.count == 1 + ResourceLinks.maxLinks)
    }

    @Test("a URI whose value cannot be that kind of id is not found, without calling the tool")
    func invalidID() async throws {
        let device = try #require(Toolbox.select(Toolbox.Selection(), in: env()).resources.first { $0.template.name == "mobile_device" })
        await #expect(throws: ResourceReadError.self) {
            _ = try await device.read("checkpoint://mobile/device/abc", ["device_id": "abc"], SilentContext())
        }
    }
}
