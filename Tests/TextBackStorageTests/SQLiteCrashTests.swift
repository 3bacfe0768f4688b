// SQLite only: "a process killed at any step of a unit leaves either nothing or the whole unit", and
// group commit keeps that per unit. Without any hook in production code: a trigger on the real
// database file makes one write of the unit fail (BEFORE INSERT or BEFORE UPDATE on one table, RAISE
// ABORT); the unit must throw and leave every table exactly as it was. With the trigger dropped the
// same unit then applies whole. Also back-pressure: a refused write stores nothing.

import Foundation
import GRDB
import Testing
import TextBackCore
@testable import TextBackStorage

@Suite("SQLite: a unit is all or nothing", .timeLimit(.minutes(2)))
struct SQLiteCrashTests {
    // MARK: The units, and every write each makes

    /// A write a unit makes, made to fail by a trigger.
    struct Write: Sendable, CustomStringConvertible {
        enum Operation: String, Sendable { case insert = "INSERT", update = "UPDATE" }
        var operation: Operation
        var table: String
        /// Narrows the trigger to one of several writes to the same table (SQL over NEW).
        var when: String?

        var description: String { "\(operation.rawValue) \(table)" + (when.map { " when \($0)" } ?? "") }

        static func insert(_ table: String, when: String? = nil) -> Write { Write(operation: .insert, table: table, when: when) }
        static func update(_ table: String, when: String? = nil) -> Write { Write(operation: .update, table: table, when: when) }
    }

    enum Unit: String, CaseIterable, Sendable {
        case ingestOfANewCaller, ingestOfAKnownCaller, ingestThatAdvancesACall, inboundOptOut, advanceStepWithAText,
             claimForSendingRefused, finishDeliveryWithASuppression

        /// Every table the unit writes, and every UPDATE it makes.
        var writes: [Write] {
            switch self {
            case .ingestOfANewCaller:
                [.insert("contacts"), .insert("calls"), .insert("consents"), .insert("runs"), .insert("jobs"), .insert("decisions")]
            case .ingestOfAKnownCaller:
                [.update("contacts"), .insert("calls"), .insert("runs"), .insert("jobs"), .insert("decisions")]
            case .ingestThatAdvancesACall:
                [.update("calls"), .insert("runs"), .insert("jobs"), .insert("decisions")]
            case .inboundOptOut:
                [.update("contacts"), .insert("messages", when: "NEW.direction = 'inbound'"), .insert("suppressions"),
                 .update("consents"), .update("runs"), .update("jobs"), .insert("decisions", when: "NEW.action = 'cancel'"),
                 .insert("messages", when: "NEW.direction = 'outbound'"), .insert("jobs"), .insert("decisions", when: "NEW.action = 'send'")]
            case .advanceStepWithAText:
                [.insert("messages"), .insert("jobs"), .update("jobs"), .update("runs"), .insert("decisions"), .update("contacts")]
            case .claimForSendingRefused:
                [.update("messages"), .insert("decisions"), .update("jobs")]
            case .finishDeliveryWithASuppression:
                [.update("messages"), .update("jobs"), .insert("decisions"), .insert("suppressions")]
            }
        }

        func setUp(_ store: SQLiteStore) async throws {
            switch self {
            case .ingestOfANewCaller:
                break
            case .ingestOfAKnownCaller:
                _ = try await store.ingestCall(ingest("earlier", from: phone(1), at: at(-3600), consent: impliedConsent("consent-earlier", phone(1))))
            case .ingestThatAdvancesACall:
                _ = try await store.ingestCall(ingest("a", from: phone(1), stage: .ringing, consent: impliedConsent("consent-a", phone(1))))
            case .inboundOptOut:
                _ = try await store.ingestCall(ingest("a", from: phone(1), runs: [plannedRun("a"), plannedRun("b", automation: "follow-up")],
                                                      consent: impliedConsent("consent-a", phone(1))))
            case .advanceStepWithAText:
                try await startRun(store, "a", from: phone(1))
                try await claim(store, "job-a", owner: "w1")
            case .claimForSendingRefused:
                _ = try await StoreContract.heldText(store)
                _ = try await store.addSuppression(SuppressionRecord(phone: phone(1), reason: "opt_out", source: "api", createdAt: at(5)))
            case .finishDeliveryWithASuppression:
                _ = try await StoreContract.sendingText(store)
            }
        }

