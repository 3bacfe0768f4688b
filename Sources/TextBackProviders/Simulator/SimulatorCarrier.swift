// The simulator carrier: accepts texts into a durable outbox instead of the air.
// It is the embedded default (try TextBack without a carrier account) and the carrier of end-to-end
// tests; `GET /v1/simulator/outbox` shows exactly what a real carrier would have been asked to send.

import Foundation
import TextBackCore
import TextBackStorage

public struct SimulatorCarrier: Carrier {
    public let name = "simulator"
    private let outbox: any SimulatorOutbox
    private let ids: IDSource

    public init(outbox: any SimulatorOutbox, ids: IDSource) {
        self.outbox = outbox
        self.ids = ids
    }

    public func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        do {
            let entry = try await outbox.accept(SimulatorOutboxEntry(
                id: ids.next("SM"), idempotencyKey: sms.idempotencyKey, from: sms.from, to: sms.to,
                body: sms.body, status: "sent", sentAt: now))
            return CarrierReceipt(carrierMessageID: entry.id, acceptedAt: entry.sentAt)
        } catch {
            throw .transient(message: "simulator outbox unavailable")
        }
    }

    public func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? {
        do {
            return try await outbox.entry(idempotencyKey: idempotencyKey)
                .map { CarrierReceipt(carrierMessageID: $0.id, acceptedAt: $0.sentAt) }
        } catch {
            throw .transient(message: "simulator outbox unavailable")
        }
    }

    /// The outbox is the simulator's whole memory and it is keyed by idempotency key, so its answer
    /// is authoritative: absent means never accepted.
    public func reconcile(_ query: ReconciliationQuery) async -> Reconciliation {
        do {
            if let receipt = try await lookup(idempotencyKey: query.sms.idempotencyKey) { return .accepted(receipt) }
            return .notFound
        } catch {
            return .cannotTell(reason: "simulator outbox unavailable")
        }
    }
}
