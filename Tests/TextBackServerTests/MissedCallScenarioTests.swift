// The guide's scenarios, end to end: HTTP in, durable jobs on a virtual clock, the simulator's outbox out.

import Foundation
import Testing
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackStorage

@Suite struct MissedCallScenarioTests {
    @Test func inboundNoAnswerTextsOnceAtTwoMinutesAndNotBefore() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let accepted = try await client.postCall(callEvent())
            #expect(accepted.status == .accepted, "\(accepted.body)")
            #expect(accepted.json["duplicate"] as? Bool == false)
            try await harness.advance(0)
            try await harness.advance(119)
            #expect(try await client.outbox().isEmpty)
            try await harness.advance(1)
            let outbox = try await client.outbox()
            #expect(outbox.count == 1)
            #expect(outbox.first?["from"] as? String == "+15125550100")
            #expect(outbox.first?["to"] as? String == "+14155550123")
            #expect(outbox.first?["body"] as? String
                == "Hey Dana, Acme Home Services here. Tried to reach you about your water heater repair request. Still need help? Reply YES and I'll call you right back. Reply STOP to opt out.")
            #expect(outbox.first?["sent_at"] as? String == "2026-03-03T18:02:00Z" || (outbox.first?["sent_at"] as? String)?.hasPrefix("2026-03-03T18:02:00") == true)
            try await harness.advance(3600)
            #expect(try await client.outbox().count == 1)
        }
    }

    @Test func outboundUnansweredDialTextsAtThreeMinutes() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent(direction: "outbound"))
            try await harness.advance(0)
            try await harness.advance(179)
            #expect(try await client.outbox().isEmpty)
            try await harness.advance(1)
            let outbox = try await client.outbox()
            #expect(outbox.count == 1)
            #expect(outbox.first?["from"] as? String == "+15125550100")
            #expect(outbox.first?["to"] as? String == "+14155550123")
        }
    }

    @Test func leftVoicemailTextsAtTwentyMinutes() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent(outcome: "left_voicemail", voicemailLeft: true))
            try await harness.advance(0)
            try await harness.advance(20 * 60 - 1)
            #expect(try await client.outbox().isEmpty)
            try await harness.advance(1)
            #expect(try await client.outbox().count == 1)
        }
    }

    @Test func completedCallSendsNothingAndSaysWhy() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent(outcome: "completed", duration: 240))
            try await harness.advance(0)
            try await harness.advance(3600)
            #expect(try await client.outbox().isEmpty)
            let decisions = try await client.timeline("+14155550123").filter { $0["type"] as? String == "decision" }
            #expect(decisions.contains { $0["action"] as? String == "stop" })
        }
    }

    @Test func secondMissedCallWithinADayIsCappedWithItsReason() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent(id: "c-1"))
            try await harness.advance(0)
            try await harness.advance(120)
            #expect(try await client.outbox().count == 1)
            try await harness.advance(3600)
            try await client.postCall(callEvent(id: "c-2", at: harness.clock.now()))
            try await harness.advance(0)
            try await harness.advance(120)
            try await harness.advance(3600)
            #expect(try await client.outbox().count == 1)
            let capped = try await client.timeline("+14155550123").filter {
                $0["type"] as? String == "decision" && ($0["reasons"] as? [String] ?? []).contains("frequency_cap")
            }
            #expect(capped.count == 1)
            #expect(capped.first?["action"] as? String == "suppress")
            #expect((capped.first?["sentence"] as? String)?.isEmpty == false)
        }
    }

    @Test func duplicateWebhookSendsOneText() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let first = try await client.postCall(callEvent())
            let second = try await client.postCall(callEvent())
            #expect(first.json["duplicate"] as? Bool == false)
            #expect(second.status == .accepted)
            #expect(second.json["duplicate"] as? Bool == true)
            #expect(second.json["event_id"] as? String == first.json["event_id"] as? String)
            try await harness.advance(0)
            try await harness.advance(600)
            #expect(try await client.outbox().count == 1)
        }
    }

    @Test(arguments: ["unknown", "something_new", "transferred"])
    func outcomesThatAreNotMissedCallsSendNothing(outcome: String) async throws {
        let harness = try await Harness()
        try await harness.test { client in
            #expect(try await client.postCall(callEvent(outcome: outcome)).status == .accepted)
            try await harness.advance(0)
            try await harness.advance(3600)
            #expect(try await client.outbox().isEmpty)
        }
    }

    @Test func anUnknownOutcomeNeverTextsEvenWithoutAStopInTheConfiguration() async throws {
        // An automation that texts after every call it sees, with no stop for odd outcomes.
        let yaml = ConfigurationLoader.demoYAML.replacingOccurrences(
            of: #"call.outcome in ["completed", "transferred", "unknown"]"#, with: #"call.outcome == "completed""#)
        let configuration = try ConfigurationLoader.load(yaml: yaml, fileName: "eager.yaml", environment: [:])
        let harness = try await Harness(configuration: configuration)
        try await harness.test { client in
            let accepted = try await client.postCall(callEvent(outcome: "ringing-ish"))
            #expect(accepted.json["runs_started"] as? Int == 0)
            try await harness.advance(0)
            try await harness.advance(3600)
            #expect(try await client.outbox().isEmpty)
            let skipped = try await client.timeline("+14155550123").filter { $0["action"] as? String == "skip" }
            #expect((skipped.first?["reasons"] as? [String]) == ["unknown_outcome"])
        }
    }

    @Test func draftAutomationNeverExecutes() async throws {
        let yaml = ConfigurationLoader.demoYAML.replacingOccurrences(of: "status: live", with: "status: draft")
        let configuration = try ConfigurationLoader.load(yaml: yaml, fileName: "draft.yaml", environment: [:])
        let harness = try await Harness(configuration: configuration)
        try await harness.test { client in
            let accepted = try await client.postCall(callEvent())
            #expect(accepted.json["runs_started"] as? Int == 0)
            try await harness.advance(0)
            try await harness.advance(3600)
            #expect(try await client.outbox().isEmpty)
        }
    }

    @Test func contactCallingBackAndConnectingCancelsThePendingText() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent(id: "c-1"))
            try await harness.advance(0)
            try await harness.advance(60)
            try await client.postCall(callEvent(id: "c-2", outcome: "completed", at: harness.clock.now(), duration: 95))
            try await harness.advance(0)
            try await harness.advance(3600)
            #expect(try await client.outbox().isEmpty)
            let cancelled = try await client.timeline("+14155550123").filter { $0["action"] as? String == "cancel" }
            #expect(cancelled.count == 1)
            #expect((cancelled.first?["reasons"] as? [String])?.contains("connected") == true)
        }
    }

    @Test func replyDuringTheDelayCancelsThePendingText() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent())
            try await harness.advance(0)
            try await harness.advance(30)
            let reply = try await client.call("/v1/simulator/inbound", .post,
                                              json: ["from": "+14155550123", "to": "+15125550100", "body": "who is this?"])
            #expect(reply.status == .accepted)
            try await harness.advance(600)
            #expect(try await client.outbox().isEmpty)
            let cancelled = try await client.timeline("+14155550123").filter { $0["action"] as? String == "cancel" }
            #expect((cancelled.first?["reasons"] as? [String])?.contains("replied") == true)
        }
    }

    @Test func restartWhilePendingSendsOnceAtTheDueTime() async throws {
        let clock = VirtualClock(morning)
        let first = try await Harness(clock: clock)
        try await first.test { client in
            try await client.postCall(callEvent())
        }
        try await first.advance(0)
        try await first.advance(60)
        #expect(try await first.store.outboxEntries().isEmpty)
        // "Stop" the server: a new engine on the same file, as after a restart, 10 minutes later.
        clock.advance(600)
        let second = try await Harness(databasePath: first.databasePath, clock: clock)
        try await second.engine.runDueJobs()
        try await second.engine.runDueJobs()
        let outbox = try await second.store.outboxEntries()
        #expect(outbox.count == 1)
        try await second.advance(3600)
        #expect(try await second.store.outboxEntries().count == 1)
    }

    @Test func timelineShowsCallDecisionsAndMessageInOrder() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent())
            try await harness.advance(0)
            try await harness.advance(120)
            let entries = try await client.timeline("+14155550123")
            let kinds = entries.map { "\($0["type"] ?? "")/\($0["action"] ?? $0["direction"] ?? "")" }
            #expect(kinds.first == "call/inbound")
            #expect(kinds.contains("decision/schedule"))
            #expect(kinds.contains("decision/send"))
            #expect(kinds.last == "message/outbound")
            let sent = entries.last
            #expect(sent?["status"] as? String == "sent")
        }
    }
}
