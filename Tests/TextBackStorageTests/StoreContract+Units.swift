// The contract of the units a held job commits (advanceStep, claimForSending, finishDelivery,
// cancelJob, endRun) and of the units without a job (queueDirectMessage, recordDecisions). A refusal or
// a stale unit writes nothing: the tests compare everything the Store API shows before and after.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

// MARK: - advanceStep

extension StoreContract {
    /// A step that writes a bit of everything: a text with its delivery job, a decision, an attribute.
    static func fullStep(_ claim: JobClaim, _ run: StartedRun, next: AdvanceStep.Next = .done, key: String? = nil,
                         sendGuard: SendGuard? = nil, runEnd: (status: RunStatus, reason: String)? = nil) -> AdvanceStep {
        AdvanceStep(claim: claim, runID: run.runID, contactID: run.contactID, pc: 3, runEnd: runEnd, next: next,
                    decisions: [decision("dec-step", run.contactID, runID: run.runID, messageID: "msg-step")],
                    contactAttributes: ["stage": "texted"],
                    text: text("step", to: run.contactID, phone: run.phone, runID: run.runID, key: key, sendGuard: sendGuard),
                    crm: [crmEntry("step", kind: .contactUpdate, properties: ["stage": "texted"], at: at(5))],
                    now: at(5))
    }

    static func observeStep(_ store: any Store, _ run: StartedRun) async throws -> Observed {
        try await observe(store, run.contactID, phone: run.phone, runs: [run.runID], jobs: [run.jobID, "deliver-step"],
                          messages: ["msg-step"])
    }

