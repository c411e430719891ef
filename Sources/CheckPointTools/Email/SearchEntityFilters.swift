import CheckPointAPI
import MCPCore

/// The detection, direction, sender and free-operator filters of `search_entities`: everything XSOAR's
/// `search_emails` offers beyond the basic address/subject/verdict filters, so "invoice in the subject, not
/// from our own domain" or "Microsoft said phishing, Check Point said clean" is one call.
/// - SeeAlso: docs/checkpoint-api.md "Detection filters"; docs/email-tools.md "search_entities".
enum SearchEntityFilters {
    /// `conditions[].field` → `entityPayload` attribute.
    static let fields: KeyValuePairs<String, String> = [
        "sender": "fromEmail", "sender_domain": "fromDomain", "sender_name": "fromName", "recipient": "recipients",
        "subject": "subject", "link": "emailLinks", "attachment_name": "attachments.name", "reply_to": "replyToEmail",
    ]
    static let maxConditions = 10

    static let keys = ["cp_detections", "ms_detections", "detection_op", "cp_quarantine", "ms_quarantine", "direction", "sender_name",
                       "sender_ip", "sender_client_ip", "conditions"]

    static let properties: [(String, JSONValue)] = [
        ("cp_detections", Schema.array(Schema.string(enum: DetectionFilter.cp))),
        ("ms_detections", Schema.array(Schema.string(enum: DetectionFilter.ms))),
        ("detection_op", Schema.string(enum: ["OR", "AND"], default: "OR")),
        ("cp_quarantine", Schema.string(enum: DetectionFilter.cpQuarantine)),
        ("ms_quarantine", Schema.string(enum: DetectionFilter.msQuarantine)),
        ("direction", Schema.string(enum: ["incoming", "outgoing", "internal"])),
        ("sender_name", Schema.string("Contains.")),
        ("sender_ip", Schema.string()),
        ("sender_client_ip", Schema.string()),
        ("conditions", Schema.array(Schema.object([
            "field": Schema.string(enum: fields.map(\.key)),
            "op": Schema.string(enum: EntityQuery.textOperators),
            "value": Schema.string(),
        ], required: ["field", "op", "value"]), "All must hold.",
           maxItems: maxConditions)),
    ]

    /// `schema` (search_entities' input schema) with these properties added.
    static func extend(_ schema: JSONValue) -> JSONValue {
        guard var o = schema.objectValue, var props = o["properties"]?.objectValue else { return schema }
        for (k, v) in properties { props[k] = v }
        o["properties"] = .object(props)
        return .object(o)
    }

    static func apply(_ f: JSONArguments, to q: inout EntityQuery) throws {
        q.cpDetections = try (f.strings("cp_detections") ?? []).map { try JSONArguments.match($0, DetectionFilter.cp, field: "cp_detections") }
        q.msDetections = try (f.strings("ms_detections") ?? []).map { try JSONArguments.match($0, DetectionFilter.ms, field: "ms_detections") }
        q.detectionsAll = try f.enumeration("detection_op", ["OR", "AND"]) == "AND"
        q.cpQuarantinedState = try f.enumeration("cp_quarantine", DetectionFilter.cpQuarantine)
        q.msQuarantinedState = try f.enumeration("ms_quarantine", DetectionFilter.msQuarantine)
        q.direction = try f.enumeration("direction", ["incoming", "outgoing", "internal"])
        q.senderName = try f.string("sender_name")
        q.senderServerIP = try f.string("sender_ip")
        q.senderClientIP = try f.string("sender_client_ip")
        guard let list = f.object["conditions"], !list.isNull else { return }
        guard let items = list.arrayValue, items.count <= maxConditions else {
            throw ToolInputError(field: "conditions", "must be an array of at most \(maxConditions) {field, op, value}")
        }
        q.extraConditions = try items.enumerated().map { n, item in
            let c = JSONArguments(item.objectValue ?? [:])
            let field = "conditions[\(n)]"
            guard let name = try c.string("field"), let attr = fields.first(where: { $0.key == name })?.value else {
                throw ToolInputError(field: field + ".field", "must be one of \(fields.map(\.key).joined(separator: ", "))")
            }
            guard let op = try c.enumeration("op", EntityQuery.textOperators), let value = try c.string("value"), !value.isEmpty else {
                throw ToolInputError(field: field, "needs op (\(EntityQuery.textOperators.joined(separator: ", "))) and a non-empty value")
            }
            return EntityQuery.Condition(attribute: "entityPayload." + attr, op: op, value: name == "sender_domain" && value.hasPrefix("@") ? String(value.dropFirst()) : value)
        }
    }
}
