// Races between workers on one real SQLite file: caps hold when two workers decide at once, and a
// STOP racing a delivery never lets a text be handed over once the STOP has committed.

import Foundation
import Synchronization
import Testing
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage

/// A carrier that records every text it is asked to send, to compare with what the store says went out.
final class WitnessCarrier: Carrier, Sendable {
    let name = "simulator"
    let inner: SimulatorCarrier
    let sends = Mutex<[(to: PhoneNumber, body: String)]>([])

    init(inner: SimulatorCarrier) { self.inner = inner }

    func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        sends.withLock { $0.append((sms.to, sms.body)) }
        return try await inner.send(sms, now: now)
    }

    func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? {
        try await inner.lookup(idempotencyKey: idempotencyKey)
    }
}

@Suite struct ConcurrencyTests {
    /// Two missed calls from one person, both texts due at the same instant, two workers deciding at
    /// once: the frequency cap (1 per 24 h) lets exactly one text out, every time.
    @Test(arguments: 0..<8)
    func theCapHoldsWhenTwoWorkersDecideAtOnce(trial: Int) async throws {
        let fixture = try await EngineFixture()
        let first = try fixture.engine(node: "a")
        let second = try fixture.engine(node: "b")
        _ = try await first.ingest(try fixture.missedCall(id: "c-\(trial)-1"))
        _ = try await first.ingest(try fixture.missedCall(id: "c-\(trial)-2"))
        // Both runs reach their delay.
        try await first.runDueJobs()
        fixture.clock.advance(120)
        // Each worker claims one of the two due runs, then both decide concurrently.
        let jobsA = try await first.claim(limit: 1)
        let jobsB = try await second.claim(limit: 1)
        #expect(jobsA.count == 1 && jobsB.count == 1)
        async let a: Void = first.run(jobsA[0])
        async let b: Void = second.run(jobsB[0])
        _ = await (a, b)
        let automated = try await fixture.store.allMessages().filter { $0.kind == .automated }
        #expect(automated.count == 1)
        #expect(try await fixture.store.outboxEntries().count == 1)
        // The loser's run ended with the cap as its reason, recorded on the timeline.
        let contact = try #require(try await fixture.store.contact(phone: try PhoneNumber(parsing: "+14155550123"), business: .default))
        let reasons = try await fixture.store.timeline(contactID: contact.id, scope: .all).compactMap { entry -> [String]? in
            if case .decision(let d) = entry, d.action == .suppress { return d.reasons } else { return nil }
        }
        #expect(reasons.contains { $0.contains("frequency_cap") })
    }

