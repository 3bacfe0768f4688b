// Races: two tasks run the same unit at once and exactly one wins. SQLite serializes its units, so
// these pass there by construction; they are here for the engine that does not (PostgreSQL under READ
// COMMITTED), where a missing row lock or an unchecked row count lets both through. Each race runs
// several rounds on fresh rows of the same store.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

extension StoreContract {
    static let rounds = 10

    @Test(arguments: StoreEngines.available)
    func twoClaimForSendingOnTheSameMessageExactlyOneClaimsIt(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for round in 0..<Self.rounds {
                let run = try await startRun(store, "r\(round)", from: phone(round))
                let message = MessageID("msg-t\(round)")
                _ = try await store.queueDirectMessage(DirectMessage(
                    text: text("t\(round)", to: run.contactID, phone: run.phone, heldBy: "w1"), decision: decision("dec-t\(round)", run.contactID)))
                let delivery = JobClaim(jobID: JobID("deliver-t\(round)"), owner: "w1")

                let results = try await concurrently(2) { _ in
                    try await store.claimForSending(ClaimForSending(claim: delivery, messageID: message, sendGuard: capGuard(1),
                                                                    refusalDecisionID: DecisionID("dec-refused-\(round)"), now: at(1)))
                }

                #expect(results.filter { if case .claimed = $0 { true } else { false } }.count == 1)
                #expect(results.filter { if case .notQueued(let m) = $0 { m.status == .sending } else { false } }.count == 1)
                #expect(try await store.message(message, scope: .all)?.status == .sending)
            }
        }
    }

    @Test(arguments: StoreEngines.available)
    func twoFinishDeliveryOnTheSameMessageExactlyOneCommits(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for round in 0..<Self.rounds {
                let run = try await startRun(store, "r\(round)", from: phone(round))
                let message = MessageID("msg-t\(round)")
                _ = try await store.queueDirectMessage(DirectMessage(
                    text: text("t\(round)", to: run.contactID, phone: run.phone, heldBy: "w1"), decision: decision("dec-t\(round)", run.contactID)))
                let delivery = JobClaim(jobID: JobID("deliver-t\(round)"), owner: "w1")
                _ = try await store.claimForSending(ClaimForSending(claim: delivery, messageID: message, sendGuard: nil,
                                                                    refusalDecisionID: DecisionID("unused-\(round)"), now: at(1)))
                let outcomes: [MessageStatus] = [.sent, .failed]

                let results = try await concurrently(2) { i in
                    (outcomes[i], try await store.finishDelivery(FinishDelivery(
                        claim: delivery, messageID: message, expected: .sending, status: outcomes[i], sentAt: at(2),
                        decisions: [decision("dec-finish-\(round)-\(i)", run.contactID, messageID: message, at: at(2))], now: at(2))))
                }

                let winners = results.filter { $0.1 == .committed }
                #expect(winners.count == 1)
                #expect(results.filter { $0.1 == .stale }.count == 1)
                #expect(try await store.message(message, scope: .all)?.status == winners.first?.0)
                let finishes = try await store.timeline(contactID: run.contactID, scope: .all).decisions.filter { $0.id.rawValue.hasPrefix("dec-finish-") }
                #expect(finishes.count == 1)
            }
        }
    }

    @Test(arguments: StoreEngines.available)
    func twoAdvanceStepsWritingTheSameIdempotencyKeyWriteOneMessage(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for round in 0..<Self.rounds {
                let outcome = try await store.ingestCall(ingest("call\(round)", from: phone(round), runs: [
                    plannedRun("a\(round)", automation: "missed-call"), plannedRun("b\(round)", automation: "follow-up"),
                ]))
                let names = ["a\(round)", "b\(round)"]
                for (i, name) in names.enumerated() { try await claim(store, JobID("job-\(name)"), owner: "w\(i)") }

                let results = try await concurrently(2) { i in
                    let name = names[i]
                    return (name, try await store.advanceStep(AdvanceStep(
                        claim: JobClaim(jobID: JobID("job-\(name)"), owner: "w\(i)"), runID: RunID("run-\(name)"),
                        contactID: outcome.contactID, pc: 1, next: .done,
                        decisions: [decision("dec-\(name)", outcome.contactID, runID: RunID("run-\(name)"))],
                        text: text(name, to: outcome.contactID, phone: phone(round), key: "same-key-\(round)", heldBy: "w\(i)"), now: at(1))))
                }

                let winner = try #require(results.first { $0.1 == .committed }?.0)
                let loser = try #require(results.first { $0.0 != winner }?.0)
                #expect(results.first { $0.0 == loser }?.1 == .duplicateMessage(existing: MessageID("msg-\(winner)")))
                #expect(try await store.message(MessageID("msg-\(winner)"), scope: .all) != nil)
                #expect(try await store.message(MessageID("msg-\(loser)"), scope: .all) == nil)
                #expect(try await store.job(JobID("job-\(loser)"))?.status == .running)
                #expect(try await store.runState(RunID("run-\(loser)"))?.run.pc == 0)
                #expect(try await store.timeline(contactID: outcome.contactID, scope: .all).decisions.map(\.id) == [DecisionID("dec-\(winner)")])
            }
        }
    }

    @Test(arguments: StoreEngines.available)
    func twoAdvanceStepsWhoseGuardsCountTheSameCapOfOneWriteOneText(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for round in 0..<Self.rounds {
                let outcome = try await store.ingestCall(ingest("call\(round)", from: phone(round), runs: [
                    plannedRun("a\(round)", automation: "missed-call"), plannedRun("b\(round)", automation: "follow-up"),
                ]))
                let names = ["a\(round)", "b\(round)"]
                for (i, name) in names.enumerated() { try await claim(store, JobID("job-\(name)"), owner: "w\(i)") }

                let results = try await concurrently(2) { i in
                    let name = names[i]
                    return try await store.advanceStep(AdvanceStep(
                        claim: JobClaim(jobID: JobID("job-\(name)"), owner: "w\(i)"), runID: RunID("run-\(name)"),
                        contactID: outcome.contactID, pc: 1, next: .done,
                        text: text(name, to: outcome.contactID, phone: phone(round), heldBy: "w\(i)", sendGuard: capGuard(1, since: at(-60))),
                        now: at(1)))
                }

                #expect(results.filter { $0 == .committed }.count == 1)
                #expect(results.filter { if case .refused = $0 { true } else { false } }.count == 1)
                let texts = try await store.history(contactID: outcome.contactID, phone: phone(round), since: at(-60)).messages
                #expect(texts.filter { $0.kind == .automated }.count == 1)
            }
        }
    }

    @Test(arguments: StoreEngines.available)
    func twoOptOutsAtOnceQueueOneConfirmation(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for round in 0..<Self.rounds {
                let run = try await startRun(store, "r\(round)", from: phone(round))

                let results = try await concurrently(2) { i in
                    try await store.receiveInbound(InboundUnit(
                        inbound: inbound("stop-\(round)-\(i)", from: run.phone, body: "STOP", at: at(1)),
                        effect: optOut(confirmation: "confirm-\(round)-\(i)", from: run.phone, at: at(1)), ids: freshIDs()))
                }

                let queued = results.compactMap { if case .stored(_, _, _, let queued) = $0 { queued } else { nil } }
                #expect(queued.count == 1)
                let cancelled = results.map { if case .stored(_, _, let n, _) = $0 { n } else { -1 } }
                #expect(cancelled.sorted() == [0, 1])
                let confirmations = try await store.timeline(contactID: run.contactID, scope: .all).messages.filter { $0.kind == .optOutConfirmation }
                #expect(confirmations.count == 1)
            }
        }
    }
}
