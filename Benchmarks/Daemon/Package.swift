// swift-tools-version:6.2
import PackageDescription

// Load/latency/RSS harness for the t4gd daemon: plain POSIX sockets and threads. t4gd itself is built from the
// root package (see run.sh). The second baseline, NIOEchoServer, answers NDJSON lines with SwiftNIO on a Unix
// socket (the same transport t4gd uses), so the run also shows how much of the gap to the thread-per-connection
// echo server is the transport's.
let package = Package(
    name: "DaemonBench",
    dependencies: [.package(url: "https://github.com/apple/swift-nio", from: "2.101.2")],
    targets: [
        .executableTarget(
            name: "DaemonBench",
            path: "Sources/DaemonBench"
        ),
        .executableTarget(
            name: "NIOEchoServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/NIOEchoServer",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ],
    swiftLanguageModes: [.v5]
)
