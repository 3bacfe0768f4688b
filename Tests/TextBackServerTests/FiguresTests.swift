// The figures (GET /v1/metrics) from a store seeded through the real router, engine and SQLite file on
// the virtual clock, checked against hand-counted expectations, denominators included.
//
// The day: Tuesday 2026-03-03, clock at 18:00 UTC (10:00 in California). Seven calls in the range:
// Dana, Bo and Fay miss inbound calls (no answer, busy, no answer), Cy misses an outbound dial, Di's call
// connects, Ed's outcome is unknown, and later Dana's callback connects. Fay is on the suppression list.
// One connected call the day before lies outside the range.

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TextBackCore
import TextBackServer

@Suite struct FiguresTests {
    static let bo = "+14155550124", cy = "+14155550125", di = "+14155550126", ed = "+14155550127", fay = "+14155550128"
    static let range = "from=2026-03-03T17:00:00Z&to=2026-03-04T17:00:00Z"

    /// Seeds the day described above; returns with the clock at 18:20.
    static func seedDay(_ harness: Harness, _ client: any TestClientProtocol) async throws {
        try await client.postCall(callEvent(id: "c-old", outcome: "completed", at: morning.addingTimeInterval(-86_400), contact: "+14155550129", duration: 60))
        let suppressed = try await client.call("/v1/suppressions", .post, json: ["phone": fay])
        #expect(suppressed.status == .created)
        try await client.postCall(callEvent(id: "c-dana", at: morning))
        try await client.postCall(callEvent(id: "c-bo", outcome: "busy", at: morning, contact: bo))
        try await client.postCall(callEvent(id: "c-cy", direction: "outbound", at: morning, contact: cy))
        try await client.postCall(callEvent(id: "c-di", outcome: "completed", at: morning, contact: di, duration: 300))
        try await client.postCall(callEvent(id: "c-ed", outcome: "unknown", at: morning, contact: ed))
        try await client.postCall(callEvent(id: "c-fay", at: morning, contact: fay))
        try await harness.advance(0)
        try await harness.advance(120)   // 18:02: Dana's and Bo's texts
        try await harness.advance(60)    // 18:03: Cy's text
        #expect(try await client.outbox().count == 3)
        try await harness.advance(120)   // 18:05: Dana says yes (a callback is booked), 3 minutes after her text
        try await client.reply("yes")
        try await harness.advance(0)
        try await harness.advance(420)   // 18:12: Bo opts out, 10 minutes after his text
        try await client.reply("STOP", from: bo)
        try await harness.advance(0)
        try await harness.advance(480)   // 18:20: the callback connects
        try await client.postCall(callEvent(id: "c-back", direction: "outbound", outcome: "completed", at: harness.clock.now(), duration: 180))
        try await harness.advance(0)
    }

    static func ratio(_ object: Any?) -> [Double?] {
        guard let r = object as? [String: Any] else { return [] }
        return [r["numerator"] as? Double, r["denominator"] as? Double, r["rate"] as? Double]
    }

    @Test func theDayIsCountedWithItsDenominators() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await Self.seedDay(harness, client)
            let result = try await client.call("/v1/metrics?\(Self.range)")
            #expect(result.status == .ok, "\(result.body)")
            #expect(result.json["from"] as? String == "2026-03-03T17:00:00.000Z")
            let totals = try #require(result.json["totals"] as? [String: Any])
            #expect(totals["calls"] as? Double == 7)
            #expect(totals["missed_calls"] as? Double == 4)
            #expect(totals["eligible_calls"] as? Double == 4)
            #expect(Self.ratio(totals["eligibility"]) == [4, 4, 1])
            let texts = try #require(totals["texts"] as? [String: Any])
            #expect(texts["sent"] as? Double == 3)
            #expect(texts["delivered"] as? Double == 0)
            #expect(texts["by_status"] as? [String: Double] == ["sent": 3])
            #expect(Self.ratio(totals["delivery_rate"]) == [0, 3, 0])
            #expect(totals["texted_contacts"] as? Double == 3)
            #expect(totals["replies"] as? Double == 2)
            #expect(Self.ratio(totals["reply_rate"]) == [2, 3, 0.6667])
            let replyTime = try #require(totals["time_to_first_reply_s"] as? [String: Any])
            #expect(replyTime["count"] as? Double == 2)
            #expect(replyTime["median"] as? Double == 180)
            #expect(replyTime["p90"] as? Double == 600)
            #expect(totals["callbacks"] as? [String: Double] == ["requested": 1, "completed": 1])
            #expect(Self.ratio(totals["callback_completion"]) == [1, 1, 1])
            #expect(Self.ratio(totals["callback_conversion"]) == [1, 3, 0.3333])
            #expect(totals["opt_outs"] as? Double == 1)
            #expect(Self.ratio(totals["opt_out_rate"]) == [1, 3, 0.3333])
            #expect(totals["suppressed_calls"] as? Double == 1)
            #expect(Self.ratio(totals["suppression_rate"]) == [1, 4, 0.25])
            let decisions = try #require(totals["decisions"] as? [String: [String: Double]])
            #expect(decisions["skip"] == ["unknown_outcome": 1])
            #expect(decisions["suppress"] == ["suppressed": 1], "\(decisions)")
            #expect(decisions["defer"] == nil)
            #expect(totals["delivery_failures"] as? [String: Double] == [:])
            #expect(result.json["opt_outs"] as? [String: Double] == ["opt_out": 1])

