// Migration `v4-conversations`: conversation threads, callbacks and the staff notification outbox.
// Appended after the earlier migrations; PostgreSQL mirrors the same tables and unique keys.

import GRDB

extension SQLiteSchema {
    static func registerConversations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-conversations") { db in
            try db.execute(sql: """
                CREATE TABLE conversations (
                    id TEXT PRIMARY KEY,
                    number TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    contact_id TEXT NOT NULL REFERENCES contacts(id),
                    state TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (number, phone)
                );
                CREATE INDEX conversations_by_activity ON conversations(updated_at, id);
                CREATE INDEX conversations_by_phone ON conversations(phone);
                CREATE TABLE callbacks (
                    id TEXT PRIMARY KEY,
                    conversation_id TEXT NOT NULL REFERENCES conversations(id),
                    contact_id TEXT NOT NULL REFERENCES contacts(id),
                    phone TEXT NOT NULL,
                    number TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    window_end INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    source_message_id TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX callbacks_by_phone ON callbacks(phone, status);
                CREATE INDEX callbacks_requested ON callbacks(window_end) WHERE status = 'requested';
                CREATE INDEX callbacks_by_conversation ON callbacks(conversation_id, created_at);
                CREATE TABLE notifications (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    event TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    target TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    available_at INTEGER,
                    last_error TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX notifications_available ON notifications(available_at, seq) WHERE status = 'pending';
                """)
        }
    }
}
