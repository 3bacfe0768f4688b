// The figures over a range (Store+Metrics.swift says what counts), counted once for every engine: an
// engine reads the rows of the range in one read transaction and feeds them here; the counting happens
// in Swift, once per slice (everything, each automation, each of our numbers, each template), so every
// slice and every engine counts the same way.

import Foundation
import TextBackCore

/// The rows of one range, read in one transaction.
package struct FigureRows: Sendable {
    struct Call { var id: String; var contactID: String; var number: String; var missed: Bool; var automations: Set<String>; var suppressedIn: Set<String> }
    struct Text {
        var contactID: String; var number: String; var automation: String?; var template: String?; var status: String; var accepted: Bool
        var at: Int64
    }
    struct Failure { var error: String; var number: String; var automation: String? }
    struct Decision { var action: String; var reasons: [String]; var number: String?; var automation: String? }
    struct Callback { var contactID: String; var number: String; var completed: Bool; var at: Int64 }

    static let missedOutcomes = Set([CallOutcome.noAnswer, .busy, .failed, .canceled, .leftVoicemail].map(\.rawValue))

    var calls: [Call] = []
    var texts: [Text] = []
    var failures: [Failure] = []
    var decisions: [Decision] = []
    var callbacks: [Callback] = []
    /// (contact, our number) → times of inbound texts, ascending, from the range's start on.
    var inbound: [Pair: [Int64]] = [:]
    /// contact → times of connected calls, ascending, from the range's start on.
    var connected: [String: [Int64]] = [:]
    /// contact → times their number was opted out, from the range's start on.
    var optOutTimes: [String: [Int64]] = [:]
    var optOutsInRange: [String: Int] = [:]
    private var callIndex: [String: Int] = [:]

    struct Pair: Hashable { var contactID: String; var number: String }

    package init() {}

    /// The reads that gather one range, in order, each with the row it feeds. The SQL is the same on
    /// both engines: `?` placeholders bound to the range's lower bound, then (`upper`) its upper bound,
    /// then the business to count (NULL for every business) twice; `rowid` is the insertion order
    /// (SQLite's own; an identity column of that name on PostgreSQL). Each query reads its
    /// `(business_id, time)` index range when a business is given.
    package struct Query: Sendable {
        package var sql: String
        package var upper: Bool
        package var feed: @Sendable (inout FigureRows, any StoredRow) throws -> Void
    }

    /// "Only this business's rows" (the last two arguments: the business, or NULL twice).
    static func only(_ table: String) -> String { "AND (CAST(? AS TEXT) IS NULL OR \(table).business_id = ?)" }

    package static let queries: [Query] = [
        Query(sql: """
            SELECT id, contact_id, outcome, event FROM calls WHERE stage = 'ended' AND occurred_at >= ? AND occurred_at < ?
            \(only("calls")) ORDER BY occurred_at, rowid
            """, upper: true) { try $0.addCall($1) },
        Query(sql: """
            SELECT r.call_id, r.automation_id,
                   CASE WHEN EXISTS (SELECT 1 FROM decisions d WHERE d.run_id = r.id AND d.action = 'suppress') THEN 1 ELSE 0 END AS suppressed
            FROM runs r JOIN calls c ON c.id = r.call_id
            WHERE c.stage = 'ended' AND c.occurred_at >= ? AND c.occurred_at < ? \(only("c"))
            """, upper: true) { try $0.addRun($1) },
        Query(sql: """
            SELECT m.contact_id, m.from_number, m.template, m.status, m.carrier_message_id, m.created_at, m.sent_at, r.automation_id
            FROM messages m LEFT JOIN runs r ON r.id = m.run_id
            WHERE m.direction = 'outbound' AND m.kind = 'automated' AND m.created_at >= ? AND m.created_at < ? \(only("m"))
            ORDER BY m.created_at, m.rowid
            """, upper: true) { try $0.addText($1) },
        Query(sql: """
            SELECT m.error, m.from_number, r.automation_id FROM messages m LEFT JOIN runs r ON r.id = m.run_id
            WHERE m.direction = 'outbound' AND m.status IN ('failed', 'undelivered') AND m.created_at >= ? AND m.created_at < ? \(only("m"))
            """, upper: true) { try $0.addFailure($1) },
        Query(sql: """
            SELECT d.action, d.reasons, r.automation_id, m.from_number, c.event
            FROM decisions d
            LEFT JOIN runs r ON r.id = d.run_id
            LEFT JOIN messages m ON m.id = d.message_id
            LEFT JOIN calls c ON c.id = COALESCE(d.call_id, r.call_id)
            WHERE d.action IN ('suppress', 'defer', 'cancel', 'skip') AND d.decided_at >= ? AND d.decided_at < ? \(only("d"))
            """, upper: true) { try $0.addDecision($1) },
        Query(sql: """
            SELECT contact_id, number, status, created_at FROM callbacks WHERE created_at >= ? AND created_at < ? \(only("callbacks"))
            """, upper: true) { try $0.addCallback($1) },
        Query(sql: """
            SELECT contact_id, to_number, created_at FROM messages WHERE direction = 'inbound' AND created_at >= ? \(only("messages"))
            ORDER BY created_at, rowid
            """, upper: false) { try $0.addInbound($1) },
        Query(sql: """
            SELECT contact_id, occurred_at FROM calls WHERE stage = 'ended' AND outcome = 'completed' AND occurred_at >= ? \(only("calls"))
            ORDER BY occurred_at
            """, upper: false) { try $0.addConnected($1) },
        // An opt-out stops the business it was sent to, a global entry every business.
        Query(sql: """
            SELECT c.id AS contact_id, s.created_at FROM suppressions s JOIN contacts c ON c.phone = s.phone AND s.business_id IN ('', c.business_id)
            WHERE s.channel = 'sms' AND s.reason IN ('opt_out', 'carrier_opt_out') AND s.created_at >= ? \(only("c"))
            """, upper: false) { try $0.addOptOut($1) },
        Query(sql: """
            SELECT reason, COUNT(*) AS n FROM suppressions
            WHERE channel = 'sms' AND reason IN ('opt_out', 'carrier_opt_out') AND created_at >= ? AND created_at < ?
              AND (CAST(? AS TEXT) IS NULL OR business_id IN ('', ?)) GROUP BY reason
            """, upper: true) { try $0.addOptOutCount($1) },
    ]

    // Each row of a query above, interpreted once for every engine.

    /// calls: id, contact_id, outcome, event — ended calls in the range, oldest first.
    package mutating func addCall(_ row: some StoredRow) throws {
        let event = try Coding.event(row.text("event"))
        callIndex[try row.text("id")] = calls.count
        calls.append(Call(id: try row.text("id"), contactID: try row.text("contact_id"), number: event.businessPhone.e164,
                          missed: Self.missedOutcomes.contains(try row.text("outcome")), automations: [], suppressedIn: []))
    }

    /// runs of those calls: call_id, automation_id, suppressed (0 or 1).
    package mutating func addRun(_ row: some StoredRow) throws {
        guard let index = callIndex[try row.text("call_id")] else { return }
        let automation = try row.text("automation_id")
        calls[index].automations.insert(automation)
        if try row.integer("suppressed") != 0 { calls[index].suppressedIn.insert(automation) }
    }

    /// automated texts written in the range: contact_id, from_number, template, status, carrier_message_id, created_at, sent_at,
    /// automation_id.
    package mutating func addText(_ row: some StoredRow) throws {
        let status = try row.text("status")
        let carrierID = try row.optionalText("carrier_message_id")
        // Failed or undeliverable after the carrier gave it an id: it was sent, then lost.
        let accepted = status == MessageStatus.sent.rawValue || status == MessageStatus.delivered.rawValue
            || ((status == MessageStatus.failed.rawValue || status == MessageStatus.undelivered.rawValue) && carrierID != nil)
        texts.append(Text(contactID: try row.text("contact_id"), number: try row.text("from_number"),
                          automation: try row.optionalText("automation_id"), template: try row.optionalText("template"), status: status,
                          accepted: accepted,
                          at: try row.optionalInteger("sent_at") ?? row.integer("created_at")))
    }

    /// failed texts written in the range: error, from_number, automation_id.
    package mutating func addFailure(_ row: some StoredRow) throws {
        failures.append(Failure(error: try row.optionalText("error") ?? "unspecified", number: try row.text("from_number"),
                                automation: try row.optionalText("automation_id")))
    }

    /// decisions made in the range: action, reasons, automation_id, from_number, event.
    package mutating func addDecision(_ row: some StoredRow) throws {
        var number = try row.optionalText("from_number")
        if number == nil, let event = try row.optionalText("event") { number = try Coding.event(event).businessPhone.e164 }
        decisions.append(Decision(action: try row.text("action"), reasons: try Coding.reasons(row.text("reasons")), number: number,
                                  automation: try row.optionalText("automation_id")))
    }

    /// callbacks booked in the range: contact_id, number, status, created_at.
    package mutating func addCallback(_ row: some StoredRow) throws {
        callbacks.append(Callback(contactID: try row.text("contact_id"), number: try row.text("number"),
                                  completed: try row.text("status") == CallbackStatus.completed.rawValue, at: try row.integer("created_at")))
    }

    /// inbound texts from the range's start on, oldest first: contact_id, to_number, created_at.
    package mutating func addInbound(_ row: some StoredRow) throws {
        inbound[Pair(contactID: try row.text("contact_id"), number: try row.text("to_number")), default: []].append(try row.integer("created_at"))
    }

    /// connected calls from the range's start on, oldest first: contact_id, occurred_at.
    package mutating func addConnected(_ row: some StoredRow) throws {
        connected[try row.text("contact_id"), default: []].append(try row.integer("occurred_at"))
    }

    /// opt-out suppressions from the range's start on: contact_id, created_at.
    package mutating func addOptOut(_ row: some StoredRow) throws {
        optOutTimes[try row.text("contact_id"), default: []].append(try row.integer("created_at"))
    }

    /// opt-outs recorded in the range by reason: reason, n.
    package mutating func addOptOutCount(_ row: some StoredRow) throws {
        optOutsInRange[try row.text("reason")] = try row.int("n")
    }

    package func figures(from: Date, to: Date) -> Figures {
        var figures = Figures(from: from, to: to, total: funnel { _, _ in true }, optOuts: optOutsInRange)
        let automations = Set(calls.flatMap(\.automations) + texts.compactMap(\.automation) + decisions.compactMap(\.automation)
                              + failures.compactMap(\.automation))
        for automation in automations {
            figures.byAutomation[automation] = funnel(automation: automation) { a, _ in a == automation }
        }
        let numbers = Set(calls.map(\.number) + texts.map(\.number) + callbacks.map(\.number) + failures.map(\.number) + decisions.compactMap(\.number))
        for number in numbers {
            figures.byNumber[number] = funnel { _, n in n == number }
        }
        for template in Set(texts.compactMap(\.template)) {
            let (kept, firstText) = cohort { $0.template == template }
            var t = TemplateFigures()
            t.textsWritten = kept.count
            t.textsSent = kept.filter(\.accepted).count
            t.textsDelivered = kept.filter { $0.status == MessageStatus.delivered.rawValue }.count
            t.textedContacts = firstText.count
            t.repliedContacts = firstText.filter { firstReply($0.key, since: $0.value) != nil }.count
            figures.byTemplate[template] = t
        }
        return figures
    }

    /// The texts a slice keeps, and each (contact, number) pair they reached with the time of its first
    /// accepted text.
    func cohort(_ keep: (Text) -> Bool) -> (texts: [Text], firstText: [Pair: Int64]) {
        let kept = texts.filter(keep)
        var firstText: [Pair: Int64] = [:]
        for text in kept where text.accepted {
            let pair = Pair(contactID: text.contactID, number: text.number)
            firstText[pair] = min(firstText[pair] ?? .max, text.at)
        }
        return (kept, firstText)
    }

    /// The pair's first inbound text at or after `since`.
    func firstReply(_ pair: Pair, since: Int64) -> Int64? {
        inbound[pair]?.first { $0 >= since }
    }

    /// The funnel over the rows a slice keeps: `keep(automation, number)`. With `automation` set, calls
    /// count when they started a run of it, and callbacks when its texts reached the pair first.
    func funnel(automation: String? = nil, keep: (String?, String?) -> Bool) -> Funnel {
        var f = Funnel()
        for call in calls {
            let kept = automation.map { call.automations.contains($0) && keep($0, call.number) } ?? keep(nil, call.number)
            guard kept else { continue }
            f.calls += 1
            guard call.missed else { continue }
            f.missedCalls += 1
            guard !call.automations.isEmpty else { continue }
            f.eligibleCalls += 1
            if automation.map(call.suppressedIn.contains) ?? !call.suppressedIn.isEmpty { f.suppressedCalls += 1 }
        }
        let (kept, firstText) = cohort { keep($0.automation, $0.number) }
        for text in kept {
            f.textsByStatus[text.status, default: 0] += 1
            guard text.accepted else { continue }
            f.textsSent += 1
            if text.status == MessageStatus.delivered.rawValue { f.textsDelivered += 1 }
        }
        f.textedContacts = firstText.count
        for (pair, since) in firstText {
            if let reply = firstReply(pair, since: since) {
                f.repliedContacts += 1
                f.firstReplySeconds.append(Double(reply - since) / 1000)
            }
            if connected[pair.contactID]?.contains(where: { $0 >= since }) == true { f.connectedContacts += 1 }
            if optOutTimes[pair.contactID]?.contains(where: { $0 >= since }) == true { f.optedOutContacts += 1 }
        }
        f.firstReplySeconds.sort()
        for callback in callbacks {
            if automation != nil {
                guard let since = firstText[Pair(contactID: callback.contactID, number: callback.number)], since <= callback.at else { continue }
            } else {
                guard keep(nil, callback.number) else { continue }
            }
            f.callbacksRequested += 1
            if callback.completed { f.callbacksCompleted += 1 }
        }
        for decision in decisions where keep(decision.automation, decision.number) {
            // Once each, under its first (main) reason: the counts add up to the decisions made.
            f.decisions[decision.action, default: [:]][decision.reasons.first ?? "unspecified", default: 0] += 1
        }
        for failure in failures where keep(failure.automation, failure.number) {
            f.deliveryFailures[failure.error, default: 0] += 1
        }
        return f
    }
}
