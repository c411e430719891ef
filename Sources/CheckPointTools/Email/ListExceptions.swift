import CheckPointAPI
import Foundation
import MCPCore

/// `list_exceptions`: the allow and block lists (anti-phishing, spam, URL, anti-malware, DLP, click-time).
/// - SeeAlso: checkpoint-api.md "Exceptions (updates and anomaly rules)".
enum ListExceptions {
    static let name = "list_exceptions"
    static let allLists = HECExceptionList.allCases.map(\.rawValue)
    /// What "all" reads: every list except anomaly rules, which are not allow/block entries.
    static let defaultLists = HECExceptionList.allCases.filter { $0 != .anomaly }

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "List allow/block lists",
            description: "Allow/block list entries (anti-phishing, spam, URL, anti-malware, DLP, click-time); a list the tenant lacks is reported, not fatal. Ids go to update_exception or delete_exception. Example: {\"list\": \"whitelist\"}",
            inputSchema: Schema.object([
                "list": Schema.string(enum: ["all"] + allLists, default: "all"),
                "contains": Schema.string("Text in any field."),
                "scope": EmailArgs.scope,
            ]),
            outputSchema: OutputSchema.object(required: ["lists", "complete"], collections: [
                ("lists", OutputSchema.array(OutputSchema.object(required: ["list", "available", "entries"],
                                                                 collections: [("entries", OutputSchema.objects)]))),
            ]),
            annotations: EmailArgs.readAnnotations),
        handler: { args, env, _ in
            let a = JSONArguments(args)
            let choice = try a.enumeration("list", ["all"] + allLists) ?? "all"
            let lists = choice == "all" ? defaultLists : [HECExceptionList(rawValue: choice)!]
            let filter = try a.string("contains")?.lowercased()
            let scope = try a.string("scope")
            var results: [(HECExceptionList, Result<ExceptionListRead, CheckPointError>)] = []
            for list in lists {
                try Task.checkCancellation()
                do {
                    var read = try await env.hec.exceptions(list, scope: scope)
                    if let filter {
                        read.items = read.items.filter { $0.attributes.contains { $0.value.lowercased().contains(filter) } }
                    }
                    results.append((list, .success(read)))
                } catch let e as CheckPointError where e.kind != .cancelled && lists.count > 1 {
                    results.append((list, .failure(e)))
                }
            }
            return render(results, demo: env.demo)
        })

    static func render(_ results: [(HECExceptionList, Result<ExceptionListRead, CheckPointError>)], demo: Bool) -> ToolResult {
        var lists: [JSONValue] = []
        var unavailable: [String] = []
        var partial: [String] = []
        let total = results.reduce(0) { $0 + ((try? $1.1.get().items.count) ?? 0) }
        var report = TextReport("\(total) entr\(total == 1 ? "y" : "ies") in \(results.count) list\(results.count == 1 ? "" : "s").", demo: demo)
        report.untrustedNotice()
        for (list, result) in results {
            switch result {
            case .success(let read):
                let items = read.items
                if !read.complete { partial.append(list.rawValue) }
                lists.append([
                    "list": .string(list.rawValue), "check_point_name": .string(list.checkPointName), "available": true,
                    "error": read.complete ? .null : .string("partial: " + (read.note ?? "the end of the list was not reached")),
                    "count": .int(Int64(items.count)),
                    "entries": .array(items.map { item in
                        [
                            "id": .orNull(item.id), "value": .orNull(item.value), "comment": .orNull(item.comment),
                            "added_by": .orNull(item.addedBy), "updated": .orNull(item.updated.map(CheckPointDate.isoSeconds)),
                            "fields": .object(JSONObject(item.attributes.map { (key: $0.name, value: .string($0.value)) })),
                        ]
                    }),
                ])
                if items.isEmpty && read.complete && results.count > 1 { continue }
                report.section("\(list.rawValue) — \(list.checkPointName): \(items.count)" + (read.complete ? "" : " (PARTIAL: \(read.note ?? "end not reached"))"))
                for item in items {
                    var fields = [UntrustedText.quote(item.value, maxLength: 120)]
                    if let id = item.id, id != item.value { fields.append("id " + UntrustedText.quote(id, maxLength: 60)) }
                    if let c = item.comment { fields.append("comment " + UntrustedText.quote(c, maxLength: 80)) }
                    if let by = item.addedBy { fields.append("by " + UntrustedText.quote(by, maxLength: 60)) }
                    if let d = item.updated { fields.append(CheckPointDate.short(d)) }
                    report.line("- " + fields.joined(separator: " | "))
                }
            case .failure(let e):
                let why = e.kind == .permission
                    ? "not available: HTTP 403 — the tenant has no \(list.engine) licence, or the key's role cannot read it"
                    : "not available: " + ErrorText.text(e)
                unavailable.append(list.rawValue)
                lists.append([
                    "list": .string(list.rawValue), "check_point_name": .string(list.checkPointName), "available": false,
                    "error": .string(why), "count": 0, "entries": [],
                ])
                report.line("\(list.rawValue): \(why)")
            }
        }
        let empty = results.filter { (try? $0.1.get()).map { $0.items.isEmpty && $0.complete } == true }.map(\.0.rawValue)
        if results.count > 1 && !empty.isEmpty { report.line("Empty: " + empty.joined(separator: ", ")) }
        // "Complete" only when every list was read to its proven end (paged lists followed to the last page).
        if unavailable.isEmpty && partial.isEmpty {
            report.line("Complete: every requested list was read in full.")
        } else {
            if !unavailable.isEmpty { report.line("INCOMPLETE: \(unavailable.count) list(s) could not be read (see above).") }
            if !partial.isEmpty { report.line("INCOMPLETE: \(partial.joined(separator: ", ")) read only in part (see above).") }
        }
        return .success(text: report.text, structured: [
            "lists": .array(lists), "complete": .bool(unavailable.isEmpty && partial.isEmpty),
            "unavailable": .strings(unavailable),
        ])
    }
}
