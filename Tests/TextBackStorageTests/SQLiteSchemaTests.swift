// SQLite only: durability settings and schema migrations. A v1 database is built by the real "v1-core"
// migration (GRDB's `migrate(_:upTo:)`), filled with rows of every shape v1 could hold, then opened by
// today's store and migrated.

import Foundation
import GRDB
import Testing
import TextBackCore
@testable import TextBackStorage

@Suite("SQLite: durability and migrations", .timeLimit(.minutes(2)))
struct SQLiteSchemaTests {
    // MARK: Durability

    @Test(arguments: [(SQLiteOptions.Synchronous?.none, 2), (.full, 2), (.normal, 1)])
    func theWriterCommitsWithTheConfiguredSynchronousSetting(setting: SQLiteOptions.Synchronous?, expected: Int) async throws {
        let options = setting.map { SQLiteOptions(synchronous: $0) } ?? SQLiteOptions()
        let (store, directory) = try await StoreEngines.openSQLite(options: options)
        defer { try? FileManager.default.removeItem(at: directory) }

        #expect(try await store.synchronousSetting() == expected)
    }

    // MARK: Migrations

    static func temporaryPath() throws -> (String, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("textback-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory.appendingPathComponent("store.sqlite").path, directory)
    }

    static func appliedMigrations(_ store: SQLiteStore) async throws -> [String] {
        try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    /// The schema and every row, as text.
    static func snapshot(_ store: SQLiteStore) async throws -> [String] {
        try await store.pool.read { db in
            let schema = try String.fetchAll(db, sql: "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master ORDER BY name")
            let rows = try SQLiteCrashTests.tables.flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { "\(table) \($0)" }
            }
            return schema + rows
        }
    }

    @Test func migrationsFromAnEmptyFileApplyEveryMigration() async throws {
        let (path, directory) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: path)

        try await store.migrate()

        #expect(try await Self.appliedMigrations(store) == ["v1-core", "v2-units", "v3-delivery", "v4-conversations", "v5-tenancy", "v6-crm", "v7-sender-pace"])
        let columns = try await store.pool.read { db in try db.columns(in: "jobs").map(\.name) }
        #expect(columns.contains("seq") && columns.contains("lane") && columns.contains("available_at"))
        let messageColumns = try await store.pool.read { db in try db.columns(in: "messages").map(\.name) }
        #expect(messageColumns.contains("error_code") && messageColumns.contains("template"))
        #expect(try await store.pool.read { db in try db.tableExists("line_types") })
        #expect(try await store.pool.read { db in try db.tableExists("crm_outbox") })
        #expect(try await store.countPendingJobs() == 0)
    }

    @Test func rerunningMigrateIsANoOp() async throws {
        let (store, directory) = try await StoreEngines.openSQLite()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await startRun(store, "a", from: phone(1))
        try await store.recordDecisions([decision("d1", "contact-a", reasons: ["a, b", "c"])])
        let before = try await Self.snapshot(store)

        try await store.migrate()
        // A second process starting on the same file at the same time.
        let other = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        async let first: Void = store.migrate()
        async let second: Void = other.migrate()
        _ = try await (first, second)

        #expect(try await Self.snapshot(store) == before)
        #expect(try await Self.appliedMigrations(store) == ["v1-core", "v2-units", "v3-delivery", "v4-conversations", "v5-tenancy", "v6-crm", "v7-sender-pace"])
        #expect(try await store.timeline(contactID: "contact-a", scope: .all).decisions.first?.reasons == ["a, b", "c"])
    }

