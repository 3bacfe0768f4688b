// The storage contract: the invariants Store.swift states for each unit of work, checked through
// `any Store` only, on every engine in `StoreEngines.available` (SQLite today; PostgreSQL joins by adding
// its factory there). Each test is named after the invariant it checks, refusals included, and gets a
// fresh, migrated, empty store. Engine differences are capabilities (`StoreCapabilities`) the suite
// consults, never `if engine is SQLite`. Timestamps are compared in milliseconds, as they are stored.
//
// This file: ingest and jobs. The units of work, the races, inbound texts and the reads follow in
// StoreContract+*.swift.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

@Suite("Store contract", .timeLimit(.minutes(2)))
struct StoreContract {}

// MARK: - Ingest

extension StoreContract {
    @Test(arguments: StoreEngines.available)
    func ingestOfANewEndedCallStoresItAndStartsItsRunsWithTheirFirstJobs(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let outcome = try await store.ingestCall(ingest("a", from: phone(1), runs: [plannedRun("a", dueAt: at(60))]))

            #expect(outcome.disposition == .created)
            #expect(outcome.callID == "call-a")
            #expect(outcome.contactID == "contact-a")
            #expect(outcome.startedRuns == ["run-a"])
            let state = try #require(try await store.runState("run-a"))
            #expect(state.run.status == .active)
            #expect(state.run.pc == 0)
            #expect(state.run.fingerprint == "fp-missed-call")
            #expect(state.call.event.providerCallID == "a")
            #expect(state.contact.phone == phone(1))
            let job = try #require(try await store.job("job-a"))
            #expect(job.kind == .advance)
            #expect(job.status == .pending)
            #expect(job.runID == "run-a")
            #expect(job.lane == .normal)
            #expect(job.attempts == 0)
            #expect(job.dueAt.ms == at(60).ms)
        }
    }

    @Test(arguments: StoreEngines.available)
    func ingestOfTheSameCallIDTwiceStoresOneCall(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = try await store.ingestCall(ingest("a", from: phone(1), runs: [plannedRun("a")]))
            var retry = ingest("a", from: phone(1), runs: [plannedRun("a-again")])
            retry.newCallID = "call-other"
            retry.newContactID = "contact-other"

            let second = try await store.ingestCall(retry)

            #expect(second.disposition == .duplicate)
            #expect(second.callID == first.callID)
            #expect(second.contactID == first.contactID)
            #expect(second.startedRuns.isEmpty)
            #expect(try await store.timeline(contactID: first.contactID, scope: .all).calls.count == 1)
            #expect(try await store.activeRuns(contactID: first.contactID).map(\.id) == ["run-a"])
            #expect(try await store.job("job-a-again") == nil)
            #expect(try await store.countPendingJobs() == 1)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aLaterStageAdvancesTheCallAndItsRunsStartWhenItEnds(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let ringing = try await store.ingestCall(ingest("a", from: phone(1), stage: .ringing, runs: [plannedRun("a")]))
            #expect(ringing.disposition == .created)
            #expect(ringing.startedRuns.isEmpty)
            #expect(try await store.countPendingJobs() == 0)

            let ended = try await store.ingestCall(ingest("a", from: phone(1), stage: .ended, at: at(30), runs: [plannedRun("a")]))

            #expect(ended.disposition == .advanced)
            #expect(ended.callID == ringing.callID)
            #expect(ended.startedRuns == ["run-a"])
            let call = try #require(try await store.timeline(contactID: ringing.contactID, scope: .all).calls.first)
            #expect(call.event.stage == .ended)
            #expect(call.event.occurredAt.ms == at(30).ms)
            #expect(try await store.job("job-a")?.status == .pending)
        }
    }

    @Test(arguments: StoreEngines.available, [CallStage.queued, .ringing, .inProgress, .ended])
    func aLateOlderOrEqualStageIsADuplicateThatChangesNothing(engine: StoreEngine, late: CallStage) async throws {
        try await engine.withStore { store in
            _ = try await store.ingestCall(ingest("a", from: phone(1), stage: .ringing, at: at(0)))
            let ended = try await store.ingestCall(ingest("a", from: phone(1), stage: .ended, at: at(30), runs: [plannedRun("a")]))
            let note = PlannedDecision(id: "note-late", action: .skip, reasons: ["late"], sentence: "Late.")

            let outcome = try await store.ingestCall(ingest("a", from: phone(1), stage: late, at: at(10),
                                                            runs: [plannedRun("late", automation: "other")], notes: [note]))

            #expect(outcome.disposition == .duplicate)
            #expect(outcome.startedRuns.isEmpty)
            let timeline = try await store.timeline(contactID: ended.contactID, scope: .all)
            let call = try #require(timeline.calls.first)
            #expect(timeline.calls.count == 1)
            #expect(call.event.stage == .ended)
            #expect(call.event.occurredAt.ms == at(30).ms)
            #expect(timeline.decisions.isEmpty)
            #expect(try await store.activeRuns(contactID: ended.contactID).map(\.id) == ["run-a"])
            #expect(try await store.job("job-late") == nil)
        }
    }

    @Test(arguments: StoreEngines.available)
    func oneRunPerAutomationAndCall(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let outcome = try await store.ingestCall(ingest("a", from: phone(1), runs: [
                plannedRun("first", automation: "missed-call"),
                plannedRun("second", automation: "missed-call"),
                plannedRun("other", automation: "review-request"),
            ]))

            #expect(outcome.startedRuns == ["run-first", "run-other"])
            #expect(Set(try await store.activeRuns(contactID: outcome.contactID).map(\.id)) == ["run-first", "run-other"])
            #expect(try await store.runState("run-second") == nil)
            #expect(try await store.job("job-second") == nil)
            #expect(try await store.countPendingJobs() == 2)
        }
    }

    @Test(arguments: StoreEngines.available)
    func impliedConsentIsRecordedOnceWhileAnActiveGrantExists(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await store.ingestCall(ingest("a", from: phone(1), consent: impliedConsent("consent-a", phone(1))))
            _ = try await store.ingestCall(ingest("b", from: phone(1), at: at(60), consent: impliedConsent("consent-b", phone(1), at: at(60))))
            #expect(try await store.consents(phone: phone(1), business: .default).map(\.id) == ["consent-a"])

            #expect(try await store.revokeConsents(phone: phone(1), business: .default, scope: nil, at: at(90), source: "api") == 1)
            _ = try await store.ingestCall(ingest("c", from: phone(1), at: at(120), consent: impliedConsent("consent-c", phone(1), at: at(120))))

            let consents = try await store.consents(phone: phone(1), business: .default)
            #expect(consents.map(\.id) == ["consent-a", "consent-c"])
            #expect(consents.map(\.isActive) == [false, true])
            #expect(consents.last?.recordedAt.ms == at(120).ms)
        }
    }

    @Test(arguments: StoreEngines.available)
    func notesAreRecordedOnlyWhenTheCallFirstReachesItsFinalStage(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            func note(_ id: String) -> PlannedDecision {
                PlannedDecision(id: DecisionID(id), action: .skip, reasons: ["unreachable", "landline, no SMS"], sentence: "Cannot text.")
            }
            let ringing = try await store.ingestCall(ingest("a", from: phone(1), stage: .ringing, notes: [note("note-ringing")]))
            #expect(try await store.timeline(contactID: ringing.contactID, scope: .all).decisions.isEmpty)

            _ = try await store.ingestCall(ingest("a", from: phone(1), stage: .ended, at: at(30), notes: [note("note-ended")]))
            _ = try await store.ingestCall(ingest("a", from: phone(1), stage: .ended, at: at(40), notes: [note("note-retry")]))

            let decisions = try await store.timeline(contactID: ringing.contactID, scope: .all).decisions
            #expect(decisions.map(\.id) == ["note-ended"])
            #expect(decisions.first?.contactID == ringing.contactID)
            #expect(decisions.first?.callID == ringing.callID)
            #expect(decisions.first?.reasons == ["unreachable", "landline, no SMS"])
            #expect(decisions.first?.decidedAt.ms == at(30).ms)
        }
    }

    @Test(arguments: StoreEngines.available)
    func concurrentIngestsOfTheSameCallIDStoreOneCallAndOneRun(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let outcomes = try await concurrently(50) { i in
                var request = ingest("a", from: phone(1), runs: [plannedRun("a-\(i)")])
                request.newCallID = CallID("call-\(i)")
                request.newContactID = ContactID("contact-\(i)")
                return try await store.ingestCall(request)
            }

            #expect(outcomes.filter { $0.disposition == .created }.count == 1)
            #expect(outcomes.filter { $0.disposition == .duplicate }.count == 49)
            #expect(Set(outcomes.map(\.callID)).count == 1)
            #expect(Set(outcomes.map(\.contactID)).count == 1)
            #expect(outcomes.flatMap(\.startedRuns).count == 1)
            let contactID = try #require(outcomes.first?.contactID)
            #expect(try await store.timeline(contactID: contactID, scope: .all).calls.count == 1)
            #expect(try await store.activeRuns(contactID: contactID).count == 1)
            #expect(try await store.countPendingJobs() == 1)
        }
    }

    @Test(arguments: StoreEngines.available)
    func concurrentCallsFromOneNumberShareOneContact(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let outcomes = try await concurrently(20) { i in
                try await store.ingestCall(ingest("call\(i)", from: phone(1), runs: [plannedRun("r\(i)")]))
            }

            #expect(outcomes.allSatisfy { $0.disposition == .created })
            #expect(Set(outcomes.map(\.contactID)).count == 1)
            let contactID = try #require(outcomes.first?.contactID)
            #expect(try await store.contact(phone: phone(1), business: .default)?.id == contactID)
            #expect(try await store.timeline(contactID: contactID, scope: .all).calls.count == 20)
            #expect(try await store.activeRuns(contactID: contactID).count == 20)
        }
    }
}

