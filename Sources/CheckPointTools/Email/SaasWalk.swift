import CheckPointAPI
import Foundation

/// `search_entities` over several SaaS: the API takes one `entityFilter.saas` per query (checkpoint-api-notes:
/// "one string"), so each SaaS is walked in turn, in the order given, continuing across them with one cursor
/// (`WalkStart.saasIndex`). A first call that stops at `limit` before the last SaaS asks each SaaS it did not
/// reach for one row, to learn its `recordsNumber`, so `total_matching` counts every SaaS searched.
struct SaasWalk: Sendable {
    typealias Fetch = @Sendable (_ saas: String, _ start: Date, _ end: Date, _ scrollId: String?, _ pageSize: Int?) async throws -> HECResult<[HECEntity]>

    let saas: [String]
    let fetch: Fetch
    /// As `ScrollWalk`: the order key of a row, and which rows to deliver.
    let time: @Sendable (HECEntity) -> Date?
    var keep: @Sendable (HECEntity) -> Bool = { _ in true }
    let progress: @Sendable (_ done: Int, _ total: Int?) async -> Void

    struct Outcome: Sendable {
        var walk = WalkOutcome<HECEntity>()
        /// The SaaS index `walk.next` belongs to.
        var nextSaas = 0
        /// Matching records over every SaaS searched, when each one's count is known.
        var total: Int?
    }

    func run(from start: WalkStart) async throws -> Outcome {
        var out = Outcome()
        var index = start.saasIndex
        var position = start.position
        var sum: Int? = start.offset == 0 && start.saasIndex == 0 ? 0 : nil
        while index < saas.count {
            let service = saas[index]
            let before = out.walk.rows.count
            let walk = ScrollWalk<HECEntity>(
                fetch: { s, e, scroll, size in try await fetch(service, s, e, scroll, size) }, time: time, keep: keep,
                progress: { done, total in await progress(before + done, total.map { before + $0 }) })
            let o: WalkOutcome<HECEntity>
            do {
                o = try await walk.run(from: position, limit: start.limit - before)
            } catch {
                // A later SaaS failing keeps what the earlier ones gave, with a cursor to retry from it.
                if before == 0 || error is CancellationError || Task.isCancelled { throw error }
                let cp = error as? CheckPointError
                out.walk.next = position
                out.walk.reason = cp?.kind == .timeout ? .deadline : .pageFailed
                out.walk.stopError = cp.map { ErrorText.text($0) } ?? "\(error)"
                out.nextSaas = index
                return out
            }
            out.walk.rows += o.rows
            out.walk.pages += o.pages
            out.walk.splits += o.splits
            out.walk.cappedWindows += o.cappedWindows
            sum = sum.flatMap { s in o.total.map { s + $0 } }
            if let next = o.next {
                out.walk.next = next
                out.walk.reason = o.reason
                out.walk.stopError = o.stopError
                out.nextSaas = index
                break
            }
            if o.reason == .cap { out.walk.reason = .cap }
            index += 1
            position = WalkPosition(window: start.fullWindow)
            if out.walk.rows.count >= start.limit, index < saas.count {
                out.walk.next = position
                out.walk.reason = .limit
                out.nextSaas = index
                break
            }
        }
        // The SaaS not reached: one row each for their counts (first calls only; continuations carry the total).
        if var known = sum, out.walk.next != nil, out.walk.reason == .limit {
            for service in saas[(out.nextSaas + (out.walk.next == WalkPosition(window: start.fullWindow) ? 0 : 1))...] {
                guard let page = try? await fetch(service, start.fullWindow.start, start.fullWindow.end, nil, 1),
                      let records = page.recordsNumber, records < ScrollWalk<HECEntity>.cap else { sum = nil; break }
                out.walk.pages += 1
                known += records
                sum = known
            }
        }
        out.total = sum
        return out
    }
}
