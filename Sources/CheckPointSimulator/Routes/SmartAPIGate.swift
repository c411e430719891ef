import Foundation

/// The legacy Avanan Smart API under `/v1.0/...`: `GET /v1.0/auth` hands out a token (the raw JWT text) for a
/// correctly signed request, and every data call must carry `x-av-token` and a valid `x-av-sig` over
/// `reqId + appId + date + requestString + secret`, `requestString` being the request target as sent. A
/// checked call is then served by the same HEC routes as the Infinity Portal gateway. The HEC and MSP key
/// pairs work in both forms (app id = client id, secret = access key). `x-av-date` is signed but its skew is
/// not checked.
/// - SeeAlso: checkpoint-api.md "Auth"; docs/simulator.md "Smart API".
struct SmartAPIGate {
    let state: SimState
    static let prefix = "/v1.0"

    static func signature(_ parts: String...) -> String { SimSHA256.hex(Data(parts.joined().utf8).base64EncodedString()) }

    func handle(_ req: HTTPRequest) -> HTTPResponse {
        let rest = String(req.path.dropFirst(Self.prefix.count))
        guard let reqID = req.headers["x-av-req-id"], UUID(uuidString: reqID) != nil,
              let appID = req.headers["x-av-app-id"], !appID.isEmpty,
              let date = req.headers["x-av-date"], !date.isEmpty, let sig = req.headers["x-av-sig"]
        else {
            return .json(400, ["message": "Missing or malformed x-av-req-id, x-av-app-id, x-av-date or x-av-sig"])
        }
        let o = state.options
        let pairs: [(String, String, KeyKind)] = [(o.clientID, o.clientSecret, .hec), (o.mspClientID, o.mspClientSecret, .msp)]
        guard let (_, secret, kind) = pairs.first(where: { $0.0 == appID }) else {
            return .json(401, ["message": "Unknown app id"])
        }
        if rest == "/auth" {
            state.sync { $0.stats.authCalls += 1 }
            guard req.method == "GET" else { return Router.methodNotAllowed() }
            guard sig == Self.signature(reqID, appID, date, secret) else {
                state.sync { $0.stats.authFailures += 1 }
                return .json(401, ["message": "Invalid signature"])
            }
            let (token, info) = state.sync { $0.issueToken(kind: kind, clientID: appID) }
            // A JWT-shaped token whose `exp` claim carries the lifetime, as the real one does.
            let claims = Data("{\"exp\": \(Int(info.expires.timeIntervalSince1970)), \"appId\": \"\(appID)\"}".utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            return .text(200, "eyJhbGciOiJub25lIn0.\(claims).\(token.dropFirst("sim.".count))")
        }
        guard sig == Self.signature(reqID, appID, date, req.target, secret) else {
            return .json(401, ["message": "Invalid signature"])
        }
        guard let jwt = req.headers["x-av-token"], let raw = jwt.split(separator: ".").last else { return Gate.unauthorized }
        var inner = req
        inner.headers["authorization"] = "Bearer sim." + raw
        return HECRouter(state: state).handle(inner, path: rest)
    }
}
