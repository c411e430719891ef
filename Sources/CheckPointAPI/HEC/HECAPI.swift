import Foundation

/// Typed calls to Harmony Email & Collaboration (`/app/hec-api/v1.0`), the counterpart of `MobileAPI`:
/// one method per endpoint, each decoding its answer once into typed values. Every call goes through
/// `CheckPointClient`, which does only transport, authentication, limits, retries and caching.
/// - SeeAlso: docs/checkpoint-api.md "HEC endpoints".
public struct HECAPI: Sendable {
    public let client: CheckPointClient

    public init(client: CheckPointClient) { self.client = client }
}
