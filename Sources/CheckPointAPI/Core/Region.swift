import Foundation

/// The Infinity Portal regions a tenant can live in, each with its own API gateway.
///
/// - SeeAlso: docs/checkpoint-api.md "Gateways and regions" (hosts from the XSOAR CheckPointHEC integration's `url`
///   options and a TypeScript client's region map); docs/configuration.md.
public enum Region: String, Sendable, CaseIterable, Hashable {
    /// `ae` and `me` are both the UAE data centre, under the two host names public sources give it: Check
    /// Point's own MCP servers use `cloudinfra-gw.ae.portal.checkpoint.com`, its XSOAR integration lists
    /// `cloudinfra-gw.me.portal.checkpoint.com`. Which one resolves is not established, so both are offered
    /// and a resolution failure on one suggests the other (`alternative(toHost:)`).
    case us, eu, au, ca, uk, ae, me, `in`

    /// The region used when `CHECKPOINT_REGION` is unset: EU, because its gateway is the unsuffixed
    /// `cloudinfra-gw.portal.checkpoint.com` that XSOAR offers as its default.
    public static let defaultRegion: Region = .eu

    /// Infinity Portal API gateway host (HTTPS).
    public var gatewayHost: String {
        switch self {
        case .us: "cloudinfra-gw-us.portal.checkpoint.com"
        case .eu: "cloudinfra-gw.portal.checkpoint.com"
        case .au: "cloudinfra-gw.ap.portal.checkpoint.com"
        case .ca: "cloudinfra-gw.ca.portal.checkpoint.com"
        case .uk: "cloudinfra-gw.uk.portal.checkpoint.com"
        case .ae: "cloudinfra-gw.ae.portal.checkpoint.com"
        case .me: "cloudinfra-gw.me.portal.checkpoint.com"
        case .in: "cloudinfra-gw.in.portal.checkpoint.com"
        }
    }

    public var gatewayURL: URL { URL(string: "https://\(gatewayHost)")! }

    /// Accepts the canonical names and the aliases people use for the same data centres
    /// (`ap`/`apac`/`apj` → au, `uae` → ae, `gb` → uk, `india` → in), case-insensitively.
    public init?(parsing text: String) {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let region = Region(rawValue: key) { self = region; return }
        switch key {
        case "ap", "apac", "apj", "au-ap", "australia": self = .au
        case "uae", "middle-east": self = .ae
        case "gb", "united-kingdom": self = .uk
        case "india": self = .in
        case "europe", "emea": self = .eu
        case "usa", "na": self = .us
        case "canada": self = .ca
        default: return nil
        }
    }

    /// "us, eu, au (alias ap), ..." for problem texts.
    static let accepted = "us, eu, au (alias ap), ca, uk, ae (alias uae), me, in"

    /// For a UAE gateway host that did not resolve, the region naming the UAE's other published host.
    public static func alternative(toHost host: String) -> Region? {
        switch host.lowercased() {
        case Region.ae.gatewayHost: return .me
        case Region.me.gatewayHost: return .ae
        default: return nil
        }
    }

    /// The text added to "cannot resolve the gateway host" for a UAE host.
    static func resolveHint(_ host: String) -> String {
        guard let other = alternative(toHost: host) else { return "" }
        return ". The UAE gateway is published under two names; try \(Configuration.Env.region)=\(other.rawValue) (\(other.gatewayHost))"
    }
}
