// The contract of `reserveSendSlot`: one sending number's pace and daily cap, kept by the store so
// every worker of every process shares them. Racing workers never get the same slot.

import Foundation
import Testing
import TextBackCore
import TextBackStorage

extension StoreContract {
    static func slot(_ message: String, now: Date, mps: Double = 1, cap: Int? = nil, urgent: Bool = false) -> SendSlotRequest {
        SendSlotRequest(number: business, messageID: MessageID(message), interval: 1 / mps, dailyCap: cap, dayStart: at(-3600),
                        nextDay: at(86_400 - 3600), urgent: urgent, now: now)
    }

    @Test(arguments: StoreEngines.available)
    func slotsForOneNumberAreHandedOutOneIntervalApartAndKeptUntilUsed(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = try await store.reserveSendSlot(Self.slot("m1", now: t0))
            #expect(first == .go)
            #expect(try await store.reserveSendSlot(Self.slot("m2", now: t0)) == .wait(until: at(1), dailyCap: false))
            #expect(try await store.reserveSendSlot(Self.slot("m3", now: t0)) == .wait(until: at(2), dailyCap: false))
            // Asking again before the slot gives the same slot, not a later one; at the slot, the text goes.
            #expect(try await store.reserveSendSlot(Self.slot("m3", now: at(0.5))) == .wait(until: at(2), dailyCap: false))
            #expect(try await store.reserveSendSlot(Self.slot("m2", now: at(1))) == .go)
            #expect(try await store.reserveSendSlot(Self.slot("m4", now: at(1))) == .wait(until: at(3), dailyCap: false))
            // Another number has a pace of its own.
            var other = Self.slot("o1", now: t0)
            other.number = phone(99)
            #expect(try await store.reserveSendSlot(other) == .go)
        }
    }

    @Test(arguments: StoreEngines.available)
    func anUrgentTextGoesAtOnceAndPushesTheNextSlot(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = try await store.reserveSendSlot(Self.slot("m1", now: t0))
            #expect(first == .go)
            #expect(try await store.reserveSendSlot(Self.slot("stop", now: t0, urgent: true)) == .go)
            #expect(try await store.reserveSendSlot(Self.slot("m2", now: t0)) == .wait(until: at(2), dailyCap: false))
        }
    }

    @Test(arguments: StoreEngines.available)
    func theDailyCapCountsTextsAlreadySentTodayAndSendsTheRestToTomorrow(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await Self.sentText(store)  // one text from `business` sent at t0 + 11 s

            #expect(try await store.reserveSendSlot(Self.slot("m1", now: at(20), mps: 100, cap: 2)) == .go)
            #expect(try await store.reserveSendSlot(Self.slot("m2", now: at(21), mps: 100, cap: 2)) == .wait(until: at(86_400 - 3600), dailyCap: true))
            // A new day starts a new count.
            var tomorrow = Self.slot("m2", now: at(86_400), mps: 100, cap: 2)
            tomorrow.dayStart = at(86_400 - 3600)
            tomorrow.nextDay = at(2 * 86_400 - 3600)
            #expect(try await store.reserveSendSlot(tomorrow) == .go)
        }
    }

    @Test(arguments: StoreEngines.available)
    func racingWorkersOnOneNumberNeverShareASlot(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let slots = try await concurrently(12) { i in try await store.reserveSendSlot(Self.slot("m\(i)", now: t0, mps: 10)) }

            let times = slots.map { slot -> Int64 in if case .wait(let until, _) = slot { until.ms } else { t0.ms } }
            #expect(Set(times).count == 12)
            #expect(times.sorted() == (0..<12).map { t0.ms + Int64($0) * 100 })
        }
    }
}
