import Foundation

/// A time as Harmony Mobile sends it, parsed tolerantly.
///
/// The API is inconsistent: `last_connection` is RFC 1123 ("Fri, 30 Jul 2021 08:27:11 +0000"), alerts use
/// ISO 8601 or the literal "No data", the swagger spec claims `%m/%d/%Y %H:%M:%S`, the status window takes
/// epoch milliseconds and the audit filter a naive "2021-07-01 08:08:00". Everything is read here, once;
/// a value we cannot read is kept verbatim (`.unparsed`) rather than dropped or turned into an error.
/// The parsing is `CheckPointDate`'s; this type only adds "no data" and the unparsed case.
/// - SeeAlso: `docs/checkpoint-api.md` "Harmony Mobile" (Alert dates, Device `last_connection`).
public enum MobileTimestamp: Sendable, Hashable {
    case date(Date)
    /// "No data", an empty string or null: the API has no time for this.
    case noData
    case unparsed(String)

    public var date: Date? { if case .date(let d) = self { return d } else { return nil } }

    /// ISO 8601 UTC with seconds ("2024-05-01T12:00:00Z"), "no data", or the raw text marked as unparsed.
    public var display: String {
        switch self {
        case .date(let d): return CheckPointDate.isoSeconds(d)
        case .noData: return "no data"
        case .unparsed(let s): return "unparsed: \(s)"
        }
    }

    /// ISO 8601 UTC or nil, for structured output.
    public var isoOrNil: String? { date.map(CheckPointDate.isoSeconds) }

    public init(text: String?) {
        guard let raw = text?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty,
            raw.lowercased() != "no data", raw.lowercased() != "null", raw.lowercased() != "none"
        else {
            self = .noData
            return
        }
        if let d = CheckPointDate.parse(raw) { self = .date(d) } else { self = .unparsed(raw) }
    }

    public init(epoch: Double) {
        // Numbers above 10^11 are milliseconds (10^11 s is the year 5138), smaller ones seconds.
        self = .date(Date(timeIntervalSince1970: abs(epoch) >= 1e11 ? epoch / 1000 : epoch))
    }
}
