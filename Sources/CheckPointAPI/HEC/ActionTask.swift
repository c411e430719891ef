import Foundation

/// The status of an action task, from `GET /task/{taskId}` (its `responseData` is an object, not an array).
/// - SeeAlso: docs/checkpoint-api.md "HEC endpoints" (`GET /task/{id}`) (XS test_data, DOC "Action execution status").
public struct HECTask: Decodable, Sendable, Hashable {
    public var id: String
    public var name: String?
    public var type: String?
    public var status: String?
    public var created: Date?
    public var updated: Date?
    public var owner: String?
    public var customer: String?
    public var total: Int?
    public var succeed: Int?
    public var failed: Int?
    /// 0…1 (XS shows `1` when done).
    public var progress: Double?
    public var actions: [Action]

    /// One sub-action (per entity).
    public struct Action: Decodable, Sendable, Hashable {
        public var id: String?
        public var name: String?
        public var type: String?
        public var status: String?
        public var message: String?
        public var created: Date?
        public var updated: Date?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            id = c.str("action_id")
            name = c.str("action_name")
            type = c.str("action_type")
            status = c.str("action_status")
            message = c.str("action_message")
            created = c.date("action_created")
            updated = c.date("action_updated")
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        id = c.str("id") ?? ""
        name = c.str("name")
        type = c.str("type")
        status = c.str("status")
        created = c.date("created")
        updated = c.date("updated")
        owner = c.str("owner")
        customer = c.str("customer")
        total = c.int("total")
        succeed = c.int("succeed")
        failed = c.int("failed")
        progress = c.double("progress")
        actions = c.list("actions", of: Action.self)
    }

    /// Finished, whatever the outcome: `completed`, `failed`, `partial…`, `cancelled`, or all sub-tasks counted.
    public var isDone: Bool {
        let s = (status ?? "").lowercased()
        if ["completed", "complete", "done", "success", "succeeded", "failed", "failure", "error", "cancelled", "canceled",
            "partially_completed", "partial"].contains(s) { return true }
        if ["pending", "running", "in_progress", "queued", "new", "started"].contains(s) { return false }
        if let total, total > 0, let succeed, let failed, succeed + failed >= total { return true }
        return false
    }
}
