// SQLiteStore: the embedded `Store`, one SQLite file in WAL mode through GRDB.
//
// Writes: every unit of work goes through `SQLiteWriter` (group commit, one savepoint per unit), so the
// single SQLite writer serializes units and check-then-write inside a unit is safe. Reads run on GRDB's
// reader connections and never block the writer. Unique keys (provider call id, run per automation and
// call, message idempotency key, inbound carrier message id) stop duplicates even if the engine above
// made a mistake. The units themselves live in the SQLiteStore+*.swift files, one per area.

import Foundation
import GRDB
import TextBackCore

public struct SQLiteOptions: Sendable {
    public enum Synchronous: String, Sendable, CaseIterable {
        /// Every COMMIT reaches the disk before it returns: an acknowledged call survives a power loss.
        case full
        /// Commits reach the OS but not always the disk: a power loss (not a process crash) can lose the
        /// last moments of acknowledged writes. Faster on slow disks; documented risk, opt in only.
        case normal
    }

    public var synchronous: Synchronous
    /// Units waiting for the writer beyond which HTTP ingest is refused with 503 (back-pressure).
    public var maxWaitingWrites: Int
    /// Most units applied in one transaction.
    public var maxBatch: Int

    /// Opens the file for reading only (tools such as the dry run): not a byte of it changes, and any
    /// write fails. The file must exist and have been written by TextBack (WAL mode).
    public var readOnly: Bool

    public init(synchronous: Synchronous = .full, maxWaitingWrites: Int = 4096, maxBatch: Int = 512, readOnly: Bool = false) {
        self.synchronous = synchronous; self.maxWaitingWrites = maxWaitingWrites; self.maxBatch = maxBatch; self.readOnly = readOnly
    }
}

public final class SQLiteStore: Store, SimulatorOutbox {
    let pool: DatabasePool
    let writer: SQLiteWriter
    public let jobWakeups = JobWakeups()
    public let options: SQLiteOptions

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String, options: SQLiteOptions = SQLiteOptions()) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.readonly = options.readOnly
        self.options = options
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.unavailable("cannot open SQLite database at \(path): \(error)")
        }
        // A read-only store never writes, so the writer's settings do not apply.
        if !options.readOnly {
            do {
                // GRDB sets NORMAL when it turns WAL on; durability is our choice, made on the writer
                // connection (the only one that commits).
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = \(options.synchronous.rawValue.uppercased())")
                    // Each unit runs in a savepoint; SQLite keeps the savepoint journal (the pages a unit may have
                    // to roll back) in a temporary file unless told otherwise. On disk that was five times the
                    // WAL's own writes per call (measured: 85 KB of temp-file writes per ingest), so in memory.
                    try db.execute(sql: "PRAGMA temp_store = MEMORY")
                    // The writer touches the newest pages of every table and index; a larger cache keeps them.
                    try db.execute(sql: "PRAGMA cache_size = -16384")
                }
            } catch {
                throw StoreError.unavailable("cannot open SQLite database at \(path): \(error)")
            }
        }
        let wakeups = jobWakeups
        writer = SQLiteWriter(pool: pool, maxWaiting: options.maxWaitingWrites, maxBatch: options.maxBatch) { madeJobsAvailable in
            if madeJobsAvailable { wakeups.notify() }
        }
    }

    public func migrate() async throws {
        try SQLiteSchema.migrator().migrate(pool)
    }

    /// The writer connection's `PRAGMA synchronous` (2 = FULL, 1 = NORMAL), as SQLite reports it.
    public func synchronousSetting() async throws -> Int {
        try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Transactions, units and busy time of the group-commit writer since the store opened.
    public var writerStatistics: WriterStatistics { writer.statistics }
    /// Units waiting for the writer (for health and metrics).
    public var waitingWrites: Int { writer.waitingCount }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }
}

// MARK: - Statement helpers

extension Database {
    /// Runs a cached statement (prepared once per connection).
    func run(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    func one(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func all(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }
}
