import Foundation

/// A small bounded cache with a time-to-live per entry, for slowly-changing data the public assistant skill says to
/// cache (scopes, Harmony Mobile groups) and for recently read entities and devices.
///
/// Keys are strings with a service prefix by convention (`hec:scopes`, `hec:entity:<id>`,
/// `mobile:groups`, `mobile:device:<id>`) so a write can drop everything it touches with
/// `invalidate(prefix:)`. Least recently used entries go first when full. Hits are counted so the
/// benchmark can show upstream calls saved.
///
/// A class with a lock rather than an actor: a hit is a dictionary lookup, and awaiting an actor from a
/// tool call costs a hop to another thread (a context switch, tens of µs on this VM) on the path of every
/// cached answer. Nothing here blocks or calls out while holding the lock.
public final class TTLCache: @unchecked Sendable {
    private let lock = NSLock()
    public struct Statistics: Sendable, Equatable {
        public var hits = 0
        public var misses = 0
        public var evictions = 0
        public var count = 0
    }

    private struct Entry {
        var value: any Sendable
        var expires: ContinuousClock.Instant
        var used: UInt64
    }

    private let capacity: Int
    private var entries: [String: Entry] = [:]
    private var tick: UInt64 = 0
    private var stats = Statistics()

    /// Decides when entries lapse; a `ManualTime` in tests.
    private let time: any TimeSource

    public init(capacity: Int = 512, time: any TimeSource = SystemTime()) {
        self.capacity = max(1, capacity)
        self.time = time
    }

    /// The live value for `key` if it has type `T`; counts a hit or a miss.
    public func value<T: Sendable>(for key: String, as type: T.Type = T.self) -> T? {
        lock.lock()
        defer { lock.unlock() }
        tick += 1
        let now = time.now
        guard var entry = entries[key], now < entry.expires, let value = entry.value as? T else {
            if let entry = entries[key], now >= entry.expires { entries[key] = nil }
            stats.misses += 1
            return nil
        }
        entry.used = tick
        entries[key] = entry
        stats.hits += 1
        return value
    }

    public func store(_ value: some Sendable, for key: String, ttl: Duration) {
        lock.lock()
        defer { lock.unlock() }
        tick += 1
        entries[key] = Entry(value: value, expires: time.now + ttl, used: tick)
        if entries.count > capacity { evict() }
    }

    /// Drops every entry whose key starts with `prefix` (all entries for `""`).
    public func invalidate(prefix: String) {
        lock.lock()
        defer { lock.unlock() }
        entries = entries.filter { !$0.key.hasPrefix(prefix) }
    }

    public func statistics() -> Statistics {
        lock.lock()
        defer { lock.unlock() }
        var s = stats
        s.count = entries.count
        return s
    }

    private func evict() {
        let now = time.now
        let expired = entries.filter { $0.value.expires <= now }.map(\.key)
        for key in expired { entries[key] = nil }
        while entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
            stats.evictions += 1
        }
    }
}

extension CheckPointClient {
    /// The cached value for `key`, or `fetch()` stored for `ttl`. Errors are not cached.
    public func cached<T: Sendable>(_ key: String, ttl: Duration, fetch: () async throws -> T) async throws -> T {
        if let hit = cache.value(for: key, as: T.self) { return hit }
        let value = try await fetch()
        cache.store(value, for: key, ttl: ttl)
        return value
    }

    /// Writes call this with the prefix of everything they may have changed (e.g. `hec:entity:`).
    public func invalidateCache(prefix: String) async {
        cache.invalidate(prefix: prefix)
        if EntityCache.prefix.hasPrefix(prefix) || prefix.hasPrefix(EntityCache.prefix) { searched.removeAll() }
    }

    /// Runs a write, then drops every cached record under `prefixes` whatever the outcome: a failed or
    /// ambiguous write may still have changed them.
    func invalidating<T>(_ prefixes: String..., write: () async throws -> T) async throws -> T {
        defer {
            for p in prefixes {
                cache.invalidate(prefix: p)
                if EntityCache.prefix.hasPrefix(p) || p.hasPrefix(EntityCache.prefix) { searched.removeAll() }
            }
        }
        return try await write()
    }
}
