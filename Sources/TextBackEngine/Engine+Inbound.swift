// Inbound texts: stored first, then checked for consent changes before anything else reads them.
//
// STOP in any words suppresses the number at once, cancels every pending text to it and sends one
// confirmation; START/UNSTOP (or YES right after an opt-out) re-subscribes; HELP/INFO always gets the
// configured help text. Any other reply is stored, which cancels pending follow-ups when they fall due.

import Foundation
import TextBackCore
import TextBackStorage

public struct InboundText: Sendable {
    public var from: PhoneNumber
    public var to: PhoneNumber
    public var body: String
    public var carrier: String
    public var carrierMessageID: String?
    /// A carrier's own keyword handling (Twilio OptOutType: STOP, START, HELP). When the carrier already
    /// answered the keyword itself, we record the change but do not send a second confirmation.
    public var carrierOptOutType: String?

    public init(from: PhoneNumber, to: PhoneNumber, body: String, carrier: String, carrierMessageID: String? = nil, carrierOptOutType: String? = nil) {
        self.from = from; self.to = to; self.body = body; self.carrier = carrier
        self.carrierMessageID = carrierMessageID; self.carrierOptOutType = carrierOptOutType
    }
}

public struct InboundResult: Sendable {
    public var messageID: MessageID
    public var contactID: ContactID
    public var duplicate: Bool
    public var classification: ReplyClassification
    /// Runs cancelled because of this message (an opt-out).
    public var cancelledRuns: Int
}

extension Engine {
    /// Classifies an inbound text and applies it and everything it implies as one unit.
    public func receive(_ inbound: InboundText) async throws -> InboundResult {
        let now = clock.now()
        // Read before the unit: whether the number is opted out changes what "YES" means, and the
        // contact (if known) names the person in the answers. The unit re-checks what matters.
        let existingSuppression = try await store.suppression(phone: inbound.from, channel: "sms", for: business)
        let optedOut = existingSuppression?.isContactOptOut ?? false
        let contact = try await store.contact(phone: inbound.from, business: business)
        // Times in a reply are the contact's own local times.
        var classification = ReplyClassifier.classify(inbound.body, afterOptOut: optedOut, now: now,
                                                      timeZone: contactZone(phone: inbound.from, contact: contact))
        switch inbound.carrierOptOutType?.uppercased() {
        case "STOP": classification.intent = .optOut; classification.revokesConsent = true
        case "START": classification.intent = .optIn; classification.revokesConsent = false
        case "HELP": classification.intent = .help
        default: break
        }
        let messageID = MessageID(ids.next("msg"))
        // When the carrier already answered the keyword itself, we record the change but send no second answer.
        let carrierAnswered = inbound.carrierOptOutType != nil
        let (turn, apology) = try await conversationTurn(for: inbound, classification: classification, contact: contact,
                                                         messageID: messageID, now: now)
        let effect: InboundUnit.Effect
        if classification.intent == .wrongNumber || apology != nil {
            // Whoever answered never consented: the number is suppressed for this business as a wrong
            // number, with one apology (the agent's) or the plain confirmation.
            let confirmation = carrierAnswered ? nil : apology ?? direct(
                kind: .optOutConfirmation, contact: contact, from: inbound.from, to: inbound.to,
                body: optOutConfirmation(contact: contact, now: now), key: "optout:\(messageID)", reasons: ["opt_out_confirmation"],
                sentence: "The reply says this is the wrong number; one confirmation goes out and the number is not texted again.", now: now)
            effect = .optOut(InboundUnit.OptOut(
                suppression: SuppressionRecord(phone: inbound.from, reason: "wrong_number", source: "reply", createdAt: now, business: business),
                revokeSource: "reply:wrong_number", confirmation: confirmation,
                cancelSentence: "Cancelled: the reply says this is the wrong number, so no further text from this automation goes out."))
        } else if classification.revokesConsent {
            let confirmation = carrierAnswered ? nil : direct(
                kind: .optOutConfirmation, contact: contact, from: inbound.from, to: inbound.to,
                body: optOutConfirmation(contact: contact, now: now), key: "optout:\(messageID)", reasons: ["opt_out_confirmation"],
                sentence: "The contact opted out; one confirmation without marketing goes out now, as the rules allow.", now: now)
            effect = .optOut(InboundUnit.OptOut(
                suppression: SuppressionRecord(phone: inbound.from, reason: "opt_out",
                                               source: classification.keyword.map { "reply:\($0)" } ?? "reply", createdAt: now, business: business),
                revokeSource: "reply", confirmation: confirmation,
                cancelSentence: "Cancelled: the contact opted out, so no further text from this automation goes out."))
        } else if classification.intent == .optIn {
            let confirmation = carrierAnswered ? nil : direct(
                kind: .optInConfirmation, contact: contact, from: inbound.from, to: inbound.to,
                body: optInConfirmation(contact: contact, now: now), key: "optin:\(messageID)", reasons: ["opt_in"],
                sentence: "The contact re-subscribed; a confirmation goes out.", now: now)
            // Only an opt-out the contact made can be undone by the contact; a DNC list entry stays.
            effect = .optIn(InboundUnit.OptIn(
                consent: ConsentRecord(id: ids.next("consent"), phone: inbound.from, kind: .implied, source: "reply:START", recordedAt: now,
                                       business: business),
                liftReasons: ["opt_out", "carrier_opt_out"], confirmation: confirmation))
        } else if classification.intent == .help, !carrierAnswered {
            effect = .answer(direct(
                kind: .help, contact: contact, from: inbound.from, to: inbound.to, body: helpText(contact: contact, now: now),
                key: "help:\(messageID)", reasons: ["help"],
                sentence: "The contact asked for HELP; the help text names the business, how to reach it, message frequency, rates and how to stop.",
                now: now))
        } else {
            effect = .none
        }
        let outcome = try await store.receiveInbound(InboundUnit(
            inbound: InboundRecord(messageID: messageID, newContactID: ContactID(ids.next("contact")), from: inbound.from,
                                   to: inbound.to, body: inbound.body, carrier: inbound.carrier,
                                   carrierMessageID: inbound.carrierMessageID, receivedAt: now, business: business),
            effect: effect, ids: ids, turn: turn,
            crm: crmEntries(.message, contactID: ContactID(""), messageID: messageID, now: now)))
        switch outcome {
        case .stored(let contactID, let stored, let cancelled, _):
            return InboundResult(messageID: stored, contactID: contactID, duplicate: false, classification: classification, cancelledRuns: cancelled)
        case .duplicate(let contactID, let existing):
            return InboundResult(messageID: existing, contactID: contactID, duplicate: true, classification: classification, cancelledRuns: 0)
        }
    }