    enum NotHeld: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case heldByAnotherOwner, neverClaimed, alreadyFinished
        var testDescription: String { rawValue }
    }

    @Test(arguments: StoreEngines.available, NotHeld.allCases)
    func advanceStepIsStaleWhenTheJobIsNotHeldAndWritesNothing(engine: StoreEngine, cause: NotHeld) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let mine = JobClaim(jobID: run.jobID, owner: "w1")
            switch cause {
            case .heldByAnotherOwner: try await claim(store, run.jobID, owner: "w2")
            case .neverClaimed: break
            case .alreadyFinished:
                try await claim(store, run.jobID, owner: "w1")
                #expect(try await store.advanceStep(AdvanceStep(claim: mine, runID: run.runID, contactID: run.contactID, pc: 1,
                                                                next: .done, now: at(1))) == .committed)
            }
            let before = try await Self.observeStep(store, run)

            #expect(try await store.advanceStep(Self.fullStep(mine, run)) == .stale)

            #expect(try await Self.observeStep(store, run) == before)
        }
    }

    @Test(arguments: StoreEngines.available)
    func advanceStepIsStaleWhenTheRunIsNoLongerActiveAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            // The only job that can still be held for an ended run is its text's delivery job.
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            var last = AdvanceStep(claim: job, runID: run.runID, contactID: run.contactID, pc: 2, runEnd: (.finished, "end_of_program"),
                                   next: .done, now: at(1))
            last.text = text("last", to: run.contactID, phone: run.phone, runID: run.runID, heldBy: "w1")
            #expect(try await store.advanceStep(last) == .committed)
            let before = try await Self.observeStep(store, run)

            let step = Self.fullStep(JobClaim(jobID: "deliver-last", owner: "w1"), run)
            #expect(try await store.advanceStep(step) == .stale)

            #expect(try await Self.observeStep(store, run) == before)
        }
    }

    @Test(arguments: StoreEngines.available)
    func advanceStepIsStaleWhenAnOptOutCancelledTheRunMeanwhile(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            _ = try await store.receiveInbound(InboundUnit(inbound: inbound("stop", from: run.phone, body: "STOP", at: at(2)),
                                                           effect: optOut(confirmation: nil, from: run.phone, at: at(2)), ids: freshIDs()))
            let before = try await Self.observeStep(store, run)

            #expect(try await store.advanceStep(Self.fullStep(job, run)) == .stale)

            #expect(try await Self.observeStep(store, run) == before)
            #expect(try await store.runState(run.runID)?.run.status == .cancelled)
        }
    }

    @Test(arguments: StoreEngines.available)
    func advanceStepWithAnIdempotencyKeyAlreadyUsedIsADuplicateAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            #expect(try await store.queueDirectMessage(direct("first", to: run.contactID, phone: run.phone, key: "run:a:3")) == .queued("msg-first"))
            let before = try await Self.observeStep(store, run)

            #expect(try await store.advanceStep(Self.fullStep(job, run, key: "run:a:3")) == .duplicateMessage(existing: "msg-first"))

            #expect(try await Self.observeStep(store, run) == before)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aGuardedTextWhoseKeyIsAlreadyUsedIsADuplicateWhateverItsGuardSays(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            #expect(try await store.queueDirectMessage(direct("first", to: run.contactID, phone: run.phone, key: "run:a:3")) == .queued("msg-first"))
            let before = try await Self.observeStep(store, run)

            // A guard that passes and one that refuses: the message already written answers first, either way.
            for sendGuard in [capGuard(5), refusingGuard()] {
                #expect(try await store.advanceStep(Self.fullStep(job, run, key: "run:a:3", sendGuard: sendGuard))
                        == .duplicateMessage(existing: "msg-first"))
            }
            #expect(try await Self.observeStep(store, run) == before)
            // A fresh key under the passing guard is written.
            #expect(try await store.advanceStep(Self.fullStep(job, run, key: "run:a:4", sendGuard: capGuard(5))) == .committed)
        }
    }

    @Test(arguments: StoreEngines.available)
    func advanceStepIsRefusedWhenItsSendGuardRefusesAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            // The opt-out arrived after the engine decided: the guard, run inside the write, sees it.
            #expect(try await store.addSuppression(SuppressionRecord(phone: run.phone, reason: "opt_out", source: "api", createdAt: at(1))))
            let before = try await Self.observeStep(store, run)

            #expect(try await store.advanceStep(Self.fullStep(job, run, sendGuard: suppressionGuard())) == .refused(refusal))

            #expect(try await Self.observeStep(store, run) == before)
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func advanceStepThatWaitsReschedulesTheJobResetsItsAttemptsAndWritesTheStep(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1), hint: ContactHint(attributes: ["lead_source": "ads"]))
            let job = try await claim(store, run.jobID, owner: "w1")

            #expect(try await store.advanceStep(Self.fullStep(job, run, next: .wait(until: at(3600)))) == .committed)

            let waiting = try #require(try await store.job(run.jobID))
            #expect(waiting.status == .pending)
            #expect(waiting.dueAt.ms == at(3600).ms)
            #expect(waiting.attempts == 0)
            #expect(waiting.leaseOwner == nil)
            #expect(try await store.runState(run.runID)?.run.pc == 3)
            #expect(try await store.runState(run.runID)?.run.status == .active)
            let message = try #require(try await store.message("msg-step", scope: .all))
            #expect(message.status == .queued)
            #expect(message.runID == run.runID)
            #expect(try await store.job("deliver-step")?.messageID == "msg-step")
            #expect(try await store.timeline(contactID: run.contactID, scope: .all).decisions.map(\.id) == ["dec-step"])
            #expect(try await store.contact(id: run.contactID, scope: .all)?.attributes == ["lead_source": "ads", "stage": "texted"])
            #expect(try await claimAll(store, owner: "w2", now: at(3599)) == ["deliver-step"])
            #expect(try await claimAll(store, owner: "w2", now: at(3600)) == [run.jobID])
        }
    }

    @Test(arguments: StoreEngines.available)
    func advanceStepThatIsDoneFinishesTheJob(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")

            #expect(try await store.advanceStep(AdvanceStep(claim: job, runID: run.runID, contactID: run.contactID, pc: 4, next: .done,
                                                            now: at(5))) == .committed)

            #expect(try await store.job(run.jobID)?.status == .done)
            #expect(try await store.runState(run.runID)?.run.pc == 4)
            #expect(try await store.countPendingJobs() == 0)
        }
    }

    @Test(arguments: StoreEngines.available)
    func advanceStepThatEndsTheRunCancelsItsOtherPendingAdvanceJobsButNotItsText(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let other = try await startRun(store, "b", from: phone(2))
            let job = try await claim(store, run.jobID, owner: "w1")
            // Nothing in the contract creates a second advance job for a run; a queued text's job record is
            // the one door left, so the stray job comes in through it.
            var stray = text("stray", to: run.contactID, phone: run.phone, runID: run.runID)
            stray.deliveryJob = JobRecord(id: "job-stray", kind: .advance, runID: run.runID, dueAt: at(600), createdAt: at(1))
            _ = try await store.queueDirectMessage(DirectMessage(text: stray, decision: decision("dec-stray", run.contactID)))

            #expect(try await store.advanceStep(Self.fullStep(job, run, runEnd: (.finished, "end_of_program"))) == .committed)

            let ended = try #require(try await store.runState(run.runID)?.run)
            #expect(ended.status == .finished)
            #expect(ended.endReason == "end_of_program")
            #expect(ended.pc == 3)
            #expect(try await store.job(run.jobID)?.status == .done)
            #expect(try await store.job("job-stray")?.status == .cancelled)
            #expect(try await store.job("deliver-step")?.status == .pending)
            #expect(try await store.job(other.jobID)?.status == .pending)
            #expect(try await store.activeRuns(contactID: run.contactID).isEmpty)
        }
    }

    @Test(arguments: StoreEngines.available)
    func advanceStepMergesContactAttributes(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1), hint: ContactHint(name: "Dana Reyes", attributes: ["lead_source": "ads", "tier": "gold"]))
            let job = try await claim(store, run.jobID, owner: "w1")

            #expect(try await store.advanceStep(AdvanceStep(claim: job, runID: run.runID, contactID: run.contactID, pc: 1, next: .done,
                                                            contactAttributes: ["tier": "platinum", "zip": "94110"], now: at(5))) == .committed)

            let contact = try #require(try await store.contact(id: run.contactID, scope: .all))
            #expect(contact.attributes == ["lead_source": "ads", "tier": "platinum", "zip": "94110"])
            #expect(contact.name == "Dana Reyes")
        }
    }
}

