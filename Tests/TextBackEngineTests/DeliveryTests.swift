// Exactly-once delivery: the message row comes first, a lost carrier answer is reconciled, never
// blindly retried, and a dead worker's claimed jobs are taken over when its lease expires.

import Foundation
import Synchronization
import Testing
import TextBackProviders
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackStorage

final class TestClock: TimeSource {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

final class Tally: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

/// A carrier that behaves like the simulator but can lose its answer, as a dropped connection would.
struct FlakyCarrier: Carrier {
    enum Mode: Sendable { case acceptThenLoseAnswer, loseBeforeAccepting, refuseTransiently }
    let name = "simulator"
    let inner: SimulatorCarrier
    let mode: Mode
    let attempts = Tally()

    func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        _ = attempts.next()
        switch mode {
        case .acceptThenLoseAnswer:
            _ = try await inner.send(sms, now: now)
            throw .ambiguous(message: "connection reset after the request was written")
        case .loseBeforeAccepting:
            throw .ambiguous(message: "timeout")
        case .refuseTransiently:
            throw .transient(message: "503 from the carrier")
        }
    }

    func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? {
        try await inner.lookup(idempotencyKey: idempotencyKey)
    }
}

struct EngineFixture {
    let clock = TestClock(ISO8601DateFormatter().date(from: "2026-03-03T18:00:00Z") ?? Date(timeIntervalSince1970: 0))
    let store: SQLiteStore
    let ids: IDSource

    init() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("textback-engine-\(UUID().uuidString).db").path
        store = try SQLiteStore(path: path)
        try await store.migrate()
        let counter = Tally()
        ids = IDSource { "\($0)_\(counter.next())" }
    }

    func engine(carrier: (any Carrier)? = nil, workerID: String = "w1") throws -> Engine {
        Engine(store: store, configuration: try ConfigurationLoader.demo(), clock: clock, ids: ids,
               carriers: [carrier ?? SimulatorCarrier(store: store, ids: ids)], workerID: workerID)
    }

    /// Ingests a missed call and runs the engine to the moment its text is due and handed to `carrier`.
    func missedCallUntilItsTextIsDue(carrier: any Carrier) async throws -> Engine {
        let engine = try engine(carrier: carrier)
        _ = try await engine.ingest(try missedCall())
        try await engine.runDueJobs()
        clock.advance(120)
        try await engine.runDueJobs()
        return engine
    }

    func missedCall(id: String = "c-1") throws -> CallEvent {
        CallEvent(provider: "native", providerCallID: id, occurredAt: clock.now(), direction: .inbound, outcome: .noAnswer,
                  from: try PhoneNumber(parsing: "+14155550123"), to: try PhoneNumber(parsing: "+15125550100"),
                  contact: ContactHint(name: "Dana Reyes"), variables: ["service": "drain cleaning"])
    }
}

@Suite struct DeliveryTests {
    @Test func aLostAnswerAfterTheCarrierAcceptedIsReconciledAsSent() async throws {
        let fixture = try await EngineFixture()
        let carrier = FlakyCarrier(inner: SimulatorCarrier(store: fixture.store, ids: fixture.ids), mode: .acceptThenLoseAnswer)
        _ = try await fixture.missedCallUntilItsTextIsDue(carrier: carrier)
        let outbox = try await fixture.store.simulatorOutbox()
        #expect(outbox.count == 1)
        let messages = try await fixture.store.messages(limit: 10)
        #expect(messages.count == 1)
        #expect(messages.first?.status == .sent)
        #expect(messages.first?.carrierMessageID == outbox.first?.id)
    }

    @Test func aLostAnswerTheCarrierCannotConfirmIsUnknownAndNeverResent() async throws {
        let fixture = try await EngineFixture()
        let carrier = FlakyCarrier(inner: SimulatorCarrier(store: fixture.store, ids: fixture.ids), mode: .loseBeforeAccepting)
        let engine = try await fixture.missedCallUntilItsTextIsDue(carrier: carrier)
        fixture.clock.advance(3600)
        try await engine.runDueJobs()
        #expect(carrier.attempts.next() == 2, "exactly one send attempt before this probe")
        let messages = try await fixture.store.messages(limit: 10)
        #expect(messages.first?.status == .unknown)
        #expect(try await fixture.store.pendingJobs().isEmpty)
    }

    @Test func transientRefusalsAreRetriedLaterWithoutDuplicates() async throws {
        let fixture = try await EngineFixture()
        let flaky = FlakyCarrier(inner: SimulatorCarrier(store: fixture.store, ids: fixture.ids), mode: .refuseTransiently)
        _ = try await fixture.missedCallUntilItsTextIsDue(carrier: flaky)
        #expect(try await fixture.store.messages(limit: 10).first?.status == .queued)
        // The carrier recovers: a new engine (same store) with a working carrier delivers it once.
        let healthy = try fixture.engine()
        fixture.clock.advance(60)
        try await healthy.runDueJobs()
        fixture.clock.advance(3600)
        try await healthy.runDueJobs()
        #expect(try await fixture.store.simulatorOutbox().count == 1)
        #expect(try await fixture.store.messages(limit: 10).first?.status == .sent)
    }

