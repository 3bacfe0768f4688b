// The units of work a held job commits, on PostgreSQL. Each follows the Concurrency note of its unit in
// Store.swift: lock what it is about (contact, run, message, job, in that order, so two units never
// wait on each other in a circle), check, then write. A check that fails writes nothing.

import Foundation
import PostgresNIO
import TextBackCore
import TextBackStorage

extension PostgresStore {
    public func advanceStep(_ step: AdvanceStep) async throws -> AdvanceResult {
        try await write { unit in
            // The contact first: a text's cap guard counts under it, so two runs of one contact cannot both pass.
            guard try await unit.lockForStep(contactID: step.contactID, runID: step.runID, claim: step.claim) else { return .stale }
            let now = Coding.ms(step.now)
            if let text = step.text {
                switch try await unit.queueText(text, now: now) {
                case .duplicate(let existing)?: return .duplicateMessage(existing: existing)
                case .refused(let decision)?: return .refused(decision)
                case nil: try await unit.ensureConversation(for: text.message, now: now)
                }
            }
            switch step.next {
            case .wait(let until): try await unit.rescheduleJob(step.claim.jobID, at: until, resetAttempts: true, now: now)
            case .done: try await unit.finishJob(step.claim.jobID, status: .done, now: now)
            }
            if let end = step.runEnd {
                try await unit.endRun(step.runID, status: end.status, pc: step.pc, reason: end.reason, except: step.claim.jobID, now: now)
            } else {
                unit.later("UPDATE runs SET pc = \(step.pc), updated_at = \(now) WHERE id = \(step.runID.rawValue)")
            }
            for decision in step.decisions { try await unit.insertDecision(decision) }
            if !step.contactAttributes.isEmpty {
                unit.later("""
                    UPDATE contacts SET attributes = (attributes::jsonb || \(Coding.attributesJSON(step.contactAttributes))::jsonb)::text,
                        updated_at = \(now)
                    WHERE id = \(step.contactID.rawValue)
                    """)
            }
            try await unit.insertCRMEntries(step.crm, contactID: step.contactID)
            return .committed
        }
    }

    public func claimForSending(_ request: ClaimForSending) async throws -> ClaimForSendingResult {
        try await write { unit in
            // The message's contact, the message, then the job, in one statement (the select list is
            // evaluated left to right); with the message locked, its status is the compare-and-set's answer.
            guard let locked = try await unit.preparedRow("""
                SELECT EXISTS (SELECT 1 FROM contacts WHERE id = (SELECT contact_id FROM messages WHERE id = \(request.messageID.rawValue))
                               FOR UPDATE) AS contact,
                    (SELECT row_to_json(m)::text FROM (SELECT * FROM messages WHERE id = \(request.messageID.rawValue) FOR UPDATE) m) AS message,
                    EXISTS (SELECT 1 FROM jobs WHERE id = \(request.claim.jobID.rawValue) AND status = 'running'
                            AND lease_owner = \(request.claim.owner) FOR UPDATE) AS held
                """),
                  let row = try JSONRow.row(locked["message"].decode(String?.self)), try locked["held"].decode(Bool.self)
            else { return .stale }
            let message = try StoredRecords.message(row)
            guard message.status == .queued else { return .notQueued(message) }
            let now = Coding.ms(request.now)
            if let sendGuard = request.sendGuard {
                let snapshot = try await unit.guardSnapshot(contactID: message.contactID, phone: message.to, since: sendGuard.countSince,
                                                            excluding: message.id)
                if let refusal = sendGuard.check(snapshot) {
                    unit.later("""
                        UPDATE messages SET status = 'cancelled', error = \(refusal.reasons.first), updated_at = \(now)
                        WHERE id = \(message.id.rawValue)
                        """)
                    try await unit.insertDecision(DecisionRecord(
                        id: request.refusalDecisionID, contactID: message.contactID, runID: message.runID, messageID: message.id,
                        action: .suppress, reasons: refusal.reasons, sentence: refusal.sentence, decidedAt: request.now))
                    try await unit.finishJob(request.claim.jobID, status: .done, now: now)
                    return .refused(refusal)
                }
            }
            unit.later("""
                UPDATE messages SET status = 'sending', updated_at = \(now) WHERE id = \(message.id.rawValue) AND status = 'queued'
                """)
            var sending = message
            sending.status = .sending
            return .claimed(sending)
        }
    }

