import Foundation
import Testing
@testable import CheckPointAPI

/// The recorded Harmony Mobile expired-token body (Sources/CheckPointAPI/Mobile/MobileAPI.swift reads).
@Suite("Mobile contract (recorded answers)")
struct MobileAPITests {
    @Test("force_logout_response: a 401 with forceLogout makes the client re-authenticate once and retry")
    func forceLogout() async throws {
        let gateway = FixtureTransport()
        // `URL.path` drops the trailing slash.
        let route = "GET /app/SBM/external_api/v1/device_status"
        gateway.answer(route, try FixtureFile.data("mobile/force_logout_response.json"), status: 401)
        gateway.answer(route, Data(#"{"meta": {"limit": 20, "next": null, "offset": 0, "previous": null, "total_count": 0}, "objects": []}"#.utf8))
        let client = gateway.client()
        let walk = try await MobileAPI(client: client).devices(.init(), limit: 20, keep: { _ in true }, progress: { _, _ in })
        #expect(walk.items.isEmpty)
        #expect(gateway.sent.filter { $0.path == "/app/SBM/external_api/v1/device_status" }.count == 2)
    }
}
