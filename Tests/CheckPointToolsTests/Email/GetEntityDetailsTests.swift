import Testing

@testable import CheckPointTools

/// `get_entity_details` in process: a real email by id, and an unknown id named in the error.
@Suite("get_entity_details (in process)")
struct GetEntityDetailsTests {
    @Test("an entity found by search reads in full; an unknown id is an isError result naming it")
    func readAndNotFound() async throws {
        let tenant = try InProcessTenant()
        let search = try await tenant.call(SearchEntities.spec, ["sender": "billing@paypa1-secure.com", "duration": "7d", "limit": 1])
        let id = try #require(search.structured?["entities"]?[0]?["entity_id"]?.stringValue)
        let r = try await tenant.call(GetEntityDetails.spec, ["entity_id": .string(id)])
        #expect(!r.isError, "\(r.text)")
        #expect(r.structured?["entity_id"] == .string(id))
        #expect(r.structured?["sender"] == "billing@paypa1-secure.com")

        let unknown = "0000000000000000000000000000dead"
        let missing = try await tenant.call(GetEntityDetails.spec, ["entity_id": .string(unknown)])
        #expect(missing.isError)
        #expect(missing.text.hasPrefix("Not found: no email or security event with id «\(unknown)»"), "\(missing.text)")
    }
}
