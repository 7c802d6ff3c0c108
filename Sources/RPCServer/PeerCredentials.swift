import NIOCore
import RPCWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The identity of the process on the other end of a Unix socket, as the kernel reports it.
public struct PeerCredentials: Hashable, Sendable {
    /// The peer's effective user id.
    public var uid: UInt32
    /// The peer's effective (Linux) or primary (Darwin) group id.
    public var gid: UInt32
    /// The peer's process id.
    public var pid: Int32

    /// Creates credentials.
    public init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }
}

extension PeerCredentials {
    /// Reads the credentials of `channel`'s peer (`SO_PEERCRED` on Linux, `LOCAL_PEERCRED` and
    /// `LOCAL_PEERPID` on Darwin) through NIO's `getsockopt` access.
    static func read(from channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(
                RPCServerError(.peerCredentialsUnavailable, "the channel has no socket to read peer credentials from")
            )
        }
        #if os(Linux)
            return provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SO_PEERCRED)
                .map { (credentials: LinuxPeerCredentials) in
                    PeerCredentials(uid: credentials.uid, gid: credentials.gid, pid: credentials.pid)
                }
        #elseif canImport(Darwin)
            let credentials: EventLoopFuture<xucred> = provider.unsafeGetSocketOption(
                level: SOL_LOCAL, name: LOCAL_PEERCRED)
            let pid: EventLoopFuture<pid_t> = provider.unsafeGetSocketOption(level: SOL_LOCAL, name: LOCAL_PEERPID)
            return credentials.and(pid).map { pair in
                PeerCredentials(uid: pair.0.cr_uid, gid: pair.0.cr_groups.0, pid: pair.1)
            }
        #else
            return channel.eventLoop.makeFailedFuture(
                RPCServerError(.peerCredentialsUnavailable, "peer credentials are not supported on this platform")
            )
        #endif
    }
}

#if os(Linux)
    /// The layout of Linux's `struct ucred` (pid, uid, gid), which Glibc only exports under `_GNU_SOURCE`.
    private struct LinuxPeerCredentials: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }
#endif