// MARK: - claimForSending

extension StoreContract {
    /// A contact with one queued automated text "msg-t" whose delivery job "deliver-t" `owner` holds
    /// (the run's own advance job is held elsewhere for a day, out of the way of claims).
    static func heldText(_ store: any Store, owner: String = "w1") async throws -> (StartedRun, JobClaim) {
        let run = try await startRun(store, "a", from: phone(1))
        try await claim(store, run.jobID, owner: "advance-worker", leaseUntil: at(86_400))
        _ = try await store.queueDirectMessage(DirectMessage(text: text("t", to: run.contactID, phone: run.phone, runID: run.runID, heldBy: owner),
                                                             decision: decision("dec-t", run.contactID, messageID: "msg-t")))
        return (run, JobClaim(jobID: "deliver-t", owner: owner))
    }

    static func claimForSending(_ claim: JobClaim, _ message: MessageID = "msg-t", guard sendGuard: SendGuard? = nil) -> ClaimForSending {
        ClaimForSending(claim: claim, messageID: message, sendGuard: sendGuard, refusalDecisionID: "dec-refused", now: at(10))
    }

    static func observeText(_ store: any Store, _ run: StartedRun) async throws -> Observed {
        try await observe(store, run.contactID, phone: run.phone, runs: [run.runID], jobs: ["deliver-t"], messages: ["msg-t"])
    }

