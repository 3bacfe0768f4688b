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

/// A sending number's turn to send, for the whole cluster: every process asks the store, so the pace
/// and the daily cap hold however many workers send from the number.
///
/// Invariants: per number, slots are handed out at least `interval` apart, in the order asked; a message
/// given a later slot keeps it (asking again before it returns the same slot, at it returns `go`); at
/// most `dailyCap` slots a day, the day's count starting from the texts already sent from the number
/// since `dayStart`; an `urgent` text (an opt-out confirmation, a HELP answer) goes at once, counted
/// against the pace and the day, and slots already given are kept.
/// Concurrency: PostgreSQL locks the number's pace row (`SELECT … FOR UPDATE`) before reading it.
public struct SendSlotRequest: Sendable {
    public var number: PhoneNumber
    public var messageID: MessageID
    /// 1 / messages per second.
    public var interval: TimeInterval
    public var dailyCap: Int?
    public var dayStart: Date
    public var nextDay: Date
    public var urgent: Bool
    public var now: Date
    public init(number: PhoneNumber, messageID: MessageID, interval: TimeInterval, dailyCap: Int?, dayStart: Date, nextDay: Date,
                urgent: Bool, now: Date) {
        self.number = number; self.messageID = messageID; self.interval = interval; self.dailyCap = dailyCap
        self.dayStart = dayStart; self.nextDay = nextDay; self.urgent = urgent; self.now = now
    }
}

public enum SendSlot: Sendable, Equatable {
    case go
    /// Come back at this instant (the message's reserved slot, or the next day when the cap is reached).
    case wait(until: Date, dailyCap: Bool)
}

/// The pacing rule on one number's stored state, shared by the engines: each reads the number's row
/// and the message's reservation under its lock, applies this, and writes back what changed.
package struct SendPace: Sendable, Equatable {
    /// Milliseconds: the earliest next slot, the day the count is for, and the count.
    package var nextSlot: Int64
    package var dayStart: Int64
    package var dayCount: Int

    package init(nextSlot: Int64, dayStart: Int64, dayCount: Int) {
        self.nextSlot = nextSlot; self.dayStart = dayStart; self.dayCount = dayCount
    }

    /// What to do with the message's reservation after `admit`.
    package enum Reservation: Equatable {
        case keep
        case remove
        case set(Int64)
    }

    /// Applies the request to this state. `reserved` is the message's slot, if it has one; `sentToday`
    /// counts the texts sent from the number since the request's day started (read only when the day
    /// changes and a cap applies).
    package mutating func admit(_ request: SendSlotRequest, reserved: Int64?, sentToday: () throws -> Int) rethrows -> (SendSlot, Reservation) {
        let now = Coding.ms(request.now)
        let day = Coding.ms(request.dayStart)
        let interval = Int64((request.interval * 1000).rounded(.up))
        if dayStart != day {
            dayStart = day
            dayCount = request.dailyCap == nil ? 0 : try sentToday()
        }
        if request.urgent {
            dayCount += 1
            nextSlot = max(nextSlot, now) + interval
            return (.go, reserved == nil ? .keep : .remove)
        }
        // A slot is met when the clock reaches it (to the millisecond the job table keeps).
        if let reserved {
            return reserved <= now + 1 ? (.go, .remove) : (.wait(until: Coding.date(reserved), dailyCap: false), .keep)
        }
        if let cap = request.dailyCap, dayCount >= cap { return (.wait(until: request.nextDay, dailyCap: true), .keep) }
        let slot = max(now, nextSlot)
        nextSlot = slot + interval
        dayCount += 1
        if slot <= now + 1 { return (.go, .keep) }
        return (.wait(until: Coding.date(slot), dailyCap: false), .set(slot))
    }
}
