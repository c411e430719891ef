// swift-tools-version:6.0
// checkpoint-mcp: an MCP server for Check Point Harmony Email & Collaboration and Harmony Mobile.
// No third-party packages: only what the Swift toolchain ships.
import PackageDescription

// The four library modules are optimized in debug builds too, i.e. in the test build CI runs: a whole
// `swift test` spent 64 s of CPU unoptimized, 27 s with them at -O (the simulator's searches, the client's
// decoding and the server's encoding were most of it; docs/benchmarks.md "Test suite"). Test targets and the
// executables' own code stay unoptimized, and release builds are -O anyway.
let optimizedInTests: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

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
        .target(name: "MCPCore", swiftSettings: optimizedInTests),
        // Check Point REST client: config, auth, HTTP with limits and retries, paging, typed endpoints.
        // Knows nothing of MCP.
        .target(name: "CheckPointAPI", swiftSettings: optimizedInTests),
        // A Check Point look-alike over loopback HTTP/1.1 with a seeded tenant and fault injection.
        // Shares no code with CheckPointAPI on purpose: both must read the wire independently.
        .target(name: "CheckPointSimulator", swiftSettings: optimizedInTests),
        // The toolsets (email, mobile): schemas, handlers, confirmation, audit, untrusted-text fencing.
        .target(name: "CheckPointTools", dependencies: ["MCPCore", "CheckPointAPI"], swiftSettings: optimizedInTests),
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