    public func finishDelivery(_ request: FinishDelivery) async throws -> UnitResult {
        try await write { unit in
            // The message, then the job, in one statement; with the message locked its status is the
            // compare-and-set's answer, so the update that follows need not be counted.
            guard let locked = try await unit.preparedRow("""
                SELECT m.status, m.contact_id, m.business_id,
                    EXISTS (SELECT 1 FROM jobs WHERE id = \(request.claim.jobID.rawValue) AND status = 'running'
                            AND lease_owner = \(request.claim.owner) FOR UPDATE) AS held
                FROM (SELECT status, contact_id, business_id FROM messages WHERE id = \(request.messageID.rawValue) FOR UPDATE) m
                """),
                  try locked["held"].decode(Bool.self), try locked.text("status") == request.expected.rawValue
            else { return .stale }
            let now = Coding.ms(request.now)
            unit.later("""
                UPDATE messages SET status = \(request.status.rawValue), carrier_message_id = COALESCE(\(request.carrierMessageID), carrier_message_id),
                    error = COALESCE(\(request.error), error), error_code = COALESCE(\(request.errorCode), error_code),
                    sent_at = COALESCE(\(request.sentAt.map(Coding.ms)), sent_at), updated_at = \(now)
                WHERE id = \(request.messageID.rawValue) AND status = \(request.expected.rawValue)
                """)
            switch request.next {
            case .done: try await unit.finishJob(request.claim.jobID, status: .done, now: now)
            case .retry(let at): try await unit.rescheduleJob(request.claim.jobID, at: at, resetAttempts: false, now: now)
            }
            for decision in request.decisions { try await unit.insertDecision(decision) }
            if var suppression = request.suppression {
                // A carrier's opt-out stops the business that sent the text (the message's), not every business.
                suppression.business = BusinessID(try locked.text("business_id"))
                _ = try await unit.insertSuppression(suppression)
            }
            try await unit.insertCRMEntries(request.crm, message: (request.messageID, ContactID(try locked.text("contact_id"))))
            return .committed
        }
    }

    public func cancelJob(_ claim: JobClaim, decisions: [DecisionRecord], now: Date) async throws -> UnitResult {
        try await write { unit in
            guard try await unit.holds(claim) else { return .stale }
            try await unit.finishJob(claim.jobID, status: .cancelled, now: Coding.ms(now))
            for decision in decisions { try await unit.insertDecision(decision) }
            return .committed
        }
    }

    public func endRun(_ claim: JobClaim, runID: RunID, status: RunStatus, reason: String, decision: DecisionRecord,
                       now: Date) async throws -> UnitResult {
        try await write { unit in
            guard try await unit.exists("SELECT 1 FROM runs WHERE id = \(runID.rawValue) AND status = 'active' FOR UPDATE"),
                  try await unit.holds(claim)
            else { return .stale }
            let at = Coding.ms(now)
            try await unit.finishJob(claim.jobID, status: .done, now: at)
            try await unit.endRun(runID, status: status, pc: nil, reason: reason, except: claim.jobID, now: at)
            try await unit.insertDecision(decision)
            return .committed
        }
    }

    public func queueDirectMessage(_ request: DirectMessage) async throws -> DirectMessageResult {
        try await write { unit in
            try await unit.lockContact(request.text.message.contactID)
            switch try await unit.queueText(request.text, now: Coding.ms(request.decision.decidedAt)) {
            case .duplicate(let existing)?: return .duplicate(existing: existing)
            case .refused(let decision)?: return .refused(decision)
            case nil:
                try await unit.insertDecision(request.decision)
                return .queued(request.text.message.id)
            }
        }
    }

    public func recordDecisions(_ decisions: [DecisionRecord]) async throws {
        guard !decisions.isEmpty else { return }
        try await write { unit in
            for decision in decisions { try await unit.insertDecision(decision) }
        }
    }
}

// MARK: - Writes the units share

extension Unit {
    enum QueueRefusal {
        case duplicate(MessageID)
        case refused(PolicyDecision)
    }

    /// Takes the contact's row lock: the guard's reads, opt-outs and cap counts of one contact are serialized.
    func lockContact(_ id: ContactID) async throws {
        try await execute("SELECT 1 FROM contacts WHERE id = \(id.rawValue) FOR UPDATE")
    }

    /// An automation step's locks in one statement, in the units' order (contact, run, job: the select
    /// list is evaluated left to right); true when the run is active and `claim` still holds its job.
    func lockForStep(contactID: ContactID, runID: RunID, claim: JobClaim) async throws -> Bool {
        guard let row = try await preparedRow("""
            SELECT EXISTS (SELECT 1 FROM contacts WHERE id = \(contactID.rawValue) FOR UPDATE) AS contact,
                EXISTS (SELECT 1 FROM runs WHERE id = \(runID.rawValue) AND status = 'active' FOR UPDATE) AS active,
                EXISTS (SELECT 1 FROM jobs WHERE id = \(claim.jobID.rawValue) AND status = 'running' AND lease_owner = \(claim.owner)
                        FOR UPDATE) AS held
            """)
        else { return false }
        return try row["active"].decode(Bool.self) && row["held"].decode(Bool.self)
    }

