import MCPCore

/// The resource templates: an email, its raw message, a security event, a Mobile device and an action task, each by id.
/// Reading one runs the read tool that shows the same thing, with the same arguments an agent would pass,
/// so a resource is exactly what the tool shows (untrusted text fenced the same way) and never a second
/// rendering to keep in step. Templates of tools this server does not serve (toolsets) are not listed.
/// - SeeAlso: docs/protocol.md "Resources".
public enum ResourceCatalog {
    struct Entry {
        var template: ResourceTemplate
        var tool: String
        /// The tool's arguments for the URI's variables; `nil` when the value cannot be an id of this kind.
        var arguments: @Sendable ([String: String]) -> JSONObject?
    }

    static let email = ResourceTemplate(
        uriTemplate: "checkpoint://email/{entity_id}", name: "email", title: "Email (HEC entity)",
        description: "One email by its entity id (32 hex characters, from search_entities): verdicts, reasons, sender, recipients, attachments and links, as get_entity_details shows them.")
    static let rawEmail = ResourceTemplate(
        uriTemplate: "checkpoint://email/{entity_id}/raw", name: "raw_email", title: "Raw email (message/rfc822)",
        description: "One email's raw message by entity id, as download_email returns it: the message/rfc822 bytes (base64 blob, capped at 1 MiB) and its fenced summary.")
    static let event = ResourceTemplate(
        uriTemplate: "checkpoint://event/{event_id}", name: "security_event", title: "HEC security event",
        description: "One security event by id (from get_security_events), looked up over the last 90 days, as get_security_events shows it.")
    static let device = ResourceTemplate(
        uriTemplate: "checkpoint://mobile/device/{device_id}", name: "mobile_device", title: "Harmony Mobile device",
        description: "One Harmony Mobile device by its numeric id (from search_mobile_devices), as get_mobile_device shows it.")
    static let task = ResourceTemplate(
        uriTemplate: "checkpoint://task/{task_id}", name: "task", title: "HEC action task",
        description: "One action task by id (quarantine, restore, ... return one), as get_task_status shows it.")

    static let entries: [Entry] = [
        Entry(template: email, tool: "get_entity_details") { v in v["entity_id"].map { ["entity_id": .string($0)] } },
        Entry(template: rawEmail, tool: "download_email") { v in v["entity_id"].map { ["entity_id": .string($0)] } },
        Entry(template: event, tool: "get_security_events") { v in
            v["event_id"].map { ["event_ids": [.string($0)], "duration": "90d"] }
        },
        Entry(template: device, tool: "get_mobile_device") { v in
            v["device_id"].flatMap { Int64($0) }.flatMap { $0 >= 0 ? ["device_id": .int($0)] : nil }
        },
        Entry(template: task, tool: "get_task_status") { v in v["task_id"].map { ["task_ids": [.string($0)]] } },
    ]

    /// The providers for the tools in `served`.
    static func providers(_ served: [ToolSpec], env: ToolEnvironment) -> [ResourceProvider] {
        let validator = SchemaValidator()
        return entries.compactMap { entry in
            guard let spec = served.first(where: { $0.definition.name == entry.tool }) else { return nil }
            let template = entry.template
            let toArguments = entry.arguments
            return ResourceProvider(template: template) { uri, variables, context in
                guard let arguments = toArguments(variables),
                      validator.validate(.object(arguments), against: spec.definition.inputSchema).isEmpty else {
                    throw ResourceReadError.notFound("Resource not found: \(uri) is not a valid \(template.title) URI (\(template.uriTemplate)).")
                }
                let result = try await spec.tool(in: env).handler(arguments, context)
                let text = result.content.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
                if result.isError {
                    // ErrorText and ToolNotFound start a missing item's text with "Not found:".
                    if text.hasPrefix("Not found:") { throw ResourceReadError.notFound(text) }
                    throw ResourceReadError.failed(text)
                }
                // download_email embeds the raw message as a resource: it becomes the read's first contents,
                // byte for byte, with the tool's summary after it.
                let embedded: [ResourceContents] = result.content.compactMap { block in
                    guard block["type"]?.stringValue == "resource", let r = block["resource"],
                          let mime = r["mimeType"]?.stringValue else { return nil }
                    if let blob = r["blob"]?.stringValue { return ResourceContents(uri: uri, mimeType: mime, base64: blob) }
                    return r["text"]?.stringValue.map { ResourceContents(uri: uri, mimeType: mime, text: $0) }
                }
                return embedded + [ResourceContents(uri: uri, mimeType: "text/plain", text: text)]
            }
        }
    }
}

/// `resource_link` content blocks for the rows of a search or list, so a client can open a row without
/// another tool call. Only the first `maxLinks` rows get one: a link is ~140 bytes (measured: 10 links add
/// 1.4 KB, under 1% of a 300-row search's 183 KB), and links for every row would add 42 KB nobody opens.
/// No `mimeType` per link: the template's listing says it once.
public enum ResourceLinks {
    static let maxLinks = 10

    static func add(_ links: [JSONValue], to result: ToolResult) -> ToolResult {
        guard !links.isEmpty else { return result }
        var r = result
        r.content += links.prefix(maxLinks)
        return r
    }

    static func link(_ template: ResourceTemplate, _ values: [String: String], name: String) -> JSONValue {
        ["type": "resource_link", "uri": .string(template.expand(values)), "name": .string(name)]
    }

    static func email(_ id: String) -> JSONValue { link(ResourceCatalog.email, ["entity_id": id], name: "email \(id)") }
    static func event(_ id: String) -> JSONValue { link(ResourceCatalog.event, ["event_id": id], name: "event \(id)") }
    static func task(_ id: String) -> JSONValue { link(ResourceCatalog.task, ["task_id": id], name: "task \(id)") }
    static func device(_ id: Int) -> JSONValue { link(ResourceCatalog.device, ["device_id": String(id)], name: "device \(id)") }
}
