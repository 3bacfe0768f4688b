// The simulator's outbox is keyed by idempotency key, so its reconciliation answer is authoritative:
// a text it holds is accepted, one it does not hold was never sent.

import Foundation
import Testing
import TextBackCore
import TextBackProviders
import TextBackStorage

@Suite struct SimulatorCarrierTests {
    @Test func theOutboxAnswersReconciliationWithAuthority() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("textback-sim-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        let carrier = SimulatorCarrier(outbox: store, ids: IDSource { "\($0)_1" })
        let now = Date(timeIntervalSince1970: 1_772_463_845)
        let receipt = try await carrier.submit(Fixture.sms(), now: now)

        let found = await carrier.reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: now, now: now))
        #expect(found == .accepted(receipt))
        var other = Fixture.sms()
        other.idempotencyKey = "run:r1:9"
        #expect(await carrier.reconcile(ReconciliationQuery(sms: other, attemptedAt: now, now: now)) == .notFound)
    }
}
