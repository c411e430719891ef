import Foundation

/// One HTTP call to a Check Point service, before auth and retries are applied.
public struct APIRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE" }

    public var service: Service
    public var method: Method
    /// Relative to the service root: `/search/query` for HEC (root `/app/hec-api/v1.0`),
    /// `/external_api/v1/device_status/` for Harmony Mobile (root `/app/SBM`).
    public var path: String
    public var query: [(name: String, value: String)]
    /// JSON body, already encoded.
    public var body: Data?
    /// Writes are never retried after an ambiguous failure (the request may have been applied).
    public var isWrite: Bool
    /// The `Accept` header: JSON everywhere but the raw-message download.
    public var accept = "application/json"
    /// A scroll continuation (`requestData.scrollId` set): the gateway moves its cursor when it serves one,
    /// so sending it again after a lost answer would silently skip a page. Like a write, it is never
    /// re-sent once it may have reached the gateway; the error says so (`CheckPointError.lostContinuation`)
    /// and the walk re-reads the window instead.
    public var isContinuation: Bool

    public init(
        _ service: Service, _ method: Method, _ path: String, query: [(name: String, value: String)] = [],
        body: Data? = nil, isWrite: Bool = false, isContinuation: Bool = false
    ) {
        self.isContinuation = isContinuation
        self.service = service
        self.method = method
        self.path = path
        self.query = query
        // A POST/PUT/PATCH never goes out bodyless: without a body curl sends no Content-Length, which some
        // gateways and proxies reject (411) or hold open. Check Point's XSOAR client sends a JSON body on
        // every write; `{}` is the empty one (HEC writes wrap it as `{"requestData": {}}`, see `hecWrite`).
        self.body = body ?? ([.post, .put, .patch].contains(method) ? Data("{}".utf8) : nil)
        self.isWrite = isWrite
    }

    /// "METHOD /path", the form used in errors, logs and simulator stats; never contains secrets.
    public var endpoint: String { "\(method.rawValue) \(path)" }
}

/// A raw HTTP answer after retries.
public struct APIResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
