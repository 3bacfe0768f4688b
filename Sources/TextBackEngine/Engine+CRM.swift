// CRM logging through the durable outbox. The units that log something write one outbox entry per
// configured CRM in the same transaction as the event: a text the carrier accepted (`finishDelivery`), an
// inbound text (`receiveInbound`), the attributes an `update_contact` step set (`advanceStep`). Entries
// belong to the contact's business and are delivered with that business's CRM settings. The sweep
// (`runConversationSweep`) claims due entries under a lease, builds each CRM's request from the stored
// message and contact, and records the outcome: delivered, retried with back-off (no answer,
// 408, 429, 5xx), or failed with its reason (any other 4xx, or after `maxOutboxAttempts`).

import Foundation
import TextBackCore
import TextBackProviders
import TextBackStorage

extension Engine {
    /// One pending entry per configured CRM.
    func crmEntries(_ kind: CRMOutboxRecord.Kind, contactID: ContactID, messageID: MessageID? = nil, properties: [String: String] = [:],
                    now: Date) -> [CRMOutboxRecord] {
        configuration.integrations.crm.providers.map { provider in
            CRMOutboxRecord(id: ids.next("crm"), provider: provider, kind: kind, contactID: contactID, messageID: messageID,
                            properties: properties, availableAt: now, createdAt: now)
        }
    }

    /// Every delivery outcome goes through here: a text the carrier took is logged to the CRMs in the same unit.
    func finishDelivery(_ unit: FinishDelivery) async throws -> UnitResult {
        var unit = unit
        if unit.status == .sent, unit.expected != .sent {
            unit.crm = crmEntries(.message, contactID: ContactID(""), messageID: unit.messageID, now: unit.now)
        }
        return try await store.finishDelivery(unit)
    }

    /// Delivers the CRM entries that are due, each through its business's engine (`engineFor`, else this
    /// one: its CRM settings and zone); returns how many were delivered.
    @discardableResult
    public func deliverCRMEntries(limit: Int = 20, by engineFor: (BusinessID) -> Engine? = { _ in nil }) async throws -> Int {
        let now = clock.now()
        let claimed = try await store.claimCRMEntries(now: now, leaseUntil: now.addingTimeInterval(60), limit: limit)
        var delivered = 0
        for entry in claimed {
            let attempt: CRMAttempt
            // Never another business's CRM: an entry whose business is no longer configured is given up.
            let sender = engineFor(entry.business) ?? (entry.business == business ? self : nil)
            if let sender, let client = sender.crmClients[entry.provider] {
                switch try await sender.activity(for: entry) {
                case .success(let activity): attempt = await client.deliver(activity, progress: entry.progress, now: now)
                case .failure(let missing): attempt = .giveUp(reason: missing.reason, progress: entry.progress)
                }
            } else if sender == nil {
                attempt = .giveUp(reason: "its business is no longer configured on this server", progress: entry.progress)
            } else {
                attempt = .retry(reason: "integrations.crm.\(entry.provider) is not configured on this server (or it has no HTTP transport)",
                                 retryAfter: nil, progress: entry.progress)
            }
            let finish: FinishCRMEntry
            switch attempt {
            case .delivered(let progress):
                finish = FinishCRMEntry(id: entry.id, provider: entry.provider, status: .delivered, progress: progress, now: now)
                delivered += 1
            case .retry(let reason, let after, let progress):
                let giveUp = entry.attempts >= Self.maxOutboxAttempts
                let retryAt = now.addingTimeInterval(max(after ?? 0, Self.outboxBackoff(attempts: entry.attempts)))
                finish = FinishCRMEntry(id: entry.id, provider: entry.provider, status: giveUp ? .failed : .pending, retryAt: retryAt,
                                        error: reason, progress: progress, now: now)
            case .giveUp(let reason, let progress):
                finish = FinishCRMEntry(id: entry.id, provider: entry.provider, status: .failed, error: reason, progress: progress, now: now)
            }
            try await store.finishCRMEntry(finish)
            if finish.status != .delivered {
                logger.notice("CRM entry not delivered", metadata: [
                    "crm_entry_id": "\(entry.id)", "provider": "\(entry.provider)", "attempts": "\(entry.attempts)",
                    "given_up": "\(finish.status == .failed)",
                ])
            }
        }
        return delivered
    }

    struct MissingRecord: Error { var reason: String }

    /// What the entry logs, from the message and contact as stored.
    func activity(for entry: CRMOutboxRecord) async throws -> Result<CRMActivity, MissingRecord> {
        guard let contact = try await store.contact(id: entry.contactID, scope: .business(entry.business)) else {
            return .failure(MissingRecord(reason: "the contact this entry logs is no longer stored"))
        }
        var activity = CRMActivity(entryID: entry.id, event: .contactUpdated, phone: contact.phone, contactName: contact.name,
                                   properties: entry.properties, occurredAt: entry.createdAt, zone: businessZone)
        if entry.kind == .message {
            guard let messageID = entry.messageID, let message = try await store.message(messageID, scope: .business(entry.business)) else {
                return .failure(MissingRecord(reason: "the text this entry logs is no longer stored"))
            }
            activity.event = message.direction == .inbound ? .messageReceived : .messageSent
            activity.number = message.direction == .inbound ? message.to : message.from
            activity.messageID = message.id.rawValue
            activity.body = message.body
            activity.automated = message.kind == .automated
            activity.occurredAt = message.sentAt ?? message.createdAt
        }
        return .success(activity)
    }
}
