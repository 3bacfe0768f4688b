// Compliance end to end: recipient-local sending windows, opt-out during a delay, HELP, START,
// the suppression list and its import.

import Foundation
import Testing
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackStorage

/// Tuesday 2026-03-03, 20:55 in New York (EST): a missed call just before the evening closes.
let eveningET = iso("2026-03-04T01:55:00Z")

@Suite struct ComplianceScenarioTests {
    @Test(arguments: [
        ("+13055550123", "2026-03-04T13:00:00Z"),  // Florida: 08:00–20:00 → 08:00 EST
        ("+12035550123", "2026-03-04T14:00:00Z"),  // Connecticut: 09:00–20:00 → 09:00 EST
    ])
    func anEveningMissedCallIsHeldUntilTheStateWindowOpens(contact: String, expected: String) async throws {
        let harness = try await Harness(clock: VirtualClock(eveningET))
        try await harness.test { client in
            try await client.postCall(callEvent(at: eveningET, contact: contact))
            try await harness.advance(0)
            try await harness.advance(120)
            #expect(try await client.outbox().isEmpty)
            let deferred = try await client.timeline(contact).filter { $0["action"] as? String == "defer" }
            #expect(deferred.count == 1)
            #expect(deferred.first?["until"] as? String == expected.replacingOccurrences(of: "Z", with: ".000Z"))
            // A minute before the window opens: still nothing.
            harness.clock.set(iso(expected).addingTimeInterval(-60))
            try await harness.engine.runDueJobs()
            #expect(try await client.outbox().isEmpty)
            harness.clock.set(iso(expected))
            try await harness.engine.runDueJobs()
            let outbox = try await client.outbox()
            #expect(outbox.count == 1)
            #expect((outbox.first?["sent_at"] as? String)?.hasPrefix(String(expected.dropLast())) == true)
        }
    }

    @Test func businessHoursHoldATextUntilTheBusinessOpensInItsOwnZone() async throws {
        let yaml = ConfigurationLoader.demoYAML.replacingOccurrences(
            of: "  consent_mode: universal", with: "  consent_mode: universal\n  business_hours: {weekdays: \"09:00-17:00\"}")
        let configuration = try ConfigurationLoader.load(yaml: yaml, fileName: "hours.yaml", environment: [:])
        // Tuesday 17:30 in Chicago (23:30 UTC): open to the law until 21:00, but the business closed at 17:00.
        let evening = iso("2026-03-03T23:30:00Z")
        let harness = try await Harness(configuration: configuration, clock: VirtualClock(evening))
        try await harness.test { client in
            try await client.postCall(callEvent(at: evening, contact: "+13125550123"))
            try await harness.advance(0)
            try await harness.advance(600)
            #expect(try await client.outbox().isEmpty)
            let deferred = try await client.timeline("+13125550123").filter { $0["action"] as? String == "defer" }
            #expect((deferred.first?["reasons"] as? [String])?.contains("outside_business_hours") == true)
            harness.clock.set(iso("2026-03-04T15:00:00Z"))  // Wednesday 09:00 in Chicago
            try await harness.engine.runDueJobs()
            let outbox = try await client.outbox()
            #expect(outbox.count == 1)
            #expect((outbox.first?["sent_at"] as? String)?.hasPrefix("2026-03-04T15:00:00") == true)
        }
    }