        func run(_ store: SQLiteStore) async throws {
            let notes = [PlannedDecision(id: "note-1", action: .skip, reasons: ["note"], sentence: "A note.")]
            switch self {
            case .ingestOfANewCaller, .ingestOfAKnownCaller:
                _ = try await store.ingestCall(ingest("a", from: phone(1), at: at(10), runs: [plannedRun("a"), plannedRun("b", automation: "follow-up")],
                                                      consent: impliedConsent("consent-a", phone(1), at: at(10)), notes: notes))
            case .ingestThatAdvancesACall:
                _ = try await store.ingestCall(ingest("a", from: phone(1), at: at(10), runs: [plannedRun("a"), plannedRun("b", automation: "follow-up")],
                                                      notes: notes))
            case .inboundOptOut:
                _ = try await store.receiveInbound(InboundUnit(inbound: inbound("in-stop", from: phone(1), body: "STOP", at: at(10)),
                                                               effect: optOut(confirmation: "confirm", from: phone(1), at: at(10)), ids: freshIDs()))
            case .advanceStepWithAText:
                let run = StartedRun(callID: "call-a", contactID: "contact-a", runID: "run-a", jobID: "job-a", phone: phone(1))
                _ = try await store.advanceStep(StoreContract.fullStep(JobClaim(jobID: "job-a", owner: "w1"), run, next: .wait(until: at(3600))))
            case .claimForSendingRefused:
                _ = try await store.claimForSending(StoreContract.claimForSending(JobClaim(jobID: "deliver-t", owner: "w1"), guard: suppressionGuard()))
            case .finishDeliveryWithASuppression:
                _ = try await store.finishDelivery(StoreContract.sent(JobClaim(jobID: "deliver-t", owner: "w1"), suppression: SuppressionRecord(
                    phone: phone(1), reason: "carrier_opt_out", source: "twilio:21610", createdAt: at(20))))
            }
        }

        /// Checks the unit was applied whole.
        func checkApplied(_ store: SQLiteStore) async throws {
            switch self {
            case .ingestOfANewCaller, .ingestOfAKnownCaller, .ingestThatAdvancesACall:
                let contact = try #require(try await store.contact(phone: phone(1), business: .default))
                let timeline = try await store.timeline(contactID: contact.id, scope: .all)
                #expect(timeline.calls.contains { $0.event.providerCallID == "a" && $0.event.stage == .ended })
                #expect(Set(try await store.activeRuns(contactID: contact.id).map(\.id)) == ["run-a", "run-b"])
                #expect(try await store.job("job-a")?.status == .pending)
                #expect(try await store.job("job-b")?.status == .pending)
                #expect(timeline.decisions.map(\.id) == ["note-1"])
                #expect(try await store.consents(phone: phone(1), business: .default).filter(\.isActive).count == 1)
            case .inboundOptOut:
                #expect(try await store.suppression(phone: phone(1), channel: "sms", for: .default)?.reason == "opt_out")
                #expect(try await store.consents(phone: phone(1), business: .default).allSatisfy { !$0.isActive })
                #expect(try await store.activeRuns(contactID: "contact-a").isEmpty)
                #expect(try await store.job("job-a")?.status == .cancelled)
                #expect(try await store.job("job-b")?.status == .cancelled)
                let timeline = try await store.timeline(contactID: "contact-a", scope: .all)
                #expect(timeline.decisions.filter { $0.action == .cancel }.count == 2)
                #expect(timeline.decisions.contains { $0.id == "dec-confirm" })
                #expect(try await store.message("in-stop", scope: .all)?.status == .received)
                #expect(try await store.message("msg-confirm", scope: .all)?.status == .queued)
                #expect(try await store.job("deliver-confirm")?.status == .pending)
            case .advanceStepWithAText:
                #expect(try await store.message("msg-step", scope: .all)?.status == .queued)
                #expect(try await store.job("deliver-step")?.status == .pending)
                #expect(try await store.job("job-a")?.status == .pending)
                #expect(try await store.runState("run-a")?.run.pc == 3)
                #expect(try await store.timeline(contactID: "contact-a", scope: .all).decisions.map(\.id) == ["dec-step"])
                #expect(try await store.contact(id: "contact-a", scope: .all)?.attributes["stage"] == "texted")
            case .claimForSendingRefused:
                #expect(try await store.message("msg-t", scope: .all)?.status == .cancelled)
                #expect(try await store.job("deliver-t")?.status == .done)
                #expect(try await store.timeline(contactID: "contact-a", scope: .all).decisions.contains { $0.id == "dec-refused" })
            case .finishDeliveryWithASuppression:
                #expect(try await store.message("msg-t", scope: .all)?.status == .failed)
                #expect(try await store.job("deliver-t")?.status == .done)
                #expect(try await store.timeline(contactID: "contact-a", scope: .all).decisions.contains { $0.id == "dec-finish" })
                #expect(try await store.suppression(phone: phone(1), channel: "sms", for: .default)?.reason == "carrier_opt_out")
            }
        }
    }

