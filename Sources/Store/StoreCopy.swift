import StoreModel

/// Copies a whole store from one engine to another (`t4gctl store migrate`), table by table, and proves the
/// copy: the target's row count and checksum of every table must equal the source's.
package enum StoreCopy {
    /// What was copied of one table.
    package struct TableReport: Sendable, Equatable {
        /// The table.
        package var table: String
        /// Rows copied (and found in the target).
        package var rows: Int
        /// The checksum of the rows, equal in source and target (FNV-1a 64 of every value, in key order).
        package var checksum: String
    }

    /// How far a copy is, for a progress display.
    package enum Progress: Sendable {
        /// The table at `position` (from 1) of `count` is being read and copied.
        case copying(table: String, position: Int, count: Int)
        /// A table was copied and verified.
        case verified(TableReport)
    }

    /// Copies every table of ``StoreSchema/tables`` from `source` into the empty store `target` (rows its
    /// migration seeded, the system accounts, are replaced) and verifies each, telling `progress` before and
    /// after each table. Throws `copyMismatch` when the target is not empty or a table differs after the copy. Both stores must be at the same schema version, and no daemon
    /// may be writing to the source.
    package static func copy(
        from source: Store, to target: Store, progress: (Progress) -> Void = { _ in }
    ) async throws(StoreError) -> [TableReport] {
        guard try await source.appliedMigrations() == target.appliedMigrations() else {
            throw StoreError(.copyMismatch, "the stores are at different schema versions")
        }
        for table in StoreSchema.tables where !table.seeded {
            guard try await target.rows(of: table).isEmpty else {
                throw StoreError(.copyMismatch, "the target's \(table.name) is not empty")
            }
        }
        var reports: [TableReport] = []
        for (position, table) in StoreSchema.tables.enumerated() {
            progress(.copying(table: table.name, position: position + 1, count: StoreSchema.tables.count))
            let rows = try await source.rows(of: table)
            try await target.insert(rows, into: table)
            let copied = try await target.rows(of: table)
            let checksum = Self.checksum(rows)
            guard copied.count == rows.count, Self.checksum(copied) == checksum else {
                throw StoreError(
                    .copyMismatch, "\(table.name): \(rows.count) rows copied, \(copied.count) found or checksums differ"
                )
            }
            let report = TableReport(table: table.name, rows: rows.count, checksum: checksum)
            progress(.verified(report))
            reports.append(report)
        }
        return reports
    }

    /// FNV-1a 64 over every value of `rows`, each tagged with its kind and length, as 16 hex digits.
    package static func checksum(_ rows: [[StoreValue]]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        for row in rows {
            for value in row {
                switch value {
                case .null: mix([0])
                case .integer(let integer): mix([1] + withUnsafeBytes(of: integer.littleEndian, Array.init))
                case .text(let text):
                    mix([2] + withUnsafeBytes(of: Int64(text.utf8.count).littleEndian, Array.init))
                    mix(text.utf8)
                }
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
