// The dry run (`textback simulate`) against the live engine: the same calls from a CSV, replayed by
// DryRun and posted through the real router on the virtual clock, give the same texts at the same
// instants with the same bodies; the calls without a text say why; bad rows are named by line.

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackStorage

@Suite struct DryRunTests {
    /// Tuesday 2026-03-03: Dana's missed call (and a second one the same day, over the daily cap), Bo's
    /// unanswered dial, Di's connected call, Ed's unknown outcome, and Flo's call at 22:00 in California,
    /// inside quiet hours.
    static let csv = """
        occurred_at,from,to,outcome,direction,call_id,name
        2026-03-03T18:00:00Z,+14155550123,+15125550100,no_answer,inbound,c-1,Dana Reyes
        2026-03-03T18:00:00Z,+15125550100,+14155550124,busy,outbound,c-2,Bo
        2026-03-03T18:30:00Z,+14155550126,+15125550100,completed,inbound,c-3,Di
        2026-03-03T19:00:00Z,+14155550127,+15125550100,unknown,inbound,c-4,Ed
        2026-03-03T20:00:00Z,+14155550123,+15125550100,no_answer,inbound,c-5,Dana Reyes
        2026-03-04T06:00:00Z,+14155550130,+15125550100,no_answer,inbound,c-6,Flo

        """

    @Test func theDryRunSendsWhatTheLiveEngineSends() async throws {
        let calls = try DryRun.calls(csv: Data(Self.csv.utf8))
        #expect(calls.map(\.line) == [2, 3, 4, 5, 6, 7])
        let report = try await DryRun.run(calls: calls, configuration: try ConfigurationLoader.demo())

        // What the dry run says, by call.
        let texted = report.results.map { $0.texts.map { ISO8601Timestamp.format($0.at) } }
        #expect(texted == [["2026-03-03T18:02:00Z"], ["2026-03-03T18:03:00Z"], [], [], [], ["2026-03-04T16:00:00Z"]])
        let flo = try #require(report.results.last?.texts.first)
        #expect(flo.timeZone == "America/Los_Angeles")
        #expect(flo.from.e164 == acme)
        #expect(flo.segments == SMSSegments.count(flo.body))
        #expect(flo.segments.encoding == .gsm7)
        #expect(flo.body.hasPrefix("Hey Flo, Acme Home Services here."), "\(flo.body)")
        #expect(report.results[2].decisions.map(\.action) == ["stop"])
        #expect(report.results[3].decisions.map(\.reasons) == [["unknown_outcome"]])
        #expect(report.results[4].texts.isEmpty)
        #expect(report.results[4].decisions.contains { $0.action == "suppress" }, "\(report.results[4].decisions)")
        #expect(report.results[5].decisions.contains { $0.action == "defer" })
        #expect(report.calls == 6)
        #expect(report.textedCalls == 3)
        #expect(report.notTextedByReason["unknown_outcome"] == 1)
        #expect(report.notTextedByReason["automation_stop"] == 1)

        // The live engine, fed the same calls through the router on the virtual clock.
        let harness = try await Harness(clock: VirtualClock(iso("2026-03-03T18:00:00Z")))
        try await harness.test { client in
            func runJobs(until: Date) async throws {
                while let next = try await harness.store.nextAvailableAt(), next <= until {
                    harness.clock.set(max(harness.clock.now(), next))
                    try await harness.engine.runDueJobs()
                }
                harness.clock.set(max(harness.clock.now(), until))
            }
            for call in calls {
                try await runJobs(until: call.event.occurredAt)
                let e = call.event
                var event = callEvent(id: e.providerCallID, direction: e.direction.rawValue, outcome: e.outcome.rawValue, at: e.occurredAt,
                                      contact: e.contactPhone.e164)
                event["contact"] = ["name": e.contact.name ?? ""] as [String: any Sendable]
                event["variables"] = [String: String]()
                event["agent_id"] = nil
                event["campaign"] = nil
                #expect(try await client.postCall(event).status == .accepted)
                try await harness.engine.runDueJobs()
            }
            try await runJobs(until: iso("2026-03-06T00:00:00Z"))
            let live = try await harness.store.outboxEntries().map { "\($0.to.e164) \(ISO8601Timestamp.format($0.sentAt)) \($0.body)" }
            let dry = report.results.flatMap(\.texts).map { "\($0.to.e164) \(ISO8601Timestamp.format($0.at)) \($0.body)" }
            #expect(live == dry)
        }
    }

    @Test func badRowsAreNamedByLine() throws {
        let csv = """
            occurred_at,from,to,outcome,direction
            2026-03-03T18:00:00Z,+14155550123,+15125550100,no_answer,inbound
            yesterday,+14155550123,+15125550100,no_answer,inbound
            2026-03-03T18:00:00Z,12,+15125550100,no_answer,inbound
            2026-03-03T18:00:00Z,+14155550123,+15125550100,hung_up,inbound
            """
        do {
            _ = try DryRun.calls(csv: Data(csv.utf8))
            Issue.record("bad rows were accepted")
        } catch {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("line 3: occurred_at must be ISO 8601"))
            #expect(lines[1] == "line 4: from is not a valid phone number")
            #expect(lines[2].hasPrefix("line 5: outcome must be one of"))
            #expect(!error.description.contains("555"), "a phone number in an error")
        }
    }

    @Test func aHeaderWithoutTheNeededColumnsIsRefused() throws {
        #expect(throws: DryRunError.self) { try DryRun.calls(csv: Data("when,who\n2026-03-03T18:00:00Z,+14155550123\n".utf8)) }
        do { _ = try DryRun.calls(csv: Data("when,from,to\n".utf8)) } catch {
            #expect(error.description == "line 1: the header lacks occurred_at, outcome, direction (needed: occurred_at,from,to,outcome,direction)")
        }
    }
}

@Suite struct DryRunFromTheDatabaseTests {
    @Test func pastCallsReplayAsTheyWentAndTheStoreIsUnchanged() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent(id: "c-1"))
            try await client.postCall(callEvent(id: "c-2", outcome: "completed", contact: "+14155550126", duration: 120))
            try await harness.advance(0)
            try await harness.advance(120)
            let live = try await harness.store.outboxEntries()
            #expect(live.count == 1)
            let messagesBefore = try await client.call("/v1/messages").body
            let pendingBefore = try await harness.store.countPendingJobs()

            let past = try await harness.store.calls(from: morning.addingTimeInterval(-60), to: morning.addingTimeInterval(60), limit: 100)
            #expect(past.map(\.event.providerCallID) == ["c-1", "c-2"])
            let report = try await DryRun.run(calls: past.map { DryRunCall(line: nil, event: $0.event) }, configuration: try ConfigurationLoader.demo())
            #expect(report.results.flatMap(\.texts).map { "\($0.to.e164) \(ISO8601Timestamp.format($0.at)) \($0.body)" }
                    == live.map { "\($0.to.e164) \(ISO8601Timestamp.format($0.sentAt)) \($0.body)" })
            #expect(report.results[1].decisions.map(\.action) == ["stop"])

            // The dry run used a store of its own: nothing was added to this one.
            #expect(try await harness.store.outboxEntries().count == 1)
            #expect(try await client.call("/v1/messages").body == messagesBefore)
            #expect(try await harness.store.countPendingJobs() == pendingBefore)
            // The range is half-open: a call exactly at `to` is not replayed.
            #expect(try await harness.store.calls(from: morning.addingTimeInterval(-60), to: morning, limit: 100).isEmpty)
        }
    }
}
