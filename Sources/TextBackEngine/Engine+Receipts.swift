// What carriers report back, applied: delivery receipts (a status only moves forward; duplicates and
// late receipts change nothing; the carrier's code and meaning go on the message and the timeline; a
// carrier-reported opt-out suppresses the number) and the normalized webhook events of every carrier.

import Foundation
import TextBackCore
import TextBackProviders
import TextBackStorage

public enum CarrierEventOutcome: Sendable, Equatable {
    case call(IngestDisposition)
    case inbound(duplicate: Bool)
    case receipt(ReceiptOutcome)
    case ignored
}

extension Engine {
    /// Routes one verified, normalized carrier webhook event to ingestion, the inbound path or receipts.
    /// A receipt changes only texts in `receiptScope` (the business whose credentials verified it).
    @discardableResult
    public func handle(_ event: CarrierWebhookEvent, receiptScope: BusinessScope = .all) async throws -> CarrierEventOutcome {
        switch event {
        case .call(let call):
            return .call(try await ingest(call).disposition)
        case .inboundText(let sms):
            let result = try await receive(InboundText(from: sms.from, to: sms.to, body: sms.body, carrier: sms.carrier,
                                                       carrierMessageID: sms.carrierMessageID, carrierOptOutType: sms.carrierOptOutKeyword))
            return .inbound(duplicate: result.duplicate)
        case .receipt(let receipt):
            return .receipt(try await apply(receipt, scope: receiptScope))
        case .ignored(let what):
            logger.debug("carrier webhook acknowledged and ignored", metadata: ["event": "\(what)"])
            return .ignored
        }
    }

    /// Applies a delivery receipt to the message it names, if that message is in `scope`.
    public func apply(_ receipt: DeliveryReceipt, scope: BusinessScope = .all) async throws -> ReceiptOutcome {
        let now = clock.now()
        let status: MessageStatus = switch receipt.status {
        case .sent: .sent
        case .delivered: .delivered
        case .undelivered: .undelivered
        case .failed: .failed
        }
        let who = Self.carrierTitle(receipt.carrier)
        var planned: PlannedDecision?
        var suppress: (reason: String, source: String)?
        let codeText = receipt.error.map { " (\($0.code): \($0.meaning))" } ?? ""
        if receipt.error?.errorClass == .recipientOptedOut, let error = receipt.error {
            suppress = ("carrier_opt_out", "\(receipt.carrier):\(error.code)")
            planned = PlannedDecision(id: DecisionID(ids.next("dec")), action: .suppress, reasons: ["carrier_opt_out", "carrier_error_\(error.code)"],
                                      sentence: "\(who) reports that the recipient opted out\(codeText); the number is now suppressed.")
        } else if status == .undelivered || status == .failed {
            var reasons = [status == .undelivered ? "carrier_undelivered" : "carrier_failed"]
            if let code = receipt.error?.code { reasons.append("carrier_error_\(code)") }
            planned = PlannedDecision(
                id: DecisionID(ids.next("dec")), action: .skip, reasons: reasons,
                sentence: status == .undelivered
                    ? "\(who) reports the text was not delivered\(codeText)."
                    : "\(who) reports the text could not be sent\(codeText).")
        }
        let outcome = try await store.recordReceipt(ReceiptUpdate(
            carrier: receipt.carrier, carrierMessageID: receipt.carrierMessageID, messageID: receipt.messageID, status: status,
            errorCode: receipt.error?.code, errorMeaning: receipt.error?.meaning, at: receipt.at, decision: planned, suppress: suppress,
            now: now, scope: scope))
        switch outcome {
        case .applied(let message):
            logger.debug("delivery receipt applied", metadata: ["message_id": "\(message.id)", "status": "\(status.rawValue)"])
        case .unchanged(let message):
            logger.debug("delivery receipt changed nothing", metadata: ["message_id": "\(message.id)", "status": "\(status.rawValue)"])
        case .unknownMessage:
            logger.debug("delivery receipt for a text TextBack did not send", metadata: ["carrier": "\(receipt.carrier)"])
        }
        return outcome
    }
}
