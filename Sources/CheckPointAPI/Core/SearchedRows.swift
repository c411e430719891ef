import Foundation

/// The rows recent searches returned, kept for write previews (`CheckPointClient.searchedEntity(_:)`).
///
/// Not the LRU `TTLCache`: a 5,000-row walk stores 5,000 rows, and that LRU scans all its entries for the oldest
/// on every insertion past capacity (3,000 scans of 2,000 entries for such a walk). Here insertion order is the
/// age: past `capacity` (a preview's 1,000 ids, twice over) the oldest rows go first, O(1) each. Rows live
/// `EntityCache.searchedTTL`; any write that drops cached entities drops them all.
final class SearchedRows: @unchecked Sendable {
    private let lock = NSLock()
    private let capacity: Int
    private let time: any TimeSource
    private var rows: [String: (entity: ActionTargetEntity, read: Date, expires: ContinuousClock.Instant)] = [:]
    private var order: [String] = []
    private var head = 0

    init(capacity: Int = 2_000, time: any TimeSource = SystemTime()) {
        self.capacity = capacity
        self.time = time
    }

    func store(_ entities: [ActionTargetEntity], read: Date) {
        let expires = time.now + EntityCache.searchedTTL
        lock.lock()
        defer { lock.unlock() }
        for e in entities {
            if rows.updateValue((e, read, expires), forKey: e.entityID) == nil { order.append(e.entityID) }
        }
        while rows.count > capacity, head < order.count {
            rows[order[head]] = nil
            head += 1
        }
        if head > capacity {  // compact the queue now and then
            order.removeFirst(head)
            head = 0
        }
    }

    func value(_ id: String) -> (entity: ActionTargetEntity, read: Date)? {
        lock.lock()
        defer { lock.unlock() }
        guard let row = rows[id], time.now < row.expires else { return nil }
        return (row.entity, row.read)
    }

    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        rows = [:]
        order = []
        head = 0
    }
}
