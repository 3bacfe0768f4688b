// The inbound unit on SQLite: the text and everything it implies in one savepoint, so a stored STOP is
// always an applied STOP.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    public func receiveInbound(_ unit: InboundUnit) async throws -> InboundOutcome {
        let writer = self.writer
        return try await writer.write(rejectable: true) { db in
            try Self.applyInbound(db, unit, writer: writer)
        }
    }

    static func applyInbound(_ db: Database, _ unit: InboundUnit, writer: SQLiteWriter) throws -> InboundOutcome {
        let inbound = unit.inbound
        let now = Coding.ms(inbound.receivedAt)
        guard let contactRow = try db.one("""
            INSERT INTO contacts (id, phone, name, attributes, created_at, updated_at, business_id)
            VALUES (?1, ?2, NULL, '{}', ?3, ?3, ?4)
            ON CONFLICT (business_id, phone) DO UPDATE SET updated_at = contacts.updated_at
            RETURNING id
            """, [inbound.newContactID.rawValue, inbound.from.e164, now, inbound.business.rawValue])
        else { throw StoreError.corrupt("contact upsert returned no row") }
        let contactID = ContactID(contactRow["id"] as String)
        if let carrierID = inbound.carrierMessageID,
           let existing = try db.one("SELECT id FROM messages WHERE carrier = ? AND direction = 'inbound' AND carrier_message_id = ?",
                                     [inbound.carrier, carrierID]) {
            // The first copy was applied whole, with everything it implied: a repeat changes nothing.
            return .duplicate(contactID: contactID, messageID: MessageID(existing["id"] as String))
        }
        try SQLiteRows.insertMessage(db, inbound.storedMessage(contactID: contactID), now: now)

        var cancelled = 0
        var queued: MessageID?
        switch unit.effect {
        case .none:
            break
        case .optOut(let optOut):
            let before = try SQLiteRows.applyingSuppression(db, phone: inbound.from, business: inbound.business)
            let wasOptedOut = before?.isContactOptOut ?? false
            // The opt-out is the business's whose number received it, whatever the engine filled in.
            var entry = optOut.suppression
            entry.business = inbound.business
            _ = try SQLiteRows.insertSuppression(db, entry)
            try db.run("UPDATE consents SET revoked_at = ?, revoke_source = ? WHERE phone = ? AND business_id = ? AND revoked_at IS NULL",
                       [now, optOut.revokeSource, inbound.from.e164, inbound.business.rawValue])
            for row in try db.all("SELECT id, call_id FROM runs WHERE contact_id = ? AND status = 'active' ORDER BY created_at, rowid",
                                  [contactID.rawValue]) {
                let runID = RunID(row["id"] as String)
                try endRunRow(db, runID, status: .cancelled, pc: nil, reason: "opted_out", except: nil, now: now)
                try SQLiteRows.insertDecision(db, DecisionRecord(
                    id: DecisionID(unit.ids.next("dec")), contactID: contactID, runID: runID,
                    callID: (row["call_id"] as String?).map(CallID.init), action: .cancel, reasons: ["opted_out"],
                    sentence: optOut.cancelSentence, decidedAt: inbound.receivedAt))
                cancelled += 1
            }
            // Texts already queued for a carrier (a retry, a rate slot) are refused by their send guard when
            // their turn comes, with a decision that says so.
            if !wasOptedOut, let confirmation = optOut.confirmation {
                queued = try queueAnswer(db, confirmation, contactID: contactID, writer: writer, now: now)
            }
        case .optIn(let optIn):
            // Only the business's own opt-out is lifted: a global do-not-contact entry stays.
            if let row = try db.one("SELECT reason FROM suppressions WHERE business_id = ? AND phone = ? AND channel = 'sms'",
                                    [inbound.business.rawValue, inbound.from.e164]),
               optIn.liftReasons.contains(row["reason"] as String) {
                try db.run("DELETE FROM suppressions WHERE business_id = ? AND phone = ? AND channel = 'sms'",
                           [inbound.business.rawValue, inbound.from.e164])
            }
            var consent = optIn.consent
            consent.business = inbound.business
            try SQLiteRows.insertConsent(db, consent)
            if let confirmation = optIn.confirmation {
                queued = try queueAnswer(db, confirmation, contactID: contactID, writer: writer, now: now)
            }
        case .answer(let answer):
            queued = try queueAnswer(db, answer, contactID: contactID, writer: writer, now: now)
        }
        if let turn = unit.turn {
            cancelled += try applyTurn(db, turn, inbound: inbound, contactID: contactID, ids: unit.ids, writer: writer)
        }
        try SQLiteRows.insertCRMEntries(db, unit.crm, contactID: contactID)
        return .stored(contactID: contactID, messageID: inbound.messageID, cancelledRuns: cancelled, queued: queued)
    }

    /// Queues an answer to the contact the unit just resolved (the engine may not have known its id).
    static func queueAnswer(_ db: Database, _ answer: DirectMessage, contactID: ContactID, writer: SQLiteWriter, now: Int64) throws -> MessageID? {
        var text = answer.text
        text.message.contactID = contactID
        var decision = answer.decision
        decision.contactID = contactID
        switch try SQLiteRows.queueText(db, text, writer: writer, now: now) {
        case nil:
            try SQLiteRows.insertDecision(db, decision)
            return text.message.id
        case .duplicate?:
            return nil
        case .refused(let refusal)?:
            decision.action = .suppress
            decision.reasons = refusal.reasons
            decision.sentence = refusal.sentence
            decision.messageID = nil
            try SQLiteRows.insertDecision(db, decision)
            return nil
        }
    }
}
