// Run through scripts/live-check only (it refuses CI, tests and non-terminals). Compares the JSON shape of each
// read endpoint's live answer with the recorded answer in Tests/Fixtures: same path-and-type walk as the
// simulator's shape tests. Prints paths and JSON types, never values.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let env = ProcessInfo.processInfo.environment
let fixtures = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Tests/Fixtures")
let hosts = ["us": "cloudinfra-gw-us.portal.checkpoint.com", "eu": "cloudinfra-gw.portal.checkpoint.com",
             "au": "cloudinfra-gw.ap.portal.checkpoint.com", "ca": "cloudinfra-gw.ca.portal.checkpoint.com",
             "uk": "cloudinfra-gw.uk.portal.checkpoint.com", "ae": "cloudinfra-gw.ae.portal.checkpoint.com",
             "uae": "cloudinfra-gw.ae.portal.checkpoint.com", "me": "cloudinfra-gw.me.portal.checkpoint.com",
             "in": "cloudinfra-gw.in.portal.checkpoint.com"]

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("live-check: \(text)\n".utf8))
    exit(2)
}

let gateway: URL = resolveGateway()

func resolveGateway() -> URL {
if let raw = env["CHECKPOINT_GATEWAY_URL"], let u = URLComponents(string: raw), let host = u.host {
    var c = URLComponents()
    c.scheme = u.scheme
    c.host = host
    c.port = u.port
    return c.url!
}
let region = (env["CHECKPOINT_REGION"] ?? "eu").lowercased()
guard let host = hosts[region] else { fail("unknown CHECKPOINT_REGION \(region)") }
return URL(string: "https://\(host)")!
}
guard gateway.scheme == "https", let host = gateway.host, !["localhost", "::1"].contains(host), !host.hasPrefix("127.") else {
    fail("the gateway must be a real https Check Point gateway, not \(gateway.absoluteString)")
}

func call(_ method: String, _ path: String, body: Any? = nil, token: String? = nil) async throws -> Any? {
    var r = URLRequest(url: gateway.appendingPathComponent(path), timeoutInterval: 30)
    r.httpMethod = method
    if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    r.setValue(UUID().uuidString.lowercased(), forHTTPHeaderField: "x-av-req-id")
    if let body {
        r.httpBody = try JSONSerialization.data(withJSONObject: body)
        r.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: r)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    guard (200..<300).contains(status) else { print("  \(method) \(path): HTTP \(status)"); return nil }
    return try? JSONSerialization.jsonObject(with: data)
}

/// path → JSON types, as the shape tests compute it.
func shape(_ values: [Any]) -> [String: Set<String>] {
    var out: [String: Set<String>] = [:]
    func type(_ v: Any) -> String {
        switch v {
        case is NSNull: return "null"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        case let n as NSNumber: return String(describing: Swift.type(of: n)).contains("Boolean") ? "bool" : "number"
        default: return "?"
        }
    }
    func add(_ v: Any, _ path: String) {
        out[path, default: []].insert(type(v))
        if let o = v as? [String: Any] {
            let dynamic = path.hasSuffix("reasons_by_category")
            for (k, c) in o { add(c, (path.isEmpty ? "" : path + ".") + (dynamic ? "*" : k)) }
        } else if let a = v as? [Any] {
            for c in a { add(c, path + "[]") }
        }
    }
    for v in values { add(v, "") }
    return out
}

func compare(_ name: String, live: Any?, recorded files: [String]) throws {
    print("\n== \(name)")
    guard let live else { print("  no answer to compare"); return }
    let recorded = shape(try files.map { try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent($0))) })
    let seen = shape([live])
    var differences = 0
    for (path, types) in recorded.sorted(by: { $0.key < $1.key }) {
        guard let liveTypes = seen[path] else {
            // An empty live list cannot show its items' paths.
            if path.contains("[]") { continue }
            print("  missing live:   \(path)"); differences += 1; continue
        }
        let r = types.subtracting(["null"]), l = liveTypes.subtracting(["null"])
        if !r.isEmpty, !l.isEmpty, !l.isSubset(of: r) { print("  type changed:   \(path): recorded \(r.sorted()), live \(l.sorted())"); differences += 1 }
    }
    for path in seen.keys.sorted() where recorded[path] == nil {
        print("  new live:       \(path) \(seen[path]!.sorted())"); differences += 1
    }
    print(differences == 0 ? "  same shape as recorded" : "  \(differences) difference(s)")
}

let auth = try await call("POST", "/auth/external", body: ["clientId": env["CHECKPOINT_CLIENT_ID"]!, "accessKey": env["CHECKPOINT_CLIENT_SECRET"]!])
guard let token = ((auth as? [String: Any])?["data"] as? [String: Any])?["token"] as? String else { fail("authentication failed") }
let hec = "/app/hec-api/v1.0"
let x = "hec/xsoar/checkpointhec-"
let now = Date()
let iso = ISO8601DateFormatter()
let day = ["startDate": iso.string(from: now.addingTimeInterval(-86_400)), "endDate": iso.string(from: now)]

try compare("GET /scopes", live: try await call("GET", hec + "/scopes", token: token), recorded: [x + "get_scopes.json"])
let search = try await call("POST", hec + "/search/query", body: ["requestData": ["entityFilter": day.merging(["saas": "office365_emails"]) { $1 }]], token: token)
try compare("POST /search/query (24 h, first page)", live: search, recorded: [x + "search_emails.json"])
if let id = ((((search as? [String: Any])?["responseData"] as? [[String: Any]])?.first)?["entityInfo"] as? [String: Any])?["entityId"] as? String {
    try compare("GET /search/entity/{id}", live: try await call("GET", hec + "/search/entity/" + id, token: token),
                recorded: [x + "get_entity.json", x + "search_emails.json"])
}
try compare("POST /event/query (24 h, first page)", live: try await call("POST", hec + "/event/query", body: ["requestData": day], token: token),
            recorded: [x + "query_events.json"])
try compare("GET /exceptions/whitelist", live: try await call("GET", hec + "/exceptions/whitelist", token: token), recorded: [x + "get_ap_exceptions.json"])
// No body: URLSession on Linux cannot send a GET body (the server itself sends one through libcurl).
try compare("GET /sectool-exceptions/checkpoint2/exceptions/hash (look for a paging key in new paths)",
            live: try await call("GET", hec + "/sectool-exceptions/checkpoint2/exceptions/hash", token: token),
            recorded: [x + "get_cp2_exception.json"])
try compare("GET /sectools/click_time_protection/exceptions", live: try await call("GET", hec + "/sectools/click_time_protection/exceptions", token: token),
            recorded: [x + "get_ctp_lists.json"])
try compare("GET /sectools/click_time_protection/exceptions/items", live: try await call("GET", hec + "/sectools/click_time_protection/exceptions/items", token: token),
            recorded: [x + "get_ctp_list_items.json"])
try compare("GET /sectools/anomaly/exceptions", live: try await call("GET", hec + "/sectools/anomaly/exceptions", token: token),
            recorded: [x + "get_anomaly_exceptions.json"])
print("\nSend the differences (paths and types only) with an issue; docs/checkpoint-api.md lists the open questions.")
