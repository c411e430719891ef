import Foundation

/// `/_sim/*`: stats, faults and reset. No auth; these never count as API traffic.
struct Control {
    let state: SimState

    func handle(_ req: HTTPRequest) -> HTTPResponse {
        switch (req.method, req.path) {
        case ("GET", "/_sim/stats"):
            return .json(200, state.sync { Self.statsJSON($0.stats) })
        case ("GET", "/_sim/faults"):
            return .json(200, ["faults": state.sync { $0.faults.map(\.jsonObject) }])
        case ("POST", "/_sim/faults"):
            return addFaults(req)
        case ("DELETE", "/_sim/faults"):
            state.sync { $0.faults = [] }
            return .json(200, ["faults": [Any]()])
        case ("POST", "/_sim/reset"):
            let tenant = ["1", "true", "yes"].contains(req.query["tenant"] ?? "")
            state.sync { s in
                s.faults = []
                s.stats = Stats()
                if tenant { s.regenerate() } else { s.restoreSeedState() }
            }
            return .json(200, ["reset": true, "tenant": tenant])
        case ("GET", "/_sim/health"):
            return .json(200, ["ok": true])
        default:
            return .json(404, ["detail": "Unknown control endpoint. Use GET /_sim/stats, GET|DELETE /_sim/requests[?route=METHOD%20/path], GET|POST|DELETE /_sim/faults, POST /_sim/reset[?tenant=1]"])
        }
    }

    private func addFaults(_ req: HTTPRequest) -> HTTPResponse {
        let body = req.json()
        let objects: [[String: Any]]
        if let one = body as? [String: Any] { objects = [one] } else if let many = body as? [[String: Any]] { objects = many }
        else { return .json(400, ["error": "POST a JSON object (or array of objects) like {\"kind\": \"latency\", \"latency_ms\": 50}"]) }
        do {
            let faults = try objects.map { try SimulatorFault.parse(json: $0) }
            var stored: [SimulatorFault] = []
            state.sync { s in
                for f in faults {
                    if f.kind == .expireToken && f.route == nil { s.expireAllTokens() } else { s.faults.append(f); stored.append(f) }
                }
            }
            return .json(200, ["added": faults.map(\.jsonObject), "active": state.sync { $0.faults.map(\.jsonObject) }])
        } catch {
            return .json(400, ["error": "\(error)", "help": SimulatorFault.optionHelp])
        }
    }

    static func statsJSON(_ s: Stats) -> [String: Any] {
        [
            "auth_calls": s.authCalls, "auth_failures": s.authFailures, "requests": s.requests,
            "total_requests": s.requests.values.reduce(0, +), "per_key": s.perKey, "statuses": s.statuses,
            "faults_applied": s.faultsApplied, "max_concurrent": s.maxConcurrent, "in_flight": s.inFlight,
        ]
    }
}
