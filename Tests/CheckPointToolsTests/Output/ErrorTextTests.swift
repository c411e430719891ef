import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

@Suite("Error text")
struct ErrorTextTests {
    @Test("each kind says what to do next", arguments: [
        (CheckPointError.Kind.rateLimited, "wait 31 s"),
        (.permission, "Email & Collaboration"),
        (.authentication, "CHECKPOINT_CLIENT_ID"),
        (.validation, "entityFilter Field required"),
        (.notFound, "entity «abc»"),
        (.timeout, "narrow the window"),
        (.upstream, "retry"),
        (.configuration, "environment variable"),
    ])
    func kinds(kind: CheckPointError.Kind, expected: String) {
        let e = CheckPointError(kind, "entityFilter Field required", service: .hec, endpoint: "POST /search/query", httpStatus: 422, retryAfterSeconds: 30.2)
        let (text, structured) = ErrorText.render(e, subject: "entity «abc»")
        #expect(text.contains(expected), "\(text)")
        if kind != .configuration { #expect(text.contains("POST /search/query")) }
        #expect(structured["error"]?["kind"] == .string(kind.rawValue))
    }

    @Test("a DLP 403 names the missing licence")
    func dlp() {
        let e = CheckPointError(.permission, "Forbidden", service: .hec, endpoint: "GET /sectool-exceptions/avanan_dlp/exceptions/hash", httpStatus: 403)
        #expect(ErrorText.text(e).contains("DLP licence"))
    }

    @Test("argument errors name the field")
    func input() {
        let (text, s) = ErrorText.render(ToolInputError(field: "limit", "must be at most 10000", hint: "use cursor"))
        #expect(text == "Invalid argument `limit`: must be at most 10000. Next step: use cursor.")
        #expect(s["error"]?["field"] == "limit")
    }

    @Test("a call that ran out of its deadline says so with the figure and carries deadline_seconds")
    func deadline() {
        let e = CheckPointError(.timeout, "no answer in 30 s", service: .hec, endpoint: "POST /search/query")
        let r = ErrorText.result(for: e, deadline: .seconds(120))
        #expect(r.isError)
        let text = r.content.first?["text"]?.stringValue ?? ""
        #expect(text.hasSuffix(" The call stopped at its deadline of 120 s (CHECKPOINT_CALL_DEADLINE, plus walk or batch time where the tool adds it)."), "\(text)")
        #expect(r.structuredContent?["error"]?["deadline_seconds"] == 120.0)
        #expect(r.structuredContent?["error"]?["endpoint"] == "POST /search/query")
    }

    @Test("an unknown write outcome says not to repeat it and where to re-read, per service")
    func ambiguous() {
        let hec = CheckPointError(.ambiguousWrite, "connection reset after sending", service: .hec, endpoint: "POST /action/entity")
        #expect(ErrorText.text(hec) == "The outcome of this write is unknown (POST /action/entity): connection reset after sending. Next step: do NOT repeat it blindly; check the current state first (get_task_status, get_entity_details or search_entities).")
        let mobile = CheckPointError(.ambiguousWrite, "reset", service: .mobile, endpoint: "DELETE /external_api/v1/device/3/")
        #expect(ErrorText.text(mobile).hasSuffix("check the current state first (search_mobile_devices, get_mobile_device or list_mobile_groups)."))
    }

    @Test("rate limiting without Retry-After says about a minute; a Mobile 404 names the Mobile lookup tools")
    func waitsAndMobile() {
        let limited = CheckPointError(.rateLimited, "Too Many Requests", service: .hec, endpoint: "GET /scopes", httpStatus: 429)
        #expect(ErrorText.text(limited) == "Rate limited by Check Point (GET /scopes, HTTP 429): Too Many Requests. Next step: wait about a minute, then retry the same call; avoid parallel bulk calls.")
        let missing = CheckPointError(.notFound, "no device 9", service: .mobile, endpoint: "GET /external_api/v1/device_status/9/", httpStatus: 404)
        #expect(ErrorText.text(missing) == "Not found (GET /external_api/v1/device_status/9/, HTTP 404): no device 9. Next step: check the id; search_mobile_devices lists devices and list_mobile_groups lists groups.")
        let unconfigured = CheckPointError(.configuration, "CHECKPOINT_MOBILE_CLIENT_ID is not set", service: .mobile)
        #expect(ErrorText.text(unconfigured).hasSuffix("The Harmony Email tools do not need this key and keep working."))
    }

    @Test("ids not found are listed fenced; anything else is an internal error with its description")
    func otherErrors() {
        let (text, s) = ErrorText.render(ToolNotFound("tasks", ids: ["1691", "x\ny"], hint: "task ids come from the write tools"))
        #expect(text == "Not found: tasks «1691», «x⟨U+000A⟩y». Next step: task ids come from the write tools.")
        #expect(s["error"]?["ids"] == ["1691", "x\ny"])
        struct Odd: Error, CustomStringConvertible { var description: String { "odd state" } }
        let (internalText, internalS) = ErrorText.render(Odd())
        #expect(internalText == "Internal error: odd state")
        #expect(internalS["error"]?["kind"] == "internal")
    }
}
