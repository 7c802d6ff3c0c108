// swift-tools-version:6.2
import PackageDescription

/// What a backend that talks HTTP(S) to its node or wallet builds on.
let httpBackendDependencies: [Target.Dependency] = [
    "Lightning", "BOLT11", "BackendHTTP",
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOSSL", package: "swift-nio-ssl"),
    .product(name: "Logging", package: "swift-log"),
]

let package = Package(
    name: "t4gd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "t4gd", targets: ["t4gd"]),
        .executable(name: "t4gctl", targets: ["t4gctl"]),
        .executable(name: "t4gload", targets: ["t4gload"]),
        .library(name: "Secp256k1", targets: ["Secp256k1"]),
        .library(name: "BOLT11", targets: ["BOLT11"]),
        .library(name: "Proofs", targets: ["Proofs"]),
        // For Benchmarks/ (ProofListProfile measures proof.list on the SQLite store).
        .library(name: "SQLiteStore", targets: ["SQLiteStore", "StoreModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        .systemLibrary(
            name: "CHashShim",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "Secp256k1", dependencies: ["CSecp256k1", "CHashShim"]),
        .target(name: "BOLT11", dependencies: ["Secp256k1"]),
        .target(name: "Proofs", dependencies: ["Secp256k1"]),
        .target(name: "Lightning", dependencies: ["BOLT11", "Secp256k1"]),
        .target(name: "GroupCommit", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "StoreModel", dependencies: ["Lightning", "JSONRPC"]),
        .target(
            name: "SQLiteStore",
            dependencies: ["StoreModel", "Lightning", "GroupCommit", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "PostgresStore",
            dependencies: [
                "StoreModel", "Lightning", "JSONRPC", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Store",
            dependencies: [
                "StoreModel", "SQLiteStore", "PostgresStore", "Lightning",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "DevBackend",
            dependencies: [
                "Lightning", "BOLT11", "Secp256k1", "GroupCommit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DaemonConfig",
            dependencies: [
                "BOLT11", "Lightning", "Store", "DevBackend", "LNbitsBackend", "Rates", "Secp256k1", "TOML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Wallet",
            dependencies: [
                "BOLT11", "Lightning", "Store", "Proofs", "JSONRPC", "Secp256k1", "Rates",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Operations",
            dependencies: [
                "Wallet", "DaemonConfig", "Lightning", "Store", "JSONRPC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "RPCMethods",
            dependencies: [
                "Wallet", "Operations", "DaemonConfig", "RPCServer", "JSONRPC", "BOLT11", "Lightning", "Store",
                "Proofs", "Secp256k1", "Rates",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "Daemon",
            dependencies: [
                "DaemonConfig", "Wallet", "Operations", "RPCMethods", "BOLT11", "Lightning", "Store", "DevBackend",
                "LNDBackend", "LNbitsBackend", "Proofs", "RPCServer", "Secp256k1", "Rates",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "BackendHTTP",
            dependencies: [
                "Lightning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "LNDBackend", dependencies: httpBackendDependencies),
        .target(
            name: "Rates",
            dependencies: [
                "BackendHTTP", "JSONRPC", "Lightning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "LNbitsBackend",
            dependencies: httpBackendDependencies + [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .target(name: "TOML"),
        .target(name: "JSONRPC"),
        .target(
            name: "RPCWire",
            dependencies: ["JSONRPC", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "RPCServer",
            dependencies: [
                "JSONRPC", "RPCWire",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "RPCClient",
            dependencies: [
                "JSONRPC", "RPCWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "t4gd",
            dependencies: [
                "Daemon", "DaemonConfig", "Operations", "RPCMethods", "BOLT11",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "t4gctl",
            dependencies: [
                "BOLT11", "JSONRPC", "RPCClient", "RPCWire", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "t4gload",
            dependencies: [
                "JSONRPC", "RPCClient", "RPCWire", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "CSpawn", path: "Tests/CSpawn"),
        .target(
            name: "TestSupport",
            dependencies: [
                "CSpawn", "JSONRPC", "RPCClient", "Secp256k1", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "SecretScanTests", dependencies: ["TestSupport"]),
        .testTarget(name: "Secp256k1Tests", dependencies: ["Secp256k1", "TestSupport"]),
        .testTarget(name: "BOLT11Tests", dependencies: ["BOLT11", "Secp256k1", "TestSupport"]),
        .testTarget(name: "ProofsTests", dependencies: ["Proofs", "Secp256k1", "TestSupport"]),
        .testTarget(name: "T4GCtlTests", dependencies: ["t4gctl", "Store", "Lightning", "TestSupport"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML", "TestSupport"]),
        .testTarget(
            name: "RatesTests",
            dependencies: [
                "Rates", "Lightning", "TestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "DaemonConfig", "Wallet", "Operations", "RPCMethods", "t4gd", "t4gload", "BOLT11",
                "Secp256k1", "JSONRPC", "RPCServer", "RPCClient", "RPCWire", "Store", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DaemonServiceTests",
            dependencies: [
                "Wallet", "RPCMethods", "Operations", "DaemonConfig", "RPCServer", "RPCClient", "Store", "Lightning",
                "BOLT11", "Secp256k1", "Proofs", "JSONRPC", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "SQLiteStore", "PostgresStore", "GroupCommit", "Lightning", "JSONRPC", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "BackendContractTests",
            dependencies: [
                "DevBackend", "LNDBackend", "LNbitsBackend", "BackendHTTP", "Lightning", "BOLT11", "Secp256k1",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DevBackendTests",
            dependencies: ["DevBackend", "Lightning", "BOLT11", "Secp256k1", "TestSupport"]
        ),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"]),
        .testTarget(
            name: "RPCServerTests",
            dependencies: [
                "RPCServer", "RPCClient", "RPCWire", "JSONRPC", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Warnings are errors in every target of this package (not in its dependencies). Fault points (`FaultInjection`,
// which SIGKILLs the daemon where `T4GD_FAULT_POINTS` says) are compiled into debug builds only, the ones
// `swift test` runs: a release binary has none (scripts/check-release-fault-points.sh). Set on every target so
// that the points follow their code wherever it moves.
for target in package.targets where target.type != .system {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .treatAllWarnings(as: .error), .define("T4G_FAULT_INJECTION", .when(configuration: .debug)),
        ]
}
