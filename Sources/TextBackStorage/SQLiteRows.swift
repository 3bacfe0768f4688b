// Row ⇄ record mapping for SQLite, and the inserts every unit shares. All statements are cached per
// connection, so a unit's SQL is parsed once per process, not once per call.

import Foundation
import GRDB
import TextBackCore

/// GRDB's row read through the engines' shared decoders (StoredRows.swift).
extension Row: StoredRow {
    package func text(_ column: String) throws -> String {
        guard let value: String = self[column] else { throw StoreError.corrupt("column \(column) is empty") }
        return value
    }
    package func optionalText(_ column: String) throws -> String? { self[column] }
    package func integer(_ column: String) throws -> Int64 {
        guard let value: Int64 = self[column] else { throw StoreError.corrupt("column \(column) is empty") }
        return value
    }
    package func optionalInteger(_ column: String) throws -> Int64? { self[column] }
    package func has(_ column: String) -> Bool { hasColumn(column) }
}

enum SQLiteRows {
    // MARK: Contacts and calls

    static func contact(_ row: Row) throws -> Contact { try StoredRecords.contact(row) }

    static func call(_ row: Row) throws -> CallRecord { try StoredRecords.call(row) }

    // MARK: Runs and jobs

    static func run(_ row: Row) throws -> RunRecord { try StoredRecords.run(row) }

    static func job(_ row: Row) throws -> JobRecord { try StoredRecords.job(row) }

    static func insertJob(_ db: Database, _ job: JobRecord) throws {
        // available_at: the due time while pending, the lease's end while running.
        let available: Int64? = switch job.status {
        case .pending: Coding.ms(job.dueAt)
        case .running: Coding.ms(job.leaseUntil ?? job.dueAt)
        case .done, .cancelled: nil
        }
        try db.run("""
            INSERT INTO jobs (id, kind, lane, run_id, message_id, due_at, status, available_at, attempts, lease_owner, lease_until,
                              created_at, updated_at, business_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                    COALESCE((SELECT business_id FROM runs WHERE id = ?4), (SELECT business_id FROM messages WHERE id = ?5), 'default'))
            """, [job.id.rawValue, job.kind.rawValue, job.lane.rawValue, job.runID?.rawValue, job.messageID?.rawValue,
                  Coding.ms(job.dueAt), job.status.rawValue, available, job.attempts, job.leaseOwner,
                  job.leaseUntil.map(Coding.ms), Coding.ms(job.createdAt), Coding.ms(job.createdAt)])
    }

    /// True when `claim` still holds its job (running under that owner).
    static func holds(_ db: Database, _ claim: JobClaim) throws -> Bool {
        try db.one("SELECT 1 FROM jobs WHERE id = ? AND status = 'running' AND lease_owner = ?",
                   [claim.jobID.rawValue, claim.owner]) != nil
    }

    static func finishJob(_ db: Database, _ id: JobID, status: JobStatus, now: Int64) throws {
        try db.run("""
            UPDATE jobs SET status = ?, available_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?
            """, [status.rawValue, now, id.rawValue])
    }

    static func rescheduleJob(_ db: Database, _ id: JobID, at due: Date, resetAttempts: Bool, now: Int64) throws {
        try db.run("""
            UPDATE jobs SET status = 'pending', due_at = ?1, available_at = ?1, lease_owner = NULL, lease_until = NULL,
                attempts = CASE WHEN ?2 THEN 0 ELSE attempts END, updated_at = ?3
            WHERE id = ?4
            """, [Coding.ms(due), resetAttempts, now, id.rawValue])
    }

    // MARK: Messages and decisions

    static func insertMessage(_ db: Database, _ m: MessageRecord, now: Int64) throws {
        try db.run("""
            INSERT INTO messages (id, idempotency_key, contact_id, run_id, direction, kind, message_type, template, from_number, to_number,
                                  body, status, carrier, carrier_message_id, error, created_at, sent_at, updated_at, business_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \(ownerOf(3)))
            """, [m.id.rawValue, m.idempotencyKey, m.contactID.rawValue, m.runID?.rawValue, m.direction.rawValue,
                  m.kind.rawValue, m.messageType, m.template, m.from.e164, m.to.e164, m.body, m.status.rawValue, m.carrier,
                  m.carrierMessageID, m.error, Coding.ms(m.createdAt), m.sentAt.map(Coding.ms), now])
    }

    static func message(_ row: Row) throws -> MessageRecord { try StoredRecords.message(row) }

    static func insertDecision(_ db: Database, _ d: DecisionRecord) throws {
        try db.run("""
            INSERT INTO decisions (id, contact_id, run_id, call_id, message_id, action, reasons, sentence, until_at, decided_at,
                                   business_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \(ownerOf(2)))
            """, [d.id.rawValue, d.contactID.rawValue, d.runID?.rawValue, d.callID?.rawValue, d.messageID?.rawValue,
                  d.action.rawValue, Coding.reasonsJSON(d.reasons), d.sentence, d.until.map(Coding.ms), Coding.ms(d.decidedAt)])
    }

