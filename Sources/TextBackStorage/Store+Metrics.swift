// The figures a business measures itself by (DESIGN §1 "Measure"), each with its numerator and
// denominator, as one read over a time range. `Store.figures(from:to:)` returns them; the API
// (`GET /v1/metrics`) and `textback report` show them.
//
// What counts, over [from, to):
// - Calls: ended calls that occurred in the range. Missed: no_answer, busy, failed, canceled,
//   left_voicemail. Eligible: missed calls that started at least one automation run.
// - Texts: automated outbound texts written in the range. Sent: the carrier accepted them (sent or
//   delivered, or failed/undelivered after the carrier gave it an id). Delivered: the carrier's
//   receipt confirmed delivery. Failures: failed or undelivered texts, by the meaning stored with them.
// - The texted cohort: each (contact, our number) pair that was sent an automated text in the range,
//   from its first such text on, whenever the answer came: a reply (their first inbound text to that
//   number afterwards, which also gives the time to first reply), a call that connected (callback
//   conversion), an opt-out (an `opt_out` or `carrier_opt_out` suppression of their number).
// - Callbacks: booked in the range, and how many of those were completed.
// - Per template: the automated texts rendered from it, and the reply rate of the pairs they reached.
// - Decisions made in the range (suppress, defer, cancel, skip) by reason; failed texts by error.
// Rates have no value when their denominator is zero.

import Foundation
import TextBackCore

/// A count out of a count. `rate` is nil when there is nothing to divide by.
public struct Ratio: Sendable, Hashable {
    public var numerator: Int
    public var denominator: Int
    public init(_ numerator: Int, of denominator: Int) { self.numerator = numerator; self.denominator = denominator }
    public var rate: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }
}

/// The funnel for one slice of the data (everything, one automation, one of our numbers).
public struct Funnel: Sendable, Hashable {
    /// Ended calls in the range.
    public var calls = 0
    public var missedCalls = 0
    /// Missed calls that started at least one automation run.
    public var eligibleCalls = 0
    /// Automated texts written in the range, by their status now.
    public var textsByStatus: [String: Int] = [:]
    /// Accepted by the carrier.
    public var textsSent = 0
    public var textsDelivered = 0
    /// (contact, number) pairs sent an automated text in the range.
    public var textedContacts = 0
    public var repliedContacts = 0
    /// Texted contacts who then connected on a call.
    public var connectedContacts = 0
    public var optedOutContacts = 0
    /// Eligible calls whose run was stopped by a suppress decision.
    public var suppressedCalls = 0
    public var callbacksRequested = 0
    public var callbacksCompleted = 0
    /// Seconds from each replying contact's first text to their first reply, ascending.
    public var firstReplySeconds: [Double] = []
    /// action → main (first) reason → decisions (suppress, defer, cancel, skip); each decision counts once.
    public var decisions: [String: [String: Int]] = [:]
    /// Failed texts by the error stored with them (never a number or a body).
    public var deliveryFailures: [String: Int] = [:]

    public init() {}

    public var eligibility: Ratio { Ratio(eligibleCalls, of: missedCalls) }
    public var delivery: Ratio { Ratio(textsDelivered, of: textsSent) }
    public var replyRate: Ratio { Ratio(repliedContacts, of: textedContacts) }
    public var callbackConversion: Ratio { Ratio(connectedContacts, of: textedContacts) }
    public var callbackCompletion: Ratio { Ratio(callbacksCompleted, of: callbacksRequested) }
    public var optOutRate: Ratio { Ratio(optedOutContacts, of: textedContacts) }
    public var suppressionRate: Ratio { Ratio(suppressedCalls, of: eligibleCalls) }
    public var medianFirstReplySeconds: Double? { Self.percentile(firstReplySeconds, 0.5) }
    public var p90FirstReplySeconds: Double? { Self.percentile(firstReplySeconds, 0.9) }

    /// Nearest-rank percentile of ascending values: the smallest value with at least `p` of them at or below it.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// What the automated texts rendered from one template did over the range: written, accepted by the
/// carrier, delivered, and how many of the (contact, number) pairs they reached replied afterwards (a
/// reply after a pair's first accepted text of this template counts for it, whichever text it answered).
public struct TemplateFigures: Sendable, Hashable {
    public var textsWritten = 0
    public var textsSent = 0
    public var textsDelivered = 0
    public var textedContacts = 0
    public var repliedContacts = 0
    public init() {}
    public var delivery: Ratio { Ratio(textsDelivered, of: textsSent) }
    public var replyRate: Ratio { Ratio(repliedContacts, of: textedContacts) }
}

/// The figures over [from, to): the whole, and the same funnel per automation and per number of ours.
public struct Figures: Sendable, Hashable {
    public var from: Date
    public var to: Date
    public var total: Funnel
    public var byAutomation: [String: Funnel]
    /// Keyed by our number (E.164): the business's own lines, never a contact's.
    public var byNumber: [String: Funnel]
    /// Keyed by template name (texts written before templates were recorded have none and count only above).
    public var byTemplate: [String: TemplateFigures]
    /// Opt-outs recorded in the range, whoever they came from, by reason.
    public var optOuts: [String: Int]
    public init(from: Date, to: Date, total: Funnel = Funnel(), byAutomation: [String: Funnel] = [:], byNumber: [String: Funnel] = [:],
                byTemplate: [String: TemplateFigures] = [:], optOuts: [String: Int] = [:]) {
        self.from = from; self.to = to; self.total = total; self.byAutomation = byAutomation; self.byNumber = byNumber
        self.byTemplate = byTemplate; self.optOuts = optOuts
    }
}