    @Test func stopDuringTheDelayCancelsItAndYieldsOneConfirmation() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent())
            try await harness.advance(0)
            try await harness.advance(30)
            let stop = try await client.call("/v1/simulator/inbound", .post, json: ["from": "+14155550123", "to": "+15125550100", "body": "Stop."])
            #expect(stop.json["intent"] as? String == "opt_out")
            #expect(stop.json["revokes_consent"] as? Bool == true)
            try await harness.advance(0)
            try await harness.advance(3600)
            var outbox = try await client.outbox()
            #expect(outbox.count == 1)
            let confirmation = outbox.first?["body"] as? String ?? ""
            #expect(confirmation.contains("unsubscribed"))
            #expect(!confirmation.contains("Reply YES"))
            // A second STOP does not send a second confirmation.
            _ = try await client.call("/v1/simulator/inbound", .post, json: ["from": "+14155550123", "to": "+15125550100", "body": "STOP"])
            try await harness.advance(60)
            outbox = try await client.outbox()
            #expect(outbox.count == 1)
            let timeline = try await client.timeline("+14155550123")
            let cancelAt = timeline.firstIndex { $0["action"] as? String == "cancel" && ($0["reasons"] as? [String] ?? []).contains("opted_out") }
            let stopAt = timeline.firstIndex { $0["type"] as? String == "message" && $0["direction"] as? String == "inbound" }
            #expect(cancelAt != nil)
            #expect(stopAt != nil && cancelAt != nil && stopAt! < cancelAt!, "the STOP comes before the cancellation it caused")
            let suppressions = try await client.call("/v1/suppressions").json["suppressions"] as? [[String: Any]] ?? []
            #expect(suppressions.first?["reason"] as? String == "opt_out")
            // A new missed call from the opted-out contact texts nothing, and says why.
            try await client.postCall(callEvent(id: "c-2", at: harness.clock.now()))
            try await harness.advance(0)
            try await harness.advance(600)
            #expect(try await client.outbox().count == 1)
            let later = try await client.timeline("+14155550123")
            #expect(later.contains { $0["action"] as? String == "suppress" && ($0["reasons"] as? [String] ?? []).contains("opted_out") })
        }
    }

    @Test func plainLanguageRevocationCountsAndBenignRepliesDoNot() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let benign = try await client.call("/v1/simulator/inbound", .post,
                                               json: ["from": "+14155550123", "to": "+15125550100", "body": "can you stop by Monday?"])
            #expect(benign.json["revokes_consent"] as? Bool == false)
            try await harness.advance(0)
            // The demo's agent answers the benign reply (a visit on Monday is a time); nothing is suppressed.
            let answered = try await client.outbox()
            #expect(answered.count == 1)
            #expect((answered.first?["body"] as? String)?.contains("unsubscribed") == false)
            #expect(try await client.call("/v1/contacts/+14155550123").json["suppressed"] as? Bool == false)
            let revoke = try await client.call("/v1/simulator/inbound", .post,
                                               json: ["from": "+14155550123", "to": "+15125550100", "body": "please don't text me anymore"])
            #expect(revoke.json["revokes_consent"] as? Bool == true)
            try await harness.advance(0)
            let after = try await client.outbox()
            #expect(after.count == 2)
            #expect((after.last?["body"] as? String)?.contains("unsubscribed") == true)
        }
    }

    @Test func helpIsAnsweredEvenAfterOptOutAndStartResubscribes() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            for body in ["STOP", "HELP"] {
                _ = try await client.call("/v1/simulator/inbound", .post, json: ["from": "+14155550123", "to": "+15125550100", "body": body])
                try await harness.advance(0)
            }
            var outbox = try await client.outbox()
            #expect(outbox.count == 2)
            let help = outbox.last?["body"] as? String ?? ""
            #expect(help.contains("Acme Home Services"))
            #expect(help.contains("Msg&data rates may apply"))
            #expect(help.contains("STOP"))
            let start = try await client.call("/v1/simulator/inbound", .post, json: ["from": "+14155550123", "to": "+15125550100", "body": "START"])
            #expect(start.json["intent"] as? String == "opt_in")
            try await harness.advance(0)
            outbox = try await client.outbox()
            #expect(outbox.count == 3)
            let suppressions = try await client.call("/v1/suppressions").json["suppressions"] as? [[String: Any]] ?? []
            #expect(suppressions.isEmpty)
            try await client.postCall(callEvent(id: "c-after-start", at: harness.clock.now()))
            try await harness.advance(0)
            try await harness.advance(120)
            #expect(try await client.outbox().count == 4)
        }
    }

    @Test func theSuppressionListBlocksAndCanBeManaged() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let added = try await client.call("/v1/suppressions", .post, json: ["phone": "(415) 555-0123", "reason": "dnc"])
            #expect(added.status == .created)
            #expect(added.json["phone"] as? String == "+14155550123")
            let again = try await client.call("/v1/suppressions", .post, json: ["phone": "415-555-0123"])
            #expect(again.status == .ok)
            #expect(again.json["created"] as? Bool == false)
            try await client.postCall(callEvent())
            try await harness.advance(0)
            try await harness.advance(600)
            #expect(try await client.outbox().isEmpty)
            let suppressed = try await client.timeline("+14155550123").filter { $0["action"] as? String == "suppress" }
            #expect((suppressed.first?["reasons"] as? [String])?.contains("suppressed") == true)
            #expect(try await client.call("/v1/suppressions/+14155550123", .delete).status == .noContent)
            #expect(try await client.call("/v1/suppressions/+14155550123", .delete).status == .notFound)
            let bad = try await client.call("/v1/suppressions", .post, json: ["phone": "555-0123"])
            #expect(bad.status == .badRequest)
            #expect(bad.json["field"] as? String == "phone")
        }
    }

    @Test func consentRequiredByAnAutomationIsEnforced() async throws {
        let yaml = ConfigurationLoader.demoYAML.replacingOccurrences(of: "status: live", with: "status: live\n    requires_consent: express_written")
        let configuration = try ConfigurationLoader.load(yaml: yaml, fileName: "consent.yaml", environment: [:])
        let harness = try await Harness(configuration: configuration)
        try await harness.test { client in
            try await client.postCall(callEvent(id: "c-1", direction: "outbound"))
            try await harness.advance(0)
            try await harness.advance(600)
            #expect(try await client.outbox().isEmpty)
            let reasons = try await client.timeline("+14155550123").compactMap { $0["reasons"] as? [String] }.flatMap { $0 }
            #expect(reasons.contains("consent_missing"))
            let consent = try await client.call("/v1/consents", .post, json: ["phone": "+14155550123", "kind": "express_written", "source": "web_form"])
            #expect(consent.status == .created)
            try await client.postCall(callEvent(id: "c-2", direction: "outbound", at: harness.clock.now()))
            try await harness.advance(0)
            try await harness.advance(600)
            #expect(try await client.outbox().count == 1)
        }
    }
}

@Suite struct SuppressionImportTests {
    @Test func importKeepsGoodRowsReportsBadOnesAndIsIdempotent() async throws {
        let harness = try await Harness()
        let csv = """
            name,phone,reason
            Ann,(415) 555-0123,dnc
            Bob,not a number,dnc
            "Cy, Jr.",1-212-555-0199,
            Di,911-555-0100,dnc

            Ed,+14155550124,litigator
            """
        let first = try await SuppressionImport.run(csv: Data(csv.utf8), store: harness.store, source: "test.csv", now: morning)
        #expect(first.rows == 5)
        #expect(first.added == 3)
        #expect(first.rejectedCount == 2)
        #expect(first.rejected.map(\.line) == [3, 5])
        let second = try await SuppressionImport.run(csv: Data(csv.utf8), store: harness.store, source: "test.csv", now: morning)
        #expect(second.added == 0)
        #expect(second.alreadyPresent == 3)
        let entry = try await harness.store.suppression(phone: try PhoneNumber(parsing: "+12125550199"), channel: "sms", for: .default)
        #expect(entry?.reason == "dnc")
        #expect(try await harness.store.suppression(phone: try PhoneNumber(parsing: "+14155550124"), channel: "sms", for: .default)?.reason == "litigator")
    }
}
