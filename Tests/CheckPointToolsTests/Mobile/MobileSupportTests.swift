import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// An owner's name in a Mobile `email` filter is refused with the argument that takes a name.
@Suite("MobileSupport")
struct MobileSupportTests {
    @Test("devices: a name in email points to `name`; parts of addresses stay valid")
    func devices() throws {
        try MobileText.checkEmailFilter("dana", nameArgument: "name")
        try MobileText.checkEmailFilter("dana@example.com", nameArgument: "name")
        do {
            try MobileText.checkEmailFilter("Dana Levi", nameArgument: "name")
            Issue.record("expected an error")
        } catch let e as ToolInputError {
            #expect(e.field == "email" && e.hint?.contains("\"name\": \"Dana Levi\"") == true, "\(e)")
        }
    }

    @Test("alerts: email is exact, so anything without @ is refused, pointing to finding the devices by name")
    func alerts() throws {
        try MobileText.checkEmailFilter("dana@example.com", nameArgument: nil, exact: true)
        do {
            try MobileText.checkEmailFilter("dana", nameArgument: nil, exact: true)
            Issue.record("expected an error")
        } catch let e as ToolInputError {
            #expect(e.hint?.contains("search_mobile_devices") == true, "\(e)")
        }
    }
}