    @Test(arguments: StoreEngines.available)
    func claimForSendingMovesAQueuedMessageToSending(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (_, delivery) = try await Self.heldText(store)

            let result = try await store.claimForSending(Self.claimForSending(delivery, guard: capGuard(1)))

            guard case .claimed(let message) = result else { Issue.record("expected claimed, got \(result)"); return }
            #expect(message.id == "msg-t")
            #expect(message.status == .sending)
            #expect(try await store.message("msg-t", scope: .all)?.status == .sending)
            #expect(try await store.job("deliver-t")?.status == .running)
        }
    }

    @Test(arguments: StoreEngines.available)
    func claimForSendingOfAMessageThatIsNotQueuedWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.heldText(store)
            _ = try await store.claimForSending(Self.claimForSending(delivery))
            let before = try await Self.observeText(store, run)

            let result = try await store.claimForSending(Self.claimForSending(delivery, guard: refusingGuard()))

            guard case .notQueued(let message) = result else { Issue.record("expected notQueued, got \(result)"); return }
            #expect(message.status == .sending)
            #expect(try await Self.observeText(store, run) == before)
        }
    }

    @Test(arguments: StoreEngines.available)
    func claimForSendingIsRefusedWhenTheNumberWasSuppressedFirst(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.heldText(store)
            #expect(try await store.addSuppression(SuppressionRecord(phone: run.phone, reason: "opt_out", source: "keyword:STOP", createdAt: at(5))))

            let result = try await store.claimForSending(Self.claimForSending(delivery, guard: suppressionGuard()))

            #expect(result == .refused(refusal))
            // Cancelled, recorded and done, together.
            #expect(try await store.message("msg-t", scope: .all)?.status == .cancelled)
            #expect(try await store.job("deliver-t")?.status == .done)
            let recorded = try #require(try await store.timeline(contactID: run.contactID, scope: .all).decisions.first { $0.id == "dec-refused" })
            #expect(recorded.action == .suppress)
            #expect(recorded.reasons == refusal.reasons)
            #expect(recorded.sentence == refusal.sentence)
            #expect(recorded.messageID == "msg-t")
            #expect(recorded.runID == run.runID)
            #expect(recorded.decidedAt.ms == at(10).ms)
        }
    }

    @Test(arguments: StoreEngines.available)
    func claimForSendingDoesNotCountTheMessageItIsAboutAgainstACap(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (_, delivery) = try await Self.heldText(store)

            let result = try await store.claimForSending(Self.claimForSending(delivery, guard: capGuard(1)))

            guard case .claimed = result else { Issue.record("expected claimed, got \(result)"); return }
        }
    }

    @Test(arguments: StoreEngines.available)
    func claimForSendingIsStaleWhenTheJobIsNotHeldOrTheMessageIsGoneAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.heldText(store)
            let before = try await Self.observeText(store, run)

            #expect(try await store.claimForSending(Self.claimForSending(JobClaim(jobID: "deliver-t", owner: "w2"), guard: refusingGuard())) == .stale)
            #expect(try await store.claimForSending(Self.claimForSending(delivery, "msg-missing", guard: refusingGuard())) == .stale)

            #expect(try await Self.observeText(store, run) == before)
        }
    }
}

// MARK: - finishDelivery

extension StoreContract {
    /// A held text already moved to `sending`.
    static func sendingText(_ store: any Store) async throws -> (StartedRun, JobClaim) {
        let (run, delivery) = try await heldText(store)
        guard case .claimed = try await store.claimForSending(claimForSending(delivery)) else {
            throw StoreError.corrupt("the text could not be claimed for sending")
        }
        return (run, delivery)
    }

    static func sent(_ claim: JobClaim, expected: MessageStatus = .sending, suppression: SuppressionRecord? = nil) -> FinishDelivery {
        FinishDelivery(claim: claim, messageID: "msg-t", expected: expected, status: suppression == nil ? .sent : .failed,
                       carrierMessageID: "SM-1", error: suppression == nil ? nil : "21610 unsubscribed", sentAt: at(20),
                       decisions: [decision("dec-finish", ContactID("contact-a"), messageID: "msg-t", at: at(20))],
                       suppression: suppression, crm: [crmEntry("sent", messageID: "msg-t", at: at(20))], now: at(20))
    }