    @Test func aV1DatabaseWithDataMigratesToV2() async throws {
        let (path, directory) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeV1Database(at: path)

        let store = try SQLiteStore(path: path)
        try await store.migrate()

        #expect(try await Self.appliedMigrations(store) == ["v1-core", "v2-units", "v3-delivery", "v4-conversations", "v5-tenancy", "v6-crm", "v7-sender-pace"])
        let checks = try await store.pool.read { db in
            (try String.fetchAll(db, sql: "PRAGMA integrity_check"), try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
        #expect(checks.0 == ["ok"])
        #expect(checks.1 == 0)

        // Every job keeps its due time; running ones keep their lease; finished ones stay finished.
        let due: [JobID: Double] = ["j-late": 120, "j-a": 60, "j-b": 60, "j-running": 0, "j-confirm": 90, "j-help": 95, "j-reply": 100, "j-done": -100]
        for (id, seconds) in due {
            #expect(try await store.job(id)?.dueAt.ms == at(seconds).ms, "\(id)")
        }
        let running = try #require(try await store.job("j-running"))
        #expect(running.status == .running)
        #expect(running.leaseOwner == "old#1")
        #expect(running.leaseUntil?.ms == at(300).ms)
        #expect(running.attempts == 1)
        #expect(try await store.job("j-done")?.status == .done)
        #expect(try await store.countPendingJobs() == 7)

        // Opt-out confirmations and HELP answers land in the compliance lane; everything else in the normal one.
        let lanes: [JobID: JobLane] = ["j-confirm": .compliance, "j-help": .compliance, "j-running": .compliance,
                                       "j-late": .normal, "j-a": .normal, "j-b": .normal, "j-reply": .normal]
        for (id, lane) in lanes { #expect(try await store.job(id)?.lane == lane, "\(id)") }

        // They become claimable when due, running ones when their lease ends, in lane, time, then v1 insertion order.
        #expect(try await store.nextAvailableAt()?.ms == at(60).ms)
        #expect(try await claimAll(store, owner: "new#1", now: at(59)) == [])
        #expect(try await claimAll(store, owner: "new#1", now: at(100)) == ["j-confirm", "j-help", "j-a", "j-b", "j-reply"])
        #expect(try await claimAll(store, owner: "new#1", now: at(299)) == ["j-late"])
        let retaken = try await store.claimJobs(ClaimRequest(owner: "new#1", now: at(300), leaseUntil: at(600), limit: 10))
        #expect(retaken.map(\.id) == ["j-running"])
        #expect(retaken.first?.attempts == 2)
        #expect(try await store.pruneFinishedJobs(before: t0, limit: 10) == 1)
        #expect(try await store.job("j-done") == nil)

        // Comma-joined reasons become arrays.
        let reasons = Dictionary(uniqueKeysWithValues: try await store.timeline(contactID: "c1", scope: .all).decisions.map { ($0.id, $0.reasons) })
        #expect(reasons == ["d1": ["opted_out", "suppression:opt_out"], "d2": ["allowed"], "d3": []])
        #expect(try await store.message("m-confirm", scope: .all)?.kind == .optOutConfirmation)

        // Rows from before tenancy belong to the default business, jobs included.
        #expect(try await store.contact(phone: phone(1), business: .default)?.id == "c1")
        #expect(try await store.message("m-auto", scope: .business(.default)) != nil)
        #expect(try await store.job("j-a")?.business == .default)
    }

    @Test func aV4DatabaseKeepsOptOutsWithTheDefaultBusinessAndOtherEntriesGlobal() async throws {
        let (path, directory) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator().migrate(queue, upTo: "v4-conversations")
        try await queue.write { db in
            for (number, reason) in [(phone(1), "opt_out"), (phone(2), "dnc"), (phone(3), "carrier_opt_out")] {
                try db.execute(sql: "INSERT INTO suppressions (phone, channel, reason, source, created_at) VALUES (?, 'sms', ?, 'test', ?)",
                               arguments: [number.e164, reason, t0.ms])
            }
        }
        try queue.close()
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        #expect(try await store.suppression(phone: phone(1), channel: "sms", for: nil) == nil)
        #expect(try await store.suppression(phone: phone(1), channel: "sms", for: .default)?.business == .default)
        #expect(try await store.suppression(phone: phone(2), channel: "sms", for: nil)?.business == nil)
        #expect(try await store.suppression(phone: phone(2), channel: "sms", for: "another")?.reason == "dnc")
        #expect(try await store.suppression(phone: phone(3), channel: "sms", for: .default)?.business == .default)
    }

    /// A database as v1 left it: created by the "v1-core" migration alone, with jobs pending, running and
    /// done, deliveries of every message kind, and decisions whose reasons were joined with commas.
    static func writeV1Database(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator().migrate(queue, upTo: "v1-core")
        let event = try Coding.eventJSON(callEvent("p1", from: phone(1)))
        let t = t0.ms
        try queue.write { db in
            try db.execute(sql: "INSERT INTO contacts (id, phone, name, attributes, created_at, updated_at) VALUES ('c1', ?, NULL, '{}', ?, ?)",
                           arguments: [phone(1).e164, t, t])
            try db.execute(sql: """
                INSERT INTO calls (id, provider, provider_call_id, contact_id, stage, stage_rank, direction, outcome, occurred_at, received_at, event)
                VALUES ('call1', 'native', 'p1', 'c1', 'ended', 3, 'inbound', 'no_answer', ?, ?, ?)
                """, arguments: [t, t, event])
            for run in ["run1", "run2"] {
                try db.execute(sql: """
                    INSERT INTO runs (id, automation_id, call_id, contact_id, status, pc, fingerprint, created_at, updated_at)
                    VALUES (?, ?, 'call1', 'c1', 'active', 0, 'fp', ?, ?)
                    """, arguments: [run, "auto-\(run)", t, t])
            }
            for (id, kind) in [("m-auto", "automated"), ("m-help", "help"), ("m-confirm", "opt_out_confirmation"), ("m-reply", "reply"),
                               ("m-help2", "help")] {
                try db.execute(sql: """
                    INSERT INTO messages (id, idempotency_key, contact_id, direction, kind, from_number, to_number, body, status, carrier,
                                          created_at, updated_at)
                    VALUES (?, ?, 'c1', 'outbound', ?, ?, ?, 'Hello', 'queued', 'simulator', ?, ?)
                    """, arguments: [id, "key-\(id)", kind, business.e164, phone(1).e164, t, t])
            }
            // (id, kind, run, message, due in seconds from t0, status, attempts, lease owner, lease end) in insertion order.
            let jobs: [(String, String, String?, String?, Double, String, Int, String?, Double?)] = [
                ("j-done", "advance", "run1", nil, -100, "done", 1, nil, nil),
                ("j-late", "advance", "run1", nil, 120, "pending", 0, nil, nil),
                ("j-a", "advance", "run2", nil, 60, "pending", 0, nil, nil),
                ("j-b", "deliver", nil, "m-auto", 60, "pending", 0, nil, nil),
                ("j-running", "deliver", nil, "m-help", 0, "running", 1, "old#1", 300),
                ("j-confirm", "deliver", nil, "m-confirm", 90, "pending", 0, nil, nil),
                ("j-help", "deliver", nil, "m-help2", 95, "pending", 0, nil, nil),
                ("j-reply", "deliver", nil, "m-reply", 100, "pending", 0, nil, nil),
            ]
            for job in jobs {
                try db.execute(sql: """
                    INSERT INTO jobs (id, kind, run_id, message_id, due_at, status, attempts, lease_owner, lease_until, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [job.0, job.1, job.2, job.3, at(job.4).ms, job.5, job.6, job.7, job.8.map { at($0).ms },
                                     at(-200).ms, at(job.4).ms])
            }
            for (id, reasons) in [("d1", "opted_out,suppression:opt_out"), ("d2", "allowed"), ("d3", "")] {
                try db.execute(sql: """
                    INSERT INTO decisions (id, contact_id, action, reasons, sentence, decided_at) VALUES (?, 'c1', 'suppress', ?, 'Why.', ?)
                    """, arguments: [id, reasons, t])
            }
        }
        try queue.close()
    }
}