    static func decision(_ row: Row) throws -> DecisionRecord { try StoredRecords.decision(row) }

    // MARK: Consent and suppression

    static func insertConsent(_ db: Database, _ c: ConsentRecord) throws {
        try db.run("""
            INSERT INTO consents (id, phone, kind, scope, source, recorded_at, revoked_at, revoke_source, business_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [c.id, c.phone.e164, c.kind.rawValue, c.scope, c.source, Coding.ms(c.recordedAt),
                  c.revokedAt.map(Coding.ms), c.revokeSource, c.business.rawValue])
    }

    static func consent(_ row: Row) throws -> ConsentRecord { try StoredRecords.consent(row) }

    static func suppression(_ row: Row) throws -> SuppressionRecord { try StoredRecords.suppression(row) }

    /// The stored business of a suppression entry: '' for the global do-not-contact list.
    static func suppressionOwner(_ business: BusinessID?) -> String { business?.rawValue ?? "" }

    /// SQL for "the business of the contact in argument `n`": a row takes its contact's business.
    static func ownerOf(_ n: Int) -> String { "(SELECT business_id FROM contacts WHERE id = ?\(n))" }

    /// The suppression entry that stops `business` texting `phone`: its own first, else the global one
    /// ('' sorts before any business id). Nil business: the global entry only.
    static func applyingSuppression(_ db: Database, phone: PhoneNumber, channel: String = "sms",
                                    business: BusinessID?) throws -> SuppressionRecord? {
        try db.one("""
            SELECT * FROM suppressions WHERE phone = ? AND channel = ? AND business_id IN ('', ?)
            ORDER BY business_id DESC LIMIT 1
            """, [phone.e164, channel, suppressionOwner(business)]).map(suppression)
    }

    static func business(ofContact id: ContactID, _ db: Database) throws -> BusinessID {
        guard let row = try db.one("SELECT business_id FROM contacts WHERE id = ?", [id.rawValue]) else {
            throw StoreError.corrupt("a unit names a missing contact")
        }
        return BusinessID(row["business_id"] as String)
    }

    static func insertSuppression(_ db: Database, _ e: SuppressionRecord) throws -> Bool {
        try db.run("""
            INSERT INTO suppressions (business_id, phone, channel, reason, source, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (business_id, phone, channel) DO NOTHING
            """, [suppressionOwner(e.business), e.phone.e164, e.channel, e.reason, e.source, Coding.ms(e.createdAt)])
        return db.changesCount > 0
    }

    static func outboxEntry(_ row: Row) throws -> SimulatorOutboxEntry { try StoredRecords.outboxEntry(row) }

    // MARK: Guards

    /// Reads what a send guard needs, inside the current write.
    static func guardSnapshot(_ db: Database, contactID: ContactID, phone: PhoneNumber, since: Date, excluding: MessageID?) throws -> GuardSnapshot {
        let business = try business(ofContact: contactID, db)
        let suppression = try applyingSuppression(db, phone: phone, business: business)
        let consents = try db.all("SELECT * FROM consents WHERE phone = ? AND business_id = ? ORDER BY recorded_at, rowid",
                                  [phone.e164, business.rawValue]).map(consent)
        let texts = try db.all("""
            SELECT message_type, created_at FROM messages
            WHERE contact_id = ? AND created_at > ? AND direction = 'outbound' AND kind = 'automated'
              AND status NOT IN ('cancelled', 'failed') AND id IS NOT ?
            """, [contactID.rawValue, Coding.ms(since), excluding?.rawValue])
            .map { (messageType: $0["message_type"] as String?, createdAt: Coding.date($0["created_at"])) }
        return GuardSnapshot(suppression: suppression, consents: consents, automatedTexts: texts)
    }

    /// Writes a queued text and its delivery job, after its guard; nil when written, else why not.
    static func queueText(_ db: Database, _ text: QueuedText, writer: SQLiteWriter, now: Int64) throws -> QueueRefusal? {
        if let key = text.message.idempotencyKey,
           let existing = try db.one("SELECT id FROM messages WHERE idempotency_key = ?", [key]) {
            return .duplicate(MessageID(existing["id"] as String))
        }
        if let sendGuard = text.sendGuard {
            let snapshot = try guardSnapshot(db, contactID: text.message.contactID, phone: text.message.to,
                                             since: sendGuard.countSince, excluding: nil)
            if let refusal = sendGuard.check(snapshot) { return .refused(refusal) }
        }
        try insertMessage(db, text.message, now: now)
        try insertJob(db, text.deliveryJob)
        if text.deliveryJob.status == .pending { writer.noteJobsAvailable() }
        return nil
    }

    enum QueueRefusal {
        case duplicate(MessageID)
        case refused(PolicyDecision)
    }
}
