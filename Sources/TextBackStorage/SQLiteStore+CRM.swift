// The CRM outbox on SQLite: entries are inserted by the units that log something (a delivered text, an
// inbound text, an automation's contact update) inside their own savepoint; the sweep claims due rows
// under a lease and records each attempt, as for staff notifications.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    public func claimCRMEntries(now: Date, leaseUntil: Date, limit: Int) async throws -> [CRMOutboxRecord] {
        try await claimOutbox("crm_outbox", now: now, leaseUntil: leaseUntil, limit: limit, SQLiteRows.crmEntry)
    }

    public func finishCRMEntry(_ unit: FinishCRMEntry) async throws -> Bool {
        try await writer.write { db in
            try db.run("""
                UPDATE crm_outbox SET status = ?, available_at = ?, last_error = COALESCE(?, last_error), progress = ?, updated_at = ?
                WHERE id = ? AND status = 'pending'
                """, [unit.status.rawValue, unit.status == .pending ? unit.retryAt.map(Coding.ms) : nil, unit.error,
                      Coding.attributesJSON(unit.progress), Coding.ms(unit.now), unit.id])
            return db.changesCount == 1
        }
    }

    public func crmEntries(limit: Int) async throws -> [CRMOutboxRecord] {
        try await read { db in try db.all("SELECT * FROM crm_outbox ORDER BY seq LIMIT ?", [limit]).map(SQLiteRows.crmEntry) }
    }

    public func countPendingCRMEntries() async throws -> Int {
        try await read { db in try db.one("SELECT COUNT(*) AS n FROM crm_outbox WHERE status = 'pending'")?["n"] ?? 0 }
    }
}

extension SQLiteRows {
    /// Inserts CRM outbox entries inside the caller's unit. An entry without a contact gets `contactID`,
    /// else the contact of its message; every entry takes its contact's business.
    static func insertCRMEntries(_ db: Database, _ entries: [CRMOutboxRecord], contactID: ContactID? = nil) throws {
        for entry in entries {
            var contact = entry.contactID.rawValue.isEmpty ? contactID?.rawValue : entry.contactID.rawValue
            if contact == nil, let messageID = entry.messageID {
                contact = try db.one("SELECT contact_id FROM messages WHERE id = ?", [messageID.rawValue])?["contact_id"]
            }
            guard let contact else { throw StoreError.notFound("the contact of a CRM outbox entry") }
            try db.run("""
                INSERT INTO crm_outbox (id, provider, kind, contact_id, message_id, properties, status, attempts, available_at, progress,
                                        last_error, created_at, updated_at, business_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, \(ownerOf(4)))
                """, [entry.id, entry.provider, entry.kind.rawValue, contact, entry.messageID?.rawValue,
                      Coding.attributesJSON(entry.properties), entry.status.rawValue, entry.attempts,
                      entry.status == .pending ? Coding.ms(entry.availableAt) : nil, Coding.attributesJSON(entry.progress),
                      entry.lastError, Coding.ms(entry.createdAt), Coding.ms(entry.createdAt)])
        }
    }

    static func crmEntry(_ row: Row) throws -> CRMOutboxRecord { try StoredRecords.crmEntry(row) }
}
