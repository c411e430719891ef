import Foundation
import MCPCore
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The write tests' own window on the simulator's HEC API (loopback only, made-up credentials): finding
/// ids to act on and re-reading state after a write, independently of the server under test.
struct EmailWriteSimAPI {
    let sim: SimProcess
    var clientID = SimProcess.clientID
    var clientSecret = SimProcess.clientSecret

    static let root = "/app/hec-api/v1.0"
    static let actionRoute = "POST /app/hec-api/v1.0/action/entity"

    func token() async throws -> String {
        let answer = try await sim.control("POST", "/auth/external", body: ["clientId": .string(clientID), "accessKey": .string(clientSecret)])
        return try #require(answer["data"]?["token"]?.stringValue)
    }

    func call(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        var request = URLRequest(url: sim.baseURL.appendingPathComponent(Self.root + path), timeoutInterval: 20)
        request.httpMethod = method
        request.setValue("Bearer " + (try await token()), forHTTPHeaderField: "Authorization")
        request.setValue(UUID().uuidString.lowercased(), forHTTPHeaderField: "x-av-req-id")
        if let body {
            request.httpBody = Data(body.wireText.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONValue.parse(Array(data))
    }

    /// Entity ids matching the filters, newest first, following scroll pages until `limit`.
    func entityIDs(
        days: Double = 8, extended: [JSONValue] = [], scope: String = "mt-prod-3:acme-demo", limit: Int = 100,
        where keep: (JSONValue) -> Bool = { _ in true }
    ) async throws -> [String] {
        let start = Date().addingTimeInterval(-days * 86_400)
        var ids: [String] = []
        var scroll: String?
        for _ in 0..<50 {
            var data: JSONObject = [
                "entityFilter": ["saas": "office365_emails", "startDate": .string(ISO8601DateFormatter().string(from: start))],
                "entityExtendedFilter": .array(extended), "scopes": [.string(scope)],
            ]
            if let scroll { data["scrollId"] = .string(scroll) }
            let page = try await call("POST", "/search/query", body: ["requestData": .object(data)])
            let rows = page["responseData"]?.arrayValue ?? []
            for row in rows where keep(row) {
                if let id = row["entityInfo"]?["entityId"]?.stringValue, !ids.contains(id) { ids.append(id) }
                if ids.count >= limit { return ids }
            }
            guard let next = page["responseEnvelope"]?["scrollId"]?.stringValue, !next.isEmpty, !rows.isEmpty else { break }
            scroll = next
        }
        return ids
    }

    /// `entityPayload` of one entity as the simulator has it now.
    func payload(_ id: String) async throws -> JSONValue {
        let answer = try await call("GET", "/search/entity/\(id)")
        return try #require(answer["responseData"]?.arrayValue?.first?["entityPayload"])
    }

    func isQuarantined(_ id: String) async throws -> Bool { try await payload(id)["isQuarantined"]?.boolValue ?? false }

    static let campaignSender = "billing@paypa1-secure.com"
    static func senderIs(_ sender: String) -> JSONValue {
        ["saasAttrName": "entityPayload.fromEmail", "saasAttrOp": "is", "saasAttrValue": .string(sender)]
    }
    static func flag(_ name: String, _ value: Bool) -> JSONValue {
        ["saasAttrName": .string("entityPayload.\(name)"), "saasAttrOp": "is", "saasAttrValue": .string(value ? "true" : "false")]
    }
}

extension MCPProcess {
    /// Calls a write tool and returns its result, failing the test on a protocol error.
    func write(_ tool: String, _ arguments: JSONObject, token: String? = nil, timeout: Duration = .seconds(60)) async throws -> ToolCallResult {
        var args = arguments
        if let token { args["confirmation_token"] = .string(token) }
        let response = try await callTool(tool, .object(args), timeout: timeout)
        return try #require(response.toolResult, "no tool result: \(response.wireText)")
    }
}

extension ToolCallResult {
    var status: String? { structured?["status"]?.stringValue }
    var token: String? { structured?["confirmation_token"]?.stringValue }
    /// `results` of an executed write, by id.
    var outcomes: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for r in structured?["results"]?.arrayValue ?? [] { if let id = r["id"]?.stringValue { out[id] = r } }
        return out
    }
}

/// Audit lines a server wrote to stderr (JSON objects with `"audit":"checkpoint-mcp"`).
func auditLines(_ text: String) -> [JSONValue] {
    text.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("{\"audit\":\"checkpoint-mcp\"") else { return nil }
        return try? JSONValue.parse(Array(line.utf8))
    }
}
