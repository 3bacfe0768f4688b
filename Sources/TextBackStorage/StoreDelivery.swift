// The storage units of real-carrier delivery: delivery receipts (monotonic), pacing a held delivery
// job without spending its attempts, the daily count per sending number, and the line-type cache.

import Foundation
import TextBackCore

/// A carrier's delivery receipt for one of our outbound texts.
///
/// Invariants: the message is found by our id when the receipt carries it, else by (carrier, carrier
/// message id); a status only moves forward (`MessageStatus.rank`): a duplicate or a receipt that
/// arrives after a later one changes nothing; the decision and the suppression (a carrier opt-out)
/// are written with the status, or not at all.
/// Concurrency: PostgreSQL `UPDATE messages … WHERE id = $1 AND rank(status) < $rank` with the row
/// count checked, so two receipts racing apply in rank order.
public struct ReceiptUpdate: Sendable {
    public var carrier: String
    public var carrierMessageID: String
    public var messageID: MessageID?
    /// sent, delivered, undelivered or failed.
    public var status: MessageStatus
    public var errorCode: String?
    /// The code's meaning from our tables (never the carrier's own words).
    public var errorMeaning: String?
    public var at: Date
    /// Recorded with the contact and message filled in, when the receipt changes the status.
    public var decision: PlannedDecision?
    /// Suppress the recipient with this reason and source (a carrier-reported opt-out).
    public var suppress: (reason: String, source: String)?
    public var now: Date
    /// Whose texts the receipt may change: the business whose carrier credentials verified it. A text of
    /// a business outside it is `unknownMessage`, as if it did not exist.
    public var scope: BusinessScope

    public init(carrier: String, carrierMessageID: String, messageID: MessageID?, status: MessageStatus, errorCode: String? = nil,
                errorMeaning: String? = nil, at: Date, decision: PlannedDecision? = nil, suppress: (reason: String, source: String)? = nil,
                now: Date, scope: BusinessScope = .all) {
        self.carrier = carrier; self.carrierMessageID = carrierMessageID; self.messageID = messageID; self.status = status
        self.errorCode = errorCode; self.errorMeaning = errorMeaning; self.at = at; self.decision = decision
        self.suppress = suppress; self.now = now; self.scope = scope
    }
}

public enum ReceiptOutcome: Sendable, Equatable {
    /// The status moved forward; the message as it is now.
    case applied(MessageRecord)
    /// A duplicate, or older than what is known: nothing was written.
    case unchanged(MessageRecord)
    /// No outbound message of ours matches.
    case unknownMessage
}

/// A held delivery job waits (the sending number's pace or daily cap, a paused carrier) without the
/// text changing: the message stays `queued`, the job is due again at `until`, its attempts reset
/// (waiting is not failing).
public struct DeferDelivery: Sendable {
    public var claim: JobClaim
    public var messageID: MessageID
    public var until: Date
    public var decision: DecisionRecord?
    public var now: Date
    public init(claim: JobClaim, messageID: MessageID, until: Date, decision: DecisionRecord? = nil, now: Date) {
        self.claim = claim; self.messageID = messageID; self.until = until; self.decision = decision; self.now = now
    }
}

/// What a carrier's number lookup said about a phone number, kept so it is asked once.
public struct CachedLineType: Sendable, Hashable {
    public var phone: PhoneNumber
    /// mobile, landline, voip, unknown.
    public var lineType: String
    public var checkedAt: Date
    public init(phone: PhoneNumber, lineType: String, checkedAt: Date) {
        self.phone = phone; self.lineType = lineType; self.checkedAt = checkedAt
    }
}
