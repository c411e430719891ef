import LazyCurl

/// Whether the HTTP stack (libcurl under FoundationNetworking) has been loaded into the process yet.
/// It is loaded on the first upstream request, not at startup: that keeps `initialize` fast and idle RSS
/// low (see docs/architecture.md, "Lazy networking").
public enum NetworkingStack {
    public static var isLoaded: Bool { lazy_curl_is_loaded() != 0 }
}
