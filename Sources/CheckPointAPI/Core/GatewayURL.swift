import Foundation

/// Validation of `CHECKPOINT_GATEWAY_URL`: the secret is sent there, so only HTTPS, or plain HTTP to
/// this machine's loopback (the simulator), is accepted. A typo or an injected value must not send the
/// key in clear text to a stranger.
enum GatewayURL {
    struct Refusal: Error { var text: String }

    /// The gateway is scheme, host and port only: every path is ours to add (`/auth/external`,
    /// `/app/hec-api/v1.0/...`). The Infinity Portal shows an "Authentication URL" ending in `/auth/external`,
    /// which people paste here; any path is dropped, and `note` says so.
    static func parse(_ raw: String) -> Result<(url: URL, note: String?), Refusal> {
        guard let components = URLComponents(string: raw), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            return .failure(Refusal(text: "=\"\(raw)\" is not a URL; expected https://HOST[:PORT] (or http://127.0.0.1:PORT for a local simulator)"))
        }
        if components.user != nil || components.password != nil {
            return .failure(Refusal(text: " must not contain a user or password; expected https://HOST[:PORT]"))
        }
        if components.query != nil || components.fragment != nil {
            return .failure(Refusal(text: "=\"\(raw)\" must not have a query or fragment; expected https://HOST[:PORT]"))
        }
        switch scheme {
        case "https": break
        case "http":
            guard isLoopback(host) else {
                return .failure(Refusal(text: "=\"\(raw)\" uses plain http to a non-loopback host; the API key would travel unencrypted. Use https://, or http only for 127.0.0.1, ::1 or localhost"))
            }
        default:
            return .failure(Refusal(text: "=\"\(raw)\" has scheme \"\(scheme)\"; expected https:// (or http:// to a loopback address)"))
        }
        var clean = URLComponents()
        clean.scheme = scheme
        clean.host = components.host
        clean.port = components.port
        guard let url = clean.url else {
            return .failure(Refusal(text: "=\"\(raw)\" is not a URL; expected https://HOST[:PORT]"))
        }
        let path = components.path
        let note = path.isEmpty || path == "/" ? nil
            : "=\"\(raw)\" has a path (\(path)); only the gateway is used: \(url.absoluteString) (the client adds /auth/external and the API paths itself)"
        return .success((url, note))
    }

    /// 127.0.0.0/8, ::1 and localhost. Names other than `localhost` are not resolved: a name could point anywhere.
    static func isLoopback(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}
