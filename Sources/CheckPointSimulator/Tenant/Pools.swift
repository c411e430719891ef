/// Word pools the generator draws from. Made-up names and reserved/example-style domains only.
enum Pools {
    static let firstNames = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
                             "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter",
                             "yusuf", "zoe", "amir", "bea", "chen", "dana", "elif", "femi", "gita", "hugo", "ines"]
    static let lastNames = ["nguyen", "smith", "garcia", "müller", "kowalski", "okafor", "tanaka", "rossi", "dubois",
                            "silva", "novak", "haddad", "larsen", "fischer", "moreau", "patel", "kim", "berg"]
    static let partners = ["contoso.com", "fabrikam.com", "northwind-traders.com", "tailspin-toys.com",
                           "wingtip.io", "adventure-works.net", "litware.org", "proseware.com", "woodgrove-bank.com"]
    static let newsletters = ["news.marketing-cloud.example", "updates.saas-weekly.example", "digest.devnews.example",
                              "promo.shopmart.example", "events.confhub.example"]
    static let spamDomains = ["cheap-deals-4u.biz", "win-big-now.top", "pharma-discount.xyz", "crypto-gains.click",
                              "seo-rank-fast.info"]
    static let phishDomains = ["micros0ft-support.com", "docusign-review.net", "secure-dropbox-files.com",
                               "office365-verify.co", "dhl-parcel-track.info", "hr-benefits-portal.net",
                               "apple-id-locked.com", "wellsfarg0-alerts.com"]
    static let malwareDomains = ["invoices-center.ru", "scan-to-mail.biz", "fax-delivery.cc", "payroll-docs.su"]

    static let cleanSubjects = ["Q3 planning notes", "Re: contract draft v4", "Lunch on Thursday?",
                                "Updated roadmap deck", "Invoice #%d from %s", "Meeting minutes %s",
                                "Re: customer escalation %d", "Weekly status report", "Travel itinerary confirmation",
                                "Fwd: security training reminder", "Design review feedback", "Purchase order %d"]
    static let newsletterSubjects = ["Your weekly digest", "%d tips to boost productivity", "Last chance: 30% off",
                                     "Webinar invitation: cloud security", "Product update %d.%d is here"]
    static let spamSubjects = ["You WON a $1000 gift card!!!", "Cheap meds without prescription",
                               "Make $5000/week from home", "Hot singles in your area", "Crypto x100 guaranteed"]
    static let phishSubjects = ["Action required: verify your Microsoft 365 account",
                                "Your DocuSign document is waiting for signature",
                                "Unusual sign-in activity detected", "Password expires today - keep current password",
                                "You have 3 undelivered messages", "DHL: parcel on hold, pay customs fee",
                                "HR: updated benefits enrollment form", "Your Apple ID has been locked"]
    static let malwareSubjects = ["Invoice %d overdue", "Scanned document from MFP-%d", "Payment remittance advice",
                                  "Fax received: %d pages", "Payroll adjustment %s"]

    static let cleanAttachments: [(String, String)] = [("report.pdf", "application/pdf"),
        ("roadmap.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("photo.jpg", "image/jpeg"), ("notes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    static let malwareAttachments: [(String, String)] = [("invoice_%d.xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12"),
        ("scan_%d.zip", "application/zip"), ("remittance.html", "text/html"), ("payroll_%d.iso", "application/x-iso9660-image"),
        ("document.pdf.exe", "application/x-msdownload")]

    static let malwareReasons: [Reason] = [
        Reason(category: "Attachments", short: "Malicious macro", full: "The attachment contains an auto-executing macro"),
        Reason(category: "Attachments", short: "Known malware hash", full: "The attachment hash matches known malware"),
    ]
    static let spamReasons: [Reason] = [
        Reason(category: "Content", short: "Bulk marketing content", full: "The message matches bulk spam patterns"),
        Reason(category: "Sender Reputation", short: "Low sender reputation", full: "The sender IP is on a spam list"),
    ]
}
