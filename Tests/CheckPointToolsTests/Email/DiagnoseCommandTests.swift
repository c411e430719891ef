import MCPCore
import Testing

@testable import CheckPointTools

/// `ConnectionCheck.failures` (Sources/CheckPointTools/Email/DiagnoseCommand.swift): what `checkpoint-mcp
/// check` counts as "everything needed works", given the `diagnose` tool's structured result.
@Suite("check verdict from the diagnose result")
struct DiagnoseCommandTests {
    static func result(hecOK: Bool, mobileWorks: Bool?, skew: Double? = 0.4) -> JSONValue {
        [
            "ok": .bool(hecOK),
            "mobile": ["configured": .bool(mobileWorks != nil), "works": mobileWorks.map(JSONValue.bool) ?? .null],
            "clock_skew_seconds": skew.map(JSONValue.double) ?? .null,
        ]
    }

    @Test("everything works: no failure for any toolset combination")
    func allGood() {
        for toolsets in [Set(Toolset.allCases), [.email], [.mobile], [.audit]] as [Set<Toolset>] {
            #expect(ConnectionCheck.failures(Self.result(hecOK: true, mobileWorks: true), toolsets: toolsets).isEmpty)
        }
    }

    @Test("a failing service counts only when its toolset is served")
    func onlyServedToolsets() {
        let mobileDown = Self.result(hecOK: true, mobileWorks: false)
        #expect(ConnectionCheck.failures(mobileDown, toolsets: [.email, .audit]).isEmpty)
        let failures = ConnectionCheck.failures(mobileDown, toolsets: Set(Toolset.allCases))
        #expect(failures.count == 1)
        #expect(failures.first?.contains("CHECKPOINT_MOBILE_CLIENT_ID") == true)

        let hecDown = Self.result(hecOK: false, mobileWorks: nil)
        #expect(ConnectionCheck.failures(hecDown, toolsets: [.audit]).isEmpty)
        #expect(ConnectionCheck.failures(hecDown, toolsets: [.email]).count == 1)
        #expect(ConnectionCheck.failures(hecDown, toolsets: [.email, .mobile]).count == 2)  // no Mobile result = not working
    }

    @Test("clock skew beyond 120 s fails, either direction; unknown skew does not", arguments: [
        (121.0, true), (-300.0, true), (119.0, false), (-119.9, false),
    ])
    func clockSkew(skew: Double, fails: Bool) {
        let failures = ConnectionCheck.failures(Self.result(hecOK: true, mobileWorks: true, skew: skew), toolsets: [.email])
        #expect(failures.isEmpty != fails)
        #expect(ConnectionCheck.failures(Self.result(hecOK: true, mobileWorks: true, skew: nil), toolsets: [.email]).isEmpty)
    }
}
