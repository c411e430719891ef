// swift-tools-version:6.0
// checkpoint-mcp: an MCP server for Check Point Harmony Email & Collaboration and Harmony Mobile.
// No third-party packages: only what the Swift toolchain ships.
import PackageDescription

let package = Package(
    name: "checkpoint-mcp",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "checkpoint-mcp", targets: ["checkpoint-mcp"]),
        .executable(name: "checkpoint-sim", targets: ["checkpoint-sim"]),
    ],
    targets: [
        // Protocol core: JSON, JSON-RPC, stdio transport, both protocol eras, dispatch, schema validation.
        // Knows nothing of Check Point.
        .target(name: "MCPCore"),
        // Check Point REST client: config, auth, HTTP with limits and retries, paging, typed endpoints.
        // Knows nothing of MCP.
        .target(name: "CheckPointAPI"),
        // A Check Point look-alike over loopback HTTP/1.1 with a seeded tenant and fault injection.
        // Shares no code with CheckPointAPI on purpose: both must read the wire independently.
        .target(name: "CheckPointSimulator"),
        // The toolsets (email, mobile): schemas, handlers, confirmation, audit, untrusted-text fencing.
        .target(name: "CheckPointTools", dependencies: ["MCPCore", "CheckPointAPI"]),
        .executableTarget(
            name: "checkpoint-mcp",
            dependencies: ["MCPCore", "CheckPointAPI", "CheckPointTools", "CheckPointSimulator"]),
        .executableTarget(name: "checkpoint-sim", dependencies: ["CheckPointSimulator"]),

        .testTarget(name: "MCPCoreTests", dependencies: ["MCPCore"]),
        .testTarget(name: "CheckPointAPITests", dependencies: ["CheckPointAPI", "CheckPointSimulator"]),
        .testTarget(name: "CheckPointSimulatorTests", dependencies: ["CheckPointSimulator"]),
        // The per-tool catalog snapshots are read from the source tree by path, not bundled.
        .testTarget(name: "CheckPointToolsTests", dependencies: ["CheckPointTools", "MCPCore", "CheckPointAPI", "CheckPointSimulator"],
                    exclude: ["__snapshots__"]),
        // Drives the built binaries as subprocesses over pipes and loopback HTTP.
        .testTarget(name: "EndToEndTests", dependencies: ["MCPCore"]),
    ]
)
