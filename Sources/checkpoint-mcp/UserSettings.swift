import CheckPointAPI

/// What a person fills in to use this server: the Check Point keys and region, and two server settings.
/// One list for `config` (environment variable names, never values), the MCP Bundle's `user_config` and
/// the MCP Registry's `environmentVariables`, so the three cannot drift apart.
struct UserSetting {
    enum Kind: String { case string, boolean }

    /// The bundle's `user_config` key (`${user_config.KEY}`).
    let key: String
    let variable: String
    let title: String
    let description: String
    var kind: Kind = .string
    var secret = false
    var required = false
    /// Every optional setting has one: an MCPB host leaves `${user_config.KEY}` unreplaced (the literal
    /// text reaches the variable) when a setting has neither a value nor a default. Empty means unset.
    var defaultValue: String?
    /// What `config` prints instead of a value.
    var placeholder = ""
    /// A Check Point setting (in `config`'s environment block) rather than a server setting (a flag there).
    var checkPoint = true

    static let all: [UserSetting] = [
        UserSetting(
            key: "client_id", variable: Configuration.Env.clientID, title: "Client ID",
            description: "Client ID of an Infinity Portal API key for the Email & Collaboration service (Global Settings > API Keys).",
            required: true, placeholder: "your-client-id"),
        UserSetting(
            key: "client_secret", variable: Configuration.Env.clientSecret, title: "Secret Key",
            description: "Secret Key of that API key, shown once when the key is created.",
            secret: true, required: true, placeholder: "your-secret-key"),
        UserSetting(
            key: "region", variable: Configuration.Env.region, title: "Region",
            description: "Infinity Portal region of the tenant: " + Region.allCases.map(\.rawValue).joined(separator: ", ") + ".",
            defaultValue: Region.defaultRegion.rawValue, placeholder: Region.defaultRegion.rawValue),
        UserSetting(
            key: "mobile_client_id", variable: Configuration.Env.mobileClientID, title: "Harmony Mobile Client ID",
            description: "Client ID of a key for the Harmony Mobile service; leave empty to use the key above.",
            defaultValue: ""),
        UserSetting(
            key: "mobile_client_secret", variable: Configuration.Env.mobileClientSecret, title: "Harmony Mobile Secret Key",
            description: "Secret Key of the Harmony Mobile key; leave empty to use the key above.", secret: true,
            defaultValue: ""),
        UserSetting(
            key: "read_only", variable: EnvVar.readOnly, title: "Read-only",
            description: "Serve only tools that change nothing (no quarantine, restore, list or device changes).",
            kind: .boolean, defaultValue: "true", checkPoint: false),
        UserSetting(
            key: "toolsets", variable: EnvVar.toolsets, title: "Toolsets",
            description: "Comma-separated toolsets to serve: \(Invocation.toolsetNames), or all.",
            defaultValue: "all", checkPoint: false),
    ]
}
