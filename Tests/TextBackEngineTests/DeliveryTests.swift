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

    func engine(carrier: (any Carrier)? = nil, node: String = "n1", workerID: String = "w1") throws -> Engine {
        Engine(store: store, configuration: try ConfigurationLoader.demo(), clock: clock, ids: ids,
               carriers: [carrier ?? SimulatorCarrier(outbox: store, ids: ids)], node: node, workerID: "\(node)#\(workerID)")
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
        let carrier = FlakyCarrier(inner: SimulatorCarrier(outbox: fixture.store, ids: fixture.ids), mode: .acceptThenLoseAnswer)
        _ = try await fixture.missedCallUntilItsTextIsDue(carrier: carrier)
        let outbox = try await fixture.store.outboxEntries()
        #expect(outbox.count == 1)
        let messages = try await fixture.store.allMessages()
        #expect(messages.count == 1)
        #expect(messages.first?.status == .sent)
        #expect(messages.first?.carrierMessageID == outbox.first?.id)
    }

    @Test func aLostAnswerTheCarrierCannotConfirmIsUnknownAndNeverResent() async throws {
        let fixture = try await EngineFixture()
        let carrier = FlakyCarrier(inner: SimulatorCarrier(outbox: fixture.store, ids: fixture.ids), mode: .loseBeforeAccepting)
        let engine = try await fixture.missedCallUntilItsTextIsDue(carrier: carrier)
        fixture.clock.advance(3600)
        try await engine.runDueJobs()
        #expect(carrier.attempts.next() == 2, "exactly one send attempt before this probe")
        let messages = try await fixture.store.allMessages()
        #expect(messages.first?.status == .unknown)
        #expect(try await fixture.store.pendingJobs(limit: 10_000).isEmpty)
    }

    @Test func transientRefusalsAreRetriedLaterWithoutDuplicates() async throws {
        let fixture = try await EngineFixture()
        let flaky = FlakyCarrier(inner: SimulatorCarrier(outbox: fixture.store, ids: fixture.ids), mode: .refuseTransiently)
        _ = try await fixture.missedCallUntilItsTextIsDue(carrier: flaky)
        #expect(try await fixture.store.allMessages().first?.status == .queued)
        // The carrier recovers: a new engine (same store) with a working carrier delivers it once.
        let healthy = try fixture.engine()
        fixture.clock.advance(60)
        try await healthy.runDueJobs()
        fixture.clock.advance(3600)
        try await healthy.runDueJobs()
        #expect(try await fixture.store.outboxEntries().count == 1)
        #expect(try await fixture.store.allMessages().first?.status == .sent)
    }

    @Test func anOptOutWhileATextWaitsForARetryStopsIt() async throws {
        let fixture = try await EngineFixture()
        let flaky = FlakyCarrier(inner: SimulatorCarrier(outbox: fixture.store, ids: fixture.ids), mode: .refuseTransiently)
        _ = try await fixture.missedCallUntilItsTextIsDue(carrier: flaky)
        let queued = try #require(try await fixture.store.allMessages().first)
        #expect(queued.status == .queued)
        // The carrier recovers, but the contact has texted STOP in the meantime.
        let healthy = try fixture.engine()
        _ = try await healthy.receive(InboundText(from: queued.to, to: queued.from, body: "STOP", carrier: "simulator"))
        try await healthy.runDueJobs()
        fixture.clock.advance(3600)
        try await healthy.runDueJobs()
        let outbox = try await fixture.store.outboxEntries()
        #expect(outbox.count == 1)
        #expect(outbox.first?.body.contains("unsubscribed") == true)
        #expect(try await fixture.store.message(queued.id, scope: .all)?.status == .cancelled)
    }

    @Test func anOptOutConfirmationThatCannotGoWithinFiveMinutesIsDropped() async throws {
        let fixture = try await EngineFixture()
        let down = FlakyCarrier(inner: SimulatorCarrier(outbox: fixture.store, ids: fixture.ids), mode: .refuseTransiently)
        let engine = try fixture.engine(carrier: down)
        let contact = try PhoneNumber(parsing: "+14155550123"), business = try PhoneNumber(parsing: "+15125550100")
        _ = try await engine.receive(InboundText(from: contact, to: business, body: "STOP", carrier: "simulator"))
        try await engine.runDueJobs()
        #expect(try await fixture.store.outboxEntries().isEmpty)
        // The carrier is back, but six minutes later: too late for a confirmation.
        fixture.clock.advance(360)
        try await fixture.engine().runDueJobs()
        #expect(try await fixture.store.outboxEntries().isEmpty)
        let confirmation = try #require(try await fixture.store.allMessages().first { $0.kind == .optOutConfirmation })
        #expect(confirmation.status == .cancelled)
        #expect(try await fixture.store.suppression(phone: contact, channel: "sms", for: .default)?.reason == "opt_out")
    }

    @Test func aStepThatLostItsRunToAnOptOutWritesNothing() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine()
        let outcome = try await engine.ingest(try fixture.missedCall())
        let runID = try #require(outcome.startedRuns.first)
        let jobs = try await fixture.store.claimJobs(ClaimRequest(owner: "w1", now: fixture.clock.now(),
                                                                  leaseUntil: fixture.clock.now().addingTimeInterval(15), limit: 1))
        let claim = try #require(jobs.first?.claim)
        // While worker w1 is deciding, the contact opts out and the run is cancelled.
        _ = try await engine.receive(InboundText(from: try PhoneNumber(parsing: "+14155550123"), to: try PhoneNumber(parsing: "+15125550100"),
                                                 body: "stop texting me", carrier: "simulator"))
        let contactID = try #require(try await fixture.store.runState(runID)?.contact.id)
        let late = try await fixture.store.advanceStep(AdvanceStep(claim: claim, runID: runID, contactID: contactID, pc: 7,
                                                                   next: .wait(until: fixture.clock.now()), now: fixture.clock.now()))
        #expect(late == .stale)
        #expect(try await fixture.store.runState(runID)?.run.status == .cancelled)
        #expect(try await fixture.store.runState(runID)?.run.pc == 0)
    }

    @Test func aDeadWorkersJobsAreTakenOverWithinOneLease() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine(node: "survivor")
        _ = try await engine.ingest(try fixture.missedCall())
        // Another node's worker claims the first job and dies without finishing it.
        let claimed = try await fixture.store.claimJobs(ClaimRequest(owner: "dead#1", now: fixture.clock.now(),
                                                                     leaseUntil: fixture.clock.now().addingTimeInterval(engine.lease.timeInterval),
                                                                     limit: 10))
        #expect(claimed.count == 1)
        try await engine.runDueJobs()
        #expect(try await fixture.store.job(claimed[0].id)?.status == .running, "held by the dead worker until its lease ends")
        // One lease later (15 s, not minutes), the survivor takes it over and the run carries on.
        fixture.clock.advance(engine.lease.timeInterval + 0.001)
        #expect(try await engine.runDueJobs() >= 1)
        fixture.clock.advance(120)
        try await engine.runDueJobs()
        #expect(try await fixture.store.outboxEntries().count == 1)
    }

    @Test func aRestartedNodeResumesWhatItsEarlierIncarnationHeldAtOnce() async throws {
        let fixture = try await EngineFixture()
        let before = try fixture.engine(node: "box-1", workerID: "first")
        _ = try await before.ingest(try fixture.missedCall())
        // The first incarnation claims the job and is killed.
        #expect(try await before.claim(limit: 10).count == 1)
        // The same node starts again: it releases the dead incarnation's claims without waiting for the lease.
        let after = try fixture.engine(node: "box-1", workerID: "second")
        #expect(try await after.releaseEarlierIncarnations() == 1)
        #expect(try await after.runDueJobs() == 1)
        // Another node's claims are not touched by that release.
        _ = try await after.ingest(try fixture.missedCall(id: "c-2"))
        #expect(try await fixture.store.claimJobs(ClaimRequest(owner: "box-2#x", now: fixture.clock.now(),
                                                               leaseUntil: fixture.clock.now().addingTimeInterval(15), limit: 10)).count == 1)
        #expect(try await fixture.engine(node: "box-1", workerID: "third").releaseEarlierIncarnations() == 0)
    }

    @Test func aMessageLeftSendingByACrashIsReconciledNotResent() async throws {
        let fixture = try await EngineFixture()
        // The carrier takes the text, then the worker "dies" before it records the answer: the carrier
        // call never returns to it.
        let stalled = StallingCarrier(inner: SimulatorCarrier(outbox: fixture.store, ids: fixture.ids))
        let doomed = try fixture.engine(carrier: stalled, node: "doomed")
        _ = try await doomed.ingest(try fixture.missedCall())
        try await doomed.runDueJobs()
        fixture.clock.advance(120)
        let dying = Task { try await doomed.runDueJobs() }
        await stalled.waitUntilCalled()
        let message = try #require(try await fixture.store.allMessages().first)
        #expect(message.status == .sending)
        #expect(try await fixture.store.outboxEntries().count == 1)
        // A survivor on another node takes the delivery over after the lease and asks the carrier.
        let survivor = try fixture.engine(node: "survivor")
        fixture.clock.advance(survivor.lease.timeInterval + 1)
        try await survivor.runDueJobs()
        #expect(try await fixture.store.outboxEntries().count == 1)
        #expect(try await fixture.store.message(message.id, scope: .all)?.status == .sent)
        let reasons = try await fixture.store.timeline(contactID: message.contactID, scope: .all).compactMap { entry -> [String]? in
            if case .decision(let d) = entry { return d.reasons } else { return nil }
        }
        #expect(reasons.contains(["reconciled"]))
        // The dead worker's late answer changes nothing: its lease is gone.
        stalled.release()
        _ = try await dying.value
        #expect(try await fixture.store.message(message.id, scope: .all)?.status == .sent)
        #expect(try await fixture.store.outboxEntries().count == 1)
    }
}