    @Test(arguments: StoreEngines.available)
    func finishDeliveryRecordsTheCarriersAnswerAndFinishesTheJob(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.sendingText(store)

            #expect(try await store.finishDelivery(Self.sent(delivery)) == .committed)

            let message = try #require(try await store.message("msg-t", scope: .all))
            #expect(message.status == .sent)
            #expect(message.carrierMessageID == "SM-1")
            #expect(message.sentAt?.ms == at(20).ms)
            #expect(try await store.job("deliver-t")?.status == .done)
            #expect(try await store.timeline(contactID: run.contactID, scope: .all).decisions.contains { $0.id == "dec-finish" })
        }
    }

    @Test(arguments: StoreEngines.available, [MessageStatus.queued, .sent, .unknown])
    func finishDeliveryIsStaleWhenTheMessageIsNotInTheExpectedStatusAndWritesNothing(engine: StoreEngine, expected: MessageStatus) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.sendingText(store)
            let before = try await Self.observeText(store, run)
            let optOut = SuppressionRecord(phone: run.phone, reason: "carrier_opt_out", source: "carrier", createdAt: at(20))

            #expect(try await store.finishDelivery(Self.sent(delivery, expected: expected, suppression: optOut)) == .stale)

            #expect(try await Self.observeText(store, run) == before)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aSecondFinisherIsStale(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.sendingText(store)
            #expect(try await store.finishDelivery(Self.sent(delivery)) == .committed)
            let before = try await Self.observeText(store, run)

            var late = Self.sent(delivery)
            late.status = .failed
            late.error = "timeout"
            #expect(try await store.finishDelivery(late) == .stale)

            #expect(try await Self.observeText(store, run) == before)
            #expect(try await store.message("msg-t", scope: .all)?.status == .sent)
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func finishDeliveryThatRetriesPutsTheMessageBackToQueuedAndReschedulesTheJob(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (_, delivery) = try await Self.sendingText(store)

            #expect(try await store.finishDelivery(FinishDelivery(claim: delivery, messageID: "msg-t", expected: .sending, status: .queued,
                                                                  error: "503 from the carrier", next: .retry(at: at(120)), now: at(20)))
                    == .committed)

            #expect(try await store.message("msg-t", scope: .all)?.status == .queued)
            let job = try #require(try await store.job("deliver-t"))
            #expect(job.status == .pending)
            #expect(job.dueAt.ms == at(120).ms)
            #expect(job.attempts == 1, "a retry keeps counting attempts, so the runner can give up")
            #expect(try await claimAll(store, owner: "w2", now: at(119)) == [])
            #expect(try await claimAll(store, owner: "w2", now: at(120)) == ["deliver-t"])
            #expect(try await store.job("deliver-t")?.attempts == 2)
            let again = try await store.claimForSending(Self.claimForSending(JobClaim(jobID: "deliver-t", owner: "w2")))
            guard case .claimed = again else { Issue.record("expected the retried text to be claimable, got \(again)"); return }
        }
    }

    @Test(arguments: StoreEngines.available)
    func finishDeliveryWritesItsSuppressionInTheSameUnit(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.sendingText(store)
            let optOut = SuppressionRecord(phone: run.phone, reason: "carrier_opt_out", source: "twilio:21610", createdAt: at(20))

            #expect(try await store.finishDelivery(Self.sent(delivery, suppression: optOut)) == .committed)

            // Stored as the business's that sent the text (the message's), whatever the unit carried.
            var stored = optOut
            stored.business = .default
            #expect(try await store.suppression(phone: run.phone, channel: "sms", for: .default) == stored)
            #expect(try await store.suppression(phone: run.phone, channel: "sms", for: nil) == nil)
            let message = try #require(try await store.message("msg-t", scope: .all))
            #expect(message.status == .failed)
            #expect(message.error == "21610 unsubscribed")
            #expect(try await store.job("deliver-t")?.status == .done)
        }
    }

    @Test(arguments: StoreEngines.available)
    func finishDeliveryIsStaleWhenTheJobIsNotHeldAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, _) = try await Self.sendingText(store)
            let before = try await Self.observeText(store, run)
            let optOut = SuppressionRecord(phone: run.phone, reason: "carrier_opt_out", source: "carrier", createdAt: at(20))

            #expect(try await store.finishDelivery(Self.sent(JobClaim(jobID: "deliver-t", owner: "w2"), suppression: optOut)) == .stale)

            #expect(try await Self.observeText(store, run) == before)
        }
    }
}

