// The job runner as a Service: woken by the store when a job becomes available (not by its poll),
// and stopped gracefully without losing claims.

import Foundation
import Logging
import ServiceLifecycle
import Testing
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackStorage

@Suite struct JobRunnerTests {
    /// Waits (bounded) for work the runner does on its own tasks; the runner's poll is an hour, so only
    /// a wake-up can make this pass.
    func eventually(_ what: String, _ check: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await check() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting: \(what)")
    }

    @Test func aNewJobWakesTheRunnerAndGracefulShutdownStopsIt() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine()
        let runner = JobRunner(engine: engine, options: JobRunnerOptions(concurrency: 4, poll: .seconds(3600)),
                               logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [.init(service: runner)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let outcome = try await engine.ingest(try fixture.missedCall())
            let runID = try #require(outcome.startedRuns.first)
            // The runner was asleep for an hour: the ingest's wake-up makes it run the first step now.
            try await eventually("the first step ran") { try await fixture.store.runState(runID)?.run.pc ?? 0 > 0 }
            let waiting = try await fixture.store.pendingJobs(limit: 10)
            #expect(waiting.count == 1)
            #expect(waiting.first?.status == .pending)
            #expect(waiting.first?.dueAt == fixture.clock.now().addingTimeInterval(120))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // Nothing is left claimed by the stopped runner.
        #expect(try await fixture.store.pendingJobs(limit: 10).allSatisfy { $0.status == .pending })
    }

    @Test func aDueTextIsSentWhenTheClockReachesItAfterAWakeUp() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine()
        let runner = JobRunner(engine: engine, options: JobRunnerOptions(concurrency: 4, poll: .seconds(3600)),
                               logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [.init(service: runner)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = try await engine.ingest(try fixture.missedCall())
            try await eventually("the delay was scheduled") { try await fixture.store.pendingJobs(limit: 10).first?.status == .pending }
            // Virtual time moves past the delay; a wake-up makes the runner look again at once.
            fixture.clock.advance(120)
            fixture.store.jobWakeups.notify()
            try await eventually("the text went out") { try await fixture.store.outboxEntries().count == 1 }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await fixture.store.allMessages().first?.status == .sent)
    }
}
