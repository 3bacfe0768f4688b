// The storage contract. The engine talks only to `Store`; SQLite (embedded) implements it now and
// PostgreSQL (scale-out) implements the same contract with the same unique keys.
//
// Writes come in as whole units of work (`IngestRequest`, `StepCommit`) that an implementation applies
// in one transaction, so a crash never leaves half an ingest or half a step behind.

import Foundation
import TextBackCore

/// One call event to store, with the runs (and their first jobs) it starts if it is new.
public struct IngestRequest: Sendable {
    public var event: CallEvent
    public var receivedAt: Date
    /// Identifiers to use if the contact, call and runs are new.
    public var newContactID: ContactID
    public var newCallID: CallID
    /// Runs to start when the call reaches its final stage for the first time.
    public var runs: [PlannedRun]
    /// Consent the call itself implies (an inbound call), recorded with the contact.
    public var impliedConsent: ConsentRecord?

    public init(event: CallEvent, receivedAt: Date, newContactID: ContactID, newCallID: CallID,
                runs: [PlannedRun], impliedConsent: ConsentRecord? = nil) {
        self.event = event; self.receivedAt = receivedAt; self.newContactID = newContactID
        self.newCallID = newCallID; self.runs = runs; self.impliedConsent = impliedConsent
    }
}

public struct PlannedRun: Sendable {
    public var runID: RunID
    public var jobID: JobID
    public var automationID: AutomationID
    public var fingerprint: String
    public var firstJobDueAt: Date
    public init(runID: RunID, jobID: JobID, automationID: AutomationID, fingerprint: String, firstJobDueAt: Date) {
        self.runID = runID; self.jobID = jobID; self.automationID = automationID
        self.fingerprint = fingerprint; self.firstJobDueAt = firstJobDueAt
    }
}

public enum IngestDisposition: String, Sendable, Codable {
    /// First time we hear of this call.
    case created
    /// A later stage of a call we knew (e.g. ringing → ended).
    case advanced
    /// A retry, or an older stage arriving late: acknowledged, nothing changed.
    case duplicate
}

public struct IngestOutcome: Sendable {
    public var disposition: IngestDisposition
    public var callID: CallID
    public var contactID: ContactID
    /// The runs actually started (none for a duplicate).
    public var startedRuns: [RunID]
    public init(disposition: IngestDisposition, callID: CallID, contactID: ContactID, startedRuns: [RunID]) {
        self.disposition = disposition; self.callID = callID; self.contactID = contactID; self.startedRuns = startedRuns
    }
}

/// Everything one job's processing changes, applied atomically.
public struct StepCommit: Sendable {
    public enum JobOutcome: Sendable {
        case done
        case reschedule(Date)
        case cancelled
        /// Leave the job running under its lease (the step has more to do).
        case unchanged
    }

    public struct RunUpdate: Sendable {
        public var runID: RunID
        public var status: RunStatus
        public var pc: Int
        public var endReason: String?
        public init(runID: RunID, status: RunStatus, pc: Int, endReason: String? = nil) {
            self.runID = runID; self.status = status; self.pc = pc; self.endReason = endReason
        }
    }

    public struct MessageUpdate: Sendable {
        public var messageID: MessageID
        public var status: MessageStatus
        public var carrierMessageID: String?
        public var error: String?
        public var sentAt: Date?
        /// Apply only if the message is still in this status (a compare-and-set): otherwise the whole
        /// commit is refused as `.stale`, because someone else moved the message on.
        public var expected: MessageStatus?
        public init(messageID: MessageID, status: MessageStatus, carrierMessageID: String? = nil, error: String? = nil,
                    sentAt: Date? = nil, expected: MessageStatus? = nil) {
            self.messageID = messageID; self.status = status; self.carrierMessageID = carrierMessageID
            self.error = error; self.sentAt = sentAt; self.expected = expected
        }
    }

    /// Refuse the whole commit if the contact already got `max` automated texts of `messageType` after
    /// `since`. Checked inside the transaction, so two workers cannot both pass a cap.
    public struct CapGuard: Sendable {
        public var contactID: ContactID
        public var messageType: String
        public var since: Date
        public var max: Int
        public init(contactID: ContactID, messageType: String, since: Date, max: Int) {
            self.contactID = contactID; self.messageType = messageType; self.since = since; self.max = max
        }
    }

    public var jobID: JobID?
    /// The worker that claimed `jobID`; when set, the commit is refused as `.stale` unless the job is
    /// still running under this owner (its lease was not taken over, it was not cancelled meanwhile).
    public var jobOwner: String?
    public var jobOutcome: JobOutcome
    public var runUpdate: RunUpdate?
    public var newJobs: [JobRecord]
    public var decisions: [DecisionRecord]
    public var newMessages: [MessageRecord]
    public var messageUpdates: [MessageUpdate]
    public var contactAttributes: (ContactID, [String: String])?
    public var capGuards: [CapGuard]
    public var now: Date

    public init(jobID: JobID?, jobOwner: String? = nil, jobOutcome: JobOutcome = .done, runUpdate: RunUpdate? = nil, newJobs: [JobRecord] = [],
                decisions: [DecisionRecord] = [], newMessages: [MessageRecord] = [], messageUpdates: [MessageUpdate] = [],
                contactAttributes: (ContactID, [String: String])? = nil, capGuards: [CapGuard] = [], now: Date) {
        self.jobID = jobID; self.jobOwner = jobOwner; self.jobOutcome = jobOutcome; self.runUpdate = runUpdate; self.newJobs = newJobs
        self.decisions = decisions; self.newMessages = newMessages; self.messageUpdates = messageUpdates
        self.contactAttributes = contactAttributes; self.capGuards = capGuards; self.now = now
    }
}