// MARK: - cancelJob, endRun

extension StoreContract {
    @Test(arguments: StoreEngines.available)
    func cancelJobFinishesAHeldJobWithItsDecisions(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")

            #expect(try await store.cancelJob(job, decisions: [decision("dec-cancel", run.contactID, action: .cancel, at: at(3))], now: at(3))
                    == .committed)

            #expect(try await store.job(run.jobID)?.status == .cancelled)
            #expect(try await store.timeline(contactID: run.contactID, scope: .all).decisions.map(\.id) == ["dec-cancel"])
        }
    }

    @Test(arguments: StoreEngines.available)
    func cancelJobIsStaleWhenTheJobIsNotHeldAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            try await claim(store, run.jobID, owner: "w1")
            let before = try await observe(store, run.contactID, phone: run.phone, jobs: [run.jobID])

            #expect(try await store.cancelJob(JobClaim(jobID: run.jobID, owner: "w2"), decisions: [decision("dec-cancel", run.contactID)],
                                              now: at(3)) == .stale)

            #expect(try await observe(store, run.contactID, phone: run.phone, jobs: [run.jobID]) == before)
        }
    }

    @Test(arguments: StoreEngines.available)
    func endRunEndsTheRunFinishesTheJobAndRecordsItsDecision(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            var stray = text("stray", to: run.contactID, phone: run.phone, runID: run.runID)
            stray.deliveryJob = JobRecord(id: "job-stray", kind: .advance, runID: run.runID, dueAt: at(600), createdAt: at(1))
            _ = try await store.queueDirectMessage(DirectMessage(text: stray, decision: decision("dec-stray", run.contactID)))

            #expect(try await store.endRun(job, runID: run.runID, status: .stopped, reason: "connected",
                                           decision: decision("dec-end", run.contactID, runID: run.runID, action: .stop, at: at(4)),
                                           now: at(4)) == .committed)

            let ended = try #require(try await store.runState(run.runID)?.run)
            #expect(ended.status == .stopped)
            #expect(ended.endReason == "connected")
            #expect(try await store.job(run.jobID)?.status == .done)
            #expect(try await store.job("job-stray")?.status == .cancelled)
            #expect(try await store.timeline(contactID: run.contactID, scope: .all).decisions.map(\.id).contains("dec-end"))
        }
    }

    @Test(arguments: StoreEngines.available)
    func endRunIsStaleWhenTheJobIsNotHeldOrTheRunNotActiveAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            let end = decision("dec-end", run.contactID, runID: run.runID, action: .stop, at: at(4))
            var before = try await observe(store, run.contactID, phone: run.phone, runs: [run.runID], jobs: [run.jobID])

            #expect(try await store.endRun(JobClaim(jobID: run.jobID, owner: "w2"), runID: run.runID, status: .stopped, reason: "x",
                                           decision: end, now: at(4)) == .stale)
            #expect(try await observe(store, run.contactID, phone: run.phone, runs: [run.runID], jobs: [run.jobID]) == before)

            // The run ends (its text's delivery job is still held); ending it again is stale.
            var last = AdvanceStep(claim: job, runID: run.runID, contactID: run.contactID, pc: 2, runEnd: (.finished, "end_of_program"),
                                   next: .done, now: at(5))
            last.text = text("last", to: run.contactID, phone: run.phone, runID: run.runID, heldBy: "w1")
            #expect(try await store.advanceStep(last) == .committed)
            before = try await observe(store, run.contactID, phone: run.phone, runs: [run.runID], jobs: [run.jobID, "deliver-last"])

            #expect(try await store.endRun(JobClaim(jobID: "deliver-last", owner: "w1"), runID: run.runID, status: .stopped, reason: "x",
                                           decision: end, now: at(6)) == .stale)
            #expect(try await observe(store, run.contactID, phone: run.phone, runs: [run.runID], jobs: [run.jobID, "deliver-last"]) == before)
        }
    }
}

