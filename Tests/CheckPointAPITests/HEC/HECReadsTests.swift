import Foundation
import Testing
@testable import CheckPointAPI

/// Contract tests of `GET /scopes` (Sources/CheckPointAPI/HEC/HECReads.swift) against recorded answers.
@Suite("Scopes contract (recorded answers)")
struct HECReadsTests {
    @Test("get_scopes and test_api: farm:customer strings; recordsNumber is not the count", arguments: [
        ("get_scopes", "mt-prod-3:prod-3-con-lab44"), ("test_api", "mt-rnd-ng-1:test"),
    ])
    func scopes(fixture: String, scope: String) async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /scopes", try FixtureFile.xsoar(fixture))
        let read = try await HECAPI(client: gateway.client()).hecScopes()
        #expect(read.scopes == [scope])
        #expect(read.emptyDropped == 0)
    }

    @Test("a key without a farm association answers [\"\"]: no scope, and the empty string counted")
    func emptyScope() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /scopes", Data(#"{"responseEnvelope": {"responseCode": 200, "recordsNumber": 1}, "responseData": [""]}"#.utf8))
        let read = try await HECAPI(client: gateway.client()).hecScopes()
        #expect(read.scopes.isEmpty)
        #expect(read.emptyDropped == 1)
    }
}
