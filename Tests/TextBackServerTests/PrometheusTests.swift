// GET /metrics: a Prometheus scrape after a missed call through the real router, engine and SQLite
// file on the virtual clock, checked line by line; labels never carry a phone number or a body.

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TextBackConfig
import TextBackCore
@testable import TextBackEngine
import TextBackProviders
import TextBackServer
import TextBackStorage

@Suite struct PrometheusTests {
    /// The metric lines of a scrape (no comments), as a set.
    static func lines(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
    }

    /// An engine over the harness's store wrapped in `MeteredStore`, and the router that serves its metrics.
    static func metered(_ harness: Harness, configuration: TextBackConfiguration, transport: (any ProviderTransport)? = nil,
                        dispatchLag: DispatchLag = .off) throws
        -> (engine: Engine, router: Router<TextBackRequestContext>) {
        let metrics = TextBackMetrics()
        let ids = sequentialIDs()
        let engine = Engine(store: MeteredStore(harness.store, metrics: metrics), configuration: configuration, clock: harness.clock, ids: ids,
                            carriers: [SimulatorCarrier(outbox: harness.store, ids: ids)], transport: transport, dispatchLag: dispatchLag)
        return (engine, TextBackHTTP.router(engine: engine, settings: ServerSettings(apiToken: apiToken, simulatorOutbox: harness.store, metrics: metrics)))
    }

    @Test func aRunnerBehindAndTheCallsThatWaitedForItShowInTheScrape() async throws {
        let harness = try await Harness()
        let lag = DispatchLag(threshold: 0.5, maxHold: .milliseconds(1))
        let (_, router) = try Self.metered(harness, configuration: try ConfigurationLoader.demo(), dispatchLag: lag)
        try await Application(router: router).test(.router) { client in
            #expect(Self.lines(try await client.call("/metrics", auth: false).body).contains("textback_runner_behind 0.0"))
            let now = harness.clock.now()
            lag.claimed(oldestDue: now.addingTimeInterval(-5), tookAllAsked: true, now: now)
            #expect(try await client.postCall(callEvent()).status == .accepted)
            #expect(try await client.postCall(callEvent(id: "c-2", contact: "+14155550177")).status == .accepted)
            let lines = Self.lines(try await client.call("/metrics", auth: false).body)
            #expect(lines.contains("textback_runner_behind 1.0"), "\(lines)")
            #expect(lines.contains("textback_ingest_held_total 2"), "\(lines)")
            // A second scrape does not count them again.
            lag.runnerStopped()
            let again = Self.lines(try await client.call("/metrics", auth: false).body)
            #expect(again.contains("textback_ingest_held_total 2") && again.contains("textback_runner_behind 0.0"), "\(again)")
        }
    }

    @Test func aMissedCallShowsInTheScrape() async throws {
        let harness = try await Harness()
        let (engine, router) = try Self.metered(harness, configuration: try ConfigurationLoader.demo())
        try await Application(router: router).test(.router) { client in
            #expect(try await client.postCall(callEvent()).status == .accepted)
            #expect(try await client.call("/v1/events/call-completed", .post, raw: "{").status == .badRequest)
            try await engine.runDueJobs()
            harness.clock.advance(120)
            try await engine.runDueJobs()
            harness.clock.advance(30)
            try await client.postCall(callEvent(id: "c-later", at: harness.clock.now(), contact: "+14155550177"))

            // Prometheus scrapes without credentials.
            let scrape = try await client.call("/metrics", auth: false)
            #expect(scrape.status == .ok)
            #expect(scrape.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let lines = Self.lines(scrape.body)
            for expected in [
                #"textback_calls_total{outcome="no_answer"} 2"#,
                #"textback_webhooks_total{provider="native",result="accepted"} 2"#,
                #"textback_webhooks_total{provider="native",result="rejected"} 1"#,
                #"textback_messages_total{status="queued"} 1"#,
                #"textback_messages_total{status="sending"} 1"#,
                #"textback_messages_total{status="sent"} 1"#,
                #"textback_decisions_total{action="schedule",reason="delay"} 1"#,
                // Two advance jobs claimed, each when due: zero lateness.
                #"textback_dispatch_lateness_seconds_count 2"#,
                #"textback_dispatch_lateness_seconds_sum 0.0"#,
                #"textback_ingest_duration_seconds_count{provider="native"} 2"#,
                // The second call's first step is due now and 30 s behind nothing: pending, not late.
                "textback_jobs_pending 1.0",
                "textback_oldest_due_job_age_seconds 0.0",
            ] {
                #expect(lines.contains(expected), "missing \(expected) in:\n\(scrape.body)")
            }
            #expect(lines.contains { $0.hasPrefix("textback_decisions_total{action=\"send\"") })
            #expect(!scrape.body.contains("555"), "a phone number reached a label")
            #expect(!scrape.body.contains("water heater"), "a body reached a label")

            // A STOP: the inbound text, its confirmation and the decision that allowed it; a reason a contact
            // typed never becomes a label.
            let stop = try await client.call("/v1/simulator/inbound", .post, json: ["from": dana, "to": acme, "body": "STOP"])
            #expect(stop.status == .accepted)
            let afterStop = Self.lines(try await client.call("/metrics", auth: false).body)
            #expect(afterStop.contains(#"textback_messages_total{status="received"} 1"#), "\(afterStop.sorted())")
            #expect(afterStop.contains(#"textback_messages_total{status="queued"} 2"#))
            #expect(afterStop.contains(#"textback_decisions_total{action="send",reason="opt_out_confirmation"} 1"#))
            let decisionLabels = afterStop.filter { $0.hasPrefix("textback_decisions_total{") }.map { $0.prefix { $0 != "}" } }
            #expect(!decisionLabels.isEmpty && decisionLabels.allSatisfy { !$0.contains(":") }, "\(decisionLabels)")

            // The due job waits: its age grows with the clock.
            harness.clock.advance(45)
            let later = Self.lines(try await client.call("/metrics", auth: false).body)
            #expect(later.contains("textback_oldest_due_job_age_seconds 45.0"), "\(later.sorted())")
        }
    }

    @Test func withoutMetricsThereIsNoScrapeRoute() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let status = try await client.call("/metrics", auth: false).status
            #expect(status == .notFound)
        }
    }
}
