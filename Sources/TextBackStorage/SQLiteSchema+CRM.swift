// Migration `v6-crm`: the CRM outbox (each entry its contact's business, as every row since
// `v5-tenancy`), and the template each automated text was rendered from (the per-template figures).
// Registered after every earlier migration; PostgreSQL mirrors it.

import GRDB

extension SQLiteSchema {
    static func registerCRM(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-crm") { db in
            try db.execute(sql: """
                CREATE TABLE crm_outbox (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    business_id TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    contact_id TEXT NOT NULL REFERENCES contacts(id),
                    message_id TEXT REFERENCES messages(id),
                    properties TEXT NOT NULL DEFAULT '{}',
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    available_at INTEGER,
                    progress TEXT NOT NULL DEFAULT '{}',
                    last_error TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX crm_outbox_available ON crm_outbox(available_at, seq) WHERE status = 'pending';
                CREATE INDEX crm_outbox_by_business ON crm_outbox(business_id, created_at);
                ALTER TABLE messages ADD COLUMN template TEXT;
                """)
        }
    }
}
