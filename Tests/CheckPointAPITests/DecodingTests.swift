import Foundation
import Testing
@testable import CheckPointAPI

/// Tolerant decoding on JSON fixtures taken from `docs/checkpoint-api.md` (XSOAR test_data, Elastic mock,
/// Sekoia model, Google SecOps).
@Suite("Tolerant decoding")
struct DecodingTests {
    struct Event: Decodable, Sendable {
        var eventId: String
        var severity: LenientInt
        var eventCreated: Date
        var additionalData: WireJSON?
    }

    struct Device: Decodable, Sendable {
        var device_id: LenientString
        var risk: LenientInt?
        var mail_sent: LenientBool?
    }

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try CheckPointClient.decoder.decode(T.self, from: Data(json.utf8))
    }

    @Test("an event envelope with string severity, microsecond dates and unknown fields")
    func eventEnvelope() throws {
        let json = """
            {"responseEnvelope": {"requestId": "r", "responseCode": 200, "responseText": "", "additionalText": "",
             "recordsNumber": "1302", "scrollId": "9c4e7ee4", "somethingNew": 1},
             "responseData": [{"eventId": "13007abc", "severity": "4", "eventCreated": "2024-10-15T09:47:06.592720+00:00",
             "additionalData": {"a": [1, "x", null]}, "unknown": true}]}
            """
        let envelope = try decode(HECEnvelope<[Event]>.self, json)
        #expect(envelope.responseEnvelope.recordsNumber == 1302)
        #expect(envelope.responseEnvelope.scrollId == "9c4e7ee4")
        #expect(envelope.responseEnvelope.isSuccess)
        let event = try #require(envelope.responseData?.first)
        #expect(event.severity.value == 4)
        #expect(event.eventCreated.timeIntervalSince1970 == 1_728_985_626.59272)
        #expect(event.additionalData?["a"]?.arrayValue?.count == 3)
    }

    @Test("scrollId may be a string, empty or null; responseCode 0/201/204 are success, 422 is not", arguments: [
        (#"{"responseCode": 200, "scrollId": ""}"#, nil as String?, true),
        (#"{"responseCode": 0, "scrollId": null}"#, nil, true),
        (#"{"responseCode": "201", "scrollId": "abc"}"#, "abc", true),
        (#"{"responseCode": 204}"#, nil, true),
        (#"{"responseCode": 422, "responseText": "bad"}"#, nil, false),
    ])
    func envelopeVariants(_ json: String, _ scroll: String?, _ success: Bool) throws {
        let envelope = try decode(ResponseEnvelope.self, json)
        #expect(envelope.scrollId == scroll)
        #expect(envelope.isSuccess == success)
    }

    @Test("dates in every form the APIs use", arguments: [
        ("2024-10-15T09:47:06.592720+00:00", 1_728_985_626.59272),
        ("2023-08-07T00:01:30.128277Z", 1_691_366_490.128277),
        ("2023-11-01T00:00:00", 1_698_796_800),
        ("2016-08-29T09:12:33.001Z", 1_472_461_953.001),
        ("2023-08-08 21:16:16.887115", 1_691_529_376.887115),
        ("2024-01-01T02:00:00+02:00", 1_704_067_200),
        ("2024-01-01T00:00:00-0130", 1_704_072_600),
        ("Mon, 14 Oct 2030 07:20:18 GMT", 1_918_192_818),
        ("Fri, 30 Jul 2021 08:27:11 +0000", 1_627_633_631),
        ("07/30/2021 08:27:11", 1_627_633_631),
        ("1627633631000", 1_627_633_631),
        ("1627633631", 1_627_633_631),
    ])
    func dates(_ text: String, _ epoch: Double) throws {
        let date = try #require(CheckPointDate.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.000_01)
    }

    @Test("unreadable dates are nil, not errors", arguments: ["No data", "", "yesterday", "2024-13-01T00:00:00Z", "2024-01-01Tnoon"])
    func badDates(_ text: String) throws {
        #expect(CheckPointDate.parse(text) == nil)
        // A Mobile time keeps what was sent: "no data" for the placeholders, the raw text otherwise.
        let time = MobileTimestamp(text: text)
        #expect(time.date == nil)
        #expect(time == (["No data", ""].contains(text) ? .noData : .unparsed(text)))
    }

    @Test("dates are formatted as ISO 8601 UTC, with milliseconds only when needed")
    func formatting() {
        #expect(CheckPointDate.iso8601(Date(timeIntervalSince1970: 1_704_067_200)) == "2024-01-01T00:00:00Z")
        #expect(CheckPointDate.iso8601(Date(timeIntervalSince1970: 1_704_067_200.25)) == "2024-01-01T00:00:00.250Z")
    }

    @Test("strings-or-ints and bools-as-strings in a Mobile device")
    func lenientScalars() throws {
        let a = try decode(Device.self, #"{"device_id": 17, "risk": "3", "mail_sent": "True"}"#)
        #expect(a.device_id.value == "17")
        #expect(a.risk?.value == 3)
        #expect(a.mail_sent?.value == true)
        #expect(MobileTimestamp(epoch: 1_627_633_631_000).date == Date(timeIntervalSince1970: 1_627_633_631))
        let b = try decode(Device.self, #"{"device_id": "17", "risk": 2.0, "mail_sent": 0}"#)
        #expect(b.device_id.value == "17")
        #expect(b.risk?.value == 2)
        #expect(b.mail_sent?.value == false)
    }

    @Test("error bodies give the API's own message", arguments: [
        (#"{"detail": [{"loc": ["body", "requestData", "entityFilter"], "msg": "Field required", "type": "missing"}]}"#,
         "requestData.entityFilter: Field required"),
        (#"{"detail": "Invalid scroll"}"#, "Invalid scroll"),
        (#"{"success": false, "message": "temporarily unavailable"}"#, "temporarily unavailable"),
        (#"{"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "Rate limit exceeded."}}"#, "Rate limit exceeded."),
        (#"{"responseEnvelope": {"responseCode": 422, "responseText": "Unprocessable", "additionalText": "bad saas"}}"#,
         "Unprocessable — bad saas"),
        ("<html><body>502 Bad Gateway</body></html>", ""),
        ("plain text failure", "plain text failure"),
        // Echoed credentials are removed from the whole answer before it is parsed: SecretRedactorTests.
    ])
    func errorBodies(_ body: String, _ message: String) {
        #expect(CheckPointError.apiMessage(Data(body.utf8)) == message)
    }

    @Test("statuses map to typed errors; Invalid scroll is recognisable")
    func statusMapping() {
        let response = APIResponse(status: 400, headers: [:], body: Data(#"{"detail": "Invalid scroll"}"#.utf8))
        let error = CheckPointError.from(response, service: .hec, endpoint: "POST /search/query")
        #expect(error.kind == .validation)
        #expect(error.isInvalidScroll)
        let kinds: [(Int, CheckPointError.Kind)] = [(401, .authentication), (403, .permission), (404, .notFound),
                                                    (409, .validation), (422, .validation), (429, .rateLimited), (503, .upstream)]
        for (status, kind) in kinds {
            #expect(CheckPointError.forStatus(status, message: "", service: .mobile, endpoint: "GET /x").kind == kind)
        }
    }

    @Test("Retry-After as seconds or HTTP date; X-RateLimit-Reset as epoch or delta")
    func waitHints() {
        let now = Date(timeIntervalSince1970: 1_918_192_800)
        #expect(RetryPolicy.retryAfter(["retry-after": "30"], now: now) == 30)
        #expect(RetryPolicy.retryAfter(["retry-after": "Mon, 14 Oct 2030 07:20:18 GMT"], now: now) == 18)
        #expect(RetryPolicy.retryAfter(["retry-after": "soon"], now: now) == nil)
        #expect(RetryPolicy.rateLimitQuota(["x-ratelimit-remaining": "0", "x-ratelimit-reset": "1918192810"], now: now)?.resetIn == 10)
        #expect(RetryPolicy.rateLimitQuota(["x-ratelimit-remaining": "0", "x-ratelimit-reset": "7"], now: now)?.resetIn == 7)
        #expect(RetryPolicy.rateLimitQuota(["x-ratelimit-remaining": "3", "x-ratelimit-reset": "7"], now: now)?.remaining == 3)
        #expect(RetryPolicy.rateLimitQuota(["x-ratelimit-reset": "7"], now: now) == nil)
    }

    @Test("a decoding failure names the field")
    func decodingErrorText() {
        do {
            _ = try decode(HECEnvelope<[Event]>.self, #"{"responseEnvelope": {}, "responseData": [{"eventId": 5, "severity": 1, "eventCreated": "2024-01-01"}]}"#)
            Issue.record("decoded a number as a string")
        } catch let error as DecodingError {
            let mapped = CheckPointError.decoding(error, service: .hec, endpoint: "POST /event/query")
            #expect(mapped.kind == .decoding)
            #expect(mapped.message.contains("responseData[0].eventId"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