    @Test func anOptOutWhileATextWaitsForARetryStopsIt() async throws {
        let fixture = try await EngineFixture()
        let flaky = FlakyCarrier(inner: SimulatorCarrier(store: fixture.store, ids: fixture.ids), mode: .refuseTransiently)
        _ = try await fixture.missedCallUntilItsTextIsDue(carrier: flaky)
        let queued = try #require(try await fixture.store.messages(limit: 10).first)
        #expect(queued.status == .queued)
        // The carrier recovers, but the contact has texted STOP in the meantime.
        let healthy = try fixture.engine()
        _ = try await healthy.receive(InboundText(from: queued.to, to: queued.from, body: "STOP", carrier: "simulator"))
        try await healthy.runDueJobs()
        fixture.clock.advance(3600)
        try await healthy.runDueJobs()
        let outbox = try await fixture.store.simulatorOutbox()
        #expect(outbox.count == 1)
        #expect(outbox.first?.body.contains("unsubscribed") == true)
        #expect(try await fixture.store.message(queued.id)?.status == .cancelled)
    }

    @Test func anOptOutConfirmationThatCannotGoWithinFiveMinutesIsDropped() async throws {
        let fixture = try await EngineFixture()
        let down = FlakyCarrier(inner: SimulatorCarrier(store: fixture.store, ids: fixture.ids), mode: .refuseTransiently)
        let engine = try fixture.engine(carrier: down)
        let contact = try PhoneNumber(parsing: "+14155550123"), business = try PhoneNumber(parsing: "+15125550100")
        _ = try await engine.receive(InboundText(from: contact, to: business, body: "STOP", carrier: "simulator"))
        try await engine.runDueJobs()
        #expect(try await fixture.store.simulatorOutbox().isEmpty)
        // The carrier is back, but six minutes later: too late for a confirmation.
        fixture.clock.advance(360)
        try await fixture.engine().runDueJobs()
        #expect(try await fixture.store.simulatorOutbox().isEmpty)
        let confirmation = try #require(try await fixture.store.messages(limit: 10).first { $0.kind == .optOutConfirmation })
        #expect(confirmation.status == .cancelled)
        #expect(try await fixture.store.suppression(phone: contact, channel: "sms")?.reason == "opt_out")
    }

    @Test func aStepThatLostItsRunToAnOptOutWritesNothing() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine()
        let outcome = try await engine.ingest(try fixture.missedCall())
        let runID = try #require(outcome.startedRuns.first)
        let jobs = try await fixture.store.claimDueJobs(now: fixture.clock.now(), limit: 1, owner: "w1",
                                                        leaseUntil: fixture.clock.now().addingTimeInterval(300))
        // While worker w1 is deciding, the contact opts out and the run is cancelled.
        _ = try await engine.receive(InboundText(from: try PhoneNumber(parsing: "+14155550123"), to: try PhoneNumber(parsing: "+15125550100"),
                                                 body: "stop texting me", carrier: "simulator"))
        let late = try await fixture.store.commit(StepCommit(
            jobID: jobs.first?.id, jobOwner: "w1", runUpdate: .init(runID: runID, status: .active, pc: 7), now: fixture.clock.now()))
        #expect(late == .stale)
        #expect(try await fixture.store.runState(runID)?.run.status == .cancelled)
    }

    @Test func aDeadWorkersJobsAreTakenOverWhenItsLeaseExpires() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine(workerID: "survivor")
        _ = try await engine.ingest(try fixture.missedCall())
        // A worker claims the first job and dies without finishing it.
        let claimed = try await fixture.store.claimDueJobs(now: fixture.clock.now(), limit: 10, owner: "dead",
                                                           leaseUntil: fixture.clock.now().addingTimeInterval(300))
        #expect(claimed.count == 1)
        try await engine.runDueJobs()
        #expect(try await fixture.store.simulatorOutbox().isEmpty)
        fixture.clock.advance(301)
        try await engine.runDueJobs()
        fixture.clock.advance(120)
        try await engine.runDueJobs()
        #expect(try await fixture.store.simulatorOutbox().count == 1)
    }

    @Test func aMessageLeftSendingByACrashIsReconciledNotResent() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine()
        _ = try await engine.ingest(try fixture.missedCall())
        try await engine.runDueJobs()
        fixture.clock.advance(120)
        // Run only the advance job: it stores the message and queues delivery.
        let jobs = try await fixture.store.claimDueJobs(now: fixture.clock.now(), limit: 1, owner: "w0",
                                                        leaseUntil: fixture.clock.now().addingTimeInterval(300))
        #expect(jobs.first?.kind == .advance)
        _ = try await fixture.store.commit(StepCommit(jobID: jobs.first?.id, jobOutcome: .reschedule(fixture.clock.now()), now: fixture.clock.now()))
        try await engine.runDueJobs()
        #expect(try await fixture.store.simulatorOutbox().count == 1)
        // Pretend the process died after handing over the text but before recording it.
        let message = try #require(try await fixture.store.messages(limit: 1).first)
        _ = try await fixture.store.commit(StepCommit(jobID: nil, messageUpdates: [.init(messageID: message.id, status: .sending)], now: fixture.clock.now()))
        let redo = JobRecord(id: JobID("job-redo"), kind: .deliver, messageID: message.id, dueAt: fixture.clock.now(), createdAt: fixture.clock.now())
        _ = try await fixture.store.commit(StepCommit(jobID: nil, newJobs: [redo], now: fixture.clock.now()))
        try await engine.runDueJobs()
        #expect(try await fixture.store.simulatorOutbox().count == 1)
        #expect(try await fixture.store.message(message.id)?.status == .sent)
    }
}
