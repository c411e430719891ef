import Foundation

/// Settings read from the environment. SKELETON: the client work fills in parsing and validation.
/// A missing or malformed setting is kept as a `problem` (which variable, what form), never a crash;
/// the server reports it at startup and in every tool result that needs the service.
public struct Configuration: Sendable {
    public var gatewayURL: URL?
    public var problems: [String]

    public init(gatewayURL: URL?, problems: [String] = []) {
        self.gatewayURL = gatewayURL
        self.problems = problems
    }
}
