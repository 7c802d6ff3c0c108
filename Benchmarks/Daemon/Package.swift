// swift-tools-version:6.2
import PackageDescription

// Load/latency/RSS harness for the t4gd daemon. Plain POSIX sockets and threads, no dependencies,
// so it builds in seconds; t4gd itself is built from the root package (see run.sh).
let package = Package(
    name: "DaemonBench",
    targets: [
        .executableTarget(
            name: "DaemonBench",
            path: "Sources/DaemonBench"
        )
    ],
    swiftLanguageModes: [.v5]
)
