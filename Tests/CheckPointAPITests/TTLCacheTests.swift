import Testing

@testable import CheckPointAPI

/// `TTLCache` with an injected clock: expiry is exact and no test waits for it.
@Suite("TTL cache")
struct TTLCacheTests {
    @Test("hits, misses, expiry, prefix invalidation and LRU bound")
    func behaviour() {
        let time = ManualTime()
        let cache = TTLCache(capacity: 2, time: time)
        cache.store(["mt-prod-3:acme"], for: "hec:scopes", ttl: .seconds(60))
        #expect(cache.value(for: "hec:scopes", as: [String].self) == ["mt-prod-3:acme"])
        #expect(cache.value(for: "hec:scopes", as: Int.self) == nil)
        cache.store(1, for: "hec:entity:a", ttl: .seconds(30))
        time.advance(by: .milliseconds(29_999))
        #expect(cache.value(for: "hec:entity:a", as: Int.self) == 1, "still live 1 ms before its TTL")
        time.advance(by: .milliseconds(1))
        #expect(cache.value(for: "hec:entity:a", as: Int.self) == nil, "gone at its TTL")
        cache.store(2, for: "hec:entity:b", ttl: .seconds(60))
        cache.store(3, for: "mobile:groups", ttl: .seconds(60))
        #expect(cache.statistics().count == 2)
        cache.invalidate(prefix: "hec:")
        #expect(cache.value(for: "hec:entity:b", as: Int.self) == nil)
        #expect(cache.value(for: "mobile:groups", as: Int.self) == 3)
        let stats = cache.statistics()
        #expect(stats.hits == 3)
        #expect(stats.misses == 3)
    }
}
