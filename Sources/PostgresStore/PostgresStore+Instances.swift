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
    package func claimInstanceName(_ name: String, owner: String) async throws(StoreError) {
        do {
            try await lockInstanceName(name, patience: Self.claimPatience)
            try await onConnection("forget earlier processes") { connection in
                _ = try await connection.query(
                    """
                    DELETE FROM instances
                    WHERE id <> \(owner) AND (id = \(name) OR substr(id, 1, length(\(name)) + 1) = \(name) || '/')
                    """, logger: logger)
            }
        } catch {
            throw Self.storeError(error, "claim instance name")
        }
    }

    /// Takes the claimed name's lock again when the connection holding it was lost (a database restart, a
    /// network cut): `instanceNameTaken` when another process took the name meanwhile. Nothing to do before a
    /// claim or while the connection lives; called with every heartbeat.
    func keepInstanceName() async throws(StoreError) {
        guard let name = await instanceClaim.lostName() else { return }
        do {
            try await lockInstanceName(name, patience: .zero)
            logger.notice("instance name lock taken again", metadata: ["instance": "\(name)"])
        } catch {
            throw Self.storeError(error, "keep instance name")
        }
    }

    /// Holds the lock of `name` on a new dedicated connection, trying for `patience`.
    private func lockInstanceName(_ name: String, patience: Duration) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: connectionConfiguration, id: Int.random(in: 1_000_000...Int.max), logger: logger)
        let deadline = ContinuousClock.now + patience
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
        await instanceClaim.hold(connection, name: name)
    }

    /// The owners whose last heartbeat is at or after `aliveSince`, sorted.
    package func liveInstances(aliveSince: Int64) async throws(StoreError) -> [String] {
        try await onConnection("read live instances") { connection in
            try await connection.rows(
                "SELECT id FROM instances WHERE heartbeat_at >= \(aliveSince) ORDER BY id", logger
            ).map { try $0.requiredText("id") }
        }
    }

    /// The wallet identity recorded under `name`, recording `value` first when there is none (of concurrent first
    /// starts, one records and the others read its value).
    package func walletIdentity(_ name: String, recordingIfAbsent value: String) async throws(StoreError) -> String {
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
    private var name: String?

    /// Keeps `connection` (and its lock of `name`) until ``release()``.
    func hold(_ connection: PostgresConnection, name: String) {
        self.connection = connection
        self.name = name
    }

    /// The claimed name when the connection holding its lock has closed, else `nil`.
    func lostName() -> String? {
        guard let name, connection?.isClosed ?? true else { return nil }
        return name
    }

    /// Closes the connection, releasing the lock; the name is no longer kept.
    func release() async {
        let held = connection
        connection = nil
        name = nil
        try? await held?.close()
    }
}
