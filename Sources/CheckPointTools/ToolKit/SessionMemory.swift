import Foundation

/// Values this server has seen in its own results since it started, for `completion/complete`
/// (a playbook's sender field offers the sender domains of recent searches). In memory only, bounded,
/// newest first; never sent anywhere but back to the same client as suggestions.
public final class SessionMemory: @unchecked Sendable {
    /// 200 domains: a few days of triage in one session; older ones drop off first.
    static let maxDomains = 200
    private let lock = NSLock()
    private var domains: [String] = []

    public init() {}

    /// Records the domains of these sender addresses (lower-cased, newest first, each once).
    public func noteSenders<S: Sequence>(_ senders: S) where S.Element == String {
        let fresh = senders.compactMap { address -> String? in
            guard let at = address.lastIndex(of: "@") else { return nil }
            let domain = address[address.index(after: at)...].lowercased()
            return domain.isEmpty || domain.count > 255 ? nil : domain
        }
        guard !fresh.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        for domain in fresh.reversed() {
            domains.removeAll { $0 == domain }
            domains.insert(domain, at: 0)
        }
        if domains.count > Self.maxDomains { domains.removeLast(domains.count - Self.maxDomains) }
    }

    /// Sender domains seen in search results, newest first.
    public var senderDomains: [String] {
        lock.lock()
        defer { lock.unlock() }
        return domains
    }
}
