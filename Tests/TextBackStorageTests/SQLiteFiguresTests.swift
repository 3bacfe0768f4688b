// `figures(from:to:)` on SQLite over a hand-seeded file: calls and runs through the real ingest unit,
// messages, conversations and callbacks written as rows (delivery receipts and carrier failures
// included, which this build's simulator never produces), then every figure checked against a count
// made by hand, denominators and range edges included.

import Foundation
import GRDB
import Testing
import TextBackCore
import TextBackStorage

@Suite struct SQLiteFiguresTests {
    /// Ingests an ended call from `number` at `t0 + seconds`, with a run of `automation` unless nil.
    @discardableResult
    static func call(_ store: any Store, _ id: String, _ number: PhoneNumber, at seconds: Double, outcome: CallOutcome = .noAnswer,
                     automation: String? = "missed-call") async throws -> IngestOutcome {
        var request = ingest(id, from: number, at: at(seconds), runs: automation.map { [plannedRun(id, automation: $0)] } ?? [])
        request.event.outcome = outcome
        return try await store.ingestCall(request)
    }

    @Test func everyFigureMatchesAHandCount() async throws {
        let (store, directory) = try await StoreEngines.openSQLite()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try await Self.call(store, "a", phone(1), at: 0)
        let b = try await Self.call(store, "b", phone(2), at: 60)
        let c = try await Self.call(store, "c", phone(3), at: 120, automation: "vip")
        _ = try await Self.call(store, "d", phone(4), at: -1)                       // before the range
        _ = try await Self.call(store, "e", phone(5), at: 86_400)                   // at its end: excluded
        let f = try await Self.call(store, "f", phone(6), at: 300, outcome: .completed, automation: nil)
        let g = try await Self.call(store, "g", phone(7), at: 50)
        _ = try await Self.call(store, "a-back", phone(1), at: 3600, outcome: .completed, automation: nil)

        let file = directory.appendingPathComponent("store.sqlite").path
        let queue = try DatabaseQueue(path: file)
        try await queue.write { db in
            func message(_ id: String, contact: ContactID, run: String?, direction: String, kind: String, from: PhoneNumber, to: PhoneNumber,
                         status: String, carrierID: String?, error: String?, created: Double, sent: Double?) throws {
                try db.execute(sql: """
                    INSERT INTO messages (id, idempotency_key, contact_id, run_id, direction, kind, message_type, from_number, to_number, body,
                                          status, carrier, carrier_message_id, error, created_at, sent_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, 'text', ?, 'twilio', ?, ?, ?, ?, ?)
                    """, arguments: [id, id, contact.rawValue, run, direction, kind, from.e164, to.e164, status, carrierID, error,
                                     at(created).ms, sent.map { at($0).ms }, at(created).ms])
            }
            // A's text is delivered and answered 30 s after it went out (and again later: only the first counts).
            try message("m1", contact: a.contactID, run: "run-a", direction: "outbound", kind: "automated", from: business, to: phone(1),
                        status: "delivered", carrierID: "SM1", error: nil, created: 120, sent: 121)
            try message("r1", contact: a.contactID, run: nil, direction: "inbound", kind: "inbound", from: phone(1), to: business,
                        status: "received", carrierID: "SMr1", error: nil, created: 151, sent: nil)
            try message("r1b", contact: a.contactID, run: nil, direction: "inbound", kind: "inbound", from: phone(1), to: business,
                        status: "received", carrierID: "SMr1b", error: nil, created: 900, sent: nil)
            // B wrote before the text (not a reply) and after it only to another number; the carrier took the text, then it failed.
            try message("r2", contact: b.contactID, run: nil, direction: "inbound", kind: "inbound", from: phone(2), to: business,
                        status: "received", carrierID: "SMr2", error: nil, created: 100, sent: nil)
            try message("m2", contact: b.contactID, run: "run-b", direction: "outbound", kind: "automated", from: business, to: phone(2),
                        status: "failed", carrierID: "SM2", error: "carrier error 30007", created: 180, sent: 180)
            try message("r2b", contact: b.contactID, run: nil, direction: "inbound", kind: "inbound", from: phone(2), to: phone(99),
                        status: "received", carrierID: "SMr2b", error: nil, created: 400, sent: nil)
            // C's text was refused before the carrier took it: not sent, but a failure.
            try message("m3", contact: c.contactID, run: "run-c", direction: "outbound", kind: "automated", from: business, to: phone(3),
                        status: "failed", carrierID: nil, error: "carrier error 21211", created: 240, sent: nil)
            // A booked a callback that was completed; F (never texted) booked one still open.
            for (id, contact, number, status, created) in [("cb1", a.contactID, phone(1), "completed", 200.0), ("cb2", f.contactID, phone(6), "requested", 400)] {
                try db.execute(sql: "INSERT INTO conversations (id, number, phone, contact_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?)",
                               arguments: ["conv-\(id)", business.e164, number.e164, contact.rawValue, at(created).ms, at(created).ms])
                try db.execute(sql: """
                    INSERT INTO callbacks (id, conversation_id, contact_id, phone, number, at, window_end, status, source_message_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
                    """, arguments: [id, "conv-\(id)", contact.rawValue, number.e164, business.e164, at(created + 3600).ms, at(created + 7200).ms,
                                     status, at(created).ms, at(created).ms])
            }
        }
        try await store.recordDecisions([
            decision("d1", a.contactID, runID: "run-a", action: .defer, reasons: ["quiet_hours"], at: at(10)),
            decision("d2", a.contactID, runID: "run-a", action: .cancel, reasons: ["replied", "other"], at: at(200)),
            decision("d3", g.contactID, runID: "run-g", action: .suppress, reasons: ["suppressed", "suppression:dnc"], at: at(50)),
            decision("d4", a.contactID, runID: "run-d", action: .suppress, reasons: ["suppressed"], at: at(-5)),
        ])
        try await store.addSuppression(SuppressionRecord(phone: phone(2), reason: "opt_out", source: "reply", createdAt: at(500)))
        try await store.addSuppression(SuppressionRecord(phone: phone(3), reason: "carrier_opt_out", source: "twilio:21610", createdAt: at(260)))
        try await store.addSuppression(SuppressionRecord(phone: phone(8), reason: "dnc", source: "import", createdAt: at(30)))

        let figures = try await store.figures(from: t0, to: at(86_400), scope: .all)
        let total = figures.total
        #expect(total.calls == 6)
        #expect(total.missedCalls == 4)
        #expect(total.eligibility == Ratio(4, of: 4))
        #expect(total.textsByStatus == ["delivered": 1, "failed": 2])
        #expect(total.textsSent == 2)
        #expect(total.delivery == Ratio(1, of: 2))
        #expect(total.replyRate == Ratio(1, of: 2))
        #expect(total.firstReplySeconds == [30])
        #expect(total.medianFirstReplySeconds == 30)
        #expect(total.callbackConversion == Ratio(1, of: 2))
        #expect(total.optOutRate == Ratio(1, of: 2))
        #expect(total.suppressionRate == Ratio(1, of: 4))
        #expect(total.callbackCompletion == Ratio(1, of: 2))
        #expect(total.decisions == ["defer": ["quiet_hours": 1], "cancel": ["replied": 1], "suppress": ["suppressed": 1]])
        #expect(total.deliveryFailures == ["carrier error 30007": 1, "carrier error 21211": 1])
        #expect(figures.optOuts == ["opt_out": 1, "carrier_opt_out": 1])

        let vip = try #require(figures.byAutomation["vip"])
        #expect(vip.calls == 1)
        #expect(vip.textsSent == 0)
        #expect(vip.textsByStatus == ["failed": 1])
        #expect(vip.replyRate.rate == nil)
        #expect(vip.deliveryFailures == ["carrier error 21211": 1])
        let missedCall = try #require(figures.byAutomation["missed-call"])
        #expect(missedCall.calls == 3)
        #expect(missedCall.textedContacts == 2)
        #expect(missedCall.callbackCompletion == Ratio(1, of: 1))
        #expect(missedCall.decisions["suppress"] == ["suppressed": 1])
        #expect(Set(figures.byNumber.keys) == [business.e164])

        // The same file opened read-only (as `report` and `simulate` open it) reads the same and refuses writes.
        let reader = try SQLiteStore(path: file, options: SQLiteOptions(readOnly: true))
        #expect(try await reader.figures(from: t0, to: at(86_400), scope: .all) == figures)
        await #expect(throws: (any Error).self) {
            try await reader.addSuppression(SuppressionRecord(phone: phone(9), reason: "dnc", source: "test", createdAt: t0))
        }
        #expect(try await store.suppression(phone: phone(9), channel: "sms", for: .default) == nil)
    }

    @Test func anUndeliveredTextWasSentAndFailed() async throws {
        let (store, directory) = try await StoreEngines.openSQLite()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try await Self.call(store, "a", phone(1), at: 0)
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("store.sqlite").path)
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO messages (id, idempotency_key, contact_id, run_id, direction, kind, from_number, to_number, body, status, carrier,
                                      carrier_message_id, error, created_at, sent_at, updated_at)
                VALUES ('m1', 'm1', ?, 'run-a', 'outbound', 'automated', ?, ?, 'text', 'undelivered', 'twilio', 'SM1', 'unreachable handset', ?, ?, ?)
                """, arguments: [a.contactID.rawValue, business.e164, phone(1).e164, at(120).ms, at(120).ms, at(120).ms])
        }
        let total = try await store.figures(from: t0, to: at(3600), scope: .all).total
        #expect(total.textsSent == 1)
        #expect(total.delivery == Ratio(0, of: 1))
        #expect(total.textsByStatus == ["undelivered": 1])
        #expect(total.deliveryFailures == ["unreachable handset": 1])
        #expect(total.textedContacts == 1)
    }

    @Test func percentilesAreNearestRank() {
        #expect(Funnel.percentile([], 0.5) == nil)
        #expect(Funnel.percentile([7], 0.9) == 7)
        #expect(Funnel.percentile([10, 20, 30, 40, 50], 0.5) == 30)
        #expect(Funnel.percentile([10, 20, 30, 40, 50], 0.9) == 50)
        #expect(Funnel.percentile([10, 20, 30, 40], 0.5) == 20)
        #expect(Ratio(3, of: 0).rate == nil)
        #expect(Ratio(1, of: 4).rate == 0.25)
    }
}
