// The contract of the reads: the timeline's causal order, listings paged with `next` cursors, the
// history window the policy reads, and a text's template kept and counted in the per-template figures.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

extension StoreContract {
    @Test(arguments: StoreEngines.available)
    func theTimelineShowsTheCallThenDecisionsThenTheTextAndAnInboundTextBeforeTheDecisionsItCaused(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            // Decided and written at the same instant: the decision comes first.
            #expect(try await store.advanceStep(AdvanceStep(
                claim: job, runID: run.runID, contactID: run.contactID, pc: 1, next: .wait(until: at(3600)),
                decisions: [decision("dec-send", run.contactID, runID: run.runID, messageID: "msg-hello", at: at(60))],
                text: text("hello", to: run.contactID, phone: run.phone, runID: run.runID, at: at(60)), now: at(60))) == .committed)
            // A STOP at one instant: the text, then the cancellation and the confirmation's decision, then the confirmation.
            _ = try await store.receiveInbound(InboundUnit(inbound: inbound("in-stop", from: run.phone, body: "STOP", at: at(120)),
                                                           effect: optOut(confirmation: "confirm", from: run.phone, at: at(120)),
                                                           ids: freshIDs()))

            let timeline = try await store.timeline(contactID: run.contactID, scope: .all)

            let labels = timeline.map { entry -> String in
                switch entry {
                case .call(let c): "call:\(c.id)"
                case .decision(let d): "decision:\(d.action.rawValue)"
                case .message(let m): "message:\(m.id)"
                }
            }
            #expect(labels == ["call:\(run.callID)", "decision:send", "message:msg-hello", "message:in-stop", "decision:cancel",
                               "decision:send", "message:msg-confirm"])
            #expect(timeline.map(\.at.ms) == timeline.map(\.at.ms).sorted())
        }
    }

    @Test(arguments: StoreEngines.available, [0, 1, 3, 6, 7])
    func messagesArePagedNewestFirstAndEveryMessageAppearsOnce(engine: StoreEngine, count: Int) async throws {
        try await engine.withStore { store in
            let contact = try await store.ingestCall(ingest("a", from: phone(1)))
            for i in 0..<count {
                _ = try await store.queueDirectMessage(direct("m\(i)", to: contact.contactID, phone: phone(1), at: at(Double(i))))
            }

            var seen: [MessageID] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await store.messages(scope: .all, limit: 3, after: cursor)
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                cursor = page.next
                pages += 1
            } while cursor != nil && pages <= count + 1

            #expect(seen == (0..<count).reversed().map { MessageID("msg-m\($0)") })
        }
    }

    @Test(arguments: StoreEngines.available, ["garbage", ""])
    func aCursorTheListingDidNotProduceIsRefused(engine: StoreEngine, cursor: String) async throws {
        try await engine.withStore { store in
            let error = await #expect(throws: StoreError.self) { _ = try await store.messages(scope: .all, limit: 3, after: cursor) }
            #expect(error.isInvalidCursor)
        }
    }

    @Test(arguments: StoreEngines.withSimulatorOutbox)
    func simulatorOutboxIsPagedOldestFirstAndAcceptsOncePerKey(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let outbox = try #require(store as? any SimulatorOutbox)
            func entry(_ i: Int, id: String? = nil) -> SimulatorOutboxEntry {
                SimulatorOutboxEntry(id: id ?? "sim-\(i)", idempotencyKey: "key-\(i)", from: business, to: phone(i), body: "Text \(i)",
                                     status: "delivered", sentAt: at(Double(i)))
            }
            for i in 0..<5 { #expect(try await outbox.accept(entry(i)) == entry(i)) }

            #expect(try await outbox.accept(entry(2, id: "sim-again")) == entry(2))

            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await outbox.entries(limit: 2, after: cursor)
                seen += page.items.map(\.id)
                cursor = page.next
            } while cursor != nil && seen.count <= 5
            #expect(seen == (0..<5).map { "sim-\($0)" })
            #expect(try await outbox.entry(idempotencyKey: "key-3")?.id == "sim-3")
            #expect(try await outbox.entry(idempotencyKey: "key-9") == nil)
            let error = await #expect(throws: StoreError.self) { _ = try await outbox.entries(limit: 2, after: "garbage") }
            #expect(error.isInvalidCursor)
        }
    }

    @Test(arguments: StoreEngines.available)
    func historyReturnsTheCallsAndMessagesInsideTheWindowWithEveryConsentAndTheSuppression(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let number = phone(1)
            let day = 86_400.0
            let old = try await store.ingestCall(ingest("old", from: number, at: at(-10 * day), consent: impliedConsent("consent-old", number, at: at(-10 * day))))
            _ = try await store.ingestCall(ingest("recent", from: number, at: at(-3600)))
            _ = try await store.queueDirectMessage(direct("old", to: old.contactID, phone: number, at: at(-10 * day)))
            _ = try await store.queueDirectMessage(direct("recent", to: old.contactID, phone: number, at: at(-1800)))
            try await store.addSuppression(SuppressionRecord(phone: number, reason: "dnc_list", source: "import", createdAt: at(-5 * day)))
            let stranger = try await store.ingestCall(ingest("stranger", from: phone(2), at: at(-60)))
            _ = try await store.queueDirectMessage(direct("stranger", to: stranger.contactID, phone: phone(2), at: at(-60)))

            let history = try await store.history(contactID: old.contactID, phone: number, since: at(-day))

            #expect(history.calls.map(\.event.providerCallID) == ["recent"])
            #expect(history.messages.map(\.id) == ["msg-recent"])
            #expect(history.consents.map(\.id) == ["consent-old"])
            #expect(history.suppression?.reason == "dnc_list")
        }
    }

    @Test(arguments: StoreEngines.available)
    func aRunsStateReadWithItsHistoryHoldsWhatTheTwoReadsWouldAndAnswersOnlyForALaterStart(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let number = phone(1)
            let day = 86_400.0
            _ = try await store.ingestCall(ingest("old", from: number, at: at(-3 * day), consent: impliedConsent("consent-old", number, at: at(-3 * day))))
            let now = try await store.ingestCall(ingest("now", from: number, at: at(-60), runs: [plannedRun("now")]))
            _ = try await store.queueDirectMessage(direct("earlier", to: now.contactID, phone: number, at: at(-2 * day)))
            _ = try await store.queueDirectMessage(direct("recent", to: now.contactID, phone: number, at: at(-1800)))
            try await store.addSuppression(SuppressionRecord(phone: number, reason: "dnc_list", source: "import", createdAt: at(-5 * day)))

            let state = try #require(try await store.runState(RunID("run-now"), historySince: at(-day)))
            let separate = try #require(try await store.runState(RunID("run-now")))
            #expect(state.run.id == separate.run.id && state.contact.id == separate.contact.id)
            let prefetched = try #require(state.history)
            let read = try await store.history(contactID: now.contactID, phone: number, since: at(-day))
            #expect(prefetched.history.calls.map(\.id) == read.calls.map(\.id))
            #expect(prefetched.history.messages.map(\.id) == read.messages.map(\.id))
            #expect(prefetched.history.consents.map(\.id) == read.consents.map(\.id))
            #expect(prefetched.history.suppression?.reason == "dnc_list")
            // A later start is answered from it exactly; an earlier one or another contact is not.
            let later = try await store.history(contactID: now.contactID, phone: number, since: at(-3600))
            #expect(prefetched.from(at(-3600), contactID: now.contactID)?.messages.map(\.id) == later.messages.map(\.id))
            #expect(prefetched.from(at(-3600), contactID: now.contactID)?.calls.map(\.id) == later.calls.map(\.id))
            #expect(later.messages.map(\.id) == ["msg-recent"])
            #expect(prefetched.from(at(-2 * day), contactID: now.contactID) == nil)
            #expect(prefetched.from(at(-3600), contactID: ContactID("someone-else")) == nil)
            #expect(try await store.runState(RunID("run-missing"), historySince: at(-day)) == nil)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aBatchOfRunStatesGivesEachRunItsOwnContactAndWindowAndLeavesOutMissingRuns(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let day = 86_400.0
            let first = try await store.ingestCall(ingest("first", from: phone(1), at: at(-60), runs: [plannedRun("first")]))
            let second = try await store.ingestCall(ingest("second", from: phone(2), at: at(-60), runs: [plannedRun("second")]))
            _ = try await store.queueDirectMessage(direct("one-old", to: first.contactID, phone: phone(1), at: at(-2 * day)))
            _ = try await store.queueDirectMessage(direct("one-new", to: first.contactID, phone: phone(1), at: at(-600)))
            _ = try await store.queueDirectMessage(direct("two-old", to: second.contactID, phone: phone(2), at: at(-2 * day)))
            try await store.addSuppression(SuppressionRecord(phone: phone(2), reason: "dnc_list", source: "import", createdAt: at(-day)))

            let states = try await store.runStates([
                RunStateRequest(runID: RunID("run-first"), historySince: at(-3600)),
                RunStateRequest(runID: RunID("run-missing"), historySince: at(-3600)),
                RunStateRequest(runID: RunID("run-second"), historySince: at(-3 * day)),
            ])

            #expect(Set(states.keys) == [RunID("run-first"), RunID("run-second")])
            let one = try #require(states[RunID("run-first")])
            let two = try #require(states[RunID("run-second")])
            #expect(one.contact.id == first.contactID && one.call.id == first.callID)
            #expect(two.contact.id == second.contactID && two.call.id == second.callID)
            // Each run's history is its own contact's, over its own window.
            #expect(one.history?.since == at(-3600) && two.history?.since == at(-3 * day))
            #expect(one.history?.history.messages.map(\.id) == ["msg-one-new"])
            #expect(one.history?.history.suppression == nil)
            #expect(two.history?.history.messages.map(\.id) == ["msg-two-old"])
            #expect(two.history?.history.suppression?.reason == "dnc_list")
            #expect(try await store.runStates([]).isEmpty)
        }
    }

    /// An automated text "msg-<name>" from `template`, stored as the carrier left it.
    static func templated(_ name: String, template: String?, to contactID: ContactID, phone number: PhoneNumber, status: MessageStatus,
                          sentAt: Date? = nil) -> DirectMessage {
        var message = direct(name, to: contactID, phone: number, kind: .automated)
        message.text.message.template = template
        message.text.message.status = status
        message.text.message.carrierMessageID = sentAt == nil ? nil : "SM-\(name)"
        message.text.message.sentAt = sentAt
        return message
    }

    @Test(arguments: StoreEngines.available)
    func aTextKeepsItsTemplateAndEachTemplateCountsItsTextsAndTheRepliesAfterThem(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let a = try await store.ingestCall(ingest("a", from: phone(1)))
            let b = try await store.ingestCall(ingest("b", from: phone(2)))
            for text in [Self.templated("a1", template: "first", to: a.contactID, phone: phone(1), status: .sent, sentAt: at(10)),
                         Self.templated("b1", template: "first", to: b.contactID, phone: phone(2), status: .queued),
                         Self.templated("a2", template: "follow_up", to: a.contactID, phone: phone(1), status: .delivered, sentAt: at(20)),
                         Self.templated("b2", template: nil, to: b.contactID, phone: phone(2), status: .sent, sentAt: at(25))] {
                #expect(try await store.queueDirectMessage(text) == .queued(text.text.message.id))
            }
            // A answers after both of its texts; B never answers.
            guard case .stored = try await store.receiveInbound(InboundUnit(inbound: inbound("reply-a", from: phone(1), body: "Yes", at: at(30)),
                                                                            effect: .none, ids: freshIDs())) else {
                Issue.record("the reply was not stored")
                return
            }

            #expect(try await store.message("msg-a1", scope: .all)?.template == "first")
            #expect(try await store.message("msg-b2", scope: .all)?.template == nil)
            let figures = try await store.figures(from: at(-60), to: at(3600), scope: .all)
            #expect(Set(figures.byTemplate.keys) == ["first", "follow_up"], "a text without a template counts in the totals only")
            let first = try #require(figures.byTemplate["first"])
            #expect(first.textsWritten == 2)
            #expect(first.textsSent == 1)
            #expect(first.textsDelivered == 0)
            #expect(first.replyRate == Ratio(1, of: 1), "A's reply counts; B was never texted")
            let followUp = try #require(figures.byTemplate["follow_up"])
            #expect(followUp.textsWritten == 1)
            #expect(followUp.delivery == Ratio(1, of: 1))
            #expect(followUp.replyRate == Ratio(1, of: 1))
            #expect(figures.total.textsSent == 3)
            #expect(try await store.figures(from: at(3600), to: at(7200), scope: .all).byTemplate.isEmpty)
        }
    }
}
