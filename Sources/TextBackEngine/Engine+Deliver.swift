// Delivering a stored message to its carrier, exactly once.
//
// The message row exists before the carrier is called and is moved `queued → sending` by a
// compare-and-set, so only one worker ever hands a given text over. If the process dies while the
// carrier is being called, the next attempt finds `sending` and asks the carrier whether it took the
// text (by idempotency key) instead of sending it again. An answer that cannot be had leaves the
// message `unknown`: a possible duplicate is worse than a recorded gap.

import Foundation
import TextBackProviders
import TextBackCore
import TextBackStorage

extension Engine {
    func deliver(job: JobRecord) async throws {
        let now = clock.now()
        guard let messageID = job.messageID, let message = try await store.message(messageID) else {
            _ = try await store.commit(StepCommit(jobID: job.id, jobOwner: workerID, jobOutcome: .cancelled, now: now))
            return
        }
        guard let carrier = carriers[message.carrier] else {
            try await finish(job, message, .init(messageID: message.id, status: .failed, error: "carrier \(message.carrier) is not configured", expected: message.status),
                             action: .skip, reasons: ["carrier_missing"],
                             sentence: "The number's carrier (\(message.carrier)) is not configured on this server; the text was not sent.", now: now)
            return
        }
        let key = message.idempotencyKey ?? "msg:\(message.id)"
        switch message.status {
        case .queued:
            // The law is checked once more at the last moment: an opt-out that arrived while this text
            // waited for the carrier (a retry, a backlog) still stops it.
            // The one confirmation after an opt-out is allowed within 5 minutes (FCC 24-24); later it is
            // just another unwanted text.
            if message.kind == .optOutConfirmation, now.timeIntervalSince(message.createdAt) > Self.optOutConfirmationWindow {
                try await finish(job, message, .init(messageID: message.id, status: .cancelled, error: "confirmation window passed", expected: .queued),
                                 action: .skip, reasons: ["confirmation_window_passed"],
                                 sentence: "The opt-out confirmation could not go out within 5 minutes of the opt-out, so it is not sent at all.", now: now)
                return
            }
            if message.kind == .automated, let block = try await legalBlock(message, now: now) {
                try await finish(job, message, .init(messageID: message.id, status: .cancelled, error: block.reasons.first, expected: .queued),
                                 action: .suppress, reasons: block.reasons, sentence: block.sentence, now: now)
                return
            }
            // Only the worker whose compare-and-set wins hands the text over.
            let claimed = try await store.commit(StepCommit(
                jobID: job.id, jobOwner: workerID, jobOutcome: .unchanged,
                messageUpdates: [.init(messageID: message.id, status: .sending, expected: .queued)], now: now))
            guard claimed == .committed else { return }
            let outcome: Result<CarrierReceipt, CarrierError>
            do {
                outcome = .success(try await carrier.send(OutgoingSMS(idempotencyKey: key, from: message.from, to: message.to, body: message.body), now: now))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let receipt):
                try await finish(job, message, .init(messageID: message.id, status: .sent, carrierMessageID: receipt.carrierMessageID,
                                                     sentAt: receipt.acceptedAt, expected: .sending), now: now)
            case .failure(let error):
                try await handleSendError(error, job: job, message: message, carrier: carrier, key: key, now: now)
            }
        case .sending:
            // A previous attempt died between handing the text over and recording the answer.
            try await reconcile(job: job, message: message, carrier: carrier, key: key, now: now)
        default:
            _ = try await store.commit(StepCommit(jobID: job.id, jobOwner: workerID, jobOutcome: .done, now: now))
        }
    }

    static let optOutConfirmationWindow: TimeInterval = 5 * 60

    /// The legal stage of the policy (suppression, opt-out, revoked consent) for a stored automated text.
    func legalBlock(_ message: MessageRecord, now: Date) async throws -> PolicyDecision? {
        guard let contact = try await store.contact(id: message.contactID) else { return nil }
        let text = OutgoingText(kind: .automated, to: message.to, messageType: message.messageType ?? "missed_call",
                                requiredConsent: .none, triggeredAt: message.createdAt)
        let history = try await policyHistory(for: text, contact: contact, now: now)
        return Policy.legal(text, history: history, policy: sendPolicy)
    }

    func handleSendError(_ error: CarrierError, job: JobRecord, message: MessageRecord, carrier: any Carrier, key: String, now: Date) async throws {
        switch error {
        case .transient:
            // The carrier refused before accepting anything: safe to try again later, with backoff.
            let attempts = job.attempts
            if attempts >= 6 {
                try await finish(job, message, .init(messageID: message.id, status: .failed, error: "gave up after \(attempts) attempts", expected: .sending),
                                 action: .skip, reasons: ["carrier_unavailable"],
                                 sentence: "The carrier kept refusing for \(attempts) attempts; the text was not sent.", now: now)
                return
            }
            let retryAt = now.addingTimeInterval(Double(30 << min(attempts, 6)))
            _ = try await store.commit(StepCommit(jobID: job.id, jobOwner: workerID, jobOutcome: .reschedule(retryAt),
                                                  messageUpdates: [.init(messageID: message.id, status: .queued, expected: .sending)], now: now))
        case .ambiguous:
            try await reconcile(job: job, message: message, carrier: carrier, key: key, now: now)
        case .recipientOptedOut(let code):
            _ = try await store.addSuppression(SuppressionRecord(phone: message.to, reason: "carrier_opt_out", source: "\(carrier.name):\(code)", createdAt: now))
            try await finish(job, message, .init(messageID: message.id, status: .failed, error: "recipient opted out at the carrier (\(code))", expected: .sending),
                             action: .suppress, reasons: ["carrier_opt_out"],
                             sentence: "The carrier reports that the recipient opted out (\(code)); the number is now suppressed.", now: now)
        case .permanent(let code, _):
            try await finish(job, message, .init(messageID: message.id, status: .failed, error: "carrier error \(code)", expected: .sending),
                             action: .skip, reasons: ["carrier_rejected"], sentence: "The carrier rejected the text (\(code)); it is not retried.", now: now)
        case .unknown:
            // The carrier's own words may quote the message or the number: keep them out of storage.
            try await finish(job, message, .init(messageID: message.id, status: .failed, error: "unrecognized carrier response", expected: .sending),
                             action: .skip, reasons: ["carrier_rejected"], sentence: "The carrier answered in a way TextBack does not recognize; the text is not retried.", now: now)
        }
    }

    func reconcile(job: JobRecord, message: MessageRecord, carrier: any Carrier, key: String, now: Date) async throws {
        let receipt: CarrierReceipt?
        do { receipt = try await carrier.lookup(idempotencyKey: key) } catch { receipt = nil }
        if let receipt {
            try await finish(job, message, .init(messageID: message.id, status: .sent, carrierMessageID: receipt.carrierMessageID,
                                                 sentAt: receipt.acceptedAt, expected: .sending),
                             action: .send, reasons: ["reconciled"], sentence: "The carrier confirmed it had accepted this text before the answer was lost.", now: now)
        } else {
            try await finish(job, message, .init(messageID: message.id, status: .unknown, error: "outcome unknown", expected: .sending),
                             action: .send, reasons: ["ambiguous_outcome"],
                             sentence: "The carrier's answer was lost and it cannot confirm either way; the text may have gone out and is not sent again, to avoid a duplicate.", now: now)
        }
    }

    func finish(_ job: JobRecord, _ message: MessageRecord, _ update: StepCommit.MessageUpdate, action: DecisionAction? = nil,
                reasons: [String]? = nil, sentence: String? = nil, now: Date) async throws {
        var decisions: [DecisionRecord] = []
        if let action, let reasons, let sentence {
            decisions.append(DecisionRecord(id: DecisionID(ids.next("dec")), contactID: message.contactID, runID: message.runID,
                                            messageID: message.id, action: action, reasons: reasons, sentence: sentence, decidedAt: now))
        }
        _ = try await store.commit(StepCommit(jobID: job.id, jobOwner: workerID, jobOutcome: .done, decisions: decisions,
                                              messageUpdates: [update], now: now))
    }
}
