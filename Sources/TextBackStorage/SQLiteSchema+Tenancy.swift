// Migration `v5-tenancy`: every row belongs to one business. PostgreSQL mirrors the same columns,
// unique keys and indexes (see "Tenancy" in Store.swift for the rule each one enforces).
//
// Rows stored before this migration belong to `default`, the business of a single-file configuration.

import GRDB

extension SQLiteSchema {
    static func registerTenancy(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-tenancy") { db in
            // Contacts are unique per (business, phone), calls per (business, provider, provider call id)
            // (a business cannot learn of another's call by sending its id) and suppressions per (business,
            // phone, channel), with '' as the business of the global do-not-contact list. SQLite cannot
            // change a table's keys in place, so these three are rebuilt (GRDB checks foreign keys after
            // the migration).
            try db.execute(sql: """
                CREATE TABLE contacts_v5 (
                    id TEXT PRIMARY KEY,
                    business_id TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    name TEXT,
                    attributes TEXT NOT NULL DEFAULT '{}',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (business_id, phone)
                );
                INSERT INTO contacts_v5 (id, business_id, phone, name, attributes, created_at, updated_at)
                SELECT id, 'default', phone, name, attributes, created_at, updated_at FROM contacts ORDER BY rowid;
                DROP TABLE contacts;
                ALTER TABLE contacts_v5 RENAME TO contacts;
                CREATE INDEX contacts_by_business ON contacts(business_id, created_at);

                CREATE TABLE calls_v5 (
                    id TEXT PRIMARY KEY,
                    business_id TEXT NOT NULL,
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
                    UNIQUE (business_id, provider, provider_call_id)
                );
                INSERT INTO calls_v5 (id, business_id, provider, provider_call_id, contact_id, stage, stage_rank, direction, outcome,
                                      occurred_at, received_at, event)
                SELECT id, 'default', provider, provider_call_id, contact_id, stage, stage_rank, direction, outcome,
                       occurred_at, received_at, event FROM calls ORDER BY rowid;
                DROP TABLE calls;
                ALTER TABLE calls_v5 RENAME TO calls;
                CREATE INDEX calls_by_contact ON calls(contact_id, occurred_at);

                CREATE TABLE suppressions_v5 (
                    business_id TEXT NOT NULL DEFAULT '',
                    phone TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (business_id, phone, channel)
                );
                INSERT INTO suppressions_v5 (business_id, phone, channel, reason, source, created_at)
                SELECT CASE WHEN reason IN ('opt_out', 'wrong_number', 'carrier_opt_out') THEN 'default' ELSE '' END,
                       phone, channel, reason, source, created_at FROM suppressions ORDER BY rowid;
                DROP TABLE suppressions;
                ALTER TABLE suppressions_v5 RENAME TO suppressions;
                CREATE INDEX suppressions_by_phone ON suppressions(phone, channel);
                """)
            // Everything else that hangs off a contact takes its contact's business when written.
            for table in ["runs", "messages", "decisions", "consents", "conversations", "callbacks", "jobs", "notifications"] {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN business_id TEXT NOT NULL DEFAULT 'default'")
            }
            // Per-business counts read one index range each.
            try db.execute(sql: """
                CREATE INDEX calls_by_business ON calls(business_id, occurred_at);
                CREATE INDEX runs_by_business ON runs(business_id, created_at);
                CREATE INDEX messages_by_business ON messages(business_id, created_at);
                CREATE INDEX decisions_by_business ON decisions(business_id, decided_at);
                CREATE INDEX consents_by_business ON consents(business_id, phone);
                CREATE INDEX conversations_by_business ON conversations(business_id, updated_at, id);
                CREATE INDEX callbacks_by_business ON callbacks(business_id, status);
                CREATE INDEX notifications_by_business ON notifications(business_id, created_at);
                """)
        }
    }
}