    struct Crash: Sendable, CustomTestStringConvertible {
        var unit: Unit
        var write: Write
        var testDescription: String { "\(unit.rawValue): \(write)" }
    }

    static let crashes = Unit.allCases.flatMap { unit in unit.writes.map { Crash(unit: unit, write: $0) } }

    // MARK: Crashes

    @Test(arguments: crashes)
    func aUnitThatFailsAtAnyWriteLeavesNothingAndAppliesWholeOnceTheFaultIsGone(crash: Crash) async throws {
        let (store, directory) = try await StoreEngines.openSQLite()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await crash.unit.setUp(store)
        try await Self.install(crash.write, on: store)
        let before = try await Self.dump(store)

        let error = await #expect(throws: DatabaseError.self) { try await crash.unit.run(store) }

        #expect(error?.message == "simulated crash", "the unit should have failed at \(crash.write)")
        #expect(try await Self.dump(store) == before)
        try await Self.removeFault(from: store)
        try await crash.unit.run(store)
        try await crash.unit.checkApplied(store)
    }

    @Test func aUnitThatFailsInAGroupCommitFailsAlone() async throws {
        let (store, directory) = try await StoreEngines.openSQLite()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.install(.insert("calls", when: "NEW.provider_call_id = 'doomed'"), on: store)
        let names = (0..<10).map { $0 == 4 ? "doomed" : "call\($0)" }

        // The ten units queue behind a held writer, so they are applied together, in one transaction.
        let results = try await Self.holdingTheWriter(of: store, until: { store.waitingWrites == names.count }) {
            try await concurrently(names.count) { i in
                do {
                    _ = try await store.ingestCall(ingest(names[i], from: phone(i), runs: [plannedRun(names[i])]))
                    return (names[i], true)
                } catch {
                    return (names[i], false)
                }
            }
        }

        #expect(Set(results.filter { !$0.1 }.map(\.0)) == ["doomed"])
        #expect(try await store.contact(phone: phone(4), business: .default) == nil)
        #expect(try await store.job("job-doomed") == nil)
        for (i, name) in names.enumerated() where name != "doomed" {
            let contact = try #require(try await store.contact(phone: phone(i), business: .default))
            #expect(try await store.activeRuns(contactID: contact.id).map(\.id) == [RunID("run-\(name)")])
        }
        #expect(try await store.countPendingJobs() == 9)
    }

    // MARK: Back-pressure

