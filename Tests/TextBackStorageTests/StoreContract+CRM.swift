// The contract of the CRM outbox (Store+CRM.swift): entries are written by the unit whose event they
// log, with the contact filled in, and only when that unit commits; a due entry is held by one claimer
// for its lease; an attempt's outcome moves only a pending entry, and a retry keeps its progress.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

extension StoreContract {
    @Test(arguments: StoreEngines.available)
    func advanceStepWritesItsCRMEntriesForTheRunsContact(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")

            #expect(try await store.advanceStep(Self.fullStep(job, run)) == .committed)

            let entries = try await store.crmEntries(limit: 10)
            #expect(entries.map(\.id) == ["crm-step"])
            let entry = try #require(entries.first)
            #expect(entry.contactID == run.contactID)
            #expect(entry.kind == .contactUpdate)
            #expect(entry.properties == ["stage": "texted"])
            #expect(entry.status == .pending)
            #expect(entry.attempts == 0)
            #expect(try await store.countPendingCRMEntries() == 1)
        }
    }

    @Test(arguments: StoreEngines.available)
    func finishDeliveryWritesItsCRMEntryWithTheMessagesContact(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.sendingText(store)

            #expect(try await store.finishDelivery(Self.sent(delivery)) == .committed)

            let entry = try #require(try await store.crmEntries(limit: 10).first)
            #expect(entry.id == "crm-sent")
            #expect(entry.contactID == run.contactID)
            #expect(entry.messageID == "msg-t")
            #expect(entry.createdAt.ms == at(20).ms)
        }
    }

    @Test(arguments: StoreEngines.available)
    func anInboundTextWritesItsCRMEntriesOnceWithTheNewContact(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let unit = InboundUnit(inbound: inbound("in-1", from: phone(3), body: "Yes please"), effect: .none, ids: freshIDs(),
                                   crm: [crmEntry("in-hubspot", messageID: "in-1"), crmEntry("in-webhook", provider: "webhook", messageID: "in-1")])

            guard case .stored(let contactID, _, _, _) = try await store.receiveInbound(unit) else {
                Issue.record("the inbound text was not stored")
                return
            }
            var again = unit
            again.inbound.messageID = "in-1-again"
            again.crm = [crmEntry("in-again", messageID: "in-1-again")]
            guard case .duplicate = try await store.receiveInbound(again) else {
                Issue.record("the repeat was not a duplicate")
                return
            }

            let entries = try await store.crmEntries(limit: 10)
            #expect(entries.map(\.id) == ["crm-in-hubspot", "crm-in-webhook"])
            #expect(entries.allSatisfy { $0.contactID == contactID && $0.messageID == "in-1" })
            #expect(entries.map(\.provider) == ["hubspot", "webhook"])
        }
    }

    @Test(arguments: StoreEngines.withCallerTime)
    func aClaimedCRMEntryIsHeldForItsLeaseThenRetriedWithItsProgress(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            var step = AdvanceStep(claim: job, runID: run.runID, contactID: run.contactID, pc: 1, next: .done, now: at(1))
            step.crm = [crmEntry("a", kind: .contactUpdate, properties: ["stage": "new"], at: at(1)),
                        crmEntry("b", provider: "salesforce", kind: .contactUpdate, properties: ["stage": "new"], at: at(1))]
            #expect(try await store.advanceStep(step) == .committed)

            #expect(try await store.claimCRMEntries(now: at(0), leaseUntil: at(60), limit: 10).isEmpty, "not due yet")
            let claimed = try await store.claimCRMEntries(now: at(2), leaseUntil: at(62), limit: 10)
            #expect(claimed.map(\.id) == ["crm-a", "crm-b"])
            #expect(claimed.map(\.attempts) == [1, 1])
            #expect(try await store.claimCRMEntries(now: at(30), leaseUntil: at(90), limit: 10).isEmpty, "held for their lease")

            #expect(try await store.finishCRMEntry(FinishCRMEntry(id: "crm-a", provider: "hubspot", status: .pending, retryAt: at(120),
                                                                  error: "HubSpot answered HTTP 503", progress: ["contact_id": "901"], now: at(3))))
            #expect(try await store.finishCRMEntry(FinishCRMEntry(id: "crm-b", provider: "salesforce", status: .failed,
                                                                  error: "Salesforce answered HTTP 400", now: at(3))))
            #expect(try await store.countPendingCRMEntries() == 1)
            #expect(try await store.claimCRMEntries(now: at(100), leaseUntil: at(160), limit: 10).isEmpty, "not before its retry time")

            let again = try await store.claimCRMEntries(now: at(120), leaseUntil: at(180), limit: 10)
            #expect(again.map(\.id) == ["crm-a"])
            #expect(again.first?.attempts == 2)
            #expect(again.first?.progress == ["contact_id": "901"])
            #expect(again.first?.lastError == "HubSpot answered HTTP 503")

            #expect(try await store.finishCRMEntry(FinishCRMEntry(id: "crm-a", provider: "hubspot", status: .delivered,
                                                                  progress: ["contact_id": "901", "communication_id": "77"], now: at(121))))
            #expect(try await store.finishCRMEntry(FinishCRMEntry(id: "crm-a", provider: "hubspot", status: .pending, retryAt: at(500),
                                                                  error: "late", now: at(122))) == false,
                    "a delivered entry is final")
            let final = try await store.crmEntries(limit: 10)
            #expect(final.map(\.status) == [.delivered, .failed])
            #expect(final.first?.lastError == "HubSpot answered HTTP 503")
            #expect(try await store.countPendingCRMEntries() == 0)
            #expect(try await store.claimCRMEntries(now: at(10_000), leaseUntil: at(10_060), limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreEngines.available)
    func twoCRMClaimsAtOnceNeverShareAnEntry(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await startRun(store, "a", from: phone(1))
            let job = try await claim(store, run.jobID, owner: "w1")
            var step = AdvanceStep(claim: job, runID: run.runID, contactID: run.contactID, pc: 1, next: .done, now: t0)
            step.crm = (0..<6).map { crmEntry("\($0)", kind: .contactUpdate, properties: ["n": "\($0)"]) }
            #expect(try await store.advanceStep(step) == .committed)

            let claims = try await concurrently(2) { _ in
                try await store.claimCRMEntries(now: at(1), leaseUntil: at(61), limit: 4).map(\.id)
            }

            let all = claims.flatMap { $0 }
            #expect(all.count == 6)
            #expect(Set(all).count == 6)
        }
    }
}
