// The per-template figures on SQLite over hand-seeded rows: texts written, accepted and delivered per
// template, and the reply rate of the (contact, number) pairs each template reached, counted by hand.

import Foundation
import GRDB
import Testing
import TextBackCore
import TextBackStorage

@Suite struct SQLiteTemplateFiguresTests {
    @Test func eachTemplateCountsItsTextsAndTheRepliesThatFollowedThem() async throws {
        let (store, directory) = try await StoreEngines.openSQLite()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try await SQLiteFiguresTests.call(store, "a", phone(1), at: 0)
        let b = try await SQLiteFiguresTests.call(store, "b", phone(2), at: 10)
        let c = try await SQLiteFiguresTests.call(store, "c", phone(3), at: 20)
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("store.sqlite").path)
        try await queue.write { db in
            func message(_ id: String, contact: ContactID, template: String?, inbound: Bool = false, status: String, carrierID: String?,
                         at seconds: Double) throws {
                let them = contact == a.contactID ? phone(1) : contact == b.contactID ? phone(2) : phone(3)
                try db.execute(sql: """
                    INSERT INTO messages (id, idempotency_key, contact_id, run_id, direction, kind, template, from_number, to_number, body,
                                          status, carrier, carrier_message_id, created_at, sent_at, updated_at)
                    VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, 'text', ?, 'twilio', ?, ?, ?, ?)
                    """, arguments: [id, id, contact.rawValue, inbound ? "inbound" : "outbound", inbound ? "inbound" : "automated", template,
                                     inbound ? them.e164 : business.e164, inbound ? business.e164 : them.e164, status, carrierID,
                                     at(seconds).ms, at(seconds).ms, at(seconds).ms])
            }
            // A: "first" delivered at 120 and answered at 150; "follow_up" at 200, answered again at 900.
            try message("a1", contact: a.contactID, template: "first", status: "delivered", carrierID: "SM-a1", at: 120)
            try message("a-r1", contact: a.contactID, template: nil, inbound: true, status: "received", carrierID: "SM-ar1", at: 150)
            try message("a2", contact: a.contactID, template: "follow_up", status: "sent", carrierID: "SM-a2", at: 200)
            try message("a-r2", contact: a.contactID, template: nil, inbound: true, status: "received", carrierID: "SM-ar2", at: 900)
            // B: "first" taken by the carrier, then failed; no reply.
            try message("b1", contact: b.contactID, template: "first", status: "failed", carrierID: "SM-b1", at: 130)
            // C: "first" cancelled before any carrier had it: written, not sent.
            try message("c1", contact: c.contactID, template: "first", status: "cancelled", carrierID: nil, at: 140)
            // No template recorded (written before v6): counted in the totals only.
            try message("c2", contact: c.contactID, template: nil, status: "sent", carrierID: "SM-c2", at: 160)
        }
        let figures = try await store.figures(from: t0, to: at(86_400), scope: .all)

        #expect(Set(figures.byTemplate.keys) == ["first", "follow_up"])
        let first = try #require(figures.byTemplate["first"])
        #expect(first.textsWritten == 3)
        #expect(first.textsSent == 2)
        #expect(first.textsDelivered == 1)
        #expect(first.delivery == Ratio(1, of: 2))
        #expect(first.replyRate == Ratio(1, of: 2))
        let followUp = try #require(figures.byTemplate["follow_up"])
        #expect(followUp.textsWritten == 1)
        #expect(followUp.textsSent == 1)
        #expect(followUp.delivery == Ratio(0, of: 1))
        #expect(followUp.replyRate == Ratio(1, of: 1), "the reply at 900 came after the follow-up")
        #expect(figures.total.textsSent == 4)
        #expect(figures.total.replyRate == Ratio(1, of: 3))

        let empty = try await store.figures(from: at(100_000), to: at(200_000), scope: .all)
        #expect(empty.byTemplate.isEmpty)
    }
}