    @Test func whenTooManyWritesWaitIngestsAreRefusedAndARefusedOneStoresNothing() async throws {
        let maxWaiting = 4
        let count = 40
        let (store, directory) = try await StoreEngines.openSQLite(options: SQLiteOptions(maxWaitingWrites: maxWaiting))
        defer { try? FileManager.default.removeItem(at: directory) }
        let refused = Counter()

        let results = try await Self.holdingTheWriter(of: store, until: { refused.value + store.waitingWrites == count }) {
            try await concurrently(count) { i in
                do {
                    _ = try await store.ingestCall(ingest("call\(i)", from: phone(i), runs: [plannedRun("r\(i)")]))
                    return (i, true)
                } catch StoreError.overloaded(let retryAfter) {
                    #expect(retryAfter > 0)
                    refused.increment()
                    return (i, false)
                }
            }
        }

        let accepted = results.filter(\.1).map(\.0)
        #expect(accepted.count == maxWaiting)
        #expect(results.count - accepted.count == count - maxWaiting)
        for (i, wasAccepted) in results {
            let contact = try await store.contact(phone: phone(i), business: .default)
            #expect((contact != nil) == wasAccepted)
            #expect((try await store.job(JobID("job-r\(i)")) != nil) == wasAccepted)
        }
        #expect(try await store.countPendingJobs() == maxWaiting)
    }

    @Test func theJobRunnersUnitsAreNeverRefusedForBackPressure() async throws {
        let maxWaiting = 2
        let (store, directory) = try await StoreEngines.openSQLite(options: SQLiteOptions(maxWaitingWrites: maxWaiting))
        defer { try? FileManager.default.removeItem(at: directory) }
        let contact = try await store.ingestCall(ingest("a", from: phone(1)))
        let refused = Counter()

        // Each submission either waits or is refused: their sum is how many were submitted.
        let (ingests, _) = try await Self.holdingTheWriter(of: store, until: { refused.value + store.waitingWrites == maxWaiting + 2 }) {
            async let ingests = concurrently(maxWaiting + 1) { i in
                do {
                    _ = try await store.ingestCall(ingest("more\(i)", from: phone(10 + i)))
                    return true
                } catch StoreError.overloaded {
                    refused.increment()
                    return false
                }
            }
            async let decisions: Void = store.recordDecisions([decision("dec-runner", contact.contactID)])
            return (try await ingests, try await decisions)
        }

        #expect(ingests.contains(false))
        #expect(try await store.timeline(contactID: contact.contactID, scope: .all).decisions.map(\.id) == ["dec-runner"])
    }

    // MARK: Helpers

    static let tables = ["contacts", "calls", "runs", "jobs", "messages", "decisions", "consents", "suppressions", "simulator_outbox", "crm_outbox"]

    /// Every row of every table, as text.
    static func dump(_ store: SQLiteStore) async throws -> [String: [String]] {
        try await store.pool.read { db in
            var rows: [String: [String]] = [:]
            for table in tables {
                rows[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map(\.description)
            }
            return rows
        }
    }

    /// Makes `write` fail from now on, as a process killed at that moment would.
    static func install(_ write: Write, on store: SQLiteStore) async throws {
        try await store.pool.write { db in
            try db.execute(sql: """
                CREATE TRIGGER simulated_crash BEFORE \(write.operation.rawValue) ON \(write.table)
                \(write.when.map { "WHEN \($0)" } ?? "")
                BEGIN SELECT RAISE(ABORT, 'simulated crash'); END
                """)
        }
    }

    static func removeFault(from store: SQLiteStore) async throws {
        try await store.pool.write { db in try db.execute(sql: "DROP TRIGGER simulated_crash") }
    }

    /// Holds SQLite's single writer inside a unit of its own while `submit` runs, and lets it go once
    /// `ready` says every unit `submit` started has queued (or been refused): those that queued are then
    /// applied together, in one group commit.
    static func holdingTheWriter<T: Sendable>(of store: SQLiteStore, until ready: @escaping @Sendable () -> Bool,
                                              _ submit: @escaping @Sendable () async throws -> T) async throws -> T {
        let gate = DispatchSemaphore(value: 0)
        let (holding, started) = AsyncStream<Void>.makeStream()
        async let held: Void = store.writer.write { _ in
            started.yield()
            gate.wait()
        }
        for await _ in holding { break }
        async let result = submit()
        while !ready() { await Task.yield() }
        gate.signal()
        try await held
        return try await result
    }
}
