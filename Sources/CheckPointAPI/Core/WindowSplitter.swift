import Foundation

/// A half-open time window `[start, end)` of a HEC query.
public struct DateWindow: Sendable, Hashable, CustomStringConvertible {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public var duration: TimeInterval { end.timeIntervalSince(start) }
    public var description: String { "[\(CheckPointDate.iso8601(start)), \(CheckPointDate.iso8601(end)))" }

    /// Newer half first; the cut is on a whole second so both halves print exactly.
    func halves() -> (newer: DateWindow, older: DateWindow) {
        let mid = Date(timeIntervalSince1970: (start.timeIntervalSince1970 + duration / 2).rounded(.down))
        return (DateWindow(start: mid, end: end), DateWindow(start: start, end: mid))
    }
}

extension CheckPointClient {
    /// Walks a HEC query over `window`, splitting the window in halves (recursively) wherever
    /// `recordsNumber` reports the 10,000 cap, so that more than 10,000 records can be read.
    ///
    /// Works for `/search/query` and `/event/query`: `requestData` receives the (sub)window and the
    /// scroll id. Newer halves come first. With `parallel`, halves are walked concurrently (the rate
    /// limiter still bounds requests in flight). Items are de-duplicated by `id` and cut at `maxRecords`.
    /// - SeeAlso: shared/checkpoint-api.md §5 "Sizes" (cap at 10,000 [FLOW]).
    public func scrollWindow<Item: Decodable & Sendable, D: Encodable & Sendable>(
        _ path: String, window: DateWindow, maxRecords: Int, id: @escaping @Sendable (Item) -> String,
        parallel: Bool = false, partitions: Int = 1, progress: WalkProgress? = nil,
        requestData: @escaping @Sendable (_ window: DateWindow, _ scrollId: String?) -> D
    ) async throws -> WalkResult<Item> {
        let tally = ProgressTally(report: progress, limit: maxRecords)
        let count = max(1, min(partitions, Int(window.duration / 2)))
        var result: WalkResult<Item>
        if parallel, count > 1 {
            // Fan out up front: a window under the cap still reads `count` scrolls at once (within the
            // limiter's budget) instead of one page after another.
            let step = window.duration / Double(count)
            let parts = (0..<count).map { i in
                DateWindow(start: window.start.addingTimeInterval(step * Double(count - 1 - i)),
                           end: i == 0 ? window.end : window.start.addingTimeInterval(step * Double(count - i)))
            }
            let walked = try await withThrowingTaskGroup(of: (Int, WalkResult<Item>).self) { group in
                for (i, part) in parts.enumerated() {
                    group.addTask {
                        (i, try await self.walkWindow(path, window: part, depth: 0, maxRecords: maxRecords, id: id,
                                                      parallel: true, tally: tally, requestData: requestData))
                    }
                }
                return try await group.reduce(into: [(Int, WalkResult<Item>)]()) { $0.append($1) }
            }
            result = Self.merge(walked.sorted { $0.0 < $1.0 }.map(\.1), probes: 0)
        } else {
            result = try await walkWindow(path, window: window, depth: 0, maxRecords: maxRecords, id: id,
                                          parallel: parallel, tally: tally, requestData: requestData)
        }
        var seen = Set<String>()
        result.items = result.items.filter { seen.insert(id($0)).inserted }
        if result.items.count > maxRecords {
            result.items.removeLast(result.items.count - maxRecords)
            if result.stop == .end || result.stop == .cap { result.stop = .limit }
        }
        return result
    }

    private func walkWindow<Item: Decodable & Sendable, D: Encodable & Sendable>(
        _ path: String, window: DateWindow, depth: Int, maxRecords: Int, id: @escaping @Sendable (Item) -> String,
        parallel: Bool, tally: ProgressTally, requestData: @escaping @Sendable (DateWindow, String?) -> D
    ) async throws -> WalkResult<Item> {
        let leaf = UUID()
        let canSplit = window.duration >= 2 && depth < 24
        let (walked, probeTotal) = try await scrollWalk(
            path, maxRecords: maxRecords, id: id,
            progress: { fetched, total in await tally.update(leaf, fetched: fetched, total: total) },
            splitWhenCapped: canSplit, requestData: { requestData(window, $0) })
        if let walked { return walked }
        await tally.remove(leaf)
        await log(.info, "POST \(path): \(window) reports \(probeTotal ?? hecRecordsCap)+ records (the cap); splitting it")
        let (newer, older) = window.halves()
        func walk(_ half: DateWindow, _ budget: Int) async throws -> WalkResult<Item> {
            try await walkWindow(path, window: half, depth: depth + 1, maxRecords: budget, id: id, parallel: parallel,
                                 tally: tally, requestData: requestData)
        }
        var parts: [WalkResult<Item>]
        if parallel {
            async let first = walk(newer, maxRecords)
            async let second = walk(older, maxRecords)
            parts = [try await first, try await second]
        } else {
            parts = [try await walk(newer, maxRecords)]
            let first = parts[0]
            if first.items.count < maxRecords, first.stop != .cancelled, first.stop != .deadline {
                parts.append(try await walk(older, maxRecords - first.items.count))
            } else if first.items.count >= maxRecords {
                parts[0].stop = .limit
            }
        }
        var merged = Self.merge(parts, probes: 1)
        if parts.count == 1, merged.stop == .end { merged.stop = .limit }  // the older half was never read
        return merged
    }

    /// Concatenates the walks of adjacent windows (newest first); the worst stop wins.
    static func merge<Item: Sendable>(_ parts: [WalkResult<Item>], probes: Int) -> WalkResult<Item> {
        let stops = parts.map(\.stop)
        let stop: WalkStop =
            stops.contains(.cancelled) ? .cancelled
            : stops.contains(.deadline) ? .deadline
            : stops.contains(.limit) ? .limit
            : stops.contains(.cap) ? .cap : .end
        let totals = parts.compactMap(\.recordsNumber)
        return WalkResult(items: parts.flatMap(\.items), recordsNumber: totals.isEmpty ? nil : totals.reduce(0, +),
                          stop: stop, pages: parts.reduce(probes) { $0 + $1.pages },
                          restarts: parts.reduce(0) { $0 + $1.restarts })
    }
}

/// Sums progress over the leaves of a split walk.
actor ProgressTally {
    private let report: WalkProgress?
    private let limit: Int
    private var leaves: [UUID: (fetched: Int, total: Int?)] = [:]

    init(report: WalkProgress?, limit: Int) {
        self.report = report
        self.limit = limit
    }

    func update(_ leaf: UUID, fetched: Int, total: Int?) async {
        leaves[leaf] = (fetched, total)
        guard let report else { return }
        let fetchedSum = leaves.values.reduce(0) { $0 + $1.fetched }
        let totals = leaves.values.compactMap(\.total)
        await report(min(fetchedSum, limit), totals.isEmpty ? nil : min(totals.reduce(0, +), limit))
    }

    func remove(_ leaf: UUID) { leaves[leaf] = nil }
}
