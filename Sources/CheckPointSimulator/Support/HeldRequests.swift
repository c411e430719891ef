import Foundation

/// Who is waiting to hear that the simulator holds a request it will never answer (a `timeout` fault, or a
/// `lost_answer` lost by timeout). A client under test tags a request with `header`; when that request is
/// held, its waiter returns. So an in-process test turns "the gateway never answers" into the transport's
/// timeout at once, on its own clock, instead of waiting out a real timeout (the fault matrix waited ~1 s per
/// case before).
final class HeldRequests: @unchecked Sendable {
    static let header = "x-sim-tag"

    private let lock = NSLock()
    private var waiters: [String: CheckedContinuation<Bool, Never>] = [:]
    /// Tags held before their waiter arrived.
    private var early: Set<String> = []

    /// Called by the router when it holds a request.
    func hold(_ headers: [String: String]) {
        guard let tag = headers[Self.header] else { return }
        let waiter: CheckedContinuation<Bool, Never>? = lock.withLock {
            if let w = waiters.removeValue(forKey: tag) { return w }
            early.insert(tag)
            return nil
        }
        waiter?.resume(returning: true)
    }

    /// True once the request tagged `tag` is held; false when the task is cancelled first.
    func wait(_ tag: String) async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now: Bool? = lock.withLock {
                    if early.remove(tag) != nil { return true }
                    if Task.isCancelled { return false }
                    waiters[tag] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            lock.withLock { waiters.removeValue(forKey: tag) }?.resume(returning: false)
        }
    }

    /// Forgets a tag whose request was answered (or abandoned), so `early` stays bounded.
    func forget(_ tag: String) { lock.withLock { _ = early.remove(tag) } }
}

extension SimulatorServer {
    /// The header a client sets to a tag of its choice for `unlessHeld`.
    public static var holdTagHeader: String { HeldRequests.header }

    /// Runs `send` (a request carrying `holdTagHeader: tag`). If the simulator holds that request (it will
    /// never answer), `send` is cancelled and `held` decides the outcome instead, e.g. the transport's
    /// timeout on the test's clock. `send` must end when cancelled.
    public func unlessHeld<T: Sendable>(
        tag: String, _ send: @escaping @Sendable () async throws -> T, held: @escaping @Sendable () throws -> T
    ) async throws -> T {
        let registry = heldRequests
        defer { registry.forget(tag) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await send() }
            group.addTask { await registry.wait(tag) ? try held() : nil }
            while let next = try await group.next() {
                if let value = next {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }
}