/// A carrier that accepts a text and then does not answer until the test releases it, as a worker
/// that died mid-call would never hear back.
final class StallingCarrier: Carrier, Sendable {
    let name = "simulator"
    let inner: SimulatorCarrier
    private let called = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let calledFlag = Mutex(false)
    private let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let released = Mutex(false)

    init(inner: SimulatorCarrier) { self.inner = inner }

    func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        let receipt = try await inner.send(sms, now: now)
        calledFlag.withLock { $0 = true }
        called.withLock { waiting in defer { waiting = nil }; return waiting }?.resume()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = released.withLock { released in
                if released { return true }
                gate.withLock { $0 = continuation }
                return false
            }
            if now { continuation.resume() }
        }
        return receipt
    }

    func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? {
        try await inner.lookup(idempotencyKey: idempotencyKey)
    }

    func waitUntilCalled() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let already = calledFlag.withLock { flag in
                if !flag { called.withLock { $0 = continuation } }
                return flag
            }
            if already { continuation.resume() }
        }
    }

    func release() {
        let waiting = released.withLock { released in
            released = true
            return gate.withLock { gate in defer { gate = nil }; return gate }
        }
        waiting?.resume()
    }
}

extension SQLiteStore {
    func outboxEntries() async throws -> [SimulatorOutboxEntry] { try await entries(limit: 1_000_000, after: nil).items }
    func allMessages() async throws -> [MessageRecord] { try await messages(scope: .all, limit: 1_000_000, after: nil).items }
}
