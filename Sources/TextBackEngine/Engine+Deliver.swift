// Delivering a stored message to its carrier, exactly once.
//
// The message row exists before the carrier is called and is moved `queued → sending` by the
// `claimForSending` unit, a compare-and-set that runs the legal check in the same write, so only one
// worker ever hands a given text over and an opt-out committed first always stops it. If the process
// dies while the carrier is being called, the next attempt finds `sending` and asks the carrier
// whether it took the text (by idempotency key) instead of sending it again. An answer that cannot be
// had leaves the message `unknown`: a possible duplicate is worse than a recorded gap.

import Foundation
import TextBackCore
import TextBackProviders
import TextBackStorage

extension Engine {
    func deliver(job: JobRecord, claim: JobClaim) async throws {
        let now = clock.now()
        guard let messageID = job.messageID, let message = try await store.message(messageID) else {
            _ = try await store.cancelJob(claim, decisions: [], now: now)
            return
        }
        guard let carrier = carriers[message.carrier] else {
            if message.status == .queued {
                _ = try await store.finishDelivery(FinishDelivery(
                    claim: claim, messageID: message.id, expected: .queued, status: .failed,
                    error: "carrier \(message.carrier) is not configured",
                    decisions: [decision(message, .skip, ["carrier_missing"],
                                         "The number's carrier (\(message.carrier)) is not configured on this server; the text was not sent.", now)],
                    now: now))
            } else {
                _ = try await store.cancelJob(claim, decisions: [], now: now)
            }
            return
        }
        switch message.status {
        case .queued:
            // The one confirmation after an opt-out is allowed within 5 minutes (FCC 24-24); later it is
            // just another unwanted text.
            if message.kind == .optOutConfirmation, now.timeIntervalSince(message.createdAt) > Self.optOutConfirmationWindow {
                _ = try await store.finishDelivery(FinishDelivery(
                    claim: claim, messageID: message.id, expected: .queued, status: .cancelled, error: "confirmation window passed",
                    decisions: [decision(message, .skip, ["confirmation_window_passed"],
                                         "The opt-out confirmation could not go out within 5 minutes of the opt-out, so it is not sent at all.", now)],
                    now: now))
                return
            }
            // The law is checked once more at the last moment, inside the same write that claims the text:
            // an opt-out that arrived while it waited (a retry, a backlog) still stops it.
            let result = try await store.claimForSending(ClaimForSending(
                claim: claim, messageID: message.id, sendGuard: lastMomentGuard(for: message, now: now),
                refusalDecisionID: DecisionID(ids.next("dec")), now: now))
            switch result {
            case .claimed(let sending):
                try await hand(sending, to: carrier, claim: claim, job: job)
            case .notQueued(let current):
                try await resume(current, carrier: carrier, claim: claim, now: now)
            case .refused, .stale:
                return
            }
        default:
            try await resume(message, carrier: carrier, claim: claim, now: now)
        }
    }

    /// A message found past `queued`: one left `sending` by a dead worker is reconciled; anything else
    /// is finished already and the job has nothing to do.
    private func resume(_ message: MessageRecord, carrier: any Carrier, claim: JobClaim, now: Date) async throws {
        if message.status == .sending {
            try await reconcile(message, carrier: carrier, claim: claim, now: now)
        } else {
            _ = try await store.cancelJob(claim, decisions: [], now: now)
        }
    }

    static let optOutConfirmationWindow: TimeInterval = 5 * 60

    /// The legal stage for a stored text, run inside the claim. HELP answers and the opt-out
    /// confirmation are what the rules allow even to an opted-out number, so they have no guard.
    func lastMomentGuard(for message: MessageRecord, now: Date) -> SendGuard? {
        let kind: OutgoingKind
        switch message.kind {
        case .automated, .reply: kind = .automated
        case .optInConfirmation: kind = .optInConfirmation
        case .help, .optOutConfirmation, .inbound: return nil
        }
        let text = OutgoingText(kind: kind, to: message.to, messageType: message.messageType ?? "missed_call",
                                requiredConsent: .none, triggeredAt: message.createdAt)
        return sendGuard(for: text, now: now, includingCaps: false)
    }

