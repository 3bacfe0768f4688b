// Row ⇄ record mapping for SQLite, and the inserts every unit shares. All statements are cached per
// connection, so a unit's SQL is parsed once per process, not once per call.

import Foundation
import GRDB
import TextBackCore

enum SQLiteRows {
    // MARK: Contacts and calls

    static func contact(_ row: Row) throws -> Contact {
        Contact(id: ContactID(row["id"] as String), phone: PhoneNumber(trustedE164: row["phone"]), name: row["name"],
                attributes: try Coding.attributes(row["attributes"]), createdAt: Coding.date(row["created_at"]),
                business: BusinessID(row["business_id"] as String))
    }

    static func call(_ row: Row) throws -> CallRecord {
        CallRecord(id: CallID(row["id"] as String), contactID: ContactID(row["contact_id"] as String),
                   event: try Coding.event(row["event"]), receivedAt: Coding.date(row["received_at"]))
    }

    // MARK: Runs and jobs

    static func run(_ row: Row) throws -> RunRecord {
        guard let status = RunStatus(rawValue: row["status"]) else { throw StoreError.corrupt("run with unknown status") }
        return RunRecord(id: RunID(row["id"] as String), automationID: AutomationID(row["automation_id"] as String),
                         callID: CallID(row["call_id"] as String), contactID: ContactID(row["contact_id"] as String),
                         status: status, pc: row["pc"], fingerprint: row["fingerprint"],
                         createdAt: Coding.date(row["created_at"]), updatedAt: Coding.date(row["updated_at"]),
                         endReason: row["end_reason"])
    }

    static func job(_ row: Row) throws -> JobRecord {
        guard let kind = JobKind(rawValue: row["kind"]), let status = JobStatus(rawValue: row["status"]),
              let lane = JobLane(rawValue: row["lane"])
        else { throw StoreError.corrupt("job \(row["id"] as String) has an unknown kind, status or lane") }
        var job = JobRecord(id: JobID(row["id"] as String), kind: kind, runID: (row["run_id"] as String?).map(RunID.init),
                            messageID: (row["message_id"] as String?).map(MessageID.init), dueAt: Coding.date(row["due_at"]),
                            status: status, attempts: row["attempts"], createdAt: Coding.date(row["created_at"]), lane: lane,
                            leaseOwner: row["lease_owner"], leaseUntil: (row["lease_until"] as Int64?).map(Coding.date))
        if row.hasColumn("business_id") { job.business = BusinessID(row["business_id"] as String) }
        return job
    }

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

    static func message(_ row: Row) throws -> MessageRecord {
        guard let direction = MessageDirection(rawValue: row["direction"]), let kind = MessageKind(rawValue: row["kind"]),
              let status = MessageStatus(rawValue: row["status"])
        else { throw StoreError.corrupt("message with an unknown direction, kind or status") }
        var record = MessageRecord(id: MessageID(row["id"] as String), idempotencyKey: row["idempotency_key"],
                             contactID: ContactID(row["contact_id"] as String), runID: (row["run_id"] as String?).map(RunID.init),
                             direction: direction, kind: kind, messageType: row["message_type"],
                             from: PhoneNumber(trustedE164: row["from_number"]),
                             to: PhoneNumber(trustedE164: row["to_number"]), body: row["body"], status: status,
                             carrier: row["carrier"], carrierMessageID: row["carrier_message_id"], error: row["error"],
                             errorCode: row.hasColumn("error_code") ? row["error_code"] : nil,
                             template: row.hasColumn("template") ? row["template"] : nil,
                             createdAt: Coding.date(row["created_at"]), sentAt: (row["sent_at"] as Int64?).map(Coding.date))
        if row.hasColumn("business_id") { record.business = BusinessID(row["business_id"] as String) }
        return record
    }

    static func insertDecision(_ db: Database, _ d: DecisionRecord) throws {
        try db.run("""
            INSERT INTO decisions (id, contact_id, run_id, call_id, message_id, action, reasons, sentence, until_at, decided_at,
                                   business_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \(ownerOf(2)))
            """, [d.id.rawValue, d.contactID.rawValue, d.runID?.rawValue, d.callID?.rawValue, d.messageID?.rawValue,
                  d.action.rawValue, Coding.reasonsJSON(d.reasons), d.sentence, d.until.map(Coding.ms), Coding.ms(d.decidedAt)])
    }

    static func decision(_ row: Row) throws -> DecisionRecord {
        guard let action = DecisionAction(rawValue: row["action"]) else { throw StoreError.corrupt("decision with an unknown action") }
        return DecisionRecord(id: DecisionID(row["id"] as String), contactID: ContactID(row["contact_id"] as String),
                              runID: (row["run_id"] as String?).map(RunID.init), callID: (row["call_id"] as String?).map(CallID.init),
                              messageID: (row["message_id"] as String?).map(MessageID.init), action: action,
                              reasons: try Coding.reasons(row["reasons"]),
                              sentence: row["sentence"], until: (row["until_at"] as Int64?).map(Coding.date),
                              decidedAt: Coding.date(row["decided_at"]))
    }

    // MARK: Consent and suppression

    static func insertConsent(_ db: Database, _ c: ConsentRecord) throws {
        try db.run("""
            INSERT INTO consents (id, phone, kind, scope, source, recorded_at, revoked_at, revoke_source, business_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [c.id, c.phone.e164, c.kind.rawValue, c.scope, c.source, Coding.ms(c.recordedAt),
                  c.revokedAt.map(Coding.ms), c.revokeSource, c.business.rawValue])
    }

    static func consent(_ row: Row) throws -> ConsentRecord {
        guard let kind = ConsentKind(rawValue: row["kind"]) else { throw StoreError.corrupt("consent with an unknown kind") }
        return ConsentRecord(id: row["id"], phone: PhoneNumber(trustedE164: row["phone"]), kind: kind, scope: row["scope"],
                             source: row["source"], recordedAt: Coding.date(row["recorded_at"]),
                             revokedAt: (row["revoked_at"] as Int64?).map(Coding.date), revokeSource: row["revoke_source"],
                             business: BusinessID(row["business_id"] as String))
    }

    static func suppression(_ row: Row) -> SuppressionRecord {
        SuppressionRecord(phone: PhoneNumber(trustedE164: row["phone"]), channel: row["channel"], reason: row["reason"],
                          source: row["source"], createdAt: Coding.date(row["created_at"]),
                          business: (row["business_id"] as String).isEmpty ? nil : BusinessID(row["business_id"] as String))
    }

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

    static func outboxEntry(_ row: Row) -> SimulatorOutboxEntry {
        SimulatorOutboxEntry(id: row["id"], idempotencyKey: row["idempotency_key"], from: PhoneNumber(trustedE164: row["from_number"]),
                             to: PhoneNumber(trustedE164: row["to_number"]), body: row["body"], status: row["status"],
                             sentAt: Coding.date(row["sent_at"]))
    }

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
