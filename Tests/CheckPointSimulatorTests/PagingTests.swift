import Foundation
import Testing
@testable import CheckPointSimulator

/// `Paging` on its own: row references in, pages out, no tenant and no HTTP. The search route's use of it
/// (the first page's `recordsNumber` over a real window) is `SearchTests`'.
@Suite("scrollId paging (Paging.swift)")
struct PagingTests {
    static let route = "POST /app/hec-api/v1.0/search/query"

    /// Reads a query over `refs` to its end: (references served, distinct scroll ids, recordsNumber of the first page).
    static func walk(_ style: ScrollStyle, _ order: ResultOrder = .oldestFirst, refs: [Ref], pageSize: Int) -> ([Ref], Set<String>, Int) {
        let state = SimState(options: SimulatorOptions(scrollStyle: style, order: order))
        return state.sync { s in
            var page = Paging.start(s, refs: refs, pageSize: pageSize, route: route, owner: "client")
            let records = page.recordsNumber
            var served = Array(page.refs)
            var ids: Set<String> = []
            while let id = page.scrollId, !page.refs.isEmpty {
                ids.insert(id)
                guard let next = Paging.resume(s, id: id, route: route, owner: "client") else { break }
                #expect(next.recordsNumber == records, "every page repeats the first page's count")
                served += next.refs
                page = next
            }
            return (served, ids, records)
        }
    }

    /// `n` references of scope 0, newest first (index 0 the newest), as the tenant's queries hand them over.
    static func refs(_ n: Int) -> [Ref] { (0..<n).map { Ref(scope: 0, index: $0) } }

    // Was an HTTP walk of 100 pages of rendered entities (5.9 s CPU); the references alone show the same cap.
    @Test("recordsNumber is capped at 10,000 and paging stops there, in both scroll styles; oldest first keeps the oldest")
    func cap() {
        let refs = Self.refs(10_050)
        for style in [ScrollStyle.stable, .perPage] {
            let (served, ids, records) = Self.walk(style, refs: refs, pageSize: 100)
            #expect(records == 10_000, "\(style)")
            #expect(served.count == 10_000 && Set(served).count == 10_000, "\(style): \(served.count) served")
            #expect(served.first == refs.last && served.last == refs[50], "\(style): the oldest 10,000, oldest first")
            #expect(style == .stable ? ids.count == 1 : ids.count == 99, "\(style): \(ids.count) scroll ids (per page: one on each page but the last)")
        }
        let (newest, _, _) = Self.walk(.stable, .newestFirst, refs: refs, pageSize: 100)
        #expect(newest == Array(refs.prefix(10_000)), "newest first keeps the newest 10,000")
    }

    @Test("under the cap every reference is served once and recordsNumber is the exact count; pageSize is kept to 1...100")
    func underTheCap() {
        let (served, _, records) = Self.walk(.stable, refs: Self.refs(250), pageSize: 100)
        #expect(records == 250 && served.count == 250 && Set(served).count == 250)
        #expect(Paging.pageSize(["pageSize": 500]) == 100 && Paging.pageSize(["pageSize": "7"]) == 7 && Paging.pageSize(["pageSize": 0]) == 1)
        #expect(Paging.pageSize([:]) == 100)
    }

    @Test("a scroll id answers only on the route and for the client that opened it")
    func scopedToRouteAndOwner() {
        let state = SimState(options: SimulatorOptions())
        state.sync { s in
            let first = Paging.start(s, refs: Self.refs(300), pageSize: 100, route: Self.route, owner: "client")
            guard let id = first.scrollId else { Issue.record("a first page of 100 of 300 has a scroll id"); return }
            #expect(Paging.resume(s, id: id, route: "POST /app/hec-api/v1.0/event/query", owner: "client") == nil)
            #expect(Paging.resume(s, id: id, route: Self.route, owner: "someone else") == nil)
            #expect(Paging.resume(s, id: id, route: Self.route, owner: "client")?.refs.count == 100)
        }
    }
}