// MARK: - queueDirectMessage, recordDecisions

extension StoreContract {
    @Test(arguments: StoreEngines.available)
    func queueDirectMessageWritesTheTextItsJobAndItsDecision(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let contact = try await store.ingestCall(ingest("a", from: phone(1)))

            #expect(try await store.queueDirectMessage(direct("hello", to: contact.contactID, phone: phone(1), at: at(3))) == .queued("msg-hello"))

            #expect(try await store.message("msg-hello", scope: .all)?.status == .queued)
            let job = try #require(try await store.job("deliver-hello"))
            #expect(job.status == .pending)
            #expect(job.lane == .compliance)
            #expect(job.messageID == "msg-hello")
            #expect(try await store.timeline(contactID: contact.contactID, scope: .all).decisions.map(\.id) == ["dec-hello"])
        }
    }

    @Test(arguments: StoreEngines.available)
    func queueDirectMessageWithAnIdempotencyKeyAlreadyUsedIsADuplicateAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let contact = try await store.ingestCall(ingest("a", from: phone(1)))
            #expect(try await store.queueDirectMessage(direct("first", to: contact.contactID, phone: phone(1), key: "k")) == .queued("msg-first"))
            let before = try await observe(store, contact.contactID, phone: phone(1), jobs: ["deliver-second"], messages: ["msg-second"])

            #expect(try await store.queueDirectMessage(direct("second", to: contact.contactID, phone: phone(1), key: "k"))
                    == .duplicate(existing: "msg-first"))

            #expect(try await observe(store, contact.contactID, phone: phone(1), jobs: ["deliver-second"], messages: ["msg-second"]) == before)
        }
    }

    @Test(arguments: StoreEngines.available)
    func queueDirectMessageIsRefusedWhenItsGuardRefusesAndWritesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let contact = try await store.ingestCall(ingest("a", from: phone(1)))
            let before = try await observe(store, contact.contactID, phone: phone(1), jobs: ["deliver-no"], messages: ["msg-no"])

            #expect(try await store.queueDirectMessage(direct("no", to: contact.contactID, phone: phone(1), sendGuard: refusingGuard()))
                    == .refused(refusal))

            #expect(try await observe(store, contact.contactID, phone: phone(1), jobs: ["deliver-no"], messages: ["msg-no"]) == before)
        }
    }

    static let reasonCases: [[String]] = [
        [],
        ["allowed"],
        ["keyword:stop, please", "opted_out"],
        [",", "", "a,b,c", "quote\"d", "[\"json\"]"],
    ]

    @Test(arguments: StoreEngines.available, reasonCases)
    func decisionReasonsRoundTripAsArraysEvenWithCommas(engine: StoreEngine, reasons: [String]) async throws {
        try await engine.withStore { store in
            let started = try await startRun(store, "a", from: phone(1))
            let recorded = DecisionRecord(id: "dec-1", contactID: started.contactID, runID: started.runID, callID: started.callID,
                                          messageID: "msg-x", action: .defer, reasons: reasons, sentence: "Quiet hours, so later.",
                                          until: at(3600), decidedAt: at(7))

            try await store.recordDecisions([recorded])

            let read = try #require(try await store.timeline(contactID: started.contactID, scope: .all).decisions.first)
            #expect(read.reasons == reasons)
            #expect(read.id == recorded.id)
            #expect(read.runID == recorded.runID)
            #expect(read.callID == recorded.callID)
            #expect(read.messageID == recorded.messageID)
            #expect(read.action == .defer)
            #expect(read.sentence == recorded.sentence)
            #expect(read.until?.ms == at(3600).ms)
            #expect(read.decidedAt.ms == at(7).ms)
        }
    }
}