    /// Ends a run; a run that ended leaves no job behind that could still act for it.
    func endRun(_ runID: RunID, status: RunStatus, pc: Int?, reason: String, except: JobID?, now: Int64) async throws {
        later("""
            UPDATE runs SET status = \(status.rawValue), pc = COALESCE(\(pc), pc), end_reason = \(reason), updated_at = \(now)
            WHERE id = \(runID.rawValue)
            """)
        later("""
            UPDATE jobs SET status = 'cancelled', available_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = \(now)
            WHERE run_id = \(runID.rawValue) AND available_at IS NOT NULL AND kind = 'advance' AND id IS DISTINCT FROM \(except?.rawValue)::text
            """)
    }

    /// Reads what a send guard needs (the contact's business's consents, its own or the global
    /// suppression); the caller holds the contact's lock.
    func guardSnapshot(contactID: ContactID, phone: PhoneNumber, since: Date, excluding: MessageID?) async throws -> GuardSnapshot {
        try await guardSnapshot(contactID: contactID, phone: phone, since: since, excluding: excluding, idempotencyKey: nil).snapshot
    }

    /// The guard's snapshot and, in the same statement, the message already written under `idempotencyKey` (a
    /// text queued twice is a duplicate whatever the guard would say, so the caller looks at that first).
    func guardSnapshot(contactID: ContactID, phone: PhoneNumber, since: Date, excluding: MessageID?, idempotencyKey: String?) async throws
        -> (snapshot: GuardSnapshot, existing: MessageID?) {
        // One statement, after the caller's lock statement (see PostgresStore+Batching.swift). The contact's
        // texts are found through its own index alone (`OFFSET 0` keeps the other conditions out of the
        // scan): given `direction = 'outbound'`, a cached plan was seen to AND in a whole scan of the
        // sending-number index, a cost that grew with the table.
        guard let row = try await preparedRow("""
            SELECT
                (SELECT row_to_json(s)::text FROM (
                    SELECT * FROM suppressions WHERE phone = \(phone.e164) AND channel = 'sms' AND business_id IN ('', k.business_id)
                    ORDER BY business_id DESC LIMIT 1) s) AS suppression,
                (SELECT json_agg(c ORDER BY c.recorded_at, c.rowid)::text FROM consents c
                 WHERE c.phone = \(phone.e164) AND c.business_id = k.business_id) AS consents,
                (SELECT json_agg(json_build_object('message_type', m.message_type, 'created_at', m.created_at))::text
                 FROM (SELECT * FROM messages WHERE contact_id = k.id AND created_at > \(Coding.ms(since)) OFFSET 0) m
                 WHERE m.direction = 'outbound' AND m.kind = 'automated' AND m.status NOT IN ('cancelled', 'failed')
                   AND m.id IS DISTINCT FROM \(excluding?.rawValue)::text) AS texts,
                (SELECT id FROM messages WHERE idempotency_key = \(idempotencyKey)::text) AS existing
            FROM contacts k WHERE k.id = \(contactID.rawValue)
            """)
        else { throw StoreError.corrupt("a unit names a missing contact") }
        let snapshot = GuardSnapshot(
            suppression: try JSONRow.row(row["suppression"].decode(String?.self)).map(StoredRecords.suppression),
            consents: try JSONRow.rows(row["consents"].decode(String?.self)).map(StoredRecords.consent),
            automatedTexts: try JSONRow.rows(row["texts"].decode(String?.self)).map {
                (messageType: try $0.optionalText("message_type"), createdAt: try $0.date("created_at"))
            })
        return (snapshot, try row["existing"].decode(String?.self).map(MessageID.init))
    }

    /// Writes a queued text and its delivery job, after its guard; nil when written, else why not.
    /// The caller holds the contact's lock, so the guard's count and the insert are one step for that contact.
    func queueText(_ text: QueuedText, now: Int64) async throws -> QueueRefusal? {
        if let sendGuard = text.sendGuard {
            // The idempotency check rides on the guard's statement: one round trip for both.
            let (snapshot, existing) = try await guardSnapshot(contactID: text.message.contactID, phone: text.message.to,
                                                               since: sendGuard.countSince, excluding: nil,
                                                               idempotencyKey: text.message.idempotencyKey)
            if let existing { return .duplicate(existing) }
            if let refusal = sendGuard.check(snapshot) { return .refused(refusal) }
        } else if let key = text.message.idempotencyKey,
                  let existing = try await preparedRow("SELECT id FROM messages WHERE idempotency_key = \(key)") {
            return .duplicate(MessageID(try existing.text("id")))
        }
        try await insertMessage(text.message, now: now)
        try await insertJob(text.deliveryJob, contactID: text.message.contactID)
        return nil
    }

