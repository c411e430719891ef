import Foundation
import MCPCore

/// One line the server wrote to stdout: its bytes and, if they parsed, the JSON value.
struct StdoutLine: Sendable {
    var bytes: [UInt8]
    var json: JSONValue?
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Every stdout line of a server, and the tests waiting for particular messages.
///
/// A waiter either peeks (responses: ids are unique) or consumes (notifications: `nextNotification`
/// hands each one out once, in order). All waits are bounded and end early with an error when the
/// server closes stdout, so a dead or stuck server fails the test quickly.
/// A lock rather than an actor: the reader thread delivers lines synchronously.
final class MessageLog: @unchecked Sendable {
    typealias Predicate = @Sendable (JSONValue) -> Bool

    private struct Waiter {
        var id: Int
        var consume: Bool
        var predicate: Predicate
        var continuation: CheckedContinuation<JSONValue, any Error>
    }

    private let lock = NSLock()
    private var lines: [StdoutLine] = []
    private var consumed = Set<Int>()
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var closed = false

    /// Called by the reader thread for each line.
    func append(_ bytes: [UInt8]) {
        let json = try? JSONValue.parse(bytes)
        var ready: [(CheckedContinuation<JSONValue, any Error>, JSONValue)] = []
        lock.lock()
        lines.append(StdoutLine(bytes: bytes, json: json))
        let index = lines.count - 1
        if let json {
            var i = 0
            while i < waiters.count {
                if waiters[i].predicate(json) {
                    let w = waiters.remove(at: i)
                    ready.append((w.continuation, json))
                    if w.consume {
                        consumed.insert(index)
                        break
                    }
                } else {
                    i += 1
                }
            }
        }
        lock.unlock()
        for (c, v) in ready { c.resume(returning: v) }
    }

    /// Called by the reader thread at EOF (a trailing partial line is recorded as a line too).
    func close(trailing: [UInt8]) {
        lock.lock()
        if !trailing.isEmpty { lines.append(StdoutLine(bytes: trailing, json: try? JSONValue.parse(trailing))) }
        closed = true
        let pending = waiters
        waiters.removeAll()
        lock.unlock()
        for w in pending { w.continuation.resume(throwing: HarnessError("the server closed stdout")) }
    }

    var allLines: [StdoutLine] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    var isClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closed
    }

    /// Messages received so far that satisfy `predicate` (consumed or not).
    func messages(where predicate: Predicate) -> [JSONValue] {
        allLines.compactMap(\.json).filter(predicate)
    }

    /// Waits for a message satisfying `predicate`, looking first at what already arrived.
    func wait(for what: String, timeout: Duration, consume: Bool, where predicate: @escaping Predicate)
        async throws -> JSONValue
    {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<JSONValue, any Error>) in
            lock.lock()
            for (i, line) in lines.enumerated() where !(consume && consumed.contains(i)) {
                if let json = line.json, predicate(json) {
                    if consume { consumed.insert(i) }
                    lock.unlock()
                    c.resume(returning: json)
                    return
                }
            }
            if closed {
                lock.unlock()
                c.resume(throwing: HarnessError("the server closed stdout before \(what)"))
                return
            }
            nextWaiterID += 1
            let id = nextWaiterID
            waiters.append(Waiter(id: id, consume: consume, predicate: predicate, continuation: c))
            lock.unlock()
            let nanos = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanos))) { [weak self] in
                self?.expire(id, what: what, timeout: timeout)
            }
        }
    }

    private func expire(_ id: Int, what: String, timeout: Duration) {
        lock.lock()
        guard let i = waiters.firstIndex(where: { $0.id == id }) else {
            lock.unlock()
            return
        }
        let w = waiters.remove(at: i)
        lock.unlock()
        w.continuation.resume(throwing: HarnessError("timed out after \(timeout) waiting for \(what)"))
    }
}
