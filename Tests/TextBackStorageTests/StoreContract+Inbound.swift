// The contract of the inbound unit: a text and everything it implies (an opt-out, an opt-in, an
// answer) in one unit, once per carrier message, and the direct consent and suppression writes.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

extension StoreContract {
    @Test(arguments: StoreEngines.available)
    func anInboundTextIsStoredOncePerCarrierAndCarrierMessageID(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = try await store.receiveInbound(InboundUnit(inbound: inbound("in-1", from: phone(1), body: "hi", carrierMessageID: "SM-1"),
                                                                   effect: .none, ids: freshIDs()))
            guard case .stored(let contactID, "in-1", 0, nil) = first else { Issue.record("expected stored, got \(first)"); return }
            let stored = try #require(try await store.message("in-1", scope: .all))
            #expect(stored.direction == .inbound)
            #expect(stored.kind == .inbound)
            #expect(stored.status == .received)
            #expect(stored.contactID == contactID)
            #expect(stored.body == "hi")

            // A repeat changes nothing, even one that would now read as an opt-out.
            let repeated = try await store.receiveInbound(InboundUnit(
                inbound: inbound("in-2", from: phone(1), body: "STOP", carrierMessageID: "SM-1", at: at(5)),
                effect: optOut(confirmation: "confirm", from: phone(1), at: at(5)), ids: freshIDs()))
            #expect(repeated == .duplicate(contactID: contactID, messageID: "in-1"))
            #expect(try await store.message("in-2", scope: .all) == nil)
            #expect(try await store.suppression(phone: phone(1), channel: "sms", for: .default) == nil)
            #expect(try await store.message("msg-confirm", scope: .all) == nil)

            // The same id from another carrier is another message.
            let other = try await store.receiveInbound(InboundUnit(
                inbound: inbound("in-3", from: phone(1), body: "hi", carrier: "telnyx", carrierMessageID: "SM-1"), effect: .none, ids: freshIDs()))
            #expect(other == .stored(contactID: contactID, messageID: "in-3", cancelledRuns: 0, queued: nil))
        }
    }

    @Test(arguments: StoreEngines.available)
    func aReplyIsStoredAndCancelsNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))

            let outcome = try await store.receiveInbound(InboundUnit(inbound: inbound("in-1", from: run.phone, body: "thanks"), effect: .none,
                                                                     ids: freshIDs()))

            #expect(outcome == .stored(contactID: run.contactID, messageID: "in-1", cancelledRuns: 0, queued: nil))
            #expect(try await store.activeRuns(contactID: run.contactID).map(\.id) == [run.runID])
            #expect(try await store.job(run.jobID)?.status == .pending)
        }
    }

    @Test(arguments: StoreEngines.available)
    func anOptOutSuppressesRevokesCancelsEveryActiveRunAndQueuesOneConfirmation(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let number = phone(1)
            let outcome = try await store.ingestCall(ingest("call", from: number, runs: [
                plannedRun("a", automation: "missed-call", dueAt: at(60)), plannedRun("b", automation: "follow-up", dueAt: at(3600)),
            ], consent: impliedConsent("consent-implied", number)))
            try await store.addConsent(ConsentRecord(id: "consent-written", phone: number, kind: .expressWritten, scope: "missed_call",
                                                     source: "web_form", recordedAt: at(1)))
            let bystander = try await startRun(store, "bystander", from: phone(2))
            let contactID = outcome.contactID

            let result = try await store.receiveInbound(InboundUnit(inbound: inbound("in-stop", from: number, body: "STOP", at: at(10)),
                                                                    effect: optOut(confirmation: "confirm", from: number, at: at(10)),
                                                                    ids: freshIDs()))

            #expect(result == .stored(contactID: contactID, messageID: "in-stop", cancelledRuns: 2, queued: "msg-confirm"))
            #expect(try await store.suppression(phone: number, channel: "sms", for: .default)?.reason == "opt_out")
            let consents = try await store.consents(phone: number, business: .default)
            #expect(consents.count == 2)
            #expect(consents.allSatisfy { $0.revokedAt?.ms == at(10).ms && $0.revokeSource == "keyword:STOP" })
            for name in ["a", "b"] {
                let run = try #require(try await store.runState(RunID("run-\(name)"))?.run)
                #expect(run.status == .cancelled)
                #expect(run.endReason == "opted_out")
                #expect(try await store.job(JobID("job-\(name)"))?.status == .cancelled)
            }
            #expect(try await store.activeRuns(contactID: contactID).isEmpty)
            let cancels = try await store.timeline(contactID: contactID, scope: .all).decisions.filter { $0.action == .cancel }
            #expect(cancels.count == 2)
            #expect(Set(cancels.compactMap(\.runID)) == ["run-a", "run-b"])
            #expect(cancels.allSatisfy { $0.callID == outcome.callID && $0.decidedAt.ms == at(10).ms })
            let confirmation = try #require(try await store.message("msg-confirm", scope: .all))
            #expect(confirmation.kind == .optOutConfirmation)
            #expect(confirmation.contactID == contactID)
            #expect(confirmation.status == .queued)
            #expect(try await store.job("deliver-confirm")?.lane == .compliance)
            #expect(try await store.job("deliver-confirm")?.status == .pending)
            // Another contact's run is not touched.
            #expect(try await store.activeRuns(contactID: bystander.contactID).map(\.id) == [bystander.runID])
            #expect(try await store.job(bystander.jobID)?.status == .pending)
        }
    }

    enum AlreadyOptedOut: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case byAnEarlierStop, byTheCarrier
        var testDescription: String { rawValue }
    }

    @Test(arguments: StoreEngines.available, AlreadyOptedOut.allCases)
    func anOptOutFromANumberAlreadyOptedOutQueuesNoConfirmation(engine: StoreEngine, how: AlreadyOptedOut) async throws {
        try await engine.withStore { store in
            let number = phone(1)
            switch how {
            case .byAnEarlierStop:
                _ = try await store.receiveInbound(InboundUnit(inbound: inbound("in-stop-1", from: number, body: "STOP"),
                                                               effect: optOut(confirmation: "first", from: number), ids: freshIDs()))
            case .byTheCarrier:
                try await store.addSuppression(SuppressionRecord(phone: number, reason: "carrier_opt_out", source: "twilio:21610", createdAt: t0,
                                                                 business: .default))
            }
            let reason = try await store.suppression(phone: number, channel: "sms", for: .default)?.reason
            let run = try await startRun(store, "later", from: number, dueAt: at(60))

            let result = try await store.receiveInbound(InboundUnit(inbound: inbound("in-stop-2", from: number, body: "STOP", at: at(30)),
                                                                    effect: optOut(confirmation: "second", from: number, at: at(30)),
                                                                    ids: freshIDs()))

            #expect(result == .stored(contactID: run.contactID, messageID: "in-stop-2", cancelledRuns: 1, queued: nil))
            #expect(try await store.message("msg-second", scope: .all) == nil)
            #expect(try await store.job("deliver-second") == nil)
            #expect(try await store.suppression(phone: number, channel: "sms", for: .default)?.reason == reason, "the first reason is kept")
            #expect(try await store.runState(run.runID)?.run.status == .cancelled)
        }
    }

    struct OptInCase: Sendable, CustomTestStringConvertible {
        var suppressedFor: String
        /// The business's own entry, or (nil) the global do-not-contact list's.
        var business: BusinessID?
        var lifted: Bool
        var testDescription: String { "\(business == nil ? "global " : "")\(suppressedFor) \(lifted ? "lifted" : "kept")" }
    }

    @Test(arguments: StoreEngines.available, [
        OptInCase(suppressedFor: "opt_out", business: .default, lifted: true),
        OptInCase(suppressedFor: "carrier_opt_out", business: .default, lifted: true),
        OptInCase(suppressedFor: "dnc_list", business: .default, lifted: false),
        OptInCase(suppressedFor: "opt_out", business: nil, lifted: false),
    ])
    func optInLiftsOnlyTheListedSuppressionReasonsAndRecordsTheConsent(engine: StoreEngine, case c: OptInCase) async throws {
        try await engine.withStore { store in
            let number = phone(1)
            try await store.addSuppression(SuppressionRecord(phone: number, reason: c.suppressedFor, source: "test", createdAt: t0,
                                                             business: c.business))
            let consent = ConsentRecord(id: "consent-start", phone: number, kind: .expressWritten, source: "keyword:START", recordedAt: at(10))
            let confirmation = direct("welcome", to: ContactID(""), phone: number, kind: .optInConfirmation, at: at(10),
                                      sendGuard: suppressionGuard())

            let result = try await store.receiveInbound(InboundUnit(
                inbound: inbound("in-start", from: number, body: "START", at: at(10)),
                effect: .optIn(InboundUnit.OptIn(consent: consent, liftReasons: ["opt_out", "carrier_opt_out"], confirmation: confirmation)),
                ids: freshIDs()))

            guard case .stored(_, "in-start", 0, let queued) = result else { Issue.record("expected stored, got \(result)"); return }
            #expect(try await store.suppression(phone: number, channel: "sms", for: .default)?.reason == (c.lifted ? nil : c.suppressedFor))
            #expect(try await store.consents(phone: number, business: .default).map(\.id) == ["consent-start"])
            #expect(queued == (c.lifted ? "msg-welcome" : nil))
            #expect((try await store.message("msg-welcome", scope: .all) != nil) == c.lifted)
        }
    }

    @Test(arguments: StoreEngines.available)
    func anAnswerQueuedForABrandNewContactGetsThatContactsID(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let number = phone(9)
            #expect(try await store.contact(phone: number, business: .default) == nil)

            let result = try await store.receiveInbound(InboundUnit(
                inbound: inbound("in-help", from: number, body: "HELP"),
                effect: .answer(direct("help", to: ContactID(""), phone: number, kind: .help)), ids: freshIDs()))

            guard case .stored(let contactID, "in-help", 0, "msg-help") = result else { Issue.record("expected stored, got \(result)"); return }
            #expect(contactID == "contact-in-help")
            #expect(try await store.contact(phone: number, business: .default)?.id == contactID)
            #expect(try await store.contact(id: contactID, scope: .all)?.phone == number)
            #expect(try await store.message("msg-help", scope: .all)?.contactID == contactID)
            #expect(try await store.job("deliver-help")?.status == .pending)
            let timeline = try await store.timeline(contactID: contactID, scope: .all)
            #expect(timeline.decisions.map(\.id) == ["dec-help"])
            #expect(timeline.messages.map(\.id) == ["in-help", "msg-help"])
        }
    }

    // MARK: Consent and suppression written directly

    @Test(arguments: StoreEngines.available)
    func aSuppressionKeepsItsFirstReasonAndCanBeRemoved(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = SuppressionRecord(phone: phone(1), reason: "dnc_list", source: "import", createdAt: t0)
            let added = try await store.addSuppression(first)

            #expect(added)
            #expect(try await store.addSuppression(SuppressionRecord(phone: phone(1), reason: "opt_out", source: "api", createdAt: at(1))) == false)
            #expect(try await store.addSuppressions([first, SuppressionRecord(phone: phone(2), reason: "dnc_list", source: "import", createdAt: at(2))]) == 1)

            #expect(try await store.suppression(phone: phone(1), channel: "sms", for: .default) == first)
            #expect(try await store.suppressions(scope: .all, limit: 10, offset: 0).map(\.phone) == [phone(1), phone(2)])
            #expect(try await store.suppressions(scope: .all, limit: 10, offset: 1).map(\.phone) == [phone(2)])
            #expect(try await store.removeSuppression(phone: phone(1), channel: "sms", business: nil))
            #expect(try await store.removeSuppression(phone: phone(1), channel: "sms", business: nil) == false)
            #expect(try await store.suppression(phone: phone(1), channel: "sms", for: .default) == nil)
        }
    }

    @Test(arguments: StoreEngines.available)
    func revokeConsentsRevokesOnlyActiveGrantsOfTheGivenScope(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for (id, scope) in [("c-all", "all"), ("c-missed", "missed_call"), ("c-review", "review")] {
                try await store.addConsent(ConsentRecord(id: id, phone: phone(1), kind: .expressWritten, scope: scope, source: "form",
                                                         recordedAt: t0))
            }

            #expect(try await store.revokeConsents(phone: phone(1), business: .default, scope: "missed_call", at: at(5), source: "api") == 1)
            #expect(try await store.revokeConsents(phone: phone(1), business: .default, scope: "missed_call", at: at(6), source: "api") == 0)
            #expect(try await store.revokeConsents(phone: phone(1), business: .default, scope: nil, at: at(7), source: "api") == 2)

            let consents = try await store.consents(phone: phone(1), business: .default)
            #expect(consents.first { $0.id == "c-missed" }?.revokedAt?.ms == at(5).ms)
            #expect(consents.filter { $0.id != "c-missed" }.allSatisfy { $0.revokedAt?.ms == at(7).ms })
        }
    }
}
