// The tenancy contract (Store.swift, "Tenancy"): a contact and everything hanging off it belong to one
// business; reads in another business's scope find nothing; an opt-out stops its own business only and
// the global do-not-contact list stops every business; figures count one business's rows.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

extension StoreContract {
    static let acme = BusinessID("acme")
    static let bolt = BusinessID("bolt")

    @Test(arguments: StoreEngines.available)
    func theSamePhoneCallingTwoBusinessesIsTwoContactsEachVisibleOnlyInItsScope(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let number = phone(1)
            let a = try await store.ingestCall(ingest("a", from: number, runs: [plannedRun("a")], business: Self.acme))
            let b = try await store.ingestCall(ingest("b", from: number, runs: [plannedRun("b")], business: Self.bolt))
            #expect(a.contactID != b.contactID)
            #expect(try await store.contact(phone: number, business: Self.acme)?.id == a.contactID)
            #expect(try await store.contact(phone: number, business: Self.bolt)?.id == b.contactID)
            #expect(try await store.contact(phone: number, business: .default) == nil)
            #expect(try await store.contact(id: a.contactID, scope: .business(Self.acme))?.business == Self.acme)
            #expect(try await store.contact(id: a.contactID, scope: .business(Self.bolt)) == nil)
            #expect(try await store.contact(id: a.contactID, scope: .all) != nil)

            // A's text: visible to A and to the admin, nowhere else.
            _ = try await store.queueDirectMessage(direct("a-hello", to: a.contactID, phone: number))
            #expect(try await store.message("msg-a-hello", scope: .business(Self.acme))?.business == Self.acme)
            #expect(try await store.message("msg-a-hello", scope: .business(Self.bolt)) == nil)
            #expect(try await store.messages(scope: .business(Self.bolt), limit: 10, after: nil).items.isEmpty)
            #expect(try await store.messages(scope: .business(Self.acme), limit: 10, after: nil).items.map(\.id) == ["msg-a-hello"])
            #expect(try await store.messages(scope: .all, limit: 10, after: nil).items.count == 1)

            // The timeline of A's contact is empty in B's scope, whole in A's.
            #expect(try await store.timeline(contactID: a.contactID, scope: .business(Self.bolt)).isEmpty)
            #expect(try await store.timeline(contactID: a.contactID, scope: .business(Self.acme)).count >= 2)
            // Jobs carry their run's business, so each runs on its own business's engine.
            #expect(try await store.job("job-a")?.business == Self.acme)
            #expect(try await store.job("job-b")?.business == Self.bolt)
            #expect(try await store.job("deliver-a-hello")?.business == Self.acme)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aCallIDIsADuplicateOnlyWithinItsBusiness(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = try await store.ingestCall(ingest("p1", from: phone(6), business: Self.acme))
            // Bolt sending the same provider call id learns nothing of Acme's call: it is a new call of Bolt's.
            var again = ingest("p1", from: phone(6), business: Self.bolt)
            again.newCallID = "call-p1-bolt"
            again.newContactID = "contact-p1-bolt"
            let other = try await store.ingestCall(again)
            #expect(other.disposition == .created)
            #expect(other.callID == "call-p1-bolt")
            #expect(other.contactID != first.contactID)
            // Within Acme it is the duplicate it always was.
            #expect(try await store.ingestCall(ingest("p1", from: phone(6), business: Self.acme)).disposition == .duplicate)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aConversationOfOneBusinessIsNotFoundInAnothersScopeAndCannotBeRepliedIn(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            // A reply to Acme's number opens Acme's thread (with a notification of Acme's).
            let outcome = try await store.receiveInbound(InboundUnit(
                inbound: inbound("in-1", from: phone(0), body: "yes", business: Self.acme), effect: .none, ids: freshIDs(),
                turn: agentTurn("1", notify: 1)))
            guard case .stored(let contact, _, _, _) = outcome else { Issue.record("expected stored, got \(outcome)"); return }
            let number = phone(0)
            let conversation = try #require(try await store.conversations(scope: .business(Self.acme), state: nil, phone: nil, limit: 10,
                                                                          after: nil).items.first?.0)
            #expect(try await store.notifications(limit: 10).map(\.business) == [Self.acme])
            #expect(try await store.callbacks(scope: .business(Self.bolt), status: nil, phone: nil, limit: 10).isEmpty)
            #expect(try await store.conversation(conversation.id, scope: .business(Self.acme)) != nil)
            #expect(try await store.conversation(conversation.id, scope: .business(Self.bolt)) == nil)
            #expect(try await store.conversations(scope: .business(Self.bolt), state: nil, phone: nil, limit: 10, after: nil).items.isEmpty)

            let reply = PersonReply(conversationID: conversation.id, text: direct("b-intrudes", to: contact, phone: number),
                                    scope: .business(Self.bolt))
            #expect(try await store.queuePersonReply(reply) == .notFound)
            #expect(try await store.message("msg-b-intrudes", scope: .all) == nil)
        }
    }

    @Test(arguments: StoreEngines.available)
    func anOptOutStopsItsOwnBusinessOnlyAndAGlobalEntryStopsEveryBusiness(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let number = phone(3)
            let a = try await store.ingestCall(ingest("a", from: number, consent: impliedConsent("consent-a", number), business: Self.acme))
            let b = try await store.ingestCall(ingest("b", from: number, consent: impliedConsent("consent-b", number), business: Self.bolt))

            // STOP to A's number: A's suppression and A's consents only.
            _ = try await store.receiveInbound(InboundUnit(inbound: inbound("stop", from: number, body: "STOP", business: Self.acme),
                                                           effect: optOut(confirmation: nil, from: number), ids: freshIDs()))
            #expect(try await store.suppression(phone: number, channel: "sms", for: Self.acme)?.business == Self.acme)
            #expect(try await store.suppression(phone: number, channel: "sms", for: Self.bolt) == nil)
            #expect(try await store.consents(phone: number, business: Self.acme).allSatisfy { !$0.isActive })
            #expect(try await store.consents(phone: number, business: Self.bolt).map(\.isActive) == [true])
            #expect(try await store.history(contactID: b.contactID, phone: number, since: at(-60)).suppression == nil)

            let toA = try await store.queueDirectMessage(direct("to-a", to: a.contactID, phone: number, sendGuard: suppressionGuard()))
            let toB = try await store.queueDirectMessage(direct("to-b", to: b.contactID, phone: number, sendGuard: suppressionGuard()))
            #expect(toA == .refused(refusal))
            #expect(toB == .queued("msg-to-b"))

            // A global do-not-contact entry stops B too, and is listed in B's scope.
            #expect(try await store.addSuppression(SuppressionRecord(phone: number, reason: "dnc", source: "import", createdAt: at(5))))
            #expect(try await store.history(contactID: b.contactID, phone: number, since: at(-60)).suppression?.reason == "dnc")
            let again = try await store.queueDirectMessage(direct("to-b-again", to: b.contactID, phone: number, key: "again",
                                                                  sendGuard: suppressionGuard()))
            #expect(again == .refused(refusal))
            #expect(try await store.suppressions(scope: .business(Self.bolt), limit: 10, offset: 0).map(\.reason) == ["dnc"])
            #expect(Set(try await store.suppressions(scope: .business(Self.acme), limit: 10, offset: 0).map(\.reason)) == ["opt_out", "dnc"])

            // Removing B's (non-existent) own entry leaves the global one; removing the global one lifts it.
            #expect(try await store.removeSuppression(phone: number, channel: "sms", business: Self.bolt) == false)
            #expect(try await store.removeSuppression(phone: number, channel: "sms", business: nil))
            #expect(try await store.suppression(phone: number, channel: "sms", for: Self.bolt) == nil)
            #expect(try await store.suppression(phone: number, channel: "sms", for: Self.acme)?.reason == "opt_out")
        }
    }

    @Test(arguments: StoreEngines.available)
    func figuresCountOneBusinessesRowsWhenScoped(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await store.ingestCall(ingest("a1", from: phone(4), business: Self.acme))
            _ = try await store.ingestCall(ingest("a2", from: phone(5), business: Self.acme))
            _ = try await store.ingestCall(ingest("b1", from: phone(4), business: Self.bolt))
            let all = try await store.figures(from: at(-60), to: at(60), scope: .all)
            let acme = try await store.figures(from: at(-60), to: at(60), scope: .business(Self.acme))
            let bolt = try await store.figures(from: at(-60), to: at(60), scope: .business(Self.bolt))
            #expect(all.total.calls == 3)
            #expect(acme.total.calls == 2)
            #expect(bolt.total.calls == 1)
        }
    }
}
