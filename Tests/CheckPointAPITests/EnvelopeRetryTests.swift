import Foundation
import Testing
@testable import CheckPointAPI

/// What the client does with a failing envelope or an unreadable 2xx body, by read and by write: reads are
/// asked again, writes are sent once and reported ambiguous (they may have been applied).
/// - SeeAlso: docs/simulator.md "Tool-level outcome of each fault" (the same cases end to end).
@Suite("Envelope and body failures: retried reads, unretried writes")
struct EnvelopeRetryTests {
    /// Answers `bad` for the first `failures` data requests, then a good envelope; counts data requests.
    final class Flaky: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var seen = 0
        let failures: Int
        let bad: String
        init(failures: Int, bad: String) { self.failures = failures; self.bad = bad }
        var calls: Int { lock.withLock { seen } }

        func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
            if request.url.path == "/auth/external" {
                return APIResponse(status: 200, headers: [:], body: Data(#"{"success": true, "data": {"token": "tok-7", "expiresIn": 1800}}"#.utf8))
            }
            let n = lock.withLock { seen += 1; return seen }
            let body = n <= failures ? bad : #"{"responseEnvelope": {"responseCode": 200}, "responseData": [{"entityId": "e1", "taskId": 1234567890123456}]}"#
            return APIResponse(status: 200, headers: [:], body: Data(body.utf8))
        }
    }

    static let envelope500 = #"{"responseEnvelope": {"responseCode": 500, "responseText": "Internal"}, "responseData": []}"#
    static let truncated = #"{"responseEnvelope": {"requestId": "x"#

    func client(_ transport: Flaky) -> CheckPointClient {
        var config = Configuration(gatewayURL: URL(string: "http://127.0.0.1:1")!, hec: Credentials(clientID: "c", secret: "made-up"))
        config.maxRetries = 2
        return CheckPointClient(configuration: config, transport: transport, logger: nil)
    }

    @Test("an envelope 5xx on a read is retried like an HTTP 5xx")
    func readRetried() async throws {
        let t = Flaky(failures: 2, bad: Self.envelope500)
        let envelope = try await client(t).hec(.post, "/search/query", as: [WireJSON].self)
        #expect(envelope.responseData?.count == 1)
        #expect(t.calls == 3)
    }

    @Test("a persistent envelope 5xx on a read ends as upstream after the allowed retries")
    func readGivesUp() async {
        let t = Flaky(failures: 99, bad: Self.envelope500)
        let e = await expectError(.upstream) { try await client(t).hec(.post, "/search/query", as: [WireJSON].self) }
        #expect(e?.message.contains("responseCode 500 under HTTP 200") == true)
        #expect(t.calls == 3)
    }

    @Test("an envelope 5xx or an unreadable 2xx answer to a write is ambiguous and not re-sent",
          arguments: [envelope500, truncated])
    func writeAmbiguous(bad: String) async {
        let typed = Flaky(failures: 1, bad: bad)
        _ = await expectError(.ambiguousWrite) { try await client(typed).hec(.post, "/exceptions/whitelist", isWrite: true, as: [WireJSON].self) }
        #expect(typed.calls == 1)
        let action = Flaky(failures: 1, bad: bad)
        let e = await expectError(.ambiguousWrite) {
            try await HECAPI(client: client(action)).actOnEntities(.quarantine, entityIDs: ["e1"], entityType: "office365_emails_email", scope: nil)
        }
        #expect(action.calls == 1)
        #expect(e?.message.contains("Re-read the current state") == true)
    }
}
