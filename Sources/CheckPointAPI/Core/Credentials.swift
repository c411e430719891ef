import Foundation

/// A secret string (client secret, bearer token) that refuses to be printed.
///
/// `description`, `debugDescription`, string interpolation, `dump` and `Mirror` all show `<redacted>`;
/// only code inside this module can read the value (`reveal`), and it does so only to put it on the wire.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, CustomLeafReflectable
{
    let reveal: String

    public init(_ value: String) { self.reveal = value }

    public var isEmpty: Bool { reveal.isEmpty }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// One Infinity Portal API key: the client id (not secret; shown in diagnostics) and its access key.
public struct Credentials: Sendable, Hashable, CustomStringConvertible {
    public var clientID: String
    public var secret: Secret

    public init(clientID: String, secret: String) {
        self.clientID = clientID
        self.secret = Secret(secret)
    }

    public var description: String { "Credentials(clientID: \(clientID), secret: <redacted>)" }
}
