// The storage contract for conversations: the turn a reply makes inside the inbound unit, a
// person's reply, the state compare-and-set, callbacks and the notification outbox — including the
// races each unit's invariant is about.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

/// A turn for a reply from `number` whose agent answers "agent-<name>" and books "cb-<name>" at `at(3600)`.
func agentTurn(_ name: String, expected: ConversationState? = .open, newState: ConversationState? = .open, reply: Bool = true,
               callback: Bool = false, cap: Int? = nil, notify: Int = 0, at now: Date = t0) -> ConversationTurn {
    ConversationTurn(
        newConversationID: ConversationID("conv-\(name)"), number: business, expectedState: expected, newState: newState,
        reply: reply ? direct("agent-\(name)", to: ContactID(""), phone: phone(0), key: "agent:\(name)", lane: .normal, at: now)
            .withType("agent") : nil,
        callback: callback ? CallbackRecord(id: CallbackID("cb-\(name)"), conversationID: ConversationID("conv-\(name)"),
                                            contactID: ContactID(""), phone: phone(0), number: business, at: at(3600),
                                            windowEnd: at(3600 + 7200), sourceMessageID: MessageID(name), createdAt: now) : nil,
        notifications: (0..<notify).map {
            NotificationRecord(id: "ntf-\(name)-\($0)", event: "conversation.needs_human", channel: .webhook, target: "https://h.example/x",
                               payload: #"{"conversation_id":"{conversation_id}"}"#, availableAt: now, createdAt: now)
        },
        decision: PlannedDecision(id: DecisionID("agentdec-\(name)"), action: .send, reasons: ["callback_requested"], sentence: "Booked."),
        cancelSentence: "Cancelled: the contact replied.", dailyCap: cap.map { ($0, at(-86_400)) })
}

extension DirectMessage {
    func withType(_ type: String) -> DirectMessage {
        var copy = self
        copy.text.message.messageType = type
        return copy
    }
}

extension StoreContract {
    func reply(_ store: any Store, _ name: String, turn: ConversationTurn, at now: Date = t0) async throws -> InboundOutcome {
        try await store.receiveInbound(InboundUnit(inbound: inbound(name, from: phone(0), body: "yes", at: now), effect: .none,
                                                   ids: freshIDs(), turn: turn))
    }

    @Test(arguments: StoreEngines.available)
    func aReplyCreatesOneConversationPerNumberAndContactAndCancelsActiveRuns(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(0))
            _ = try await reply(store, "in-1", turn: agentTurn("1", callback: true, notify: 1))
            _ = try await reply(store, "in-2", turn: agentTurn("2", at: at(10)), at: at(10))

            let conversation = try #require(try await store.conversation(number: business, phone: phone(0)))
            #expect(conversation.id == "conv-1", "the second turn's new id is not used: one conversation per pair")
            #expect(conversation.updatedAt.ms == at(10).ms)
            #expect(try await store.activeRuns(contactID: run.contactID).isEmpty)
            let cancels = try await store.timeline(contactID: run.contactID, scope: .all).decisions.filter { $0.action == .cancel }
            #expect(cancels.map(\.reasons) == [["replied"]])
            let detail = try #require(try await store.conversation(conversation.id, scope: .all))
            #expect(detail.messages.map(\.direction) == [.inbound, .outbound, .inbound, .outbound])
            #expect(detail.callbacks.map(\.id) == ["cb-1"])
            #expect(detail.callbacks.first?.contactID == run.contactID)
            let notification = try #require(try await store.notifications(limit: 10).first)
            #expect(notification.payload == #"{"conversation_id":"conv-1"}"#)
            #expect(try await store.agentReplies(number: business, contactID: run.contactID, since: at(-1)) == 2)
        }
    }

    @Test(arguments: StoreEngines.available)
    func theAgentStandsDownWhenTheStateMovedSinceItDecided(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await reply(store, "in-1", turn: agentTurn("1", newState: .needsHuman, reply: false))
            _ = try await reply(store, "in-2", turn: agentTurn("2", expected: .open, callback: true, notify: 1), at: at(5))

            let conversation = try #require(try await store.conversation(number: business, phone: phone(0)))
            #expect(conversation.state == .needsHuman)
            let detail = try #require(try await store.conversation(conversation.id, scope: .all))
            #expect(detail.messages.filter { $0.direction == .outbound }.isEmpty)
            #expect(detail.callbacks.isEmpty)
            #expect(try await store.notifications(limit: 10).isEmpty)
            #expect(detail.decisions.contains { $0.reasons == ["conversation_state_changed"] })
        }
    }

    @Test(arguments: StoreEngines.available)
    func theDailyCapIsCountedInsideTheWrite(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            for i in 0..<3 {
                _ = try await reply(store, "in-\(i)", turn: agentTurn("\(i)", cap: 2), at: at(Double(i)))
            }
            let conversation = try #require(try await store.conversation(number: business, phone: phone(0)))
            #expect(conversation.state == .needsHuman)
            #expect(try await store.agentReplies(number: business, contactID: conversation.contactID, since: at(-1)) == 2)
        }
    }

    @Test(arguments: StoreEngines.available)
    func twoReleasesAtOnceExactlyOneChangesTheState(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await reply(store, "in-1", turn: agentTurn("1", newState: .needsHuman, reply: false))
            let results = try await concurrently(2) { i in
                try await store.changeConversationState("conv-1", from: .needsHuman, to: .open,
                                                        decision: decision("rel-\(i)", ContactID(""), action: .skip))
            }
            #expect(results.filter { $0 == .changed }.count == 1)
            #expect(results.contains(.conflict(current: .open)))
            #expect(try await store.changeConversationState("conv-none", from: .needsHuman, to: .open,
                                                            decision: decision("rel-x", ContactID(""))) == .notFound)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aPersonsReplyIsRefusedByItsGuardAndNeedsAConversation(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let missing = try await store.queuePersonReply(PersonReply(conversationID: "conv-1",
                                                                       text: direct("p0", to: ContactID(""), phone: phone(0))))
            #expect(missing == .notFound)
            let stored = try await reply(store, "in-1", turn: agentTurn("1", reply: false))
            guard case .stored(let contactID, _, _, _) = stored else { Issue.record("not stored"); return }
            let allowed = try await store.queuePersonReply(PersonReply(conversationID: "conv-1", text: direct("p1", to: contactID, phone: phone(0))))
            #expect(allowed == .queued("msg-p1"))
            let refused = try await store.queuePersonReply(PersonReply(
                conversationID: "conv-1", text: direct("p2", to: contactID, phone: phone(0), sendGuard: refusingGuard())))
            #expect(refused == .refused(refusal))
            #expect(try await store.message("msg-p2", scope: .all) == nil)
        }
    }

    @Test(arguments: StoreEngines.available)
    func callbacksCompleteOnceAndOnlyTheRequestedOnesMiss(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await reply(store, "in-1", turn: agentTurn("1", callback: true))
            #expect(try await store.completeCallbacks(phone: phone(0), business: .default, connectedAt: at(-10), now: at(1)) == 0, "a call before the booking")
            #expect(try await store.completeCallbacks(phone: phone(0), business: .default, connectedAt: at(100), now: at(100)) == 1)
            #expect(try await store.completeCallbacks(phone: phone(0), business: .default, connectedAt: at(200), now: at(200)) == 0)
            _ = try await reply(store, "in-2", turn: agentTurn("2", callback: true), at: at(300))
            #expect(try await store.expireCallbacks(now: at(3600 + 7199)) == 0)
            #expect(try await store.expireCallbacks(now: at(3600 + 7201)) == 1)
            #expect(try await store.callbacks(scope: .all, status: .completed, phone: nil, limit: 10).map(\.id) == ["cb-1"])
            #expect(try await store.callbacks(scope: .all, status: .missed, phone: phone(0), limit: 10).map(\.id) == ["cb-2"])
            #expect(try await store.callbacks(scope: .all, status: nil, phone: phone(1), limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aNewBookingReplacesTheRequestedOneAndClosingCancelsIt(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await reply(store, "in-1", turn: agentTurn("1", callback: true))
            _ = try await reply(store, "in-2", turn: agentTurn("2", callback: true, at: at(10)), at: at(10))
            #expect(try await store.callbacks(scope: .all, status: .cancelled, phone: nil, limit: 10).map(\.id) == ["cb-1"])
            #expect(try await store.callbacks(scope: .all, status: .requested, phone: nil, limit: 10).map(\.id) == ["cb-2"])
            _ = try await reply(store, "in-3", turn: agentTurn("3", newState: .closed, reply: false, at: at(20)), at: at(20))
            #expect(try await store.callbacks(scope: .all, status: .requested, phone: nil, limit: 10).isEmpty)
            #expect(try await store.callbacks(scope: .all, status: .cancelled, phone: nil, limit: 10).count == 2)
        }
    }

    @Test(arguments: StoreEngines.available)
    func twoNotificationClaimsAtOnceNeverShareOne(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await reply(store, "in-1", turn: agentTurn("1", reply: false, notify: 6))
            let claims = try await concurrently(2) { _ in
                try await store.claimNotifications(now: at(1), leaseUntil: at(61), limit: 4).map(\.id)
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 6)
            #expect(Set(all).count == 6)
            #expect(try await store.claimNotifications(now: at(30), leaseUntil: at(90), limit: 10).isEmpty, "held for their lease")
            try await store.finishNotification(id: "ntf-1-0", status: .pending, retryAt: at(120), error: "HTTP 500", now: at(2))
            try await store.finishNotification(id: "ntf-1-1", status: .delivered, retryAt: nil, error: nil, now: at(2))
            let again = try await store.claimNotifications(now: at(125), leaseUntil: at(185), limit: 10)
            #expect(again.map(\.id).sorted() == ["ntf-1-0", "ntf-1-2", "ntf-1-3", "ntf-1-4", "ntf-1-5"])
            #expect(again.first { $0.id == "ntf-1-0" }?.attempts == 2)
        }
    }
}
