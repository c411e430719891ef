import Foundation
import Testing
@testable import CheckPointAPI

/// The one rule for an answer that does not parse (`CheckPointClient.askingOnceMoreIfUnparseable`, in
/// Sources/CheckPointAPI/Core/TypedCalls.swift), on a route-keyed stub gateway: which reads are asked for once
/// more, and which answers are not worth a second request.
@Suite("Typed calls: an unparseable answer is asked for once more, on reads only")
struct TypedCallsTests {
    static let truncated = Data(#"{"responseEnvelope": {"responseCode": 200}, "responseData": ["mt-prod"#.utf8)
    static let scopes = Data(#"{"responseEnvelope": {"responseCode": 200}, "responseData": ["mt-prod-3:acme"]}"#.utf8)
    static let wrongShape = Data(#"{"responseEnvelope": {"responseCode": 200}, "responseData": {"scopes": 3}}"#.utf8)

    func client(_ gateway: FixtureTransport) -> CheckPointClient {
        var config = Configuration(gatewayURL: URL(string: "http://127.0.0.1:1")!, hec: Credentials(clientID: "c", secret: "made-up"),
                                   mobile: Credentials(clientID: "m", secret: "made-up-too"))
        config.maxRetries = 0
        return CheckPointClient(configuration: config, transport: gateway, logger: { SecretScan.shared.record($0.description) },
                                time: ManualTime())
    }

    func sent(_ gateway: FixtureTransport, _ path: String) -> Int { gateway.sent.filter { $0.path == path }.count }

    @Test("a HEC read answered with a truncated body is asked once more and answered; twice truncated is an unparseable .decoding error after 2 requests")
    func hecRead() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /scopes", Self.truncated)
        gateway.answer("GET /scopes", Self.scopes)
        let client = client(gateway)
        #expect(try await client.hec(.get, "/scopes", as: [String].self).responseData == ["mt-prod-3:acme"])
        #expect(sent(gateway, "/scopes") == 2)

        let garbled = FixtureTransport()
        garbled.answer("GET /scopes", Self.truncated)
        let error = await expectError(.decoding) { try await self.client(garbled).hec(.get, "/scopes", as: [String].self) }
        #expect(error?.isUnparseable == true)
        #expect(error?.message.contains("not valid JSON") == true)
        #expect(sent(garbled, "/scopes") == 2)
    }

    @Test("JSON of the wrong shape is not asked for again: one request, a .decoding error naming the field")
    func wrongShape() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /scopes", Self.wrongShape)
        let error = await expectError(.decoding) { try await self.client(gateway).hec(.get, "/scopes", as: [String].self) }
        #expect(error?.isUnparseable == false)
        #expect(error?.message.contains("responseData") == true, "\(String(describing: error))")
        #expect(sent(gateway, "/scopes") == 1)
    }

    @Test("a scroll continuation and a write meet a truncated body once: the continuation is lost, the write is ambiguous")
    func neverTwice() async throws {
        let gateway = FixtureTransport()
        gateway.answer("POST /search/query", Self.truncated)
        gateway.answer("POST /action/entity", Self.truncated)
        let client = client(gateway)
        let lost = await expectError(.decoding) {
            try await client.hec(.post, "/search/query", requestData: ["scrollId": "s-1"], isContinuation: true, as: [String].self)
        }
        #expect(lost?.lostContinuation == true)
        #expect(sent(gateway, "/search/query") == 1)
        let write = await expectError(.ambiguousWrite) {
            try await client.hec(.post, "/action/entity", requestData: ["entityIds": ["e-1"]], isWrite: true, as: [String].self)
        }
        #expect(write?.message.contains("could not be read") == true)
        #expect(sent(gateway, "/action/entity") == 1)
    }

    @Test("a Harmony Mobile read takes the same rule: truncated once is answered, twice is unparseable, a wrong shape is asked once")
    func mobileRead() async throws {
        let path = "/app/SBM/external_api/v1/device_status/7"
        let device = Data(#"{"id": 7, "name": "Pixel"}"#.utf8)
        let gateway = FixtureTransport()
        gateway.answer("GET \(path)", Data(#"{"id": 7, "na"#.utf8))
        gateway.answer("GET \(path)", device)
        #expect(try await MobileAPI(client: client(gateway)).device(id: 7).id == 7)
        #expect(sent(gateway, path) == 2)

        let garbled = FixtureTransport()
        garbled.answer("GET \(path)", Data("<html>502 Bad Gateway".utf8))
        let error = await expectError(.decoding) { try await MobileAPI(client: self.client(garbled)).device(id: 7) }
        #expect(error?.isUnparseable == true)
        #expect(sent(garbled, path) == 2)

        let shaped = FixtureTransport()
        shaped.answer("GET \(path)", Data("[7]".utf8))
        let shapeError = await expectError(.decoding) { try await MobileAPI(client: self.client(shaped)).device(id: 7) }
        #expect(shapeError?.isUnparseable == false)
        #expect(sent(shaped, path) == 1)
    }
}
