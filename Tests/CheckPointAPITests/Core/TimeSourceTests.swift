import Foundation
import Testing

@testable import CheckPointAPI

/// `ManualTime`, the clock of every in-process test: a sleep is spent at once, an alarm rings when the clock
/// is moved past it, and a cancelled wait ends at once.
@Suite("TimeSource")
struct TimeSourceTests {
    @Test("a sleep moves the clock to its end at once, and never back")
    func sleepMoves() async throws {
        let time = ManualTime()
        let start = time.now
        let date = time.date
        try await time.sleep(for: .seconds(90))
        #expect(time.now - start == .seconds(90))
        #expect(time.date.timeIntervalSince(date) == 90)
        try await time.sleep(until: start + .seconds(10))  // already past: no move
        #expect(time.elapsed == .seconds(90))
    }

    @Test("an alarm rings only once the clock passes it, by an advance or by another task's sleep")
    func alarmRings() async throws {
        let time = ManualTime()
        let start = time.now
        let rung = Flag()
        let waiter = Task {
            try await time.alarm(at: start + .seconds(5))
            rung.set()
        }
        await Task.yield()
        time.advance(by: .seconds(4))
        for _ in 0..<100 { await Task.yield() }
        #expect(!rung.value, "4 s of 5: not yet")
        try await time.sleep(for: .seconds(1))
        try await waiter.value
        #expect(rung.value)
        #expect(time.now - start == .seconds(5), "ringing does not move the clock")
        try await time.alarm(at: start)  // in the past: returns at once
    }

    @Test("a cancelled alarm throws at once, the clock unmoved")
    func alarmCancelled() async throws {
        let time = ManualTime()
        let waiter = Task { try await time.alarm(at: time.now + .seconds(3600)) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(time.elapsed == .zero)
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await time.sleep(for: .seconds(60))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(time.elapsed == .zero, "a cancelled sleep spends nothing")
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var isSet = false
        func set() { lock.withLock { isSet = true } }
        var value: Bool { lock.withLock { isSet } }
    }
}