    private func hand(_ message: MessageRecord, to carrier: any Carrier, claim: JobClaim, job: JobRecord) async throws {
        let key = message.idempotencyKey ?? "msg:\(message.id)"
        let outcome: Result<CarrierReceipt, CarrierError>
        do {
            outcome = .success(try await carrier.send(OutgoingSMS(idempotencyKey: key, from: message.from, to: message.to, body: message.body),
                                                      now: clock.now()))
        } catch {
            outcome = .failure(error)
        }
        let now = clock.now()
        switch outcome {
        case .success(let receipt):
            _ = try await store.finishDelivery(FinishDelivery(claim: claim, messageID: message.id, expected: .sending, status: .sent,
                                                              carrierMessageID: receipt.carrierMessageID, sentAt: receipt.acceptedAt, now: now))
        case .failure(let error):
            try await handleSendError(error, job: job, claim: claim, message: message, carrier: carrier, now: now)
        }
    }

    func handleSendError(_ error: CarrierError, job: JobRecord, claim: JobClaim, message: MessageRecord, carrier: any Carrier, now: Date) async throws {
        let fail = { (status: MessageStatus, error: String, action: DecisionAction, reasons: [String], sentence: String, suppression: SuppressionRecord?) in
            _ = try await self.store.finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .sending, status: status, error: error,
                decisions: [self.decision(message, action, reasons, sentence, now)], suppression: suppression, now: now))
        }
        switch error {
        case .transient:
            // The carrier refused before accepting anything: safe to try again later, with backoff.
            let attempts = job.attempts
            if attempts >= 6 {
                try await fail(.failed, "gave up after \(attempts) attempts", .skip, ["carrier_unavailable"],
                               "The carrier kept refusing for \(attempts) attempts; the text was not sent.", nil)
                return
            }
            let retryAt = now.addingTimeInterval(Double(30 << min(attempts, 6)))
            _ = try await store.finishDelivery(FinishDelivery(claim: claim, messageID: message.id, expected: .sending, status: .queued,
                                                              next: .retry(at: retryAt), now: now))
        case .ambiguous:
            try await reconcile(message, carrier: carrier, claim: claim, now: now)
        case .recipientOptedOut(let code):
            try await fail(.failed, "recipient opted out at the carrier (\(code))", .suppress, ["carrier_opt_out"],
                           "The carrier reports that the recipient opted out (\(code)); the number is now suppressed.",
                           SuppressionRecord(phone: message.to, reason: "carrier_opt_out", source: "\(carrier.name):\(code)", createdAt: now))
        case .permanent(let code, _):
            try await fail(.failed, "carrier error \(code)", .skip, ["carrier_rejected"], "The carrier rejected the text (\(code)); it is not retried.", nil)
        case .unknown:
            // The carrier's own words may quote the message or the number: keep them out of storage.
            try await fail(.failed, "unrecognized carrier response", .skip, ["carrier_rejected"],
                           "The carrier answered in a way TextBack does not recognize; the text is not retried.", nil)
        }
    }

    func reconcile(_ message: MessageRecord, carrier: any Carrier, claim: JobClaim, now: Date) async throws {
        let key = message.idempotencyKey ?? "msg:\(message.id)"
        let receipt: CarrierReceipt?
        do { receipt = try await carrier.lookup(idempotencyKey: key) } catch { receipt = nil }
        if let receipt {
            _ = try await store.finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .sending, status: .sent, carrierMessageID: receipt.carrierMessageID,
                sentAt: receipt.acceptedAt,
                decisions: [decision(message, .send, ["reconciled"], "The carrier confirmed it had accepted this text before the answer was lost.", now)],
                now: now))
        } else {
            _ = try await store.finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .sending, status: .unknown, error: "outcome unknown",
                decisions: [decision(message, .send, ["ambiguous_outcome"],
                                     "The carrier's answer was lost and it cannot confirm either way; the text may have gone out and is not sent again, to avoid a duplicate.", now)],
                now: now))
        }
    }

    func decision(_ message: MessageRecord, _ action: DecisionAction, _ reasons: [String], _ sentence: String, _ now: Date) -> DecisionRecord {
        DecisionRecord(id: DecisionID(ids.next("dec")), contactID: message.contactID, runID: message.runID, messageID: message.id,
                       action: action, reasons: reasons, sentence: sentence, decidedAt: now)
    }
}
