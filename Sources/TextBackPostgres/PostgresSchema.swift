// The PostgreSQL schema: the same tables, columns and unique keys as SQLite (SQLiteSchema*.swift), as
// ordered, forward-only migrations recorded in `textback_migrations`. Times are integer milliseconds
// since 1970 (UTC), as on SQLite. Where SQLite orders by its implicit `rowid`, each table here has an
// identity column of that name, so both engines order ties by insertion and share the figure queries.
//
// PostgreSQL support begins at the schema SQLite reached with `v4-conversations`, so its first
// migration creates that shape at once; later migrations are added to both engines under one name.

import Foundation
import PostgresNIO
import TextBackStorage

enum PostgresSchema {
    struct Migration: Sendable {
        var name: String
        var statements: [String]
    }

    /// Every migration, oldest first. Never edit one that has shipped: append a new one.
    static let migrations: [Migration] = [
        Migration(name: "v4-conversations", statements: [
            """
            CREATE FUNCTION textback_now_ms(caller BIGINT) RETURNS BIGINT LANGUAGE sql STABLE AS
            $$ SELECT COALESCE(caller, (extract(epoch FROM statement_timestamp()) * 1000)::BIGINT) $$
            """,
            """
            CREATE TABLE contacts (
                rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                id TEXT PRIMARY KEY,
                phone TEXT NOT NULL UNIQUE,
                name TEXT,
                attributes TEXT NOT NULL DEFAULT '{}',
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE calls (
                rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                id TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                provider_call_id TEXT NOT NULL,
                contact_id TEXT NOT NULL REFERENCES contacts(id),
                stage TEXT NOT NULL,
                stage_rank INTEGER NOT NULL,
                direction TEXT NOT NULL,
                outcome TEXT NOT NULL,
                occurred_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                event TEXT NOT NULL,
                UNIQUE (provider, provider_call_id)
            )
            """,
            "CREATE INDEX calls_by_contact ON calls(contact_id, occurred_at)",
            "CREATE INDEX calls_by_time ON calls(occurred_at) WHERE stage = 'ended'",
            """
            CREATE TABLE runs (
                rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                id TEXT PRIMARY KEY,
                automation_id TEXT NOT NULL,
                call_id TEXT NOT NULL REFERENCES calls(id),
                contact_id TEXT NOT NULL REFERENCES contacts(id),
                status TEXT NOT NULL,
                pc INTEGER NOT NULL,
                fingerprint TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                end_reason TEXT,
                UNIQUE (automation_id, call_id)
            )
            """,
            "CREATE INDEX runs_by_contact ON runs(contact_id, status)",
            "CREATE INDEX runs_by_call ON runs(call_id)",
            """
            CREATE TABLE jobs (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                lane INTEGER NOT NULL,
                run_id TEXT REFERENCES runs(id),
                message_id TEXT,
                due_at BIGINT NOT NULL,
                status TEXT NOT NULL,
                available_at BIGINT,
                attempts INTEGER NOT NULL DEFAULT 0,
                lease_owner TEXT,
                lease_until BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX jobs_available ON jobs(lane, available_at, seq) WHERE available_at IS NOT NULL",
            "CREATE INDEX jobs_by_run ON jobs(run_id) WHERE available_at IS NOT NULL",
            "CREATE INDEX jobs_by_owner ON jobs(lease_owner) WHERE lease_owner IS NOT NULL",
            "CREATE INDEX jobs_finished ON jobs(updated_at) WHERE available_at IS NULL",
            """
            CREATE TABLE messages (
                rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                id TEXT PRIMARY KEY,
                idempotency_key TEXT UNIQUE,
                contact_id TEXT NOT NULL REFERENCES contacts(id),
                run_id TEXT,
                direction TEXT NOT NULL,
                kind TEXT NOT NULL,
                message_type TEXT,
                from_number TEXT NOT NULL,
                to_number TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                carrier TEXT NOT NULL,
                carrier_message_id TEXT,
                error TEXT,
                error_code TEXT,
                created_at BIGINT NOT NULL,
                sent_at BIGINT,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX messages_by_contact ON messages(contact_id, created_at)",
            """
            CREATE UNIQUE INDEX messages_by_carrier_id ON messages(carrier, direction, carrier_message_id)
                WHERE carrier_message_id IS NOT NULL
            """,
            "CREATE INDEX messages_sent_by_number ON messages(from_number, sent_at) WHERE direction = 'outbound'",
            "CREATE INDEX messages_by_time ON messages(created_at)",
            """
            CREATE TABLE decisions (
                rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                id TEXT PRIMARY KEY,
                contact_id TEXT NOT NULL REFERENCES contacts(id),
                run_id TEXT,
                call_id TEXT,
                message_id TEXT,
                action TEXT NOT NULL,
                reasons TEXT NOT NULL,
                sentence TEXT NOT NULL,
                until_at BIGINT,
                decided_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX decisions_by_contact ON decisions(contact_id, decided_at)",
            "CREATE INDEX decisions_by_run ON decisions(run_id)",
            """
            CREATE TABLE consents (
                rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                id TEXT PRIMARY KEY,
                phone TEXT NOT NULL,
                kind TEXT NOT NULL,
                scope TEXT NOT NULL,
                source TEXT NOT NULL,
                recorded_at BIGINT NOT NULL,
                revoked_at BIGINT,
                revoke_source TEXT
            )
            """,
            "CREATE INDEX consents_by_phone ON consents(phone)",
            """
            CREATE TABLE suppressions (
                phone TEXT NOT NULL,
                channel TEXT NOT NULL,
                reason TEXT NOT NULL,
                source TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (phone, channel)
            )
            """,
            """
            CREATE TABLE simulator_outbox (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                idempotency_key TEXT NOT NULL UNIQUE,
                from_number TEXT NOT NULL,
                to_number TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                sent_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE line_types (
                phone TEXT PRIMARY KEY,
                line_type TEXT NOT NULL,
                checked_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE conversations (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL,
                phone TEXT NOT NULL,
                contact_id TEXT NOT NULL REFERENCES contacts(id),
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (number, phone)
            )
            """,
            "CREATE INDEX conversations_by_activity ON conversations(updated_at, id)",
            "CREATE INDEX conversations_by_phone ON conversations(phone)",
            """
            CREATE TABLE callbacks (
                rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                contact_id TEXT NOT NULL REFERENCES contacts(id),
                phone TEXT NOT NULL,
                number TEXT NOT NULL,
                at BIGINT NOT NULL,
                window_end BIGINT NOT NULL,
                status TEXT NOT NULL,
                source_message_id TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX callbacks_by_phone ON callbacks(phone, status)",
            "CREATE INDEX callbacks_requested ON callbacks(window_end) WHERE status = 'requested'",
            "CREATE INDEX callbacks_by_conversation ON callbacks(conversation_id, created_at)",
            """
            CREATE TABLE notifications (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                event TEXT NOT NULL,
                channel TEXT NOT NULL,
                target TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                available_at BIGINT,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX notifications_available ON notifications(available_at, seq) WHERE status = 'pending'",
        ]),
        // Every row belongs to one business (see "Tenancy" in Store.swift); rows stored before belong to
        // `default`, and suppressions other than a contact's own opt-outs become the global list ('').
        Migration(name: "v5-tenancy", statements: [
            "ALTER TABLE contacts ADD COLUMN business_id TEXT NOT NULL DEFAULT 'default'",
            "ALTER TABLE contacts DROP CONSTRAINT contacts_phone_key",
            "ALTER TABLE contacts ADD CONSTRAINT contacts_business_phone_key UNIQUE (business_id, phone)",
            "CREATE INDEX contacts_by_business ON contacts(business_id, created_at)",
            // A call id is unique within its business: one business cannot learn of another's call by posting its id.
            "ALTER TABLE calls ADD COLUMN business_id TEXT NOT NULL DEFAULT 'default'",
            "ALTER TABLE calls DROP CONSTRAINT calls_provider_provider_call_id_key",
            "ALTER TABLE calls ADD CONSTRAINT calls_business_provider_call_key UNIQUE (business_id, provider, provider_call_id)",
            "ALTER TABLE suppressions ADD COLUMN business_id TEXT NOT NULL DEFAULT ''",
            "UPDATE suppressions SET business_id = 'default' WHERE reason IN ('opt_out', 'wrong_number', 'carrier_opt_out')",
            "ALTER TABLE suppressions DROP CONSTRAINT suppressions_pkey",
            "ALTER TABLE suppressions ADD PRIMARY KEY (business_id, phone, channel)",
            "CREATE INDEX suppressions_by_phone ON suppressions(phone, channel)",
        ] + ["runs", "messages", "decisions", "consents", "conversations", "callbacks", "jobs", "notifications"].map {
            "ALTER TABLE \($0) ADD COLUMN business_id TEXT NOT NULL DEFAULT 'default'"
        } + [
            "CREATE INDEX calls_by_business ON calls(business_id, occurred_at)",
            "CREATE INDEX runs_by_business ON runs(business_id, created_at)",
            "CREATE INDEX messages_by_business ON messages(business_id, created_at)",
            "CREATE INDEX decisions_by_business ON decisions(business_id, decided_at)",
            "CREATE INDEX consents_by_business ON consents(business_id, phone)",
            "CREATE INDEX conversations_by_business ON conversations(business_id, updated_at, id)",
            "CREATE INDEX callbacks_by_business ON callbacks(business_id, status)",
            "CREATE INDEX notifications_by_business ON notifications(business_id, created_at)",
        ]),
        // The CRM outbox (Store+CRM.swift) and the template each automated text was rendered from.
        Migration(name: "v6-crm", statements: [
            """
            CREATE TABLE crm_outbox (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                business_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                kind TEXT NOT NULL,
                contact_id TEXT NOT NULL REFERENCES contacts(id),
                message_id TEXT REFERENCES messages(id),
                properties TEXT NOT NULL DEFAULT '{}',
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                available_at BIGINT,
                progress TEXT NOT NULL DEFAULT '{}',
                last_error TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX crm_outbox_available ON crm_outbox(available_at, seq) WHERE status = 'pending'",
            "CREATE INDEX crm_outbox_by_business ON crm_outbox(business_id, created_at)",
            "ALTER TABLE messages ADD COLUMN template TEXT",
        ]),
        Migration(name: "v7-sender-pace", statements: [
            """
            CREATE TABLE sender_pace (
                number TEXT PRIMARY KEY,
                next_slot BIGINT NOT NULL,
                day_start BIGINT NOT NULL,
                day_count INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE sender_slots (
                message_id TEXT PRIMARY KEY,
                number TEXT NOT NULL,
                slot BIGINT NOT NULL
            )
            """,
        ]),
    ]
}

extension PostgresStore {
    /// An arbitrary constant: the advisory lock every process takes while it migrates.
    static let migrationLock: Int64 = 0x7465_7874_6261_636B // "textback"

    /// Applies the pending migrations in one transaction under a transaction-scoped advisory lock, so
    /// processes starting together migrate one after another and the later ones find nothing to do.
    /// The applied migrations must be a prefix of `PostgresSchema.migrations` (forward-only: a
    /// database migrated by a newer TextBack is refused, not downgraded).
    public func migrate() async throws {
        try await write { unit in
            try await unit.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            try await unit.execute("""
                CREATE TABLE IF NOT EXISTS textback_migrations (
                    name TEXT PRIMARY KEY, position INTEGER NOT NULL UNIQUE, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            let applied = try await unit.rows("SELECT name FROM textback_migrations ORDER BY position").map { try $0.text("name") }
            let declared = PostgresSchema.migrations.map(\.name)
            guard applied.count <= declared.count, Array(declared.prefix(applied.count)) == applied else {
                throw StoreError.corrupt("the database has migrations this TextBack does not know (\(applied.joined(separator: ", "))); run a newer TextBack")
            }
            for (position, migration) in PostgresSchema.migrations.enumerated().dropFirst(applied.count) {
                for statement in migration.statements { try await unit.execute(PostgresQuery(unsafeSQL: statement)) }
                try await unit.execute("INSERT INTO textback_migrations (name, position) VALUES (\(migration.name), \(position))")
            }
        }
    }

    /// The server's version and whether this process's connection to it is encrypted (for start-up lines
    /// and `textback migrate`).
    public func connectionInfo() async throws -> (version: String, encrypted: Bool) {
        try await read { unit in
            guard let row = try await unit.row("""
                SELECT current_setting('server_version') AS version,
                       CASE WHEN COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) THEN 1 ELSE 0 END AS encrypted
                """) else { throw StoreError.unavailable("PostgreSQL did not describe itself") }
            return (try row.text("version"), try row.integer("encrypted") == 1)
        }
    }

    /// The migrations recorded in the database, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await read { unit in
            try await unit.rows("SELECT name FROM textback_migrations ORDER BY position").map { try $0.text("name") }
        }
    }
}
