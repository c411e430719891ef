import Foundation

/// The Infinity Portal regions a tenant can live in, each with its own API gateway.
///
/// - SeeAlso: shared/checkpoint-api.md §1.2 (hosts from the XSOAR CheckPointHEC integration's `url`
///   options and a TypeScript client's region map); docs/configuration.md.
public enum Region: String, Sendable, CaseIterable, Hashable {
    case us, eu, au, ca, uk, uae, `in`

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
        case .uae: "cloudinfra-gw.me.portal.checkpoint.com"
        case .in: "cloudinfra-gw.in.portal.checkpoint.com"
        }
    }

    public var gatewayURL: URL { URL(string: "https://\(gatewayHost)")! }

    /// Accepts the canonical names and the aliases people use for the same data centres
    /// (`ap`/`apac`/`apj` → au, `me` → uae, `gb` → uk, `india` → in), case-insensitively.
    public init?(parsing text: String) {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let region = Region(rawValue: key) { self = region; return }
        switch key {
        case "ap", "apac", "apj", "au-ap", "australia": self = .au
        case "me", "ae", "middle-east": self = .uae
        case "gb", "united-kingdom": self = .uk
        case "india": self = .in
        case "europe", "emea": self = .eu
        case "usa", "na": self = .us
        case "canada": self = .ca
        default: return nil
        }
    }

    /// "us, eu, au (alias ap), ..." for problem texts.
    static let accepted = "us, eu, au (alias ap), ca, uk, uae (alias me), in"
}
