// A number's daily cap holds texts until the next day (none dropped), and the optional landline
// check asks the carrier's lookup once per number, skips landlines and never blocks on a failure.

import Foundation
import Testing
import TextBackCarrierFakes
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage

@Suite(.serialized) struct PacingAndLookupTests {
    @Test func aNumbersDailyCapHoldsTheRestUntilTomorrowAndDropsNone() async throws {
        let clock = VirtualClock(morning)
        let recorder = RecordingCarrier(name: "twilio", clock: clock)
        let base = try #require(URL(string: "http://127.0.0.1:9"))
        // Long enough that a text held to the next day is not stale by then.
        let yaml = Carriers.yaml(twilio: base, telnyx: base, bandwidth: base, secondExtra: ", daily_cap: 2")
            .replacingOccurrences(of: "stale_after: 18h", with: "stale_after: 36h")
        let harness = try await CarrierHarness(clock: clock, yaml: yaml, carriers: [recorder])
        try await harness.ingestMissedCalls(from: (0..<4).map { "+1415556\(String(format: "%04d", $0))" },
                                            to: Carriers.secondTwilioNumber, idPrefix: "cap")
        try await harness.engine.runDueJobs()
        try await harness.advance(120)
        for _ in 0..<10 { try await harness.advance(1) }
        #expect(recorder.sends.count == 2)
        let waiting = try await harness.outbound().filter { $0.status == .queued }
        #expect(waiting.count == 2)
        let decisions = try await harness.store.timeline(contactID: waiting[0].contactID, scope: .all).compactMap { entry -> DecisionRecord? in
            if case .decision(let decision) = entry { return decision } else { return nil }
        }
        #expect(decisions.contains { $0.reasons.contains("daily_cap") && $0.until != nil })
        // The business's next day (America/Chicago) starts at 06:00 UTC, 22:00 in California: the held
        // texts then wait for the recipients' morning (08:00 PST, 16:00 UTC) and go out at the pace.
        try await harness.advance(12 * 3600)
        #expect(recorder.sends.count == 2)
        try await harness.advance(10 * 3600)
        try await harness.advance(1)
        try await harness.advance(1)
        #expect(recorder.sends.count == 4)
        let morningInCalifornia = iso("2026-03-04T16:00:00Z")
        #expect(recorder.sends.suffix(2).allSatisfy { $0.at >= morningInCalifornia })
        #expect(try await harness.outbound().allSatisfy { $0.status == .sent })
    }

    @Test func theLandlineCheckAsksOncePerNumberSkipsLandlinesAndNeverBlocks() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL,
                                                                                       policyExtra: "  landline_check: true\n"),
                                                   landlineCheck: true)
            twilio.setLineType("landline", for: "+14155550123")
            try await harness.missedCall(to: Carriers.twilioNumber, from: "+14155550123", id: "c-1")
            #expect(twilio.requests(to: .lookup).count == 1)
            #expect(twilio.requests(to: .send).isEmpty)
            let skipped = try await harness.outbound().first
            #expect(skipped?.status == .cancelled)
            let reasons = try await harness.store.timeline(contactID: try #require(skipped?.contactID), scope: .all).compactMap { entry -> [String]? in
                if case .decision(let decision) = entry { return decision.reasons } else { return nil }
            }.flatMap { $0 }
            #expect(reasons.contains("landline"))

            // The answer is cached: a later call from the same number is not looked up again.
            try await harness.advance(3600)
            try await harness.missedCall(to: Carriers.twilioNumber, from: "+14155550123", id: "c-2")
            #expect(twilio.requests(to: .lookup).count == 1)
            #expect(twilio.requests(to: .send).isEmpty)

            // A mobile number is texted; a lookup that fails does not stop the text.
            try await harness.missedCall(to: Carriers.twilioNumber, from: "+14155550124", id: "c-3")
            twilio.script(.serverError, for: .lookup)
            try await harness.missedCall(to: Carriers.twilioNumber, from: "+14155550125", id: "c-4")
            #expect(twilio.requests(to: .lookup).count == 3)
            #expect(Set(twilio.requests(to: .send).compactMap { $0.form["To"] }) == ["+14155550124", "+14155550125"])
        }
    }
}
