import Foundation
import Testing
@testable import CheckPointAPI

/// Everything the client said (log lines, error descriptions) and every token it held, for the scan.
final class SecretScan: @unchecked Sendable {
    static let shared = SecretScan()
    private let lock = NSLock()
    private var lines: [String] = []
    private var tokens: Set<String> = []

    func record(_ line: String) { lock.withLock { lines.append(line) } }
    func sawToken(_ token: String) { lock.withLock { _ = tokens.insert(token) } }

    /// Lines containing the secret or any token (should be none), and how much was scanned.
    func leaks(secrets: [String]) -> (leaks: [String], lines: Int, tokens: Int) {
        lock.withLock {
            let needles = secrets + Array(tokens)
            return (lines.filter { line in needles.contains { !$0.isEmpty && line.contains($0) } }, lines.count, tokens.count)
        }
    }
}

/// Runs `body`, expecting a `CheckPointError`; records its description for the scan.
func expectError<T>(_ kind: CheckPointError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: () async throws -> T) async -> CheckPointError? {
    do {
        _ = try await body()
        Issue.record("expected a \(kind) error, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as CheckPointError {
        SecretScan.shared.record(error.description)
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("not a CheckPointError: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// `requestData` of `/search/query` for a window, as XSOAR and the docs send it.
struct SearchRequestData: Encodable, Sendable {
    struct EntityFilter: Encodable, Sendable {
        var saas: String
        var startDate: String
        var endDate: String?
    }
    var entityFilter: EntityFilter
    var scrollId: String?
}

/// The parts of an entity the tests look at.
struct EntityRow: Decodable, Sendable {
    struct Info: Decodable, Sendable {
        var entityId: String
        var entityCreated: Date
    }
    var entityInfo: Info
    var id: String { entityInfo.entityId }
}

func days(_ n: Double) -> TimeInterval { n * 86_400 }