    /// A text outside any automation (confirmation, HELP answer), answered from the number that was
    /// texted, in the compliance lane so a backlog of follow-ups never delays it.
    func direct(kind: OutgoingKind, contact: Contact?, from contactPhone: PhoneNumber, to business: PhoneNumber, body: String,
                key: String, reasons: [String], sentence: String, now: Date) -> DirectMessage {
        let messageKind: MessageKind = switch kind {
        case .help: .help
        case .optOutConfirmation: .optOutConfirmation
        case .optInConfirmation: .optInConfirmation
        case .automated: .reply
        }
        // The unit fills in the contact when the text came from someone new.
        let contactID = contact?.id ?? ContactID("")
        let messageID = MessageID(ids.next("msg"))
        let message = MessageRecord(id: messageID, idempotencyKey: key, contactID: contactID, direction: .outbound, kind: messageKind,
                                    messageType: kind.rawValue, from: business, to: contactPhone, body: body, status: .queued,
                                    carrier: configuration.carrierName(sendingFrom: business), createdAt: now)
        let text = OutgoingText(kind: kind, to: contactPhone, messageType: kind.rawValue, requiredConsent: .none, triggeredAt: now)
        let job = JobRecord(id: JobID(ids.next("job")), kind: .deliver, messageID: messageID, dueAt: now, createdAt: now,
                            lane: kind == .automated ? .normal : .compliance)
        let decision = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: contactID, messageID: messageID, action: .send,
                                      reasons: reasons, sentence: sentence, decidedAt: now)
        return DirectMessage(text: QueuedText(message: message, deliveryJob: job,
                                              sendGuard: kind == .optInConfirmation ? sendGuard(for: text, now: now, includingCaps: false) : nil),
                             decision: decision)
    }
}
