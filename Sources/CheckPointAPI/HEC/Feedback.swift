import Foundation

/// The verdict feedback Check Point's engine takes (`POST /report/mis-classification`).
/// - SeeAlso: docs/checkpoint-api.md "Notify and mis-classification"; XSOAR CheckPointHEC `report_mis_classification`.
public enum Misclassification {
    public static let classifications = ["clean", "spam", "phishing", "marketing_email"]
    /// The API's `confident` field (sic).
    public static let confidences = ["not_so_sure", "medium", "very"]
}

extension HECAPI {
    /// `POST /soar/notify` `{"requestData": {"entityId", "emails"}}`: Check Point mails the recipients a notice
    /// about the email. The answer is `{"ok": true}`, not enveloped; `ok: false` is a refusal.
    public func notifyRecipients(entityID: String, emails: [String], scope: String?) async throws {
        var data: [String: Any] = ["entityId": entityID, "emails": emails]
        if let scope { data["scope"] = scope }
        let body = try JSONSerialization.data(withJSONObject: ["requestData": data], options: [.sortedKeys])
        let request = APIRequest(.hec, .post, "/soar/notify", body: body, isWrite: true)
        let response = try await client.send(request)
        _ = try ActionsWire.responseData(response, endpoint: request.endpoint, isWrite: true)
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any], ActionsWire.bool(object["ok"]) == false {
            var error = CheckPointError.forStatus(422, message: CheckPointError.apiMessage(response.body), service: .hec, endpoint: request.endpoint)
            error.httpStatus = response.status
            error = error.adding("answer ok: false")
            throw error
        }
    }

    /// `POST /report/mis-classification` `{"requestData": {"entityIds", "classification", "confident"}}`; envelope 200.
    public func reportMisclassification(entityIDs: [String], classification: String, confidence: String, scope: String?) async throws {
        var data: [String: Any] = ["entityIds": entityIDs, "classification": classification, "confident": confidence]
        if let scope { data["scope"] = scope }
        _ = try await hecWrite(.post, "/report/mis-classification", requestData: data)
    }
}
