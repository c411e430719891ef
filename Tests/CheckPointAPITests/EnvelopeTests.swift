import Foundation
import Testing
@testable import CheckPointAPI

/// Unit tests of `hecEnvelope` and the refusal check alone, with a canned transport (the simulator answers
/// envelope failures only in some routes; these pin every variant).
@Suite("Envelope checks")
struct EnvelopeTests {
    struct Canned: HTTPTransport {
        let status: Int
        let body: String
        func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
            if request.url.path == "/auth/external" {
                return APIResponse(status: 200, headers: [:], body: Data(#"{"success": true, "data": {"token": "tok-123", "expiresIn": 1800}}"#.utf8))
            }
            return APIResponse(status: status, headers: [:], body: Data(body.utf8))
        }
    }

    func client(_ status: Int, _ body: String) -> CheckPointClient {
        let config = Configuration(gatewayURL: URL(string: "http://127.0.0.1:1")!, hec: Credentials(clientID: "c", secret: "made-up"))
        // A failing responseCode 500 is retried: its backoff (2 s in all) is spent on a ManualTime, not waited for.
        return CheckPointClient(configuration: config, transport: Canned(status: status, body: body),
                                logger: { SecretScan.shared.record($0.description) }, time: ManualTime())
    }

    @Test("a failing responseCode under HTTP 200 is a typed error with the API's text", arguments: [
        (422, CheckPointError.Kind.validation), (403, .permission), (404, .notFound), (500, .upstream), (400, .validation),
    ])
    func envelopeFailure(code: Int, kind: CheckPointError.Kind) async {
        let body = #"{"responseEnvelope": {"responseCode": \#(code), "responseText": "Unprocessable", "additionalText": "saas is invalid"}, "responseData": []}"#
        let error = await expectError(kind) { try await client(200, body).hec(.post, "/search/query", as: [String].self) }
        #expect(error?.message.contains("Unprocessable — saas is invalid") == true)
        #expect(error?.message.contains("responseCode \(code) under HTTP 200") == true)
    }

    @Test("responseCode 0, 201 and 204 are success; a 204 without body too", arguments: [
        #"{"responseEnvelope": {"responseCode": 0}, "responseData": ["a"]}"#,
        #"{"responseEnvelope": {"responseCode": 201}, "responseData": ["a"]}"#,
        #"{"responseEnvelope": {"responseCode": 204}}"#,
    ])
    func successCodes(body: String) async throws {
        let envelope = try await client(200, body).hec(.post, "/exceptions/whitelist", isWrite: true, as: [String].self)
        #expect(envelope.responseEnvelope.isSuccess)
    }

    @Test("a {success: false} refusal under HTTP 200 is a validation error with its message on every path, never data",
          arguments: ["hec read", "hec write", "mobile device", "mobile page", "mobile write"])
    func refusalUnder200(path: String) async {
        let refused = #"{"success": false, "message": "device not found"}"#
        var config = Configuration(gatewayURL: URL(string: "http://127.0.0.1:1")!, hec: Credentials(clientID: "c", secret: "made-up"),
                                   mobile: Credentials(clientID: "m", secret: "made-up-too"))
        config.maxRetries = 0
        let client = CheckPointClient(configuration: config, transport: Canned(status: 200, body: refused),
                                      logger: { SecretScan.shared.record($0.description) }, time: ManualTime())
        let mobile = MobileAPI(client: client)
        let error = await expectError(.validation) {
            switch path {
            case "hec read": _ = try await client.hec(.get, "/scopes", as: [String].self)
            case "hec write": _ = try await HECAPI(client: client).actOnEntities(.quarantine, entityIDs: ["e-1"], entityType: "office365_emails_email", scope: nil)
            case "mobile device": _ = try await mobile.device(id: 1)
            case "mobile page": _ = try await mobile.groups()
            default: _ = try await mobile.addDevice(name: "N", email: "n@acme-demo.com", number: nil, groups: [], sendEmail: nil, sendSMS: nil)
            }
        }
        #expect(error?.message.contains("device not found") == true, "\(String(describing: error))")
        #expect(error?.httpStatus == 200)
    }

    @Test("FastAPI detail lists and Invalid scroll bodies map to typed errors")
    func bodies() async {
        let e1 = await expectError(.validation) {
            try await client(422, #"{"detail": [{"loc": ["body", "requestData", "entityFilter"], "msg": "Field required", "type": "missing"}]}"#)
                .hec(.post, "/search/query", as: [String].self)
        }
        #expect(e1?.message.contains("requestData.entityFilter: Field required") == true)
        let e2 = await expectError(.validation) {
            try await client(400, #"{"detail": "Invalid scroll"}"#).hec(.post, "/search/query", as: [String].self)
        }
        #expect(e2?.isInvalidScroll == true)
        let e4 = await expectError(.permission) {
            try await client(403, #"{"message": "DLP is not licensed"}"#).hec(.get, "/sectool-exceptions/avanan_dlp/exceptions/hash", as: [String].self)
        }
        #expect(e4?.message.contains("DLP is not licensed") == true)
    }

    @Test("the token never appears in errors or logs")
    func noTokenInText() async {
        var lines: [String] = []
        let e = await expectError(.authentication) { try await client(401, #"{"success": false, "message": "Authentication required"}"#).hec(.get, "/scopes", as: [String].self) }
        lines.append(e?.description ?? "")
        #expect(!lines.joined().contains("tok-123"))
        #expect(SecretScan.shared.leaks(secrets: ["tok-123", "made-up"]).leaks.isEmpty)
    }
}
