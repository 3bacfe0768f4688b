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
    public func receive(_ inbound: InboundText) async throws -> InboundResult {
        let now = clock.now()
        let disposition = try await store.recordInbound(InboundRecord(
            messageID: MessageID(ids.next("msg")), newContactID: ContactID(ids.next("contact")), from: inbound.from,
            to: inbound.to, body: inbound.body, carrier: inbound.carrier, carrierMessageID: inbound.carrierMessageID, receivedAt: now))
        let (contactID, messageID, duplicate): (ContactID, MessageID, Bool) = switch disposition {
        case .stored(let c, let m): (c, m, false)
        case .duplicate(let c, let m): (c, m, true)
        }
        let existingSuppression = try await store.suppression(phone: inbound.from, channel: "sms")
        let optedOut = existingSuppression.map { $0.reason == "opt_out" || $0.reason == "carrier_opt_out" } ?? false
        var classification = ReplyClassifier.classify(inbound.body, afterOptOut: optedOut, now: now,
                                                      timeZone: TimeZone(identifier: configuration.business.timeZone))
        switch inbound.carrierOptOutType?.uppercased() {
        case "STOP": classification.intent = .optOut; classification.revokesConsent = true
        case "START": classification.intent = .optIn; classification.revokesConsent = false
        case "HELP": classification.intent = .help
        default: break
        }
        // A provider retry of an opt-out is processed again (every step is idempotent): if the first
        // attempt failed half-way, the retry must not leave the number unsuppressed.
        guard !duplicate || classification.revokesConsent, let contact = try await store.contact(id: contactID) else {
            return InboundResult(messageID: messageID, contactID: contactID, duplicate: true, classification: classification, cancelledRuns: 0)
        }
        let carrierAnswered = inbound.carrierOptOutType != nil
        var cancelled = 0
        if classification.revokesConsent {
            cancelled = try await optOut(contact: contact, business: inbound.to, alreadyOptedOut: optedOut && !duplicate,
                                         carrierAnswered: carrierAnswered, keyword: classification.keyword, inbound: messageID, now: now)
        } else if classification.intent == .optIn {
            try await optIn(contact: contact, business: inbound.to, suppression: existingSuppression, carrierAnswered: carrierAnswered,
                            inbound: messageID, now: now)
        } else if classification.intent == .help, !carrierAnswered {
            try await queueDirect(kind: .help, contact: contact, from: inbound.to, body: helpText(contact: contact, now: now), reasons: ["help"],
                                  sentence: "The contact asked for HELP; the help text names the business, how to reach it, message frequency, rates and how to stop.",
                                  key: "help:\(messageID)", now: now)
        }
        return InboundResult(messageID: messageID, contactID: contactID, duplicate: duplicate, classification: classification, cancelledRuns: cancelled)
    }

    func optOut(contact: Contact, business: PhoneNumber, alreadyOptedOut: Bool, carrierAnswered: Bool, keyword: String?,
                inbound: MessageID, now: Date) async throws -> Int {
        _ = try await store.addSuppression(SuppressionRecord(phone: contact.phone, reason: "opt_out",
                                                             source: keyword.map { "reply:\($0)" } ?? "reply", createdAt: now))
        _ = try await store.revokeConsents(phone: contact.phone, scope: nil, at: now, source: "reply")
        var cancelled = 0
        for run in try await store.activeRuns(contactID: contact.id) {
            let decision = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: contact.id, runID: run.id, callID: run.callID,
                                          action: .cancel, reasons: ["opted_out"],
                                          sentence: "Cancelled: the contact opted out, so no further text from this automation goes out.",
                                          decidedAt: now)
            let result = try await store.commit(StepCommit(jobID: nil, runUpdate: .init(runID: run.id, status: .cancelled, pc: run.pc, endReason: "opted_out"),
                                                           decisions: [decision], now: now))
            if result == .committed { cancelled += 1 }
        }
        guard !alreadyOptedOut, !carrierAnswered else { return cancelled }
        try await queueDirect(kind: .optOutConfirmation, contact: contact, from: business, body: optOutConfirmation(contact: contact, now: now), reasons: ["opt_out_confirmation"],
                              sentence: "The contact opted out; one confirmation without marketing goes out now, as the rules allow.",
                              key: "optout:\(inbound)", now: now)
        return cancelled
    }

    func optIn(contact: Contact, business: PhoneNumber, suppression: SuppressionRecord?, carrierAnswered: Bool, inbound: MessageID, now: Date) async throws {
        // Only an opt-out the contact made can be undone by the contact; a DNC list entry stays.
        if let suppression, suppression.reason == "opt_out" || suppression.reason == "carrier_opt_out" {
            try await store.removeSuppression(phone: contact.phone, channel: "sms")
        }
        try await store.addConsent(ConsentRecord(id: ids.next("consent"), phone: contact.phone, kind: .implied,
                                                 source: "reply:START", recordedAt: now))
        guard !carrierAnswered else { return }
        try await queueDirect(kind: .optInConfirmation, contact: contact, from: business, body: optInConfirmation(contact: contact, now: now), reasons: ["opt_in"],
                              sentence: "The contact re-subscribed; a confirmation goes out.", key: "optin:\(inbound)", now: now)
    }

    /// Stores a text that is not part of an automation (confirmation, HELP answer) and queues its delivery.
    func queueDirect(kind: OutgoingKind, contact: Contact, from: PhoneNumber, body: String, reasons: [String], sentence: String, key: String, now: Date) async throws {
        let text = OutgoingText(kind: kind, to: contact.phone, messageType: kind.rawValue, requiredConsent: .none, triggeredAt: now)
        let decision = try await decide(text, contact: contact, now: now)
        let messageKind: MessageKind = switch kind {
        case .help: .help
        case .optOutConfirmation: .optOutConfirmation
        case .optInConfirmation: .optInConfirmation
        case .automated: .reply
        }
        guard decision.verdict == .send else {
            let record = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: contact.id, action: .suppress,
                                        reasons: decision.reasons, sentence: decision.sentence, decidedAt: now)
            _ = try await store.commit(StepCommit(jobID: nil, decisions: [record], now: now))
            return
        }
        let carrierName = configuration.carrierName(sendingFrom: from)
        let messageID = MessageID(ids.next("msg"))
        let message = MessageRecord(id: messageID, idempotencyKey: key, contactID: contact.id, direction: .outbound, kind: messageKind,
                                    from: from, to: contact.phone, body: body, status: .queued, carrier: carrierName, createdAt: now)
        let record = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: contact.id, messageID: messageID, action: .send,
                                    reasons: reasons, sentence: sentence, decidedAt: now)
        _ = try await store.commit(StepCommit(
            jobID: nil, newJobs: [JobRecord(id: JobID(ids.next("job")), kind: .deliver, messageID: messageID, dueAt: now, createdAt: now)],
            decisions: [record], newMessages: [message], now: now))
    }
}
