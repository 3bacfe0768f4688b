// The inbound unit on PostgreSQL: the text and everything it implies in one transaction. The contact
// upsert comes first and holds the contact's row lock for the rest of the unit, so an opt-out, a send
// guard and a second copy of the same text for that contact apply one after another.

import Foundation
import PostgresNIO
import TextBackCore
import TextBackStorage

extension PostgresStore {
    public func receiveInbound(_ request: InboundUnit) async throws -> InboundOutcome {
        try await write { unit in try await Self.applyInbound(unit, request) }
    }

    static func applyInbound(_ unit: Unit, _ request: InboundUnit) async throws -> InboundOutcome {
        let inbound = request.inbound
        let now = Coding.ms(inbound.receivedAt)
        guard let contactRow = try await unit.row("""
            INSERT INTO contacts (id, phone, name, attributes, created_at, updated_at, business_id)
            VALUES (\(inbound.newContactID.rawValue), \(inbound.from.e164), NULL, '{}', \(now), \(now), \(inbound.business.rawValue))
            ON CONFLICT (business_id, phone) DO UPDATE SET updated_at = contacts.updated_at
            RETURNING id
            """)
        else { throw StoreError.corrupt("contact upsert returned no row") }
        let contactID = ContactID(try contactRow.text("id"))
        if let carrierID = inbound.carrierMessageID, let existing = try await unit.row("""
            SELECT id FROM messages WHERE carrier = \(inbound.carrier) AND direction = 'inbound' AND carrier_message_id = \(carrierID)
            """) {
            // The first copy was applied whole, with everything it implied: a repeat changes nothing.
            return .duplicate(contactID: contactID, messageID: MessageID(try existing.text("id")))
        }
        try await unit.insertMessage(inbound.storedMessage(contactID: contactID), now: now)

        var cancelled = 0
        var queued: MessageID?
        switch request.effect {
        case .none:
            break
        case .optOut(let optOut):
            let before = try await unit.applyingSuppression(phone: inbound.from, business: inbound.business)
            let wasOptedOut = before?.isContactOptOut ?? false
            // The opt-out is the business's whose number received it, whatever the engine filled in.
            var entry = optOut.suppression
            entry.business = inbound.business
            _ = try await unit.insertSuppression(entry)
            try await unit.execute("""
                UPDATE consents SET revoked_at = \(now), revoke_source = \(optOut.revokeSource)
                WHERE phone = \(inbound.from.e164) AND business_id = \(inbound.business.rawValue) AND revoked_at IS NULL
                """)
            cancelled = try await unit.cancelActiveRuns(contactID, reason: "opted_out", sentence: optOut.cancelSentence, messageID: nil,
                                                        ids: request.ids, at: inbound.receivedAt)
            // Texts already queued for a carrier are refused by their send guard when their turn comes.
            if !wasOptedOut, let confirmation = optOut.confirmation {
                queued = try await unit.queueAnswer(confirmation, contactID: contactID, now: now)
            }
        case .optIn(let optIn):
            // Only the business's own opt-out is lifted: a global do-not-contact entry stays.
            if let row = try await unit.row("""
                SELECT reason FROM suppressions WHERE business_id = \(inbound.business.rawValue) AND phone = \(inbound.from.e164) AND channel = 'sms'
                """), optIn.liftReasons.contains(try row.text("reason")) {
                try await unit.execute("""
                    DELETE FROM suppressions WHERE business_id = \(inbound.business.rawValue) AND phone = \(inbound.from.e164) AND channel = 'sms'
                    """)
            }
            var consent = optIn.consent
            consent.business = inbound.business
            try await unit.insertConsent(consent)
            if let confirmation = optIn.confirmation {
                queued = try await unit.queueAnswer(confirmation, contactID: contactID, now: now)
            }
        case .answer(let answer):
            queued = try await unit.queueAnswer(answer, contactID: contactID, now: now)
        }
        if let turn = request.turn {
            cancelled += try await unit.applyTurn(turn, inbound: inbound, contactID: contactID, ids: request.ids)
        }
        try await unit.insertCRMEntries(request.crm, contactID: contactID)
        return .stored(contactID: contactID, messageID: inbound.messageID, cancelledRuns: cancelled, queued: queued)
    }
}

extension Unit {
    /// Cancels every active run of the contact, oldest first, with a `cancel` decision each; returns how many.
    func cancelActiveRuns(_ contactID: ContactID, reason: String, sentence: String, messageID: MessageID?, ids: IDSource,
                          at: Date) async throws -> Int {
        let runs = try await rows("""
            SELECT id, call_id FROM runs WHERE contact_id = \(contactID.rawValue) AND status = 'active' ORDER BY created_at, rowid FOR UPDATE
            """)
        for row in runs {
            let runID = RunID(try row.text("id"))
            try await endRun(runID, status: .cancelled, pc: nil, reason: reason, except: nil, now: Coding.ms(at))
            try await insertDecision(DecisionRecord(
                id: DecisionID(ids.next("dec")), contactID: contactID, runID: runID, callID: try row.optionalText("call_id").map(CallID.init),
                messageID: messageID, action: .cancel, reasons: [reason], sentence: sentence, decidedAt: at))
        }
        return runs.count
    }

    /// Queues an answer to the contact the unit just resolved (the engine may not have known its id).
    func queueAnswer(_ answer: DirectMessage, contactID: ContactID, now: Int64) async throws -> MessageID? {
        var text = answer.text
        text.message.contactID = contactID
        var decision = answer.decision
        decision.contactID = contactID
        switch try await queueText(text, now: now) {
        case nil:
            try await insertDecision(decision)
            return text.message.id
        case .duplicate?:
            return nil
        case .refused(let refusal)?:
            decision.action = .suppress
            decision.reasons = refusal.reasons
            decision.sentence = refusal.sentence
            decision.messageID = nil
            try await insertDecision(decision)
            return nil
        }
    }
}
