import Testing

@testable import CheckPointTools

@Suite("session memory of sender domains")
struct SessionMemoryTests {
    @Test("domains are lower-cased, newest first, each once; addresses without a domain are skipped")
    func order() {
        let memory = SessionMemory()
        memory.noteSenders(["a@One.com", "nobody", "b@two.com", "c@one.com"])
        #expect(memory.senderDomains == ["one.com", "two.com"])
        memory.noteSenders(["x@two.com"])
        #expect(memory.senderDomains == ["two.com", "one.com"])
    }

    @Test("at most 200 domains are kept; the oldest drop off")
    func bounded() {
        let memory = SessionMemory()
        memory.noteSenders((1...250).map { "u@d\($0).example" })
        #expect(memory.senderDomains.count == SessionMemory.maxDomains)
        #expect(memory.senderDomains.first == "d1.example" && !memory.senderDomains.contains("d250.example"))
    }
}
