import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A network namespace of the test's own, joined to the root namespace by a veth pair: the root end has
/// `hostAddress`, the namespace end `peerAddress` (a /30 of 10.231.0.0/16, private to this machine). Faults
/// need no netfilter and no netem: a partition takes the namespace end down (packets sent into the pair are
/// dropped silently, nothing is reset), a one-way blackhole drops what the namespace sends to the host.
struct VethNamespace: Sendable {
    /// Why namespaces cannot be made here, or `nil` when they can (root with CAP_SYS_ADMIN and CAP_NET_ADMIN,
    /// as a container without them is not; `ip` from iproute2).
    static let unavailableReason: String? = {
        if getuid() != 0 { return "network namespaces need root" }
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let effective = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }
            .flatMap { UInt64($0.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) }
        let needed: UInt64 = 1 << 12 | 1 << 21  // CAP_NET_ADMIN, CAP_SYS_ADMIN
        if (effective ?? 0) & needed != needed { return "network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN" }
        if !["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].contains(where: FileManager.default.isExecutableFile)
        {
            return "network namespaces need `ip` (iproute2)"
        }
        return nil
    }()

    let name: String
    let hostAddress: String
    let peerAddress: String
    private let hostDevice: String
    private let peerDevice: String
    private let directory: TemporaryDirectory

    /// Makes the namespace and its link; `index` (0…9) keeps two tests of one process apart. Namespaces
    /// left by a killed test process (named after its pid) are removed first.
    static func make(index: Int) async throws -> VethNamespace {
        let directory = TemporaryDirectory()
        try await Services.run("-c", [Self.removeOrphans], in: directory)
        let tag = "\(getpid())\(index)"
        let block = (Int(getpid()) % 8000) * 2 + index  // one /30 per process and test: 16,000 of them
        let subnet = "10.231.\(block / 64)"
        let namespace = VethNamespace(
            name: "t4gf\(tag)", hostAddress: "\(subnet).\(block % 64 * 4 + 1)",
            peerAddress: "\(subnet).\(block % 64 * 4 + 2)", hostDevice: "t4gf\(tag)h",
            peerDevice: "t4gf\(tag)p", directory: directory)
        do {
            try await namespace.ip("netns add \(namespace.name)")
            try await namespace.ip("link add \(namespace.hostDevice) type veth peer name \(namespace.peerDevice)")
            try await namespace.ip("link set \(namespace.peerDevice) netns \(namespace.name)")
            try await namespace.ip("addr add \(namespace.hostAddress)/30 dev \(namespace.hostDevice)")
            try await namespace.ip("link set \(namespace.hostDevice) up")
            try await namespace.ip(
                "-n \(namespace.name) addr add \(namespace.peerAddress)/30 dev \(namespace.peerDevice)")
            try await namespace.ip("-n \(namespace.name) link set \(namespace.peerDevice) up")
            try await namespace.ip("-n \(namespace.name) link set lo up")
            return namespace
        } catch {
            await namespace.remove()
            throw error
        }
    }

    /// Cuts the link both ways: the namespace end goes down, so packets from either side are dropped unseen.
    func partition() async throws { try await ip("-n \(name) link set \(peerDevice) down") }

    /// Ends a partition.
    func heal() async throws { try await ip("-n \(name) link set \(peerDevice) up") }

    /// Drops every packet the namespace sends to the host (the other direction still arrives).
    func blackholeToHost() async throws { try await ip("-n \(name) route add blackhole \(hostAddress)/32") }

    /// Ends a one-way blackhole.
    func clearBlackhole() async throws { try await ip("-n \(name) route del blackhole \(hostAddress)/32") }

    /// Removes the link and the namespace (deleting the namespace also deletes its end of the pair); safe to
    /// call after a partial ``make(index:)``.
    func remove() async {
        _ = try? await ip("link del \(hostDevice)")
        _ = try? await ip("netns del \(name)")
        directory.remove()
    }

    /// Deletes every `t4gfPIDI` namespace and its `…h` link whose process is gone.
    private static let removeOrphans = #"""
        for namespace in $(ip netns list | grep -o '^t4gf[0-9]*'); do
          digits=${namespace#t4gf}
          if ! kill -0 "${digits%?}" 2>/dev/null; then
            ip link del "${namespace}h" 2>/dev/null || true
            ip netns del "$namespace" 2>/dev/null || true
          fi
        done
        """#

    private func ip(_ arguments: String) async throws {
        try await Services.run("-c", ["ip \(arguments)"], in: directory)
    }
}
