// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "t4gd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "t4gctl", targets: ["t4gctl"]),
        .library(name: "Secp256k1", targets: ["Secp256k1"]),
        .library(name: "BOLT11", targets: ["BOLT11"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        .executableTarget(
            name: "t4gctl",
            dependencies: [
                "BOLT11",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "Secp256k1Tests", dependencies: ["Secp256k1", "TestSupport"]),
        .testTarget(name: "BOLT11Tests", dependencies: ["BOLT11", "Secp256k1", "TestSupport"]),
        .testTarget(name: "ProofsTests", dependencies: ["Proofs", "Secp256k1", "TestSupport"]),
        .testTarget(name: "T4GCtlTests", dependencies: ["t4gctl", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Warnings are errors in every target of this package (not in its dependencies).
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
}