            // Per automation: only the calls that started one of its runs (not Ed's); per number: ours.
            let automation = try #require((result.json["by_automation"] as? [String: Any])?["missed-call-textback"] as? [String: Any])
            #expect(automation["calls"] as? Double == 6)
            #expect(automation["missed_calls"] as? Double == 4)
            #expect(Self.ratio(automation["reply_rate"]) == [2, 3, 0.6667])
            #expect((automation["decisions"] as? [String: [String: Double]])?["skip"] == nil)
            let byNumber = try #require(result.json["by_number"] as? [String: Any])
            #expect(Array(byNumber.keys) == [acme])
            let number = try #require(byNumber[acme] as? [String: Any])
            #expect(number["calls"] as? Double == 7)
            #expect(Self.ratio(number["opt_out_rate"]) == [1, 3, 0.3333])

            // Per template: the demo's one automation sends home_services only.
            let byTemplate = try #require(result.json["by_template"] as? [String: Any])
            #expect(Array(byTemplate.keys) == ["home_services"])
            let template = try #require(byTemplate["home_services"] as? [String: Any])
            #expect(template["texts"] as? [String: Double] == ["written": 3, "sent": 3, "delivered": 0])
            #expect(Self.ratio(template["delivery_rate"]) == [0, 3, 0])
            #expect(template["texted_contacts"] as? Double == 3)
            #expect(template["replies"] as? Double == 2)
            #expect(Self.ratio(template["reply_rate"]) == [2, 3, 0.6667])
            let table = FiguresReport.table(try await harness.store.figures(from: iso("2026-03-03T17:00:00Z"), to: iso("2026-03-04T17:00:00Z"), scope: .all))
            let section = try #require(table.components(separatedBy: "Template home_services\n").last)
            #expect(section.contains("  Texts written  3\n  Texts sent     3\n"), "\(table)")
            #expect(section.contains("  Reply rate     2 / 3 texted contacts (66.7%)"), "\(table)")
        }
    }

    @Test func anEmptyRangeIsZerosWithoutRates() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await Self.seedDay(harness, client)
            let result = try await client.call("/v1/metrics?from=2026-03-10&to=2026-03-11")
            #expect(result.status == .ok, "\(result.body)")
            let totals = try #require(result.json["totals"] as? [String: Any])
            #expect(totals["calls"] as? Double == 0)
            #expect(totals["texted_contacts"] as? Double == 0)
            #expect(totals["reply_rate"] as? [String: Any]? != nil)
            #expect((totals["reply_rate"] as? [String: Any])?["rate"] is NSNull)
            #expect((totals["opt_out_rate"] as? [String: Any])?["denominator"] as? Double == 0)
            #expect((totals["time_to_first_reply_s"] as? [String: Any])?["median"] is NSNull)
            #expect((result.json["by_automation"] as? [String: Any])?.isEmpty == true)
            // A date is midnight in the business's zone (America/Chicago, UTC-5 on March 10).
            #expect(result.json["from"] as? String == "2026-03-10T05:00:00.000Z")
        }
    }

    @Test(arguments: [
        ("from=yesterday", "from"), ("to=2026-13-01", "to"),
        ("from=2026-03-03T10:00:00", "from"),
    ])
    func aBadRangeIsRefusedNamingTheParameter(query: String, field: String) async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let result = try await client.call("/v1/metrics?\(query)")
            #expect(result.status == .badRequest)
            #expect(result.headers[.contentType] == "application/problem+json")
            #expect(result.json["field"] as? String == field)
            #expect((result.json["detail"] as? String)?.contains("'\(field)'") == true, "\(result.body)")
        }
    }

    @Test(arguments: ["from=2026-03-04&to=2026-03-03", "from=2026-03-04&to=2026-03-04"])
    func aRangeThatEndsBeforeItStartsIsEmpty(query: String) async throws {
        let harness = try await Harness()
        try await harness.test { client in
            #expect(try await client.postCall(callEvent()).status == .accepted)
            let result = try await client.call("/v1/metrics?\(query)")
            #expect(result.status == .ok)
            #expect((result.json["totals"] as? [String: Any])?["calls"] as? Double == 0)
            #expect(result.json["from"] as? String == result.json["to"] as? String)
        }
    }

    @Test func theFiguresNeedTheToken() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let status = try await client.call("/v1/metrics", auth: false).status
            #expect(status == .unauthorized)
        }
    }
}
