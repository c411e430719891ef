import Foundation

/// Placeholder until the exception lists land.
final class ExceptionStore: @unchecked Sendable {
    init(seed: UInt64, now: Date) {}
}

struct HECExceptions {
    let ctx: HECContext
    func handle(_ method: String, _ p: [String]) throws(ErrorResponse) -> HTTPResponse {
        .json(404, ["detail": "Not Found"])
    }
}
