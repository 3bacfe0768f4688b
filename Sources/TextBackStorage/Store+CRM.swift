// The CRM outbox: what TextBack tells a business's CRM (HubSpot, Salesforce, a signed webhook), kept as
// rows written in the same unit as the event they log, so a crash between the event and the CRM call
// loses nothing. A worker claims due rows under a lease, calls the CRM and records the outcome.
//
// A row points at what it logs (a stored message, or the contact attributes an automation set) rather
// than copying it: the CRM request is built when the row is delivered, from the message as stored.

import Foundation
import TextBackCore

/// One entry of the CRM outbox, for one CRM.
public struct CRMOutboxRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A text sent to or received from the contact (`messageID`).
        case message
        /// Contact attributes an `update_contact` step set (`properties`).
        case contactUpdate = "contact_update"
    }

    public enum Status: String, Sendable, Codable, CaseIterable { case pending, delivered, failed }

    public var id: String
    /// `hubspot`, `salesforce` or `webhook` (a closed vocabulary: it is a metric label).
    public var provider: String
    public var kind: Kind
    /// Empty when the unit does not know it yet (an inbound text from someone new, a delivered text):
    /// the store fills in the contact of `messageID`.
    public var contactID: ContactID
    public var messageID: MessageID?
    public var properties: [String: String]
    public var status: Status
    /// Attempts started so far (a claim counts one).
    public var attempts: Int
    public var availableAt: Date
    /// What earlier attempts already did at the CRM (a contact found or created, an activity logged), so a
    /// retry carries on instead of repeating a step that succeeded.
    public var progress: [String: String]
    public var lastError: String?
    public var createdAt: Date
    /// The contact's business, whose CRM settings deliver it (stored from the contact; not written from here).
    public var business: BusinessID

    public init(id: String, provider: String, kind: Kind, contactID: ContactID, messageID: MessageID? = nil,
                properties: [String: String] = [:], status: Status = .pending, attempts: Int = 0, availableAt: Date,
                progress: [String: String] = [:], lastError: String? = nil, createdAt: Date, business: BusinessID = .default) {
        self.business = business
        self.id = id; self.provider = provider; self.kind = kind; self.contactID = contactID; self.messageID = messageID
        self.properties = properties; self.status = status; self.attempts = attempts; self.availableAt = availableAt
        self.progress = progress; self.lastError = lastError; self.createdAt = createdAt
    }
}

/// The outcome of one delivery attempt of a claimed CRM entry.
///
/// Invariants: only a `pending` entry moves (delivered and failed are final, a second finisher changes
/// nothing); `retryAt` is kept only while the entry stays pending; the progress replaces the stored one.
/// Concurrency: PostgreSQL `UPDATE crm_outbox … WHERE id = $1 AND status = 'pending'`.
public struct FinishCRMEntry: Sendable {
    public var id: String
    /// The entry's provider, for counting; the store does not read it.
    public var provider: String
    public var status: CRMOutboxRecord.Status
    public var retryAt: Date?
    public var error: String?
    public var progress: [String: String]
    public var now: Date
    public init(id: String, provider: String, status: CRMOutboxRecord.Status, retryAt: Date? = nil, error: String? = nil,
                progress: [String: String] = [:], now: Date) {
        self.id = id; self.provider = provider; self.status = status; self.retryAt = retryAt; self.error = error
        self.progress = progress; self.now = now
    }
}

public protocol CRMOutboxStore: Sendable {
    /// Claims up to `limit` due pending entries until `leaseUntil`, oldest due first (their attempts counted).
    /// Concurrency: PostgreSQL `FOR UPDATE SKIP LOCKED`, like the notification outbox.
    func claimCRMEntries(now: Date, leaseUntil: Date, limit: Int) async throws -> [CRMOutboxRecord]
    /// Records one attempt's outcome; false when the entry was not pending (nothing written).
    @discardableResult
    func finishCRMEntry(_ unit: FinishCRMEntry) async throws -> Bool
    /// Oldest first.
    func crmEntries(limit: Int) async throws -> [CRMOutboxRecord]
    func countPendingCRMEntries() async throws -> Int
}