    func insertMessage(_ m: MessageRecord, now: Int64) async throws {
        try await laterInsert(into: "messages", columns: """
            id, idempotency_key, contact_id, run_id, direction, kind, message_type, template, from_number, to_number, body, status, carrier,
            carrier_message_id, error, created_at, sent_at, updated_at, business_id
            """, row: """
            (\(m.id.rawValue), \(m.idempotencyKey), \(m.contactID.rawValue), \(m.runID?.rawValue), \(m.direction.rawValue),
             \(m.kind.rawValue), \(m.messageType), \(m.template), \(m.from.e164), \(m.to.e164), \(m.body), \(m.status.rawValue), \(m.carrier),
             \(m.carrierMessageID), \(m.error), \(Coding.ms(m.createdAt)), \(m.sentAt.map(Coding.ms)), \(now),
             (SELECT business_id FROM contacts WHERE id = \(m.contactID.rawValue)))
            """)
    }

    func insertDecision(_ d: DecisionRecord) async throws {
        try await laterInsert(into: "decisions", columns: """
            id, contact_id, run_id, call_id, message_id, action, reasons, sentence, until_at, decided_at, business_id
            """, row: """
            (\(d.id.rawValue), \(d.contactID.rawValue), \(d.runID?.rawValue), \(d.callID?.rawValue), \(d.messageID?.rawValue),
             \(d.action.rawValue), \(Coding.reasonsJSON(d.reasons)), \(d.sentence), \(d.until.map(Coding.ms)), \(Coding.ms(d.decidedAt)),
             (SELECT business_id FROM contacts WHERE id = \(d.contactID.rawValue)))
            """)
    }

    func insertConsent(_ c: ConsentRecord) async throws {
        try await laterInsert(into: "consents", columns: "id, phone, kind, scope, source, recorded_at, revoked_at, revoke_source, business_id", row: """
            (\(c.id), \(c.phone.e164), \(c.kind.rawValue), \(c.scope), \(c.source), \(Coding.ms(c.recordedAt)),
             \(c.revokedAt.map(Coding.ms)), \(c.revokeSource), \(c.business.rawValue))
            """)
    }

    /// Inserts or keeps the existing entry of the same (business or global, phone, channel): first reason
    /// wins; true when newly added.
    func insertSuppression(_ e: SuppressionRecord) async throws -> Bool {
        try await execute("""
            INSERT INTO suppressions (business_id, phone, channel, reason, source, created_at)
            VALUES (\(e.business?.rawValue ?? ""), \(e.phone.e164), \(e.channel), \(e.reason), \(e.source), \(Coding.ms(e.createdAt)))
            ON CONFLICT (business_id, phone, channel) DO NOTHING
            """) > 0
    }

    /// The entry that stops `business` texting `phone`: its own first, else the global one ('' sorts
    /// before any business id). Nil business: the global entry only.
    func applyingSuppression(phone: PhoneNumber, channel: String = "sms", business: BusinessID?) async throws -> SuppressionRecord? {
        try await row("""
            SELECT * FROM suppressions WHERE phone = \(phone.e164) AND channel = \(channel) AND business_id IN ('', \(business?.rawValue ?? ""))
            ORDER BY business_id DESC LIMIT 1
            """).map(StoredRecords.suppression)
    }

    func business(ofContact id: ContactID) async throws -> BusinessID {
        guard let row = try await row("SELECT business_id FROM contacts WHERE id = \(id.rawValue)") else {
            throw StoreError.corrupt("a unit names a missing contact")
        }
        return BusinessID(try row.text("business_id"))
    }

    /// An automation's text opens the thread of its (number, contact) pair if none exists yet (see SQLite).
    func ensureConversation(for message: MessageRecord, now: Int64) async throws {
        try await later("""
            INSERT INTO conversations (id, number, phone, contact_id, state, created_at, updated_at, business_id)
            VALUES (\("conv-" + message.id.rawValue), \(message.from.e164), \(message.to.e164), \(message.contactID.rawValue), 'open', \(now), \(now),
                    (SELECT business_id FROM contacts WHERE id = \(message.contactID.rawValue)))
            ON CONFLICT (number, phone) DO UPDATE SET updated_at = excluded.updated_at
            """, insertingInto: "conversations")
    }
}
