import Foundation

struct MobileTenant: Sendable {
    init(seed: UInt64, now: Date) {}
}

struct MobileRouter {
    let state: SimState
    func handle(_ req: HTTPRequest, path: String) -> HTTPResponse {
        switch Gate.authorize(req, state, for: .mobile) {
        case .success: return .json(404, ["detail": "Not Found"])
        case .failure(let e): return e.response
        }
    }
}
