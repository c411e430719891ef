import Foundation

/// The one entry point to the Check Point gateway for everything above this module.
///
/// SKELETON (interface fixed, body to be written by the client work): owns configuration, the token
/// cache per credential, the shared URLSession (created lazily, on the first upstream call, so
/// startup never loads the networking stack), the client-side rate limiter, and retries.
public final class CheckPointClient: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Sends one request with auth, limiter, retries and the deadline in `CallDeadline.current` applied.
    /// Throws `CheckPointError` only.
    public func send(_ request: APIRequest) async throws -> APIResponse {
        throw CheckPointError(.configuration, "not implemented yet", service: request.service, endpoint: request.endpoint)
    }
}

/// The overall deadline of the current tool call, carried as a task-local so that every request made
/// on the call's behalf (auth, pages, retries) respects it without threading it through signatures.
public enum CallDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?
}
