// Every call explained: a call that starts no run gets a skip decision on the timeline naming why —
// the automation that would take it is a draft or paused, or none covers its number — and the figures
// count it under that reason.

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TextBackConfig
import TextBackCore

@Suite struct ExplainedCallTests {
    static func yaml(status: String) -> String {
        #"""
        business: {name: Acme Home Services, phone: "+15125550100", timezone: America/Chicago}
        numbers:
          - {number: "+15125550100", carrier: simulator}
          - {number: "+15125550101", carrier: simulator}
        templates:
          hello: "Hi {Name|there}, {Company} here about your missed call. Reply STOP to opt out."
        automations:
          - id: main-line
            status: \#(status)
            trigger: {event: call.completed, numbers: ["+15125550100"]}
            steps:
              - delay: 2m
              - send_sms: {template: hello}
        """#
    }

    @Test(arguments: [("draft", "automation_draft", "is a draft"), ("paused", "automation_paused", "is paused")])
    func aCallANonLiveAutomationWouldTakeSaysSo(status: String, reason: String, words: String) async throws {
        let harness = try await Harness(configuration: try ConfigurationLoader.load(yaml: Self.yaml(status: status), fileName: "t.yaml", environment: [:]))
        try await harness.test { client in
            let posted = try await client.postCall(callEvent())
            #expect(posted.json["runs_started"] as? Double == 0)
            let decisions = try await client.timeline(dana).filter { $0["type"] as? String == "decision" }
            #expect(decisions.count == 1)
            #expect(decisions.first?["action"] as? String == "skip")
            #expect(decisions.first?["reasons"] as? [String] == [reason])
            #expect((decisions.first?["sentence"] as? String)?.contains("automation main-line would handle this call, but it \(words)") == true)
            let figures = try await client.call("/v1/metrics?from=2026-03-03&to=2026-03-04")
            let totals = figures.json["totals"] as? [String: Any]
            #expect((totals?["decisions"] as? [String: [String: Double]])?["skip"] == [reason: 1])
            #expect(totals?["eligible_calls"] as? Double == 0)
            #expect(totals?["missed_calls"] as? Double == 1)
        }
    }

    @Test func aCallNoAutomationCoversSaysSo() async throws {
        let harness = try await Harness(configuration: try ConfigurationLoader.load(yaml: Self.yaml(status: "live"), fileName: "t.yaml", environment: [:]))
        try await harness.test { client in
            try await client.postCall(callEvent(business: "+15125550101"))
            try await client.postCall(callEvent(id: "c-main", contact: "+14155550177"))
            let other = try await client.timeline(dana).filter { $0["type"] as? String == "decision" }
            #expect(other.map { $0["reasons"] as? [String] } == [["out_of_scope"]])
            // The call the automation covers gets its run and no such note.
            try await harness.advance(0)
            let covered = try await client.timeline("+14155550177").filter { $0["type"] as? String == "decision" }
            #expect(!covered.contains { ($0["reasons"] as? [String])?.first == "out_of_scope" })
            #expect(covered.first?["action"] as? String == "schedule")
        }
    }
}
