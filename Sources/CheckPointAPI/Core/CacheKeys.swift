/// Keys and lifetimes of the recently-read records the client caches ("cache what changes slowly").
/// Short: an agent re-reads the same email or device within a turn, but
/// someone else may act on it in the portal meanwhile. Every write through this client that may touch
/// them drops the whole family (`invalidate(prefix:)`), whatever the write's outcome.
enum EntityCache {
    static let prefix = "hec:entity"
    static let ttl: Duration = .seconds(20)
    /// `GET /search/entity/{id}` decoded for reading (`entity(_:)`).
    static func entityKey(_ id: String) -> String { "\(prefix):\(id)" }
    /// How long the rows a search returned serve write previews (`SearchedRows`): longer than `ttl` because an
    /// agent's turn between the search and the preview takes tens of seconds; any write drops them.
    static let searchedTTL: Duration = .seconds(120)
}

enum DeviceCache {
    static let prefix = "mobile.device"
    static let ttl: Duration = .seconds(20)
    static func key(_ id: Int) -> String { "\(prefix):\(id)" }
}
