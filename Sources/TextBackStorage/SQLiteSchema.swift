// The SQLite schema, as ordered, forward-only migrations recorded by GRDB in `grdb_migrations`.
// PostgreSQL mirrors the same tables and unique keys. Times are integer milliseconds since 1970 (UTC)
// so that range queries compare numbers on both engines.

import GRDB

enum SQLiteSchema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(sql: """
                CREATE TABLE contacts (
                    id TEXT PRIMARY KEY,
                    phone TEXT NOT NULL UNIQUE,
                    name TEXT,
                    attributes TEXT NOT NULL DEFAULT '{}',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE calls (
                    id TEXT PRIMARY KEY,
                    provider TEXT NOT NULL,
                    provider_call_id TEXT NOT NULL,
                    contact_id TEXT NOT NULL REFERENCES contacts(id),
                    stage TEXT NOT NULL,
                    stage_rank INTEGER NOT NULL,
                    direction TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    event TEXT NOT NULL,
                    UNIQUE (provider, provider_call_id)
                );
                CREATE INDEX calls_by_contact ON calls(contact_id, occurred_at);
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    automation_id TEXT NOT NULL,
                    call_id TEXT NOT NULL REFERENCES calls(id),
                    contact_id TEXT NOT NULL REFERENCES contacts(id),
                    status TEXT NOT NULL,
                    pc INTEGER NOT NULL,
                    fingerprint TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    end_reason TEXT,
                    UNIQUE (automation_id, call_id)
                );
                CREATE INDEX runs_by_contact ON runs(contact_id, status);
                CREATE TABLE jobs (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    run_id TEXT REFERENCES runs(id),
                    message_id TEXT,
                    due_at INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    lease_owner TEXT,
                    lease_until INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX jobs_by_due ON jobs(status, due_at);
                CREATE INDEX jobs_by_run ON jobs(run_id, status);
                CREATE TABLE messages (
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
                    created_at INTEGER NOT NULL,
                    sent_at INTEGER,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX messages_by_contact ON messages(contact_id, created_at);
                CREATE UNIQUE INDEX messages_by_carrier_id ON messages(carrier, direction, carrier_message_id)
                    WHERE carrier_message_id IS NOT NULL;
                CREATE TABLE decisions (
                    id TEXT PRIMARY KEY,
                    contact_id TEXT NOT NULL REFERENCES contacts(id),
                    run_id TEXT,
                    call_id TEXT,
                    message_id TEXT,
                    action TEXT NOT NULL,
                    reasons TEXT NOT NULL,
                    sentence TEXT NOT NULL,
                    until_at INTEGER,
                    decided_at INTEGER NOT NULL
                );
                CREATE INDEX decisions_by_contact ON decisions(contact_id, decided_at);
                CREATE TABLE consents (
                    id TEXT PRIMARY KEY,
                    phone TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    source TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    revoked_at INTEGER,
                    revoke_source TEXT
                );
                CREATE INDEX consents_by_phone ON consents(phone);
                CREATE TABLE suppressions (
                    phone TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (phone, channel)
                );
                CREATE TABLE simulator_outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    from_number TEXT NOT NULL,
                    to_number TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL,
                    sent_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-units") { db in
            // Jobs get one "available at" column (due time while pending, lease end while running, NULL
            // once finished), a lane (compliance texts first) and an explicit claim order (`seq`, the
            // rowid here, an identity column on PostgreSQL). Claims then read one index range.
            try db.execute(sql: """
                CREATE TABLE jobs_v2 (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    lane INTEGER NOT NULL,
                    run_id TEXT REFERENCES runs(id),
                    message_id TEXT,
                    due_at INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    available_at INTEGER,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    lease_owner TEXT,
                    lease_until INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                INSERT INTO jobs_v2 (id, kind, lane, run_id, message_id, due_at, status, available_at, attempts, lease_owner,
                                     lease_until, created_at, updated_at)
                SELECT j.id, j.kind,
                       CASE WHEN m.kind IN ('opt_out_confirmation', 'help') THEN 0 ELSE 1 END,
                       j.run_id, j.message_id, j.due_at, j.status,
                       CASE j.status WHEN 'pending' THEN j.due_at WHEN 'running' THEN COALESCE(j.lease_until, j.due_at) END,
                       j.attempts, j.lease_owner, j.lease_until, j.created_at, j.updated_at
                FROM jobs j LEFT JOIN messages m ON m.id = j.message_id
                ORDER BY j.rowid;
                DROP TABLE jobs;
                ALTER TABLE jobs_v2 RENAME TO jobs;
                CREATE INDEX jobs_available ON jobs(lane, available_at, seq) WHERE available_at IS NOT NULL;
                CREATE INDEX jobs_by_run ON jobs(run_id) WHERE available_at IS NOT NULL;
                CREATE INDEX jobs_by_owner ON jobs(lease_owner) WHERE lease_owner IS NOT NULL;
                CREATE INDEX jobs_finished ON jobs(updated_at) WHERE available_at IS NULL;
                """)
            // Decision reasons were joined with commas; one reason can carry a keyword the contact typed,
            // which may itself hold a comma. Store them as a JSON array from now on.
            for row in try Row.fetchAll(db, sql: "SELECT rowid AS r, reasons FROM decisions") {
                let joined: String = row["reasons"]
                let reasons = joined.split(separator: ",").map(String.init)
                try db.execute(sql: "UPDATE decisions SET reasons = ? WHERE rowid = ?",
                               arguments: [Coding.reasonsJSON(reasons), row["r"] as Int64])
            }
        }
        migrator.registerMigration("v3-delivery") { db in
            try SQLiteSchema.deliveryMigration(db)
        }
        registerConversations(&migrator)
        registerTenancy(&migrator)
        registerCRM(&migrator)
        migrator.registerMigration("v7-sender-pace") { db in
            try SQLiteSchema.senderPaceMigration(db)
        }
        return migrator
    }
}
