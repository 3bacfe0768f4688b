// The contract of the delivery units: receipts only move a message forward (duplicates and late ones
// change nothing; a carrier opt-out suppresses with the status), a held delivery can wait without
// failing, the per-number daily count, and the line-type cache.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

extension StoreContract {
    /// "msg-t" handed to the simulator carrier and recorded `sent` with carrier id "C-1".
    static func sentText(_ store: any Store) async throws -> StartedRun {
        let (run, delivery) = try await heldText(store)
        _ = try await store.claimForSending(claimForSending(delivery))
        let finished = try await store.finishDelivery(FinishDelivery(claim: delivery, messageID: "msg-t", expected: .sending, status: .sent,
                                                                     carrierMessageID: "C-1", sentAt: at(11), now: at(11)))
        #expect(finished == .committed)
        return run
    }

    static func receipt(_ status: MessageStatus, id: MessageID? = "msg-t", carrierID: String = "C-1", code: String? = nil,
                        suppress: Bool = false, now: Date = at(20)) -> ReceiptUpdate {
        ReceiptUpdate(carrier: "simulator", carrierMessageID: carrierID, messageID: id, status: status, errorCode: code,
                      errorMeaning: code.map { "meaning of \($0)" }, at: now,
                      decision: PlannedDecision(id: DecisionID("dec-receipt-\(status.rawValue)"), action: .skip, reasons: ["receipt"],
                                                sentence: "Receipt."),
                      suppress: suppress ? ("carrier_opt_out", "simulator:\(code ?? "")") : nil, now: now)
    }

    @Test(arguments: StoreEngines.available)
    func aReceiptMovesAMessageForwardAndNeverBack(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await Self.sentText(store)

            let delivered = try await store.recordReceipt(Self.receipt(.delivered))
            let late = try await store.recordReceipt(Self.receipt(.sent))
            let again = try await store.recordReceipt(Self.receipt(.delivered))
            let contradicting = try await store.recordReceipt(Self.receipt(.failed, code: "30003"))

            guard case .applied(let applied) = delivered else { Issue.record("expected applied, got \(delivered)"); return }
            #expect(applied.status == .delivered)
            guard case .unchanged = late, case .unchanged = again, case .unchanged = contradicting else {
                Issue.record("late, repeated and contradicting receipts must change nothing"); return
            }
            let message = try #require(try await store.message("msg-t", scope: .all))
            #expect(message.status == .delivered)
            #expect(message.errorCode == nil)
            #expect(message.carrierMessageID == "C-1")
        }
    }

    @Test(arguments: StoreEngines.available)
    func aReceiptIsFoundByTheCarriersIDAndRecordsItsCodeDecisionAndSuppressionTogether(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await Self.sentText(store)

            let outcome = try await store.recordReceipt(Self.receipt(.undelivered, id: nil, code: "21610", suppress: true))

            guard case .applied(let message) = outcome else { Issue.record("expected applied, got \(outcome)"); return }
            #expect(message.status == .undelivered)
            #expect(message.errorCode == "21610")
            #expect(try await store.message("msg-t", scope: .all)?.error == "meaning of 21610")
            #expect(try await store.suppression(phone: run.phone, channel: "sms", for: .default)?.reason == "carrier_opt_out")
            #expect(try await store.timeline(contactID: run.contactID, scope: .all).decisions.contains { $0.reasons == ["receipt"] })
        }
    }

    @Test(arguments: StoreEngines.available)
    func aReceiptChangesOnlyATextOfItsScopesBusiness(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await Self.sentText(store)
            // Verified with another business's credentials: by our id or by the carrier's, the text is not found.
            var byID = Self.receipt(.undelivered, code: "21610", suppress: true)
            byID.scope = .business(Self.acme)
            var byCarrierID = Self.receipt(.undelivered, id: nil, code: "21610", suppress: true)
            byCarrierID.scope = .business(Self.acme)
            #expect(try await store.recordReceipt(byID) == .unknownMessage)
            #expect(try await store.recordReceipt(byCarrierID) == .unknownMessage)
            #expect(try await store.message("msg-t", scope: .all)?.status == .sent)
            #expect(try await store.suppression(phone: run.phone, channel: "sms", for: .default) == nil)
            #expect(try await store.timeline(contactID: run.contactID, scope: .all).decisions.allSatisfy { $0.reasons != ["receipt"] })
            // In its own business's scope it applies.
            byID.scope = .business(.default)
            guard case .applied(let message) = try await store.recordReceipt(byID) else { Issue.record("expected applied"); return }
            #expect(message.status == .undelivered)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aReceiptForAnotherTextOrAnotherCarrierIDChangesNothing(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let run = try await Self.sentText(store)

            let unknown = try await store.recordReceipt(Self.receipt(.delivered, id: nil, carrierID: "C-999"))
            let mismatched = try await store.recordReceipt(Self.receipt(.failed, id: "msg-t", carrierID: "C-999", suppress: true))

            #expect(unknown == .unknownMessage)
            #expect(mismatched == .unknownMessage)
            #expect(try await store.message("msg-t", scope: .all)?.status == .sent)
            #expect(try await store.suppression(phone: run.phone, channel: "sms", for: .default) == nil)
        }
    }

    @Test(arguments: StoreEngines.available)
    func aDeferredDeliveryWaitsQueuedWithItsAttemptsReset(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let (run, delivery) = try await Self.heldText(store)

            let deferred = try await store.deferDelivery(DeferDelivery(claim: delivery, messageID: "msg-t", until: at(600),
                                                                       decision: decision("dec-wait", run.contactID, messageID: "msg-t",
                                                                                          action: .defer, reasons: ["daily_cap"]),
                                                                       now: at(5)))
            let again = try await store.deferDelivery(DeferDelivery(claim: delivery, messageID: "msg-t", until: at(900), now: at(6)))

            #expect(deferred == .committed)
            #expect(again == .stale, "the job is no longer held once it waits")
            #expect(try await store.message("msg-t", scope: .all)?.status == .queued)
            let job = try #require(try await store.job("deliver-t"))
            #expect(job.status == .pending)
            #expect(job.attempts == 0)
            #expect(job.dueAt.ms == at(600).ms)
            #expect(try await store.timeline(contactID: run.contactID, scope: .all).decisions.contains { $0.reasons == ["daily_cap"] })
        }
    }

    @Test(arguments: StoreEngines.available)
    func theDailyCountIsTheSendingNumbersTextsSentSinceAnInstant(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await Self.sentText(store)

            #expect(try await store.sentCount(from: business, since: at(0)) == 1)
            #expect(try await store.sentCount(from: business, since: at(12)) == 0)
            #expect(try await store.sentCount(from: phone(9), since: at(0)) == 0)
        }
    }

    @Test(arguments: StoreEngines.available)
    func theLineTypeCacheKeepsTheLatestAnswerPerNumber(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            #expect(try await store.cachedLineType(phone(1)) == nil)

            try await store.cacheLineType(CachedLineType(phone: phone(1), lineType: "landline", checkedAt: at(1)))
            try await store.cacheLineType(CachedLineType(phone: phone(1), lineType: "mobile", checkedAt: at(2)))

            let cached = try #require(try await store.cachedLineType(phone(1)))
            #expect(cached.lineType == "mobile")
            #expect(cached.checkedAt.ms == at(2).ms)
            #expect(try await store.cachedLineType(phone(2)) == nil)
        }
    }
}
