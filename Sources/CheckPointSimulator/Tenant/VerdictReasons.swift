import Foundation

/// The anti-phishing reasons of an email, derived from its own data, so a reason never contradicts the
/// fields beside it: "SPF check failed" only when `SpfResult` is fail/softfail, "Reply-to differs" only when
/// the Reply-To domain is not the sender's. Categories and wording follow the recorded answers
/// (XSOAR test_data get_entity / search_emails: "Domain Impersonation", "Email Headers", "Links",
/// "Sender Reputation").
enum VerdictReasons {
    static func ap(_ e: Email) -> [Reason] {
        var out: [Reason] = []
        switch e.verdict {
        case .phishing, .suspiciousPhishing:
            if e.spf == "fail" || e.spf == "softfail" {
                out.append(Reason(category: "Domain Impersonation",
                                  short: "SPF check failed when checking sending IP: \(e.senderServerIp) for domain \(e.fromDomain)",
                                  full: "The email 'from' address doesn't pass the SPF-check"))
            }
            if let reply = e.replyTo, domain(reply) != e.fromDomain.lowercased() {
                out.append(Reason(category: "Email Headers", short: "Reply-to address differs from the sender's domain",
                                  full: "The Reply-To address is in domain \(domain(reply)), the sender in \(e.fromDomain)"))
            }
            if !e.links.isEmpty {
                out.append(Reason(category: "Links", short: "Link to a low-traffic site",
                                  full: "The email contains link to low-traffic web-sites - often indicating malicious sites"))
            }
            out.append(Reason(category: "Sender Reputation", short: "Low-traffic 'From'-domain",
                              full: "The sender's domain has very low traffic - often indicating low-trust domains"))
        case .clean where e.spf != "pass":
            out.append(Reason(category: "Email Headers", short: "Missing DMARC",
                              full: "The email's header suggest that DMARC signature is missing/invalid"))
        default: break
        }
        return out + e.reasons
    }

    private static func domain(_ address: String) -> String {
        String(address.split(separator: "@").last ?? Substring(address)).lowercased()
    }
}