    /// Many contacts, each with a text due, while each of them texts STOP at the same time as two
    /// workers deliver. Whatever the interleaving: a text whose claim came after the STOP is refused
    /// inside that claim (cancelled, with its decision), every text ends sent or cancelled (none left
    /// queued or sending), the carrier saw exactly the sent ones, and every contact gets one confirmation.
    @Test func stopRacingDeliveriesNeverLetsATextOutAfterTheStopCommitted() async throws {
        let fixture = try await EngineFixture()
        let witness = WitnessCarrier(inner: SimulatorCarrier(outbox: fixture.store, ids: fixture.ids))
        let first = try fixture.engine(carrier: witness, node: "a")
        let second = try fixture.engine(carrier: witness, node: "b")
        let contacts = (0..<40).map { try? PhoneNumber(parsing: String(format: "+1415555%04d", 1000 + $0)) }.compactMap { $0 }
        let business = try PhoneNumber(parsing: "+15125550100")
        for (index, phone) in contacts.enumerated() {
            _ = try await first.ingest(CallEvent(provider: "native", providerCallID: "race-\(index)", occurredAt: fixture.clock.now(),
                                                 direction: .inbound, outcome: .noAnswer, from: phone, to: business,
                                                 contact: ContactHint(name: "Lead \(index)"), variables: ["service": "repair"]))
        }
        try await first.runDueJobs()
        fixture.clock.advance(120)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = try? await first.runDueJobs(batchSize: 3) }
            group.addTask { _ = try? await second.runDueJobs(batchSize: 5) }
            for phone in contacts {
                group.addTask { _ = try? await first.receive(InboundText(from: phone, to: business, body: "STOP", carrier: "simulator")) }
            }
        }
        // Anything a STOP queued (its confirmation) goes out too.
        try await first.runDueJobs()
        let messages = try await fixture.store.allMessages().filter { $0.kind == .automated }
        // A STOP that committed before a run reached its send leaves no text at all.
        #expect(messages.count <= contacts.count)
        for message in messages {
            #expect(message.status == .sent || message.status == .cancelled, "no text is left half-way")
        }
        let sentAutomated = messages.filter { $0.status == .sent }.count
        let outboxAutomated = try await fixture.store.outboxEntries().filter { !$0.body.contains("unsubscribed") }.count
        #expect(outboxAutomated == sentAutomated)
        #expect(witness.sends.withLock { $0 }.filter { !$0.body.contains("unsubscribed") }.count == sentAutomated)
        // Every contact is suppressed and got exactly one confirmation.
        for phone in contacts {
            #expect(try await fixture.store.suppression(phone: phone, channel: "sms", for: .default)?.reason == "opt_out")
        }
        #expect(try await fixture.store.outboxEntries().filter { $0.body.contains("unsubscribed") }.count == contacts.count)
        // A cancelled text was refused by the guard inside its claim, with the reason recorded.
        for message in messages where message.status == .cancelled {
            let refusals = try await fixture.store.timeline(contactID: message.contactID, scope: .all).filter { entry in
                if case .decision(let d) = entry { return d.messageID == message.id && d.action == .suppress } else { return false }
            }
            #expect(refusals.count == 1)
        }
    }

    /// The two orders of a STOP and a delivery, made deterministic: a STOP committed before the claim
    /// stops the text; a STOP that arrives while the carrier already has the text cannot unsend it, and
    /// the contact still gets its one confirmation.
    @Test func aStopCommittedBeforeTheClaimStopsTheText() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine()
        _ = try await engine.ingest(try fixture.missedCall())
        try await engine.runDueJobs()
        fixture.clock.advance(120)
        // The text is due; the STOP commits first.
        _ = try await engine.receive(InboundText(from: try PhoneNumber(parsing: "+14155550123"), to: try PhoneNumber(parsing: "+15125550100"),
                                                 body: "STOP", carrier: "simulator"))
        try await engine.runDueJobs()
        let outbox = try await fixture.store.outboxEntries()
        #expect(outbox.count == 1)
        #expect(outbox.first?.body.contains("unsubscribed") == true)
    }

    @Test func aStopWhileTheCarrierHasTheTextLetsItFinishOnce() async throws {
        let fixture = try await EngineFixture()
        let stalled = StallingCarrier(inner: SimulatorCarrier(outbox: fixture.store, ids: fixture.ids))
        let engine = try fixture.engine(carrier: stalled)
        _ = try await engine.ingest(try fixture.missedCall())
        try await engine.runDueJobs()
        fixture.clock.advance(120)
        let delivering = Task { try await engine.runDueJobs() }
        await stalled.waitUntilCalled()
        _ = try await engine.receive(InboundText(from: try PhoneNumber(parsing: "+14155550123"), to: try PhoneNumber(parsing: "+15125550100"),
                                                 body: "STOP", carrier: "simulator"))
        stalled.release()
        _ = try await delivering.value
        try await engine.runDueJobs()
        let automated = try await fixture.store.allMessages().filter { $0.kind == .automated }
        #expect(automated.map(\.status) == [.sent])
        #expect(try await fixture.store.outboxEntries().count == 2, "the text the carrier already had, and the one confirmation")
    }

    /// Fifty deliveries of the same call event at once (a provider retrying hard): one call, one run.
    @Test func concurrentDuplicateIngestsStoreOneCall() async throws {
        let fixture = try await EngineFixture()
        let engine = try fixture.engine()
        let event = try fixture.missedCall(id: "dup-1")
        let outcomes = await withTaskGroup(of: IngestDisposition?.self) { group in
            for _ in 0..<50 { group.addTask { try? await engine.ingest(event).disposition } }
            var all: [IngestDisposition?] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == .created }.count == 1)
        #expect(outcomes.filter { $0 == .duplicate }.count == 49)
        #expect(try await fixture.store.pendingJobs(limit: 100).count == 1)
    }
}
