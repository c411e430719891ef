import Foundation

/// One parsed HTTP/1.1 request as the simulator sees it.
struct HTTPRequest: Sendable {
    var method: String
    /// The path without the query string, percent-decoding left to the routes (paths here are plain ASCII).
    var path: String
    /// Query parameters, percent-decoded; a repeated name keeps its last value.
    var query: [String: String]
    /// Header names lower-cased.
    var headers: [String: String]
    var body: Data
    var keepAlive: Bool
    /// The request target exactly as sent (path and query, still percent-encoded): what a Smart API signature covers.
    var target: String = ""

    /// "METHOD /path": the key used by stats and fault routes.
    var routeKey: String { "\(method) \(path)" }

    /// The body as a JSON value, or nil when there is none or it is not JSON.
    func json() -> Any? {
        guard !body.isEmpty else { return nil }
        return try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    }

    static func parseQuery(_ raw: Substring) -> [String: String] {
        var out: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            out[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }

    private static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}

/// A response ready to serialise.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: Data = Data()

    static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: data)
    }

    static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Data(text.utf8))
    }

    /// The serialised head and body. 204 and 304 carry no body and no Content-Length (RFC 9110 §8.6).
    func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let bodyless = status == 204 || status == 304
        if !bodyless { head += "Content-Length: \(body.count)\r\n" }
        head += "Date: \(HTTPDate.rfc1123(Date()))\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        if !bodyless { bytes.append(contentsOf: body) }
        return bytes
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 413: return "Payload Too Large"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status \(status)"
        }
    }
}

/// What the connection does with a request: answer it, or misbehave on purpose (fault injection).
enum Reply: Sendable {
    case response(HTTPResponse)
    /// Accept and never answer until the client gives up or the server stops.
    case hang
    /// Send part of a response, then reset the connection.
    case reset
    /// Close the connection without sending a byte (the request was already served).
    case closeSilently
    /// HTTP 200 with a `Content-Length` of `bytes` and a body streamed until the client hangs up.
    case hugeBody(bytes: Int)
    /// HTTP 200 with a chunked body that never ends.
    case endlessBody
}
