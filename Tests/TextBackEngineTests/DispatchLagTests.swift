// Back-pressure from a late job runner to call ingest (`DispatchLag`): a call waits while the runner is
// behind and is written once it caught up (or after the longest hold); a runner that takes a backlog of
// late jobs says so and clears it once drained. Time is the virtual clock; the only real waits are the
// bounded polls for work done on other tasks.

import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import TextBackEngine
import TextBackConfig
import TextBackCore
import TextBackProviders
import TextBackStorage

@Suite struct DispatchLagTests {
    func eventually(_ what: String, _ check: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await check() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("timed out waiting: \(what)")
    }

    func engine(_ fixture: EngineFixture, lag: DispatchLag) throws -> Engine {
        Engine(store: fixture.store, configuration: try ConfigurationLoader.demo(), clock: fixture.clock, ids: fixture.ids,
               carriers: [SimulatorCarrier(outbox: fixture.store, ids: fixture.ids)], node: "n1", workerID: "n1#w1", dispatchLag: lag)
    }

    func storedCalls(_ fixture: EngineFixture) async throws -> Int {
        try await fixture.store.calls(from: .distantPast, to: .distantFuture, limit: 1_000).count
    }

    @Test func aCallWaitsWhileTheRunnerIsBehindAndIsWrittenOnceItCaughtUp() async throws {
        let fixture = try await EngineFixture()
        let lag = DispatchLag(threshold: 0.5, maxHold: .seconds(600))
        let engine = try engine(fixture, lag: lag)
        let now = fixture.clock.now()
        #expect(lag.claimed(oldestDue: now.addingTimeInterval(-2), tookAllAsked: true, now: now))
        let call = try fixture.missedCall()
        let ingest = Task { try await engine.ingest(call) }
        try await eventually("the ingest is held") { lag.statistics.held == 1 }
        #expect(try await storedCalls(fixture) == 0)
        // The runner's next claim finds the queue short: it caught up, and the held call is written.
        #expect(!lag.claimed(oldestDue: now.addingTimeInterval(-2), tookAllAsked: false, now: now))
        let outcome = try await ingest.value
        #expect(outcome.disposition == .created)
        #expect(try await storedCalls(fixture) == 1)
        #expect(lag.statistics == DispatchLag.Statistics(held: 1, fellBehind: 1))
    }

    @Test func aHeldCallIsWrittenAfterTheLongestHoldEvenIfTheRunnerStaysBehind() async throws {
        let fixture = try await EngineFixture()
        let lag = DispatchLag(threshold: 0.5, maxHold: .milliseconds(1))
        let engine = try engine(fixture, lag: lag)
        let now = fixture.clock.now()
        lag.claimed(oldestDue: now.addingTimeInterval(-60), tookAllAsked: true, now: now)
        _ = try await engine.ingest(try fixture.missedCall())
        #expect(lag.isBehind)
        #expect(lag.statistics.held == 1)
        #expect(try await storedCalls(fixture) == 1)
    }

    @Test func onlyAFullClaimOfJobsLaterThanTheThresholdIsBehindAndAStoppedRunnerHoldsNobody() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let lag = DispatchLag(threshold: 0.5)
        #expect(!lag.claimed(oldestDue: now.addingTimeInterval(-30), tookAllAsked: false, now: now))
        #expect(!lag.claimed(oldestDue: now.addingTimeInterval(-0.4), tookAllAsked: true, now: now))
        #expect(!lag.claimed(oldestDue: nil, tookAllAsked: true, now: now))
        #expect(!lag.isBehind)
        #expect(lag.claimed(oldestDue: now.addingTimeInterval(-0.6), tookAllAsked: true, now: now))
        #expect(lag.isBehind)
        // Still behind: not a new fall.
        #expect(!lag.claimed(oldestDue: now.addingTimeInterval(-5), tookAllAsked: true, now: now))
        lag.runnerStopped()
        #expect(!lag.isBehind)
        #expect(lag.statistics.fellBehind == 1)
        for off in [DispatchLag.off, DispatchLag(threshold: 0)] {
            off.claimed(oldestDue: now.addingTimeInterval(-3600), tookAllAsked: true, now: now)
            #expect(!off.isBehind)
        }
    }

    @Test func aRunnerTakingABacklogOfLateJobsIsBehindUntilItDrainedIt() async throws {
        let fixture = try await EngineFixture()
        let lag = DispatchLag(threshold: 0.5, maxHold: .seconds(600))
        let engine = try engine(fixture, lag: lag)
        for i in 0..<12 {
            var call = try fixture.missedCall(id: "c-\(i)")
            call.from = try PhoneNumber(parsing: "+1415555\(String(format: "%04d", 100 + i))")
            _ = try await engine.ingest(call)
        }
        // The calls' first steps have waited 10 s when the runner starts, two at a time.
        fixture.clock.advance(10)
        let runner = JobRunner(engine: engine, options: JobRunnerOptions(concurrency: 2, claimBatch: 2, poll: .seconds(3600)),
                               logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [.init(service: runner)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually("every first step ran") { try await fixture.store.pendingJobs(limit: 100).count == 12 }
            try await eventually("the runner caught up") { !lag.isBehind }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(lag.statistics.fellBehind >= 1)
        #expect(lag.statistics.held == 0)
    }
}
