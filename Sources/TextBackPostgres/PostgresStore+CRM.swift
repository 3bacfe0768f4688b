// The CRM outbox on PostgreSQL (Store+CRM.swift): entries are inserted inside the transaction of the unit
// whose event they log (advanceStep, finishDelivery, receiveInbound); the sweep claims due rows with
// `FOR UPDATE SKIP LOCKED` through the claim staff notifications use, so two processes never hold one entry.

import Foundation
import PostgresNIO
import TextBackCore
import TextBackStorage

extension PostgresStore {
    public func claimCRMEntries(now: Date, leaseUntil: Date, limit: Int) async throws -> [CRMOutboxRecord] {
        try await claimOutbox("crm_outbox", now: now, leaseUntil: leaseUntil, limit: limit, StoredRecords.crmEntry)
    }

    public func finishCRMEntry(_ request: FinishCRMEntry) async throws -> Bool {
        try await write { unit in
            try await unit.execute("""
                UPDATE crm_outbox SET status = \(request.status.rawValue),
                    available_at = \(request.status == .pending ? request.retryAt.map(Coding.ms) : nil),
                    last_error = COALESCE(\(request.error), last_error), progress = \(Coding.attributesJSON(request.progress)),
                    updated_at = \(Coding.ms(request.now))
                WHERE id = \(request.id) AND status = 'pending'
                """) == 1
        }
    }

    public func crmEntries(limit: Int) async throws -> [CRMOutboxRecord] {
        try await withoutTransaction { unit in try await unit.rows("SELECT * FROM crm_outbox ORDER BY seq LIMIT \(limit)").map(StoredRecords.crmEntry) }
    }

    public func countPendingCRMEntries() async throws -> Int {
        try await withoutTransaction { unit in try await unit.row("SELECT COUNT(*) AS n FROM crm_outbox WHERE status = 'pending'")?.int("n") ?? 0 }
    }
}

extension Unit {
    /// Inserts CRM outbox entries inside the unit's transaction. An entry without a contact gets `contactID`,
    /// else the contact of its message (`message` when the caller knows it); every entry takes its contact's business.
    func insertCRMEntries(_ entries: [CRMOutboxRecord], contactID: ContactID? = nil,
                          message: (id: MessageID, contactID: ContactID)? = nil) async throws {
        for entry in entries {
            var contact = entry.contactID.rawValue.isEmpty ? contactID?.rawValue : entry.contactID.rawValue
            if contact == nil, let message, entry.messageID == message.id { contact = message.contactID.rawValue }
            if contact == nil, let messageID = entry.messageID {
                contact = try await row("SELECT contact_id FROM messages WHERE id = \(messageID.rawValue)")?.text("contact_id")
            }
            guard let contact else { throw StoreError.notFound("the contact of a CRM outbox entry") }
            try await laterInsert(into: "crm_outbox", columns: """
                id, provider, kind, contact_id, message_id, properties, status, attempts, available_at, progress, last_error, created_at,
                updated_at, business_id
                """, row: """
                (\(entry.id), \(entry.provider), \(entry.kind.rawValue), \(contact), \(entry.messageID?.rawValue),
                 \(Coding.attributesJSON(entry.properties)), \(entry.status.rawValue), \(entry.attempts),
                 \(entry.status == .pending ? Coding.ms(entry.availableAt) : nil), \(Coding.attributesJSON(entry.progress)),
                 \(entry.lastError), \(Coding.ms(entry.createdAt)), \(Coding.ms(entry.createdAt)),
                 (SELECT business_id FROM contacts WHERE id = \(contact)))
                """)
        }
    }
}
