// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "t4gd-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "t4gd", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // libsecp256k1 and OpenSSL under their own module names: the bare baseline calls them directly.
        .systemLibrary(name: "CSecp256k1Bare", pkgConfig: "libsecp256k1"),
        .systemLibrary(name: "COpenSSLBare", pkgConfig: "libcrypto"),
        .target(name: "BareBaseline", dependencies: ["CSecp256k1Bare", "COpenSSLBare"]),
        // The generated invoices and the measured loops, shared by the benchmarks and the profiling tool.
        .target(
            name: "InvoiceCorpus",
            dependencies: [
                .product(name: "BOLT11", package: "t4gd"), .product(name: "Secp256k1", package: "t4gd"), "BareBaseline",
                "BenchmarkSupport",
            ]
        ),
        // Thread CPU time, the paired (alternating) measurement, `consume`.
        .target(name: "BenchmarkSupport"),
        // The proof chains and their measured operations, shared by the benchmarks and the profiling tool.
        .target(
            name: "ProofCorpus",
            dependencies: [
                .product(name: "Proofs", package: "t4gd"), .product(name: "Secp256k1", package: "t4gd"), "BareBaseline",
                "BenchmarkSupport",
            ]
        ),
        .executableTarget(name: "BOLT11Profile", dependencies: ["InvoiceCorpus", "BareBaseline", "BenchmarkSupport"]),
        .executableTarget(
            name: "ProofListProfile",
            dependencies: [.product(name: "SQLiteStore", package: "t4gd"), "BenchmarkSupport"]
        ),
        .executableTarget(name: "ProofProfile", dependencies: ["ProofCorpus", "BareBaseline", "BenchmarkSupport"]),
        .executableTarget(
            name: "BOLT11Benchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "InvoiceCorpus",
                "BareBaseline",
            ],
            path: "Benchmarks/BOLT11Benchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ProofBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "ProofCorpus",
                "BareBaseline",
                "BenchmarkSupport",
            ],
            path: "Benchmarks/ProofBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
