import Foundation

/// Why a paging walk stopped.
public enum WalkStop: String, Sendable {
    /// The source had nothing more: the result is complete.
    case end
    /// `maxRecords` (or `limit`) was reached; more records exist.
    case limit
    /// The API's 10,000-record cap hid the rest and the window could not be split further.
    case cap
    /// The task was cancelled; `items` holds what arrived before.
    case cancelled
    /// The call's deadline ran out mid-walk; `items` holds what arrived before.
    case deadline
}

/// What a paging walk collected.
public struct WalkResult<Item: Sendable>: Sendable {
    public var items: [Item]
    /// The total the API reported (`recordsNumber` / `total_count`; summed over split windows).
    public var recordsNumber: Int?
    public var stop: WalkStop
    /// Requests made for pages (including probes abandoned for a split).
    public var pages: Int
    /// Restarts after "Invalid scroll".
    public var restarts: Int
    /// True when every matching record is in `items`.
    public var complete: Bool { stop == .end }

    public init(items: [Item], recordsNumber: Int?, stop: WalkStop, pages: Int, restarts: Int = 0) {
        self.items = items
        self.recordsNumber = recordsNumber
        self.stop = stop
        self.pages = pages
        self.restarts = restarts
    }
}

/// Progress of a walk: records fetched so far, and the total when known.
public typealias WalkProgress = @Sendable (_ fetched: Int, _ total: Int?) async -> Void

/// The HEC result cap: `recordsNumber` is exact below it and pinned at it above (FLOW).
public let hecRecordsCap = 10_000

extension CheckPointClient {
    /// Walks a HEC query (`/search/query`, `/event/query`) through its `scrollId` pages.
    ///
    /// Handles both documented styles (checkpoint-api.md §5 CONFLICT): a stable id repeated on every page
    /// and a fresh id per page; stops on an empty page, a short page, a null/empty id, or when
    /// `recordsNumber` (below the cap) has been reached. On "Invalid scroll" it restarts once from the
    /// first page, de-duplicating by `id`. Cancellation and the deadline end the walk with what arrived.
    /// - Parameter requestData: builds `requestData` for a page; nil means the first page.
    public func scroll<Item: Decodable & Sendable, D: Encodable & Sendable>(
        _ path: String, maxRecords: Int, id: @escaping @Sendable (Item) -> String, progress: WalkProgress? = nil,
        requestData: @escaping @Sendable (_ scrollId: String?) -> D
    ) async throws -> WalkResult<Item> {
        try await scrollWalk(path, maxRecords: maxRecords, id: id, progress: progress, splitWhenCapped: false,
                             requestData: requestData).result!
    }

    /// The walk itself; with `splitWhenCapped` it gives up after the first page when the window
    /// holds at least the cap (`result == nil`), so the caller can split it.
    func scrollWalk<Item: Decodable & Sendable, D: Encodable & Sendable>(
        _ path: String, maxRecords: Int, id: @escaping @Sendable (Item) -> String, progress: WalkProgress?,
        splitWhenCapped: Bool, requestData: @escaping @Sendable (String?) -> D
    ) async throws -> (result: WalkResult<Item>?, probeTotal: Int?) {
        var items: [Item] = []
        var seen = Set<String>()
        var scrollId: String?
        var total: Int?
        var pages = 0, restarts = 0, largestPage = 0, staleDuplicates = 0
        let limit = max(0, maxRecords)
        func done(_ stop: WalkStop) -> (WalkResult<Item>?, Int?) {
            (WalkResult(items: items, recordsNumber: total, stop: stop, pages: pages, restarts: restarts), total)
        }
        guard limit > 0 else { return done(.limit) }

        while true {
            if Task.isCancelled { return done(.cancelled) }
            let envelope: HECEnvelope<[Item]>
            do {
                pages += 1
                envelope = try await hec(.post, path, requestData: requestData(scrollId))
            } catch let error as CheckPointError {
                if error.isInvalidScroll, restarts == 0 {
                    restarts += 1
                    scrollId = nil
                    largestPage = 0
                    await log(.info, "POST \(path): scroll went invalid after \(items.count) records; restarting from the first page")
                    continue
                }
                if error.isInvalidScroll {
                    // Not the caller's argument ("correct the argument" would mislead): the gateway keeps
                    // dropping the scroll handle, so the walk cannot be completed now.
                    throw CheckPointError(.upstream, "the gateway invalidated the scroll again after a restart (\(items.count) records read); retry the search shortly, or narrow the window so it needs fewer pages", service: .hec, endpoint: error.endpoint, httpStatus: error.httpStatus)
                }
                if error.kind == .cancelled { return done(.cancelled) }
                if error.kind == .timeout, !items.isEmpty { return done(.deadline) }
                throw error
            }
            let page = envelope.responseData ?? []
            let isFirstPage = scrollId == nil
            if let reported = envelope.responseEnvelope.recordsNumber, isFirstPage || total == nil { total = reported }
            if splitWhenCapped, isFirstPage, restarts == 0, let total, total >= hecRecordsCap { return (nil, total) }

            var fresh = 0
            for item in page where items.count < limit {
                if seen.insert(id(item)).inserted {
                    items.append(item)
                    fresh += 1
                }
            }
            largestPage = max(largestPage, page.count)
            await progress?(items.count, total.map { min($0, limit) })

            let next = envelope.responseEnvelope.scrollId
            let capped = (total ?? 0) >= hecRecordsCap
            if page.isEmpty || next == nil { return done(capped ? .cap : .end) }
            if let total, !capped, seen.count >= total { return done(.end) }
            if items.count >= limit { return done(.limit) }
            if page.count < largestPage { return done(capped ? .cap : .end) }
            // A gateway that keeps serving the same records would loop forever; two pages with
            // nothing new end the walk.
            staleDuplicates = fresh == 0 ? staleDuplicates + 1 : 0
            if staleDuplicates >= 2 { return done(capped ? .cap : .end) }
            scrollId = next
        }
    }
}
