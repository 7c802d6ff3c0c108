import Logging
import PostgresNIO
import StoreModel
import Synchronization

extension PostgresStore {
    /// How long a claim waits for the lock of a predecessor that just died (its server session ends moments
    /// after the process).
    static let claimPatience: Duration = .seconds(3)

    /// Takes the session advisory lock of `name` on a dedicated connection kept until ``close()`` (or the
    /// process's death), refusing with `instanceNameTaken` while another live process holds it; then forgets the
    /// heartbeats of earlier processes of `name`, which the lock proves dead.
    public func claimInstanceName(_ name: String, owner: String) async throws(StoreError) {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: connectionConfiguration, id: Int.random(in: 1_000_000...Int.max), logger: logger)
            let deadline = ContinuousClock.now + Self.claimPatience
            var held = false
            while !held {
                held =
                    try await connection.rows(
                        "SELECT pg_try_advisory_lock(hashtext('t4gd-instance'), hashtext(\(name))) AS held", logger
                    ).first?.bool("held") == true
                guard !held, ContinuousClock.now < deadline else { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            guard held else {
                try? await connection.close()
                throw StoreError(
                    .instanceNameTaken,
                    "another live t4gd uses the instance name \"\(name)\" on this database; give every instance its"
                        + " own name (store.instance, or a fresh DATA_DIR/instance: copy only the seed to a new data dir)")
            }
            await instanceClaim.hold(connection)
            try await connection.query(
                """
                DELETE FROM instances
                WHERE id <> \(owner) AND (id = \(name) OR substr(id, 1, length(\(name)) + 1) = \(name) || '/')
                """, logger: logger)
        } catch {
            throw Self.storeError(error, "claim instance name")
        }
    }

    /// The owners whose last heartbeat is at or after `aliveSince`, sorted.
    public func liveInstances(aliveSince: Int64) async throws(StoreError) -> [String] {
        try await onConnection("read live instances") { connection in
            try await connection.rows(
                "SELECT id FROM instances WHERE heartbeat_at >= \(aliveSince) ORDER BY id", logger
            ).map { try $0.requiredText("id") }
        }
    }

    /// The wallet identity recorded under `name`, recording `value` first when there is none (of concurrent first
    /// starts, one records and the others read its value).
    public func walletIdentity(_ name: String, recordingIfAbsent value: String) async throws(StoreError) -> String {
        try await transaction("record wallet identity") { connection in
            try await connection.query(
                "INSERT INTO wallet_identity (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO NOTHING",
                logger: logger)
            return try await connection.rows("SELECT value FROM wallet_identity WHERE name = \(name)", logger)
                .first?.text("value") ?? value
        }
    }
}

/// The dedicated connection whose session holds this process's instance-name lock.
actor InstanceClaim {
    private var connection: PostgresConnection?

    /// Keeps `connection` (and its lock) until ``release()``.
    func hold(_ connection: PostgresConnection) {
        self.connection = connection
    }

    /// Closes the connection, releasing the lock.
    func release() async {
        let held = connection
        connection = nil
        try? await held?.close()
    }
}