public enum StepCommitResult: Sendable, Equatable {
    case committed
    /// A message with the same idempotency key exists already: nothing was written.
    case duplicateMessage(existing: MessageID)
    /// A cap guard failed: nothing was written.
    case capReached
    /// The run is no longer active, the job is no longer this worker's, or a message moved on:
    /// someone else acted first, and nothing was written.
    case stale
}

/// What the policy needs to know about a contact's past.
public struct ContactHistory: Sendable {
    public var calls: [CallRecord]
    public var messages: [MessageRecord]
    public var consents: [ConsentRecord]
    public var suppression: SuppressionRecord?
    public init(calls: [CallRecord], messages: [MessageRecord], consents: [ConsentRecord], suppression: SuppressionRecord?) {
        self.calls = calls; self.messages = messages; self.consents = consents; self.suppression = suppression
    }
}

/// An inbound text as received from a carrier.
public struct InboundRecord: Sendable {
    public var messageID: MessageID
    public var newContactID: ContactID
    public var from: PhoneNumber
    public var to: PhoneNumber
    public var body: String
    public var carrier: String
    public var carrierMessageID: String?
    public var receivedAt: Date
    public init(messageID: MessageID, newContactID: ContactID, from: PhoneNumber, to: PhoneNumber, body: String,
                carrier: String, carrierMessageID: String?, receivedAt: Date) {
        self.messageID = messageID; self.newContactID = newContactID; self.from = from; self.to = to
        self.body = body; self.carrier = carrier; self.carrierMessageID = carrierMessageID; self.receivedAt = receivedAt
    }
}

public enum InboundDisposition: Sendable, Equatable {
    case stored(contactID: ContactID, messageID: MessageID)
    case duplicate(contactID: ContactID, messageID: MessageID)
}

public enum StoreError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case corrupt(String)
    case unavailable(String)

    public var description: String {
        switch self {
        case .notFound(let what): "not found: \(what)"
        case .corrupt(let what): "stored data could not be read: \(what)"
        case .unavailable(let what): "the database is unavailable: \(what)"
        }
    }
}

public protocol Store: Sendable {
    /// Applies every pending schema migration. Safe to call on every start.
    func migrate() async throws

    // MARK: Calls
    func ingestCall(_ request: IngestRequest) async throws -> IngestOutcome

    // MARK: Jobs
    /// Marks up to `limit` pending jobs due at or before `now` (and running jobs whose lease expired) as
    /// running under `owner` until `leaseUntil`, and returns them oldest due first.
    func claimDueJobs(now: Date, limit: Int, owner: String, leaseUntil: Date) async throws -> [JobRecord]
    /// The earliest due time of a pending job, if any.
    func nextDueAt() async throws -> Date?
    func job(_ id: JobID) async throws -> JobRecord?
    func pendingJobs() async throws -> [JobRecord]

    // MARK: Runs
    func runState(_ id: RunID) async throws -> RunState?
    func activeRuns(contactID: ContactID) async throws -> [RunRecord]
    func commit(_ step: StepCommit) async throws -> StepCommitResult

    // MARK: Contacts and history
    func contact(phone: PhoneNumber) async throws -> Contact?
    func contact(id: ContactID) async throws -> Contact?
    func history(contactID: ContactID, phone: PhoneNumber, since: Date) async throws -> ContactHistory
    func timeline(contactID: ContactID) async throws -> [TimelineEntry]

    // MARK: Messages
    func message(_ id: MessageID) async throws -> MessageRecord?
    func messages(limit: Int) async throws -> [MessageRecord]
    func recordInbound(_ inbound: InboundRecord) async throws -> InboundDisposition

    // MARK: Consent and suppression
    func addConsent(_ consent: ConsentRecord) async throws
    func revokeConsents(phone: PhoneNumber, scope: String?, at: Date, source: String) async throws -> Int
    func consents(phone: PhoneNumber) async throws -> [ConsentRecord]
    /// Inserts or keeps the existing entry (first reason wins); returns true when newly added.
    @discardableResult
    func addSuppression(_ entry: SuppressionRecord) async throws -> Bool
    /// Bulk insert for list imports; returns how many were new.
    func addSuppressions(_ entries: [SuppressionRecord]) async throws -> Int
    @discardableResult
    func removeSuppression(phone: PhoneNumber, channel: String) async throws -> Bool
    func suppression(phone: PhoneNumber, channel: String) async throws -> SuppressionRecord?
    func suppressions(limit: Int, offset: Int) async throws -> [SuppressionRecord]

    // MARK: Simulator carrier
    /// Accepts a text into the simulator's outbox once per idempotency key; a repeat returns the first entry.
    func simulatorAccept(_ entry: SimulatorOutboxEntry) async throws -> SimulatorOutboxEntry
    func simulatorOutbox() async throws -> [SimulatorOutboxEntry]
    func simulatorEntry(idempotencyKey: String) async throws -> SimulatorOutboxEntry?
}
