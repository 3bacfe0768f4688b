// What carriers tell us, normalized: an inbound text, a delivery receipt, a call event. Every
// carrier's webhook parser produces one of these, so the engine handles one shape per kind.

import Foundation
import TextBackCore

/// A text someone sent to one of our numbers.
public struct InboundSMS: Sendable, Hashable {
    /// The person texting.
    public var from: PhoneNumber
    /// Our number.
    public var to: PhoneNumber
    public var body: String
    /// "twilio", "telnyx", "bandwidth".
    public var carrier: String
    public var carrierMessageID: String
    /// The keyword the carrier itself acted on, upper-cased: STOP, START or HELP (Twilio `OptOutType`,
    /// Telnyx `autoresponse_type`). nil when the carrier reports none (Bandwidth never does). The engine
    /// passes it on as `InboundText.carrierOptOutType`.
    public var carrierOptOutKeyword: String?
    public var receivedAt: Date

    public init(from: PhoneNumber, to: PhoneNumber, body: String, carrier: String, carrierMessageID: String,
                carrierOptOutKeyword: String? = nil, receivedAt: Date) {
        self.from = from; self.to = to; self.body = body; self.carrier = carrier
        self.carrierMessageID = carrierMessageID; self.carrierOptOutKeyword = carrierOptOutKeyword
        self.receivedAt = receivedAt
    }
}

/// What became of a text we sent, in our vocabulary.
public struct DeliveryReceipt: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable, Codable {
        /// Handed to the destination network (or delivery could not be confirmed either way).
        case sent
        /// The handset has it.
        case delivered
        /// Left the carrier but the destination network could not deliver it (billed).
        case undelivered
        /// The carrier itself could not send it (not billed).
        case failed

        /// Receipts arrive out of order; a status only ever moves forward.
        public var rank: Int {
            switch self {
            case .sent: 0
            case .delivered, .undelivered, .failed: 1
            }
        }
    }

    public var carrier: String
    public var carrierMessageID: String
    /// Our message id, when the carrier echoed it (Bandwidth `tag`) or the callback URL carried it.
    public var messageID: MessageID?
    public var status: Status
    /// The carrier's code with its meaning and class from our tables (a class of
    /// `.recipientOptedOut` means the number should be suppressed).
    public var error: CarrierErrorDetail?
    public var at: Date

    public init(carrier: String, carrierMessageID: String, messageID: MessageID? = nil, status: Status,
                error: CarrierErrorDetail? = nil, at: Date) {
        self.carrier = carrier; self.carrierMessageID = carrierMessageID; self.messageID = messageID
        self.status = status; self.error = error; self.at = at
    }
}

/// One webhook, normalized.
public enum CarrierWebhookEvent: Sendable, Hashable {
    case call(CallEvent)
    case inboundText(InboundSMS)
    case receipt(DeliveryReceipt)
    /// Understood and deliberately not acted on (a progress report, an event type we do not use);
    /// acknowledge it so the carrier stops retrying. The string names what it was.
    case ignored(String)
}

/// What the engine knows about a text whose send was ambiguous.
public struct ReconciliationQuery: Sendable, Hashable {
    public var sms: OutgoingSMS
    /// When the ambiguous attempt started (the engine's clock): texts created well before it are not it.
    public var attemptedAt: Date
    /// The carrier's id for the text when something (a receipt, an earlier answer) already named it.
    public var carrierMessageID: String?
    public var now: Date

    public init(sms: OutgoingSMS, attemptedAt: Date, carrierMessageID: String? = nil, now: Date) {
        self.sms = sms; self.attemptedAt = attemptedAt; self.carrierMessageID = carrierMessageID; self.now = now
    }
}

/// The carrier's answer to "did you accept this text?".
public enum Reconciliation: Sendable, Hashable {
    /// Yes: record it as sent with this receipt.
    case accepted(CarrierReceipt)
    /// No, and the carrier's answer was complete enough to be sure: safe to send again.
    case notFound
    /// The carrier cannot say (no search by these fields, an incomplete page, the query failed): do
    /// not send again.
    case cannotTell(reason: String)
}

/// What kind of line a number is. Texts to landlines never arrive.
public enum LineType: String, Sendable, Hashable, CaseIterable, Codable {
    case mobile, landline, voip, unknown
}

/// A carrier's number lookup (Twilio Lookup v2, Telnyx Number Lookup), used when
/// `policy.landline_check` is on.
public protocol LineTypeLookup: Sendable {
    /// `now` reads Retry-After dates.
    func lineType(of number: PhoneNumber, now: Date) async throws(CarrierFailure) -> LineType
}