// MARK: - Jobs

extension StoreContract {
    @Test(arguments: StoreEngines.withCallerTime, [1, 2, 10])
    func claimsTakeTheComplianceLaneFirstThenTheOldestAvailableThenInsertionOrder(engine: StoreEngine, limit: Int) async throws {
        try await engine.withStore { store in
            let a = try await startRun(store, "a", from: phone(1), dueAt: at(30))
            try await startRun(store, "b", from: phone(2), dueAt: at(10))
            try await startRun(store, "c", from: phone(3), dueAt: at(10))
            try await startRun(store, "e", from: phone(5), dueAt: at(120))
            _ = try await store.queueDirectMessage(direct("d", to: a.contactID, phone: a.phone, kind: .help, lane: .compliance, at: at(20)))

            var order: [JobID] = []
            var owner = 0
            while true {
                owner += 1
                let batch = try await claimAll(store, owner: "w\(owner)", now: at(60), limit: limit)
                #expect(batch.count <= limit)
                if batch.isEmpty { break }
                order += batch
            }

            #expect(order == ["deliver-d", "job-b", "job-c", "job-a"])
            #expect(try await claimAll(store, owner: "late", now: at(119)) == [])
            #expect(try await claimAll(store, owner: "late", now: at(120)) == ["job-e"])
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func aClaimMarksTheJobRunningUnderItsOwnerUntilTheLeaseEnds(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await startRun(store, "a", from: phone(1))

            let claimed = try await store.claimJobs(ClaimRequest(owner: "w1", now: at(5), leaseUntil: at(65), limit: 5))

            let job = try #require(claimed.first)
            #expect(claimed.count == 1)
            #expect(job.status == .running)
            #expect(job.leaseOwner == "w1")
            #expect(job.leaseUntil?.ms == at(65).ms)
            #expect(job.attempts == 1)
            #expect(job.claim == JobClaim(jobID: "job-a", owner: "w1"))
            #expect(try await store.job("job-a") == job)
            #expect(try await store.claimJobs(ClaimRequest(owner: "w1", now: at(5), leaseUntil: at(65), limit: 0)).isEmpty)
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func concurrentClaimsNeverHandOneJobToTwoOwners(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for i in 0..<40 { try await startRun(store, "j\(i)", from: phone(i)) }

            let perOwner = try await concurrently(8) { owner in
                var mine: [JobID] = []
                while true {
                    let batch = try await claimAll(store, owner: "w\(owner)", now: at(1), leaseUntil: at(3600), limit: 3)
                    if batch.isEmpty { return mine }
                    mine += batch
                }
            }

            let all = perOwner.flatMap { $0 }
            #expect(all.count == 40)
            #expect(Set(all).count == 40)
            for job in try await store.pendingJobs(limit: 100) {
                #expect(job.status == .running)
                #expect(job.attempts == 1)
            }
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func aLeaseExpiredJobIsClaimableAgainAndItsAttemptsGoUp(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await startRun(store, "a", from: phone(1))
            let first = try await claim(store, "job-a", owner: "w1", now: at(0), leaseUntil: at(300))

            #expect(try await claimAll(store, owner: "w2", now: at(299)) == [])
            let retaken = try await store.claimJobs(ClaimRequest(owner: "w2", now: at(301), leaseUntil: at(601), limit: 5))

            let job = try #require(retaken.first)
            #expect(retaken.map(\.id) == ["job-a"])
            #expect(job.leaseOwner == "w2")
            #expect(job.attempts == 2)
            #expect(job.leaseUntil?.ms == at(601).ms)
            // The first owner lost the job: whatever it commits now is stale and writes nothing.
            #expect(try await store.cancelJob(first, decisions: [], now: at(302)) == .stale)
            #expect(try await store.job("job-a")?.status == .running)
            #expect(try await store.cancelJob(JobClaim(jobID: "job-a", owner: "w2"), decisions: [], now: at(302)) == .committed)
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func renewLeasesExtendsOnlyTheOwnersLeases(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for (i, name) in ["a", "b", "c"].enumerated() { try await startRun(store, name, from: phone(i)) }
            #expect(try await claimAll(store, owner: "w1", now: at(0), leaseUntil: at(60), limit: 2) == ["job-a", "job-b"])
            #expect(try await claimAll(store, owner: "w2", now: at(0), leaseUntil: at(60), limit: 1) == ["job-c"])

            #expect(try await store.renewLeases(owner: "w1", until: at(600), now: at(30)) == 2)

            #expect(try await store.job("job-a")?.leaseUntil?.ms == at(600).ms)
            #expect(try await store.job("job-b")?.leaseUntil?.ms == at(600).ms)
            #expect(try await store.job("job-c")?.leaseUntil?.ms == at(60).ms)
            #expect(try await claimAll(store, owner: "w3", now: at(120)) == ["job-c"])
            #expect(try await store.renewLeases(owner: "nobody", until: at(900), now: at(130)) == 0)
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func releaseJobsReleasesOnlyTheOwnersClaimsAndCountsNoAttempt(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for (i, name) in ["a", "b", "c"].enumerated() { try await startRun(store, name, from: phone(i)) }
            #expect(try await claimAll(store, owner: "w1", now: at(0), limit: 2) == ["job-a", "job-b"])
            #expect(try await claimAll(store, owner: "w2", now: at(0), limit: 1) == ["job-c"])

            #expect(try await store.releaseJobs(["job-a", "job-c", "job-missing"], owner: "w1", now: at(10)) == 1)

            let released = try #require(try await store.job("job-a"))
            #expect(released.status == .pending)
            #expect(released.leaseOwner == nil)
            #expect(released.attempts == 0)
            #expect(try await store.job("job-b")?.leaseOwner == "w1")
            #expect(try await store.job("job-c")?.leaseOwner == "w2")
            #expect(try await claimAll(store, owner: "w3", now: at(10)) == ["job-a"])
            #expect(try await store.job("job-a")?.attempts == 1)
        }
    }

    struct NodeCase: Sendable, CustomTestStringConvertible {
        var node: String
        /// An owner from another node whose name a pattern match (LIKE, GLOB, a character count) could confuse.
        var lookalike: String
        var testDescription: String { node }
    }

    static let nodeCases = [
        NodeCase(node: "web-1", lookalike: "web-10#old"),
        NodeCase(node: "node*", lookalike: "node-2#old"),
        NodeCase(node: "100%_node", lookalike: "100abc_node#old"),
        NodeCase(node: "cafe\u{301}", lookalike: "caf\u{e9}#old"),
        NodeCase(node: "🇺🇸-east", lookalike: "🇺🇸-west#old"),
    ]

    @Test(arguments: StoreEngines.withCallerTime, nodeCases)
    func releaseEarlierIncarnationsReleasesThisNodesOtherOwnersAndLeavesOtherNodesAlone(engine: StoreEngine, case c: NodeCase) async throws {
        try await engine.withStore { store in
            let owners = ["a": "\(c.node)#old", "b": "\(c.node)#older", "c": "\(c.node)#now", "d": c.lookalike, "e": "other#old"]
            for (i, name) in owners.keys.sorted().enumerated() {
                try await startRun(store, name, from: phone(i))
                try await claim(store, JobID("job-\(name)"), owner: owners[name]!, now: at(0), leaseUntil: at(300))
            }

            let released = try await store.releaseEarlierIncarnations(node: c.node, current: "\(c.node)#now", now: at(10))

            #expect(released == 2)
            #expect(Set(try await claimAll(store, owner: "\(c.node)#now", now: at(10))) == ["job-a", "job-b"])
            #expect(try await store.job("job-c")?.leaseOwner == "\(c.node)#now")
            #expect(try await store.job("job-d")?.leaseOwner == c.lookalike)
            #expect(try await store.job("job-e")?.leaseOwner == "other#old")
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func nextAvailableAtIsTheEarliestDueTimeOrLeaseEnd(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            #expect(try await store.nextAvailableAt() == nil)
            try await startRun(store, "a", from: phone(1), dueAt: at(120))
            try await startRun(store, "b", from: phone(2), dueAt: at(60))
            #expect(try await store.nextAvailableAt()?.ms == at(60).ms)

            let b = try await claim(store, "job-b", owner: "w1", now: at(60), leaseUntil: at(90))
            #expect(try await store.nextAvailableAt()?.ms == at(90).ms)

            #expect(try await store.cancelJob(b, decisions: [], now: at(70)) == .committed)
            #expect(try await store.nextAvailableAt()?.ms == at(120).ms)
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func pruneFinishedJobsDeletesOnlyFinishedJobsOlderThanTheCutoffUpToTheLimit(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for (i, name) in ["a", "b", "c", "d", "e", "f"].enumerated() { try await startRun(store, name, from: phone(i)) }
            #expect(try await claimAll(store, owner: "w", now: at(0), leaseUntil: at(3600)).count == 6)
            let held = { (name: String) in JobClaim(jobID: JobID("job-\(name)"), owner: "w") }
            #expect(try await store.cancelJob(held("a"), decisions: [], now: at(10)) == .committed)
            #expect(try await store.cancelJob(held("b"), decisions: [], now: at(10)) == .committed)
            #expect(try await store.advanceStep(AdvanceStep(claim: held("c"), runID: "run-c", contactID: "contact-c", pc: 1,
                                                            next: .done, now: at(20))) == .committed)
            #expect(try await store.cancelJob(held("d"), decisions: [], now: at(100)) == .committed)
            #expect(try await store.releaseJobs(["job-f"], owner: "w", now: at(10)) == 1)

            #expect(try await store.pruneFinishedJobs(before: at(50), limit: 2) == 2)
            #expect(try await store.pruneFinishedJobs(before: at(50), limit: 2) == 1)
            #expect(try await store.pruneFinishedJobs(before: at(50), limit: 2) == 0)

            for name in ["a", "b", "c"] { #expect(try await store.job(JobID("job-\(name)")) == nil) }
            #expect(try await store.job("job-d")?.status == .cancelled)
            #expect(try await store.job("job-e")?.status == .running)
            #expect(try await store.job("job-f")?.status == .pending)
        }
    }

    @Test(arguments: StoreEngines.available)
    func countPendingJobsCountsWaitingAndRunningJobsButNotFinishedOnes(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for (i, name) in ["a", "b", "c"].enumerated() { try await startRun(store, name, from: phone(i)) }
            #expect(try await store.countPendingJobs() == 3)
            #expect(try await claimAll(store, owner: "w", now: at(0), limit: 2) == ["job-a", "job-b"])
            #expect(try await store.cancelJob(JobClaim(jobID: "job-b", owner: "w"), decisions: [], now: at(1)) == .committed)

            #expect(try await store.countPendingJobs() == 2)
            #expect(Set(try await store.pendingJobs(limit: 10).map(\.id)) == ["job-a", "job-c"])
        }
    }
}

// MARK: - Wake-ups

extension StoreContract {
    /// Units that make a job available to claim, each with the setup it needs.
    enum WakingUnit: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case ingestStartingARun, queueDirectMessage, advanceStepThatWaits, finishDeliveryThatRetries, releaseJobs,
             releaseEarlierIncarnations, inboundAnswer
        var testDescription: String { rawValue }
    }

    @Test(arguments: StoreEngines.available, WakingUnit.allCases)
    func jobWakeupsFireAfterAUnitThatMakesAJobAvailable(engine: StoreEngine, unit: WakingUnit) async throws {
        try await engine.withStore { store in
            let wakeups = store.jobWakeups
            // Setup first, and let its own wake-up (at most one) arrive before watching the unit's.
            let beforeSetup = wakeups.generation
            let run: StartedRun? = switch unit {
            case .advanceStepThatWaits, .releaseJobs, .releaseEarlierIncarnations: try await startRun(store, "a", from: phone(1))
            default: nil
            }
            if run != nil { await wakeups.wait(after: beforeSetup, timeout: .seconds(10)) }
            let quiet = try await store.ingestCall(ingest("quiet", from: phone(2)))
            switch unit {
            case .advanceStepThatWaits, .releaseJobs: try await claim(store, "job-a", owner: "w1")
            case .releaseEarlierIncarnations: try await claim(store, "job-a", owner: "node#old")
            case .finishDeliveryThatRetries:
                _ = try await store.queueDirectMessage(DirectMessage(
                    text: text("held", to: quiet.contactID, phone: phone(2), heldBy: "w1"), decision: decision("dec-held", quiet.contactID)))
                _ = try await store.claimForSending(ClaimForSending(claim: JobClaim(jobID: "deliver-held", owner: "w1"), messageID: "msg-held",
                                                                    sendGuard: nil, refusalDecisionID: "dec-refused", now: t0))
            default: break
            }
            let seen = wakeups.generation

            switch unit {
            case .ingestStartingARun:
                try await startRun(store, "b", from: phone(3))
            case .queueDirectMessage:
                #expect(try await store.queueDirectMessage(direct("d", to: quiet.contactID, phone: phone(2))) == .queued("msg-d"))
            case .advanceStepThatWaits:
                #expect(try await store.advanceStep(AdvanceStep(claim: JobClaim(jobID: "job-a", owner: "w1"), runID: "run-a",
                                                                contactID: run!.contactID, pc: 1, next: .wait(until: at(600)), now: t0))
                        == .committed)
            case .finishDeliveryThatRetries:
                #expect(try await store.finishDelivery(FinishDelivery(claim: JobClaim(jobID: "deliver-held", owner: "w1"), messageID: "msg-held",
                                                                      expected: .sending, status: .queued, next: .retry(at: at(60)), now: t0))
                        == .committed)
            case .releaseJobs:
                #expect(try await store.releaseJobs(["job-a"], owner: "w1", now: t0) == 1)
            case .releaseEarlierIncarnations:
                #expect(try await store.releaseEarlierIncarnations(node: "node", current: "node#new", now: t0) == 1)
            case .inboundAnswer:
                let help = direct("help", to: ContactID(""), phone: phone(4), kind: .help)
                _ = try await store.receiveInbound(InboundUnit(inbound: inbound("in-1", from: phone(4), body: "HELP"),
                                                               effect: .answer(help), ids: freshIDs()))
            }

            await wakeups.wait(after: seen, timeout: .seconds(10))
            #expect(wakeups.generation != seen)
        }
    }

    @Test(arguments: StoreEngines.withExactWakeups)
    func unitsThatMakeNoJobAvailableWakeNoRunner(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let wakeups = store.jobWakeups
            let beforeSetup = wakeups.generation
            let run = try await startRun(store, "a", from: phone(1))
            await wakeups.wait(after: beforeSetup, timeout: .seconds(10))
            let seen = wakeups.generation

            try await store.recordDecisions([decision("d1", run.contactID)])
            let held = try await claim(store, "job-a", owner: "w1")
            _ = try await store.queueDirectMessage(DirectMessage(text: text("held", to: run.contactID, phone: run.phone, heldBy: "w1"),
                                                                 decision: decision("dec-held", run.contactID)))
            let delivery = JobClaim(jobID: "deliver-held", owner: "w1")
            _ = try await store.claimForSending(ClaimForSending(claim: delivery, messageID: "msg-held", sendGuard: nil,
                                                                refusalDecisionID: "dec-x", now: t0))
            #expect(try await store.finishDelivery(FinishDelivery(claim: delivery, messageID: "msg-held", expected: .sending, status: .sent,
                                                                  sentAt: t0, now: t0)) == .committed)
            #expect(try await store.advanceStep(AdvanceStep(claim: held, runID: "run-a", contactID: run.contactID, pc: 1, next: .done,
                                                            now: t0)) == .committed)
            // One unit that does wake runners: exactly one wake-up since `seen` means none of the above did.
            _ = try await store.queueDirectMessage(direct("d", to: run.contactID, phone: run.phone))
            await wakeups.wait(after: seen, timeout: .seconds(10))

            #expect(wakeups.generation == seen + 1)
        }
    }
}
