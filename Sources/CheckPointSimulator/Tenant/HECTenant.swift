import Foundation

/// A position in the tenant: scope index and row.
struct Ref: Hashable, Sendable {
    let scope: Int
    let index: Int
}

struct ScopeInfo: Sendable {
    let name: String
    let customer: String
    let domain: String
    let size: Int
}

/// The generated HEC data, immutable once built. Mutable state (flags) is copied out into `SimState`.
final class HECTenant: Sendable {
    static let scopes = [
        ScopeInfo(name: "mt-prod-3:acme-demo", customer: "acme-demo", domain: "acme-demo.com", size: 20_000),
        ScopeInfo(name: "mt-prod-3:globex-corp", customer: "globex-corp", domain: "globex-corp.com", size: 3_000),
        ScopeInfo(name: "mt-prod-av-1:initech", customer: "initech", domain: "initech.com", size: 2_000),
    ]

    let now: Date
    /// Per scope, newest first.
    let emails: [[Email]]
    let emailFlags: [[EmailFlags]]
    /// Per scope, newest first.
    let events: [[SecurityEvent]]
    let eventFlags: [[EventFlags]]
    let entityIndex: [String: Ref]
    let eventIndex: [String: Ref]
    /// Email → rows of its events in `events[scope]`.
    let eventsByEntity: [Ref: [Int]]

    init(seed: UInt64, now: Date) {
        self.now = now
        var emails: [[Email]] = []
        var flags: [[EmailFlags]] = []
        var events: [[SecurityEvent]] = []
        var eventFlags: [[EventFlags]] = []
        var entityIndex: [String: Ref] = [:]
        var eventIndex: [String: Ref] = [:]
        var eventsByEntity: [Ref: [Int]] = [:]
        for (s, info) in Self.scopes.enumerated() {
            let gen = EmailGenerator(seed: seed, scope: s, tenantDomain: info.domain, count: info.size, now: now)
            let fixtures = s == 0 ? Fixture.table(gen) : [:]
            var list: [Email] = []
            var fl: [EmailFlags] = []
            var ev: [(SecurityEvent, EventFlags)] = []
            list.reserveCapacity(info.size)
            fl.reserveCapacity(info.size)
            for chunk in Self.generateChunks(gen, fixtures: fixtures, domain: info.domain, seed: seed) {
                for (k, e) in chunk.emails.enumerated() { entityIndex[e.id] = Ref(scope: s, index: list.count + k) }
                list += chunk.emails
                fl += chunk.flags
                ev += chunk.events
            }
            ev.sort { $0.0.created > $1.0.created }
            for (i, pair) in ev.enumerated() {
                eventIndex[pair.0.id] = Ref(scope: s, index: i)
                eventsByEntity[Ref(scope: s, index: pair.0.entityIndex), default: []].append(i)
            }
            emails.append(list)
            flags.append(fl)
            events.append(ev.map(\.0))
            eventFlags.append(ev.map(\.1))
        }
        self.emails = emails
        self.emailFlags = flags
        self.events = events
        self.eventFlags = eventFlags
        self.entityIndex = entityIndex
        self.eventIndex = eventIndex
        self.eventsByEntity = eventsByEntity
    }

    private struct Chunk {
        var emails: [Email] = []
        var flags: [EmailFlags] = []
        var events: [(SecurityEvent, EventFlags)] = []
    }

    /// Generates a scope in chunks on all cores: every email depends only on (seed, scope, index).
    private static func generateChunks(_ gen: EmailGenerator, fixtures: [Int: Fixture], domain: String,
                                       seed: UInt64) -> [Chunk] {
        let size = 2_500
        let count = (gen.count + size - 1) / size
        let chunks = UnsafeMutableBufferPointer<Chunk>.allocate(capacity: count)
        chunks.initialize(repeating: Chunk())
        defer { chunks.deallocate() }
        nonisolated(unsafe) let slots = chunks  // each iteration writes only its own slot
        DispatchQueue.concurrentPerform(iterations: count) { c in
            var chunk = Chunk()
            for i in (c * size)..<min(gen.count, (c + 1) * size) {
                var e = gen.email(i)
                var f = gen.initialFlags(e, index: i)
                if let fixture = fixtures[i] { fixture.apply(&e, &f, tenantDomain: domain) }
                chunk.events += EventGenerator.events(for: e, index: i, flags: f, fixture: fixtures[i] != nil, seed: seed)
                chunk.emails.append(e)
                chunk.flags.append(f)
            }
            slots[c] = chunk
        }
        return Array(chunks)
    }
}

/// Simulators in one process with the same seed share one generated tenant (built relative to the first one's
/// start), so a test run with many simulators pays for generation once; each keeps its own mutable state.
/// `POST /_sim/reset?tenant=1` bypasses it. A class with a lock: generation must happen once, and
/// concurrent callers wait for it instead of generating in parallel.
final class TenantCache: @unchecked Sendable {
    static let shared = TenantCache()
    private let lock = NSLock()
    private var tenants: [UInt64: HECTenant] = [:]

    func tenant(seed: UInt64, now: Date) -> HECTenant {
        lock.lock()
        defer { lock.unlock() }
        if let t = tenants[seed] { return t }
        let t = HECTenant(seed: seed, now: now)
        if tenants.count >= 2 { tenants.removeAll() }  // bounded: a process rarely uses more than one seed
        tenants[seed] = t
        return t
    }
}
