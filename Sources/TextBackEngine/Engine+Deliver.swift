// Delivering a stored message to its carrier, exactly once.
//
// The message row exists before the carrier is called and is marked `sending` first. If the process
// dies while the carrier is being called, the next attempt finds `sending` and asks the carrier
// whether it took the text (by idempotency key) instead of sending it again. An answer that cannot be
// had leaves the message `unknown`: a possible duplicate is worse than a recorded gap.

import Foundation
import TextBackCarriers
import TextBackCore
import TextBackStorage

extension Engine {
    func deliver(job: JobRecord) async throws {
        let now = clock.now()
        guard let messageID = job.messageID, let message = try await store.message(messageID) else {
            _ = try await store.commit(StepCommit(jobID: job.id, jobOutcome: .cancelled, now: now))
            return
        }
        guard let carrier = carriers[message.carrier] else {
            try await finish(job, message, .init(messageID: message.id, status: .failed, error: "carrier \(message.carrier) is not configured"),
                             reasons: ["carrier_missing"], sentence: "The number's carrier (\(message.carrier)) is not configured on this server; the text was not sent.", now: now)
            return
        }
        let key = message.idempotencyKey ?? "msg:\(message.id)"
        switch message.status {
        case .queued:
            _ = try await store.commit(StepCommit(jobID: nil, messageUpdates: [.init(messageID: message.id, status: .sending)], now: now))
            let outcome: Result<CarrierReceipt, CarrierError>
            do {
                outcome = .success(try await carrier.send(OutgoingSMS(idempotencyKey: key, from: message.from, to: message.to, body: message.body), now: now))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let receipt):
                try await finish(job, message, .init(messageID: message.id, status: .sent, carrierMessageID: receipt.carrierMessageID, sentAt: receipt.acceptedAt), now: now)
            case .failure(let error):
                try await handleSendError(error, job: job, message: message, carrier: carrier, key: key, now: now)
            }
        case .sending:
            // A previous attempt died between handing the text over and recording the answer.
            try await reconcile(job: job, message: message, carrier: carrier, key: key, now: now)
        default:
            _ = try await store.commit(StepCommit(jobID: job.id, jobOutcome: .done, now: now))
        }
    }

    func handleSendError(_ error: CarrierError, job: JobRecord, message: MessageRecord, carrier: any Carrier, key: String, now: Date) async throws {
        switch error {
        case .transient:
            // The carrier refused before accepting anything: safe to try again later, with backoff.
            let attempts = job.attempts
            if attempts >= 6 {
                try await finish(job, message, .init(messageID: message.id, status: .failed, error: "gave up after \(attempts) attempts"),
                                 reasons: ["carrier_unavailable"], sentence: "The carrier kept refusing for \(attempts) attempts; the text was not sent.", now: now)
                return
            }
            let retryAt = now.addingTimeInterval(Double(30 << min(attempts, 6)))
            _ = try await store.commit(StepCommit(jobID: job.id, jobOutcome: .reschedule(retryAt),
                                                  messageUpdates: [.init(messageID: message.id, status: .queued)], now: now))
        case .ambiguous:
            try await reconcile(job: job, message: message, carrier: carrier, key: key, now: now)
        case .recipientOptedOut(let code):
            _ = try await store.addSuppression(SuppressionRecord(phone: message.to, reason: "carrier_opt_out", source: "\(carrier.name):\(code)", createdAt: now))
            try await finish(job, message, .init(messageID: message.id, status: .failed, error: "recipient opted out at the carrier (\(code))"),
                             reasons: ["carrier_opt_out"], sentence: "The carrier reports that the recipient opted out (\(code)); the number is now suppressed.", now: now)
        case .permanent(let code, _), .unknown(let code):
            try await finish(job, message, .init(messageID: message.id, status: .failed, error: "carrier error \(code)"),
                             reasons: ["carrier_rejected"], sentence: "The carrier rejected the text (\(code)); it is not retried.", now: now)
        }
    }

    func reconcile(job: JobRecord, message: MessageRecord, carrier: any Carrier, key: String, now: Date) async throws {
        let receipt: CarrierReceipt?
        do { receipt = try await carrier.lookup(idempotencyKey: key) } catch { receipt = nil }
        if let receipt {
            try await finish(job, message, .init(messageID: message.id, status: .sent, carrierMessageID: receipt.carrierMessageID, sentAt: receipt.acceptedAt),
                             reasons: ["reconciled"], sentence: "The carrier confirmed it had accepted this text before the answer was lost.", now: now)
        } else {
            try await finish(job, message, .init(messageID: message.id, status: .unknown, error: "outcome unknown"),
                             reasons: ["ambiguous_outcome"], sentence: "The carrier's answer was lost and it cannot confirm either way; the text is not sent again, to avoid a duplicate.", now: now)
        }
    }

    func finish(_ job: JobRecord, _ message: MessageRecord, _ update: StepCommit.MessageUpdate, reasons: [String]? = nil,
                sentence: String? = nil, now: Date) async throws {
        var decisions: [DecisionRecord] = []
        if let reasons, let sentence {
            decisions.append(DecisionRecord(id: DecisionID(ids.next("dec")), contactID: message.contactID, runID: message.runID,
                                            messageID: message.id, action: update.status == .sent ? .send : .skip,
                                            reasons: reasons, sentence: sentence, decidedAt: now))
        }
        _ = try await store.commit(StepCommit(jobID: job.id, jobOutcome: .done, decisions: decisions, messageUpdates: [update], now: now))
    }
}
