// The figures over a time range on SQLite (Store+Metrics.swift says what counts). One read
// transaction gathers the rows of the range; the counting happens here in Swift, once per slice
// (everything, each automation, each of our numbers, each template), so every slice counts the same way.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    public func figures(from: Date, to: Date, scope: BusinessScope) async throws -> Figures {
        let lower = Coding.ms(from), upper = Coding.ms(to)
        let rows = try await read { db in try FigureRows(db, lower: lower, upper: upper, business: scope.only?.rawValue) }
        return rows.figures(from: from, to: to)
    }

    public func calls(from: Date, to: Date, limit: Int) async throws -> [CallRecord] {
        try await read { db in
            try db.all("SELECT * FROM calls WHERE stage = 'ended' AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, rowid LIMIT ?",
                       [Coding.ms(from), Coding.ms(to), limit]).map(SQLiteRows.call)
        }
    }
}

/// The rows of one range, read in one transaction.
struct FigureRows {
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

    struct Pair: Hashable { var contactID: String; var number: String }

    /// "Only this business's rows" for a query whose last two arguments are the business (or NULL, twice).
    static func only(_ table: String) -> String { "AND (? IS NULL OR \(table).business_id = ?)" }
    static let onlyUnqualified = "AND (? IS NULL OR business_id = ?)"

    /// Only `business`'s rows when given (each query reads its `(business_id, time)` index range).
    init(_ db: Database, lower: Int64, upper: Int64, business: String?) throws {
        var callIndex: [String: Int] = [:]
        for row in try db.all("SELECT id, contact_id, outcome, event FROM calls WHERE stage = 'ended' AND occurred_at >= ? AND occurred_at < ? \(Self.onlyUnqualified) ORDER BY occurred_at, rowid",
                              [lower, upper, business, business]) {
            let event = try Coding.event(row["event"])
            callIndex[row["id"]] = calls.count
            calls.append(Call(id: row["id"], contactID: row["contact_id"], number: event.businessPhone.e164,
                              missed: Self.missedOutcomes.contains(row["outcome"] as String), automations: [], suppressedIn: []))
        }
        for row in try db.all("""
            SELECT r.call_id, r.automation_id,
                   EXISTS (SELECT 1 FROM decisions d WHERE d.run_id = r.id AND d.action = 'suppress') AS suppressed
            FROM runs r JOIN calls c ON c.id = r.call_id
            WHERE c.stage = 'ended' AND c.occurred_at >= ? AND c.occurred_at < ? \(Self.only("c"))
            """, [lower, upper, business, business]) {
            guard let index = callIndex[row["call_id"]] else { continue }
            let automation: String = row["automation_id"]
            calls[index].automations.insert(automation)
            if row["suppressed"] as Bool { calls[index].suppressedIn.insert(automation) }
        }
        for row in try db.all("""
            SELECT m.contact_id, m.from_number, m.template, m.status, m.carrier_message_id, m.created_at, m.sent_at, r.automation_id
            FROM messages m LEFT JOIN runs r ON r.id = m.run_id
            WHERE m.direction = 'outbound' AND m.kind = 'automated' AND m.created_at >= ? AND m.created_at < ? \(Self.only("m"))
            ORDER BY m.created_at, m.rowid
            """, [lower, upper, business, business]) {
            let status: String = row["status"]
            // Failed or undeliverable after the carrier gave it an id: it was sent, then lost.
            let accepted = status == MessageStatus.sent.rawValue || status == MessageStatus.delivered.rawValue
                || ((status == MessageStatus.failed.rawValue || status == MessageStatus.undelivered.rawValue)
                    && (row["carrier_message_id"] as String?) != nil)
            texts.append(Text(contactID: row["contact_id"], number: row["from_number"], automation: row["automation_id"],
                              template: row["template"], status: status, accepted: accepted, at: (row["sent_at"] as Int64?) ?? row["created_at"]))
        }
        for row in try db.all("""
            SELECT m.error, m.from_number, r.automation_id FROM messages m LEFT JOIN runs r ON r.id = m.run_id
            WHERE m.direction = 'outbound' AND m.status IN ('failed', 'undelivered') AND m.created_at >= ? AND m.created_at < ?
              \(Self.only("m"))
            """, [lower, upper, business, business]) {
            failures.append(Failure(error: (row["error"] as String?) ?? "unspecified", number: row["from_number"], automation: row["automation_id"]))
        }
        for row in try db.all("""
            SELECT d.action, d.reasons, r.automation_id, m.from_number, c.event
            FROM decisions d
            LEFT JOIN runs r ON r.id = d.run_id
            LEFT JOIN messages m ON m.id = d.message_id
            LEFT JOIN calls c ON c.id = COALESCE(d.call_id, r.call_id)
            WHERE d.action IN ('suppress', 'defer', 'cancel', 'skip') AND d.decided_at >= ? AND d.decided_at < ? \(Self.only("d"))
            """, [lower, upper, business, business]) {
            var number: String? = row["from_number"]
            if number == nil, let event = row["event"] as String? { number = try Coding.event(event).businessPhone.e164 }
            decisions.append(Decision(action: row["action"], reasons: try Coding.reasons(row["reasons"]), number: number,
                                      automation: row["automation_id"]))
        }
        for row in try db.all("SELECT contact_id, number, status, created_at FROM callbacks WHERE created_at >= ? AND created_at < ? \(Self.onlyUnqualified)",
                              [lower, upper, business, business]) {
            callbacks.append(Callback(contactID: row["contact_id"], number: row["number"],
                                      completed: (row["status"] as String) == CallbackStatus.completed.rawValue, at: row["created_at"]))
        }
        for row in try db.all("SELECT contact_id, to_number, created_at FROM messages WHERE direction = 'inbound' AND created_at >= ? \(Self.onlyUnqualified) ORDER BY created_at, rowid",
                              [lower, business, business]) {
            inbound[Pair(contactID: row["contact_id"], number: row["to_number"]), default: []].append(row["created_at"])
        }
        for row in try db.all("SELECT contact_id, occurred_at FROM calls WHERE stage = 'ended' AND outcome = 'completed' AND occurred_at >= ? \(Self.onlyUnqualified) ORDER BY occurred_at",
                              [lower, business, business]) {
            connected[row["contact_id"], default: []].append(row["occurred_at"])
        }
        for row in try db.all("""
            SELECT c.id AS contact_id, s.created_at FROM suppressions s JOIN contacts c ON c.phone = s.phone AND s.business_id IN ('', c.business_id)
            WHERE s.channel = 'sms' AND s.reason IN ('opt_out', 'carrier_opt_out') AND s.created_at >= ? \(Self.only("c"))
            """, [lower, business, business]) {
            optOutTimes[row["contact_id"], default: []].append(row["created_at"])
        }
        for row in try db.all("""
            SELECT reason, COUNT(*) AS n FROM suppressions
            WHERE channel = 'sms' AND reason IN ('opt_out', 'carrier_opt_out') AND created_at >= ? AND created_at < ?
              AND (? IS NULL OR business_id IN ('', ?)) GROUP BY reason
            """, [lower, upper, business, business]) {
            optOutsInRange[row["reason"]] = row["n"]
        }
    }

    func figures(from: Date, to: Date) -> Figures {
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
