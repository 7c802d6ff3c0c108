import Foundation
import JSONRPC
import TestSupport
import Testing

/// Connection slots with real Unix users (as ``PeerRoleTests``): a user with no role holds none, a readonly
/// user cannot take the slots kept for admin, and a request trickled a byte at a time is closed at the request
/// timeout, while root (admin) keeps being served.
@Suite struct ConnectionSlotTests {
    /// Opens `count` connections to the socket, then for `seconds` either stays silent or trickles a request one
    /// byte per 0.3 s on each; prints, as JSON, how many the daemon closed and their first lines.
    static let holder = #"""
        import json, socket, sys, time
        path, count, mode, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
        request = b'{"jsonrpc":"2.0","id":1,"method":"daemon.info"}\n'
        connections = []
        for _ in range(count):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(path)
            connection.setblocking(False)
            connections.append(connection)
        closed = {}
        end = time.time() + seconds
        step = 0
        while time.time() < end and len(closed) < count:
            for index, connection in enumerate(connections):
                if index in closed:
                    continue
                try:
                    data = connection.recv(65536)
                    closed[index] = data.split(b'\n')[0].decode()
                    continue
                except BlockingIOError:
                    pass
                except OSError as error:
                    closed[index] = str(error)
                    continue
                if mode == 'trickle' and step < len(request) - 1:
                    try:
                        connection.send(request[step:step + 1])
                    except OSError as error:
                        closed[index] = str(error)
            step += 1
            time.sleep(0.3)
        print(json.dumps({"closed": len(closed), "lines": sorted(set(closed.values()))}))
        """#

    /// Runs the holder as `user`: its report.
    static func hold(
        as user: PeerRoleTests.User, count: Int, mode: String, seconds: Int, daemon: DaemonProcess
    ) async throws -> JSONValue {
        let holder = [daemon.directory.file("holder.py"), daemon.socketPath, "\(count)", mode, "\(seconds)"]
        let output = try await Services.run(
            "-c", PeerRoleTests.setpriv(as: user) + ["/usr/bin/python3"] + holder, in: daemon.directory)
        return try JSONValue.parse(Array(output.utf8))
    }

    @Test(
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"),
            "switching to other Unix users needs root, and the holder needs /usr/bin/python3"),
        .timeLimit(.minutes(3)))
    func silentAndTricklingClientsWithoutAdminNeverLockAdminOut() async throws {
        let setup = TemporaryDirectory()
        defer { setup.remove() }
        let readonly = try await PeerRoleTests.user("t4gtest-ro", in: setup)
        let unmapped = try await PeerRoleTests.user("t4gtest-none", in: setup)
        try await DevNetwork.run { network in
            let daemon = try await network.daemon(
                extra: """
                    [rpc]
                    socket_group = "\(PeerRoleTests.group)"
                    socket_mode = "0660"
                    max_connections = 8
                    idle_timeout_s = 300
                    request_timeout_s = 2
                    [roles]
                    readonly = [\(readonly.uid)]
                    """)
            chmod(daemon.directory.path, 0o755)
            try Self.holder.write(toFile: daemon.directory.file("holder.py"), atomically: true, encoding: .utf8)
            chmod(daemon.directory.file("holder.py"), 0o644)

            // No role: 50 silent connections, each refused at connect.
            let strangers = Task {
                try await Self.hold(as: unmapped, count: 50, mode: "silent", seconds: 8, daemon: daemon)
            }
            // Readonly: 12 trickling connections; 4 get slots (4 of 8 are kept for admin), the rest are refused,
            // and the 4 are closed at the 2 s request timeout although a byte arrives every 0.3 s.
            let tricklers = Task {
                try await Self.hold(as: readonly, count: 12, mode: "trickle", seconds: 12, daemon: daemon)
            }
            var served = 0
            var refused: [String] = []
            let deadline = ContinuousClock.now + .seconds(6)
            while ContinuousClock.now < deadline {
                do {
                    _ = try await daemon.call("daemon.info")
                    served += 1
                } catch {
                    refused.append("\(error)")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(refused.isEmpty, "admin was refused: \(refused.prefix(3))")
            #expect(served > 0)

            let strangersReport = try await strangers.value
            #expect(strangersReport.integer("closed") == 50)
            let strangerLines = strangersReport["lines"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(
                !strangerLines.isEmpty && strangerLines.allSatisfy { $0.contains("\"unauthorized\"") },
                "\(strangersReport)")

            let tricklersReport = try await tricklers.value
            #expect(tricklersReport.integer("closed") == 12, "\(tricklersReport)")
            let tricklerLines = tricklersReport["lines"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(tricklerLines.contains { $0.contains("\"too_many_connections\"") })
            #expect(tricklerLines.contains { $0.contains("\"request_timeout_s\":2") })
            #expect(daemon.isRunning)
        }
    }
}
