import Foundation
import Testing

@testable import CheckPointAPI

/// `MobileAPI.walk` over tastypie lists served by a stub transport (no network): offset stepping without
/// `next`, `next` links followed, and a `next` that loops back stopping the walk.
@Suite("MobileAPI.walk: tastypie paging")
struct MobilePagingTests {
    /// Answers auth, then pages of `{"id": n}` for `offset..<offset+limit` out of `total`; `next` is built by `link`.
    struct Pages: HTTPTransport {
        let total: Int
        var link: @Sendable (_ offset: Int, _ limit: Int) -> String? = { _, _ in nil }
        let requests = Counter()

        func perform(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
            if request.url.path == "/auth/external" {
                return APIResponse(status: 200, headers: [:], body: Data(#"{"success": true, "data": {"token": "tok-9", "expiresIn": 1800}}"#.utf8))
            }
            await requests.bump()
            let items = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
            let offset = Int(items.first { $0.name == "offset" }?.value ?? "0") ?? 0
            let limit = Int(items.first { $0.name == "limit" }?.value ?? "20") ?? 20
            let objects = (offset..<min(total, offset + limit)).map { "{\"id\": \($0)}" }.joined(separator: ",")
            let next = link(offset, limit).map { "\"\($0)\"" } ?? "null"
            let body = #"{"meta": {"limit": \#(limit), "offset": \#(offset), "total_count": \#(total), "next": \#(next)}, "objects": [\#(objects)]}"#
            return APIResponse(status: 200, headers: [:], body: Data(body.utf8))
        }
    }

    actor Counter {
        var value = 0
        func bump() { value += 1 }
    }

    struct Item: Decodable, Sendable { var id: Int }

    static func api(_ transport: Pages) -> MobileAPI {
        let config = Configuration(
            gatewayURL: URL(string: "http://127.0.0.1:1")!, hec: nil, mobile: Credentials(clientID: "c", secret: "made-up"))
        return MobileAPI(client: CheckPointClient(configuration: config, transport: transport, logger: nil))
    }

    @Test("without meta.next the walk steps offset by the page until total_count", arguments: [0, 1, 99, 100, 101, 250])
    func offsetStepping(total: Int) async throws {
        let transport = Pages(total: total)
        let walk = try await Self.api(transport).walk("/external_api/v3/alert/", query: [], limit: 1_000, as: Item.self)
        #expect(walk.items.map(\.id) == Array(0..<total))
        #expect(walk.nextOffset == nil)
        #expect(await transport.requests.value == max(1, (total + 99) / 100))
    }

    @Test("meta.next is followed to the end")
    func followsNext() async throws {
        let transport = Pages(total: 250, link: { offset, limit in
            offset + limit < 250 ? "/external_api/v3/alert/?limit=\(limit)&offset=\(offset + limit)" : nil
        })
        let walk = try await Self.api(transport).walk("/external_api/v3/alert/", query: [], limit: 1_000, as: Item.self)
        #expect(walk.items.map(\.id) == Array(0..<250))
        #expect(await transport.requests.value == 3)
    }

    @Test("a next link that leads back to a page already read stops the walk instead of looping")
    func loopingNext() async throws {
        // total_count claims more, but every page's `next` points at the first page again.
        let transport = Pages(total: 1_000, link: { _, limit in "/app/SBM/external_api/v3/alert/?offset=0&limit=\(limit)" })
        let walk = try await Self.api(transport).walk("/external_api/v3/alert/", query: [], limit: 1_000, as: Item.self)
        #expect(walk.items.map(\.id) == Array(0..<100))
        #expect(await transport.requests.value == 1)
    }
}

extension MobileAPI {
    /// The walk with the element type named, for tests.
    func walk<T: Decodable & Sendable>(_ path: String, query: [(name: String, value: String)], limit: Int, as: T.Type) async throws -> MobileWalk<T> {
        try await walk(path, query: query, limit: limit)
    }
}
