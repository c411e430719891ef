import Foundation

/// `POST /soar/notify` (answer `{"ok": true}`, not enveloped) and `POST /report/mis-classification`
/// (envelope 200), with the validation a FastAPI service gives: 422 for a missing or wrong field, 404 for an
/// entity the key cannot see. Both change no simulated state; `/_sim/stats` counts them.
/// - SeeAlso: checkpoint-api.md "Download" (XSOAR CheckPointHEC `send_notification`, `report_mis_classification`).
struct HECFeedback {
    let ctx: HECContext
    static let classifications = ["clean", "spam", "phishing", "marketing_email"]
    static let confidences = ["not_so_sure", "medium", "very"]

    func notify() throws(ErrorResponse) -> HTTPResponse {
        let rd = try ctx.requestData()
        guard let id = rd["entityId"] as? String, !id.isEmpty else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", "entityId"], "Field required", "missing"))
        }
        guard let emails = rd["emails"] as? [String], !emails.isEmpty, emails.allSatisfy({ $0.contains("@") }) else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", "emails"], "Input should be a non-empty list of addresses", "list_type"))
        }
        guard visible(id) else { return .json(404, ["detail": "Entity not found"]) }
        return .json(200, ["ok": true])
    }

    func misclassification() throws(ErrorResponse) -> HTTPResponse {
        let rd = try ctx.requestData()
        let loc: [Any] = ["body", "requestData"]
        guard let ids = rd["entityIds"] as? [String], !ids.isEmpty else {
            throw ErrorResponse(HECRouter.validation(loc + ["entityIds"], "Field required", "missing"))
        }
        guard let c = rd["classification"] as? String, Self.classifications.contains(c) else {
            throw ErrorResponse(HECRouter.validation(loc + ["classification"], "Input should be 'clean', 'spam', 'phishing' or 'marketing_email'", "enum"))
        }
        guard let conf = rd["confident"] as? String, Self.confidences.contains(conf) else {
            throw ErrorResponse(HECRouter.validation(loc + ["confident"], "Input should be 'not_so_sure', 'medium' or 'very'", "enum"))
        }
        // An unknown id: the failing envelope of XSOAR's fail_response fixture (responseCode 422 under HTTP 200).
        return ids.allSatisfy(visible) ? ctx.envelope([Any]()) : ctx.envelope([Any](), code: 422, records: 0)
    }

    private func visible(_ id: String) -> Bool {
        ctx.state.sync { s in s.hec().entityIndex[id].map { ctx.visibleScopes.contains($0.scope) } ?? false }
    }
}
