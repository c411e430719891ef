@testable import MCPCore
import Testing

/// A clock that is `step` later at every look: a bound measured on it (the transport's drain, the session's shutdown
/// graces) passes after a number of looks, whatever the real time (only the 100 ms slices between looks).
final class TickingClock: Sendable {
    let step: Duration
    private let looks = Locked((count: 0, now: ContinuousClock.now))
    init(step: Duration) { self.step = step }
    var count: Int { looks.withLock { $0.count } }
    var serverClock: ServerClock {
        ServerClock(now: { self.looks.withLock { l in l.count += 1; l.now = l.now.advanced(by: self.step); return l.now } },
                    sleep: { _ in Issue.record("nothing here sleeps on this clock") })
    }
}
