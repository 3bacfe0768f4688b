// The storage contract. The engine talks only to `Store`; SQLite (embedded) implements it now and
// PostgreSQL (scale-out) implements the same contract with the same unique keys.
//
// Writes come in as named units of work. Each unit is applied atomically (all of it or none of it),
// states the invariants it keeps, and says what an engine with concurrent writers (PostgreSQL under
// READ COMMITTED) must lock to keep them. SQLite has one writer, so its units are serialized anyway;
// the locking notes are for the second engine. Outcomes a caller must act on are values, never thrown:
// a thrown error means the store itself failed (disk, connection) and nothing of the unit was written.
//
// Time: every unit carries the `now` its caller decided with. Due times and leases compare against that
// value on SQLite (one process, one clock); on PostgreSQL the claim and lease statements compare
// against the database's clock instead, so hosts with skewed clocks still agree on who holds a job.

import Foundation
import TextBackCore

// MARK: - Tenancy
//
// One install serves many businesses (`BusinessID`). The store, not the handlers, keeps them apart:
//
// - Owner. A contact belongs to the business whose number it called or texted (`IngestRequest.business`,
//   `InboundRecord.business`); the same phone at two businesses is two contacts. Every row that hangs off
//   a contact (call, run, message, decision, conversation, callback, notification, job) is written with
//   its contact's business (a run's or message's for a job), in the same statement that inserts it
//   (`business_id = (SELECT business_id FROM contacts WHERE id = …)`): no unit takes a business apart
//   from the contact it names. Consents carry their business.
// - Suppressions. An entry with a business stops texting from that business only (an opt-out applies to
//   the business whose number received it: CTIA, per program); an entry without one (stored as
//   business '' ) is the global do-not-contact list and stops every business. Every guard, history and
//   opt-out check reads "this business's entry or the global one" (its own first). '' rather than NULL
//   so the key can be a primary key on both engines. Units stamp the business themselves: the inbound
//   unit's opt-out and opt-in take `InboundRecord.business` (an opt-in lifts only that business's own
//   entry, never a global one); a carrier opt-out in `finishDelivery` or `recordReceipt` takes the
//   message's business. `queuePersonReply` answers `notFound` outside `PersonReply.scope`.
// - Unique keys (both engines): contacts (business_id, phone); calls (business_id, provider,
//   provider_call_id), so a repeat is a duplicate only within its business and one business cannot
//   learn of another's call by posting its id; suppressions (business_id, phone, channel) with '' for
//   global; conversations stay (number, phone) since a number belongs to one business; runs
//   (automation_id, call_id) and messages (idempotency_key) stay global (their ids are global already).
// - Indexes: (business_id, <time>) on contacts, calls, runs, messages, decisions, conversations,
//   notifications; (business_id, phone) on consents; (business_id, status) on callbacks — a business's
//   rows are counted from one index range.
// - Reads. A read by id takes a `BusinessScope`: `.business(b)` returns nil for a row of another
//   business (the API answers 404, never 403), `.all` is the admin's and the engine's view. Reads by
//   phone take the business, since a phone alone no longer names one contact. `recordReceipt` finds its
//   message only in `ReceiptUpdate.scope` (the business whose carrier credentials verified the receipt):
//   another business's text is `unknownMessage` and nothing is written.
// - Rows stored before tenancy (migration `v5-tenancy`) belong to `BusinessID.default`; suppressions
//   with reason opt_out, wrong_number or carrier_opt_out to `default`, every other one becomes global.

/// Which businesses' rows a read may return.
public enum BusinessScope: Sendable, Hashable {
    /// Every business (the admin token, the engine).
    case all
    case business(BusinessID)

    /// True when a row of `owner` is visible in this scope.
    public func includes(_ owner: BusinessID) -> Bool {
        switch self {
        case .all: true
        case .business(let id): id == owner
        }
    }

    /// The business to filter by, nil for every business.
    public var only: BusinessID? {
        switch self {
        case .all: nil
        case .business(let id): id
        }
    }
}

// MARK: - Ingest

/// One call event to store, with the runs (and their first jobs) it starts if it is new.
///
/// Invariants: one call row per (business, provider, provider call id); one run per (automation, call); a call's
/// stage never moves backwards (an older stage arriving late is a duplicate and changes nothing); the
/// contact, the call, the implied consent, the runs, their first jobs and the notes are written together.
/// Concurrency: two ingests of the same call id race on the unique key; the loser sees `duplicate`
/// (PostgreSQL: `INSERT … ON CONFLICT DO NOTHING` then read the winner's row).
public struct IngestRequest: Sendable {
    public var event: CallEvent
    public var receivedAt: Date
    /// Identifiers to use if the contact, call and runs are new.
    public var newContactID: ContactID
    public var newCallID: CallID
    /// Runs to start when the call reaches its final stage for the first time.
    public var runs: [PlannedRun]
    /// Consent the call itself implies (an inbound call), recorded with the contact unless an active
    /// grant of the same kind and scope exists.
    public var impliedConsent: ConsentRecord?
    /// Decisions to record when the call reaches its final stage for the first time (for instance "no
    /// text: the caller's number cannot receive texts"); the store fills in the contact and call.
    public var notes: [PlannedDecision]
    /// The business whose number was called: the contact is this business's (the implied consent too).
    public var business: BusinessID

    public init(event: CallEvent, receivedAt: Date, newContactID: ContactID, newCallID: CallID,
                runs: [PlannedRun], impliedConsent: ConsentRecord? = nil, notes: [PlannedDecision] = [],
                business: BusinessID = .default) {
        self.business = business
        self.event = event; self.receivedAt = receivedAt; self.newContactID = newContactID
        self.newCallID = newCallID; self.runs = runs; self.impliedConsent = impliedConsent; self.notes = notes
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

/// A decision whose contact and call the store knows only once it has applied the unit.
public struct PlannedDecision: Sendable, Hashable {
    public var id: DecisionID
    public var action: DecisionAction
    public var reasons: [String]
    public var sentence: String
    public init(id: DecisionID, action: DecisionAction, reasons: [String], sentence: String) {
        self.id = id; self.action = action; self.reasons = reasons; self.sentence = sentence
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

// MARK: - Jobs

/// Claim up to `limit` available jobs (pending and due, or running with an expired lease) for `owner`.
///
/// Invariants: a job is held by at most one owner at a time; claims take the compliance lane first,
/// then the normal lane, each oldest available first, ties in insertion order; a claim costs the batch,
/// not the backlog (one indexed "available at" column covers due and lease-expired jobs).
/// Concurrency: PostgreSQL claims with `FOR UPDATE SKIP LOCKED` so concurrent claimers never block on or
/// share a row, and compares against the database clock.
public struct ClaimRequest: Sendable {
    public var owner: String
    public var now: Date
    public var leaseUntil: Date
    public var limit: Int
    public init(owner: String, now: Date, leaseUntil: Date, limit: Int) {
        self.owner = owner; self.now = now; self.leaseUntil = leaseUntil; self.limit = limit
    }
}

/// Runs inside a unit's write, after the store has read the contact's consent state under the unit's
/// lock: non-nil refuses the unit. This is how "the legal check and the caps are re-checked inside the
/// write" is kept without the store knowing the policy: the engine passes the pure policy stages.
public struct SendGuard: Sendable {
    /// Outbound automated texts to the contact created after this instant are counted for caps.
    public var countSince: Date
    public var check: @Sendable (GuardSnapshot) -> PolicyDecision?
    public init(countSince: Date, check: @escaping @Sendable (GuardSnapshot) -> PolicyDecision?) {
        self.countSince = countSince; self.check = check
    }
}

/// What a guard sees, read inside the write.
public struct GuardSnapshot: Sendable {
    public var suppression: SuppressionRecord?
    public var consents: [ConsentRecord]
    /// Outbound automated texts to this contact since `countSince` that count against caps (not
    /// cancelled, not failed), excluding the message the unit is about.
    public var automatedTexts: [(messageType: String?, createdAt: Date)]
    public init(suppression: SuppressionRecord?, consents: [ConsentRecord], automatedTexts: [(messageType: String?, createdAt: Date)]) {
        self.suppression = suppression; self.consents = consents; self.automatedTexts = automatedTexts
    }
}

/// A text to write as `queued` with the job that will deliver it.
public struct QueuedText: Sendable {
    /// Written as it is: `queued` for `claimForSending` to take later, or already `sending` when the
    /// writer hands it to its carrier right after the commit. A `sending` text's guard is then the last
    /// legal check (it runs inside this write, as `claimForSending`'s would) and its delivery job must be
    /// written claimed, so a crash before the carrier answers is settled by asking the carrier.
    public var message: MessageRecord
    /// The `deliver` job. When its `leaseOwner` is set it is inserted already claimed (running under that
    /// owner until `leaseUntil`), so the worker that wrote the text can hand it over at once.
    public var deliveryJob: JobRecord
    public var sendGuard: SendGuard?
    public init(message: MessageRecord, deliveryJob: JobRecord, sendGuard: SendGuard? = nil) {
        self.message = message; self.deliveryJob = deliveryJob; self.sendGuard = sendGuard
    }
}

/// One automation run moves on: from the job that holds it to its next waiting point or its end.
///
/// Invariants: applied only while `claim` holds the job and the run is `active` (else `stale`, nothing
/// written: an opt-out that cancelled the run meanwhile wins); at most one message per idempotency key
/// (else `duplicateMessage`, nothing written); the text's send guard passes inside the write (else
/// `refused`, nothing written); a run that ends leaves no other pending advance job behind.
/// Concurrency: PostgreSQL locks the job row, the run row and, when a text is written, the contact row
/// (`SELECT … FOR UPDATE`) before checking, so two workers cannot both pass a cap (no write skew).
public struct AdvanceStep: Sendable {
    public enum Next: Sendable, Hashable {
        /// The job waits: rescheduled to this instant (a delay, a deferral), its attempts reset.
        case wait(until: Date)
        /// The job is finished.
        case done
    }

    public var claim: JobClaim
    public var runID: RunID
    public var contactID: ContactID
    /// The run's new position in its program.
    public var pc: Int
    /// Set when the run ends with this step.
    public var runEnd: (status: RunStatus, reason: String)?
    public var next: Next
    public var decisions: [DecisionRecord]
    /// Contact attributes to merge (update_contact steps).
    public var contactAttributes: [String: String]
    public var text: QueuedText?
    /// CRM outbox entries written with the step (the contact attributes it set, for each CRM).
    public var crm: [CRMOutboxRecord]
    public var now: Date

    public init(claim: JobClaim, runID: RunID, contactID: ContactID, pc: Int, runEnd: (status: RunStatus, reason: String)? = nil,
                next: Next, decisions: [DecisionRecord] = [], contactAttributes: [String: String] = [:],
                text: QueuedText? = nil, crm: [CRMOutboxRecord] = [], now: Date) {
        self.claim = claim; self.runID = runID; self.contactID = contactID; self.pc = pc; self.runEnd = runEnd
        self.next = next; self.decisions = decisions; self.contactAttributes = contactAttributes; self.text = text
        self.crm = crm; self.now = now
    }
}

public enum AdvanceResult: Sendable, Equatable {
    case committed
    /// The job is no longer this worker's or the run is no longer active: nothing was written.
    case stale
    /// A message with the same idempotency key exists already: nothing was written.
    case duplicateMessage(existing: MessageID)
    /// The send guard refused inside the write (an opt-out or a cap since the engine decided): nothing
    /// was written; deciding again sees why.
    case refused(PolicyDecision)
}

/// Move a stored message `queued → sending` before its carrier is called.
///
/// Invariants: only one worker ever moves a given message to `sending` (a compare-and-set on its
/// status); the legal check runs in the same write, and when it refuses, the message is `cancelled`,
/// the refusal is recorded as a decision and the job is done, together.
/// Concurrency: PostgreSQL `UPDATE messages … WHERE id = $1 AND status = 'queued'` with the row count
/// checked, after locking the contact row for the guard.
public struct ClaimForSending: Sendable {
    public var claim: JobClaim
    public var messageID: MessageID
    public var sendGuard: SendGuard?
    /// The identifier of the decision recorded if the guard refuses.
    public var refusalDecisionID: DecisionID
    public var now: Date
    public init(claim: JobClaim, messageID: MessageID, sendGuard: SendGuard?, refusalDecisionID: DecisionID, now: Date) {
        self.claim = claim; self.messageID = messageID; self.sendGuard = sendGuard
        self.refusalDecisionID = refusalDecisionID; self.now = now
    }
}

public enum ClaimForSendingResult: Sendable, Equatable {
    /// The message is now `sending`, held for this worker.
    case claimed(MessageRecord)
    /// The message is not `queued` (a crash left it `sending`, or it is finished): nothing was written.
    case notQueued(MessageRecord)
    /// The guard refused: the message is `cancelled`, the decision recorded, the job done.
    case refused(PolicyDecision)
    /// The job is no longer this worker's, or the message is gone: nothing was written.
    case stale
}

/// Record what the carrier said about a message (or that it was given up), and finish or reschedule
/// the delivery job.
///
/// Invariants: applied only while `claim` holds the job and the message is still in `expected` status
/// (a compare-and-set: a status never moves backwards, a second finisher is `stale`); a carrier opt-out
/// writes its suppression in the same unit; the CRM entries that log a sent text are written with it.
public struct FinishDelivery: Sendable {
    public enum Next: Sendable, Hashable {
        case done
        /// Try again at this instant (a transient refusal); the message goes back to `queued`.
        case retry(at: Date)
    }

    public var claim: JobClaim
    public var messageID: MessageID
    public var expected: MessageStatus
    public var status: MessageStatus
    public var carrierMessageID: String?
    public var error: String?
    /// The carrier's code for `error`, when it gave one.
    public var errorCode: String?
    public var sentAt: Date?
    public var next: Next
    public var decisions: [DecisionRecord]
    public var suppression: SuppressionRecord?
    /// CRM outbox entries to write with the outcome (empty contact ids get the message's contact).
    public var crm: [CRMOutboxRecord]
    public var now: Date

    public init(claim: JobClaim, messageID: MessageID, expected: MessageStatus, status: MessageStatus, carrierMessageID: String? = nil,
                error: String? = nil, errorCode: String? = nil, sentAt: Date? = nil, next: Next = .done, decisions: [DecisionRecord] = [],
                suppression: SuppressionRecord? = nil, crm: [CRMOutboxRecord] = [], now: Date) {
        self.errorCode = errorCode; self.crm = crm
        self.claim = claim; self.messageID = messageID; self.expected = expected; self.status = status
        self.carrierMessageID = carrierMessageID; self.error = error; self.sentAt = sentAt; self.next = next
        self.decisions = decisions; self.suppression = suppression; self.now = now
    }
}

public enum UnitResult: Sendable, Equatable {
    case committed
    /// Someone else acted first (the job is not this worker's, the run or message moved on): nothing written.
    case stale
}

/// A text outside any automation (a confirmation, a HELP answer, a person's reply): written `queued`
/// with its delivery job and the decision that allowed it.
///
/// Invariants: one message per idempotency key (a repeat is `duplicate`, nothing written); the guard,
/// when given, passes inside the write.
public struct DirectMessage: Sendable {
    public var text: QueuedText
    public var decision: DecisionRecord
    public init(text: QueuedText, decision: DecisionRecord) { self.text = text; self.decision = decision }
}

public enum DirectMessageResult: Sendable, Equatable {
    case queued(MessageID)
    case duplicate(existing: MessageID)
    case refused(PolicyDecision)
}

// MARK: - Inbound

/// An inbound text and everything it implies, in one unit: a crash can never leave a stored STOP that
/// was not applied (Twilio does not retry SMS webhooks).
///
/// Invariants: one inbound message per (carrier, carrier message id): a repeat is `duplicate` and
/// changes nothing (the first one was applied whole); an opt-out suppresses the number, revokes every
/// active consent, cancels every active run of the contact (with a decision each) and their pending
/// jobs, and queues at most one confirmation — none when the number was already opted out.
/// Concurrency: PostgreSQL locks the contact row first, so an opt-out and a send guard for the same
/// contact are ordered.
public struct InboundUnit: Sendable {
    public enum Effect: Sendable {
        /// Stored only (a reply: pending follow-ups cancel themselves when they fall due).
        case none
        case optOut(OptOut)
        case optIn(OptIn)
        /// An answer that goes out right away (HELP).
        case answer(DirectMessage)
    }

    public struct OptOut: Sendable {
        public var suppression: SuppressionRecord
        public var revokeSource: String
        /// The one confirmation; skipped when the number was already opted out before this text.
        public var confirmation: DirectMessage?
        public var cancelSentence: String
        public init(suppression: SuppressionRecord, revokeSource: String, confirmation: DirectMessage?, cancelSentence: String) {
            self.suppression = suppression; self.revokeSource = revokeSource; self.confirmation = confirmation
            self.cancelSentence = cancelSentence
        }
    }

    public struct OptIn: Sendable {
        public var consent: ConsentRecord
        /// Suppressions with these reasons are lifted (the contact's own opt-outs, not a DNC entry).
        public var liftReasons: Set<String>
        public var confirmation: DirectMessage?
        public init(consent: ConsentRecord, liftReasons: Set<String>, confirmation: DirectMessage?) {
            self.consent = consent; self.liftReasons = liftReasons; self.confirmation = confirmation
        }
    }

    public var inbound: InboundRecord
    public var effect: Effect
    /// Identifiers for the cancellation decisions an opt-out writes, one per cancelled run.
    public var ids: IDSource
    /// What the reply does to its conversation (Store+Conversations.swift); applied after the effect.
    public var turn: ConversationTurn?
    /// CRM outbox entries that log the inbound text (the store fills in the contact).
    public var crm: [CRMOutboxRecord]

    public init(inbound: InboundRecord, effect: Effect, ids: IDSource, turn: ConversationTurn? = nil, crm: [CRMOutboxRecord] = []) {
        self.inbound = inbound; self.effect = effect; self.ids = ids; self.turn = turn; self.crm = crm
    }
}

public enum InboundOutcome: Sendable, Equatable {
    case stored(contactID: ContactID, messageID: MessageID, cancelledRuns: Int, queued: MessageID?)
    case duplicate(contactID: ContactID, messageID: MessageID)
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
    /// The business whose number was texted: the contact, its opt-out and opt-in are this business's.
    public var business: BusinessID
    public init(messageID: MessageID, newContactID: ContactID, from: PhoneNumber, to: PhoneNumber, body: String,
                carrier: String, carrierMessageID: String?, receivedAt: Date, business: BusinessID = .default) {
        self.business = business
        self.messageID = messageID; self.newContactID = newContactID; self.from = from; self.to = to
        self.body = body; self.carrier = carrier; self.carrierMessageID = carrierMessageID; self.receivedAt = receivedAt
    }
}

// MARK: - Reads

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

/// A page of a listing, with the cursor that continues it (nil at the end).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?
    public init(items: [Item], next: String?) { self.items = items; self.next = next }
}

public enum StoreError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case corrupt(String)
    case unavailable(String)
    /// Too many writes are waiting: the caller should answer 503 with Retry-After instead of queueing more.
    case overloaded(retryAfterSeconds: Int)
    case invalidCursor

    public var description: String {
        switch self {
        case .notFound(let what): "not found: \(what)"
        case .corrupt(let what): "stored data could not be read: \(what)"
        case .unavailable(let what): "the database is unavailable: \(what)"
        case .overloaded(let seconds): "too many writes are waiting; try again in \(seconds) s"
        case .invalidCursor: "the cursor is not one this listing produced"
        }
    }
}

// MARK: - The contract

public protocol Store: ConversationStore, CRMOutboxStore {
    /// Applies every pending schema migration. Safe to call on every start, and from several processes.
    func migrate() async throws

    /// Wakes job runners when a unit makes a job available (in-process on SQLite, LISTEN/NOTIFY on PostgreSQL).
    var jobWakeups: JobWakeups { get }

    // MARK: Calls
    func ingestCall(_ request: IngestRequest) async throws -> IngestOutcome

    // MARK: Jobs
    func claimJobs(_ request: ClaimRequest) async throws -> [JobRecord]
    /// Extends every lease `owner` holds to `until` (the worker's heartbeat); returns how many.
    func renewLeases(owner: String, until: Date, now: Date) async throws -> Int
    /// Makes the given jobs available again at `now` if `owner` still holds them (graceful shutdown
    /// releasing claims it did not start); returns how many.
    func releaseJobs(_ ids: [JobID], owner: String, now: Date) async throws -> Int
    /// Makes available every job held by an earlier incarnation of this node (owners `"\(node)#…"` other
    /// than `current`): a process that restarts does not wait out its own dead leases.
    func releaseEarlierIncarnations(node: String, current: String, now: Date) async throws -> Int
    /// The earliest instant a job becomes available (due, or its lease expires), if any.
    func nextAvailableAt() async throws -> Date?
    /// Deletes finished (done or cancelled) jobs last touched before `before`, at most `limit`; returns how many.
    func pruneFinishedJobs(before: Date, limit: Int) async throws -> Int
    func job(_ id: JobID) async throws -> JobRecord?
    /// Pending and running jobs, oldest first (for tests and tools: not for hot paths).
    func pendingJobs(limit: Int) async throws -> [JobRecord]
    func countPendingJobs() async throws -> Int

    // MARK: Units of work for held jobs
    func advanceStep(_ step: AdvanceStep) async throws -> AdvanceResult
    func claimForSending(_ unit: ClaimForSending) async throws -> ClaimForSendingResult
    func finishDelivery(_ unit: FinishDelivery) async throws -> UnitResult
    /// Cancels a held job that has nothing left to do, with optional decisions; `stale` if not held.
    func cancelJob(_ claim: JobClaim, decisions: [DecisionRecord], now: Date) async throws -> UnitResult
    /// Ends a held advance job's run with a decision (`stale` if the job is not held or the run not active).
    func endRun(_ claim: JobClaim, runID: RunID, status: RunStatus, reason: String, decision: DecisionRecord, now: Date) async throws -> UnitResult

    // MARK: Units of work without a job
    func queueDirectMessage(_ unit: DirectMessage) async throws -> DirectMessageResult
    func recordDecisions(_ decisions: [DecisionRecord]) async throws
    func receiveInbound(_ unit: InboundUnit) async throws -> InboundOutcome

    // MARK: Runs
    func runState(_ id: RunID) async throws -> RunState?
    /// Each asked run's state with its contact's history from the request's `historySince` on
    /// (`RunState.history`), all read together (one snapshot per engine where it has them): the job runner
    /// reads a claimed batch's runs at once, and each advance asks the policy from its state instead of a
    /// second read. A run that does not exist is absent from the answer. An engine without a combined read
    /// gets the reads one after the other (the extension below).
    func runStates(_ requests: [RunStateRequest]) async throws -> [RunID: RunState]
    func activeRuns(contactID: ContactID) async throws -> [RunRecord]

    // MARK: Contacts and history (scoped: see "Tenancy" above)
    /// The contact of `phone` at `business`.
    func contact(phone: PhoneNumber, business: BusinessID) async throws -> Contact?
    /// Nil when the contact belongs to a business outside `scope`.
    func contact(id: ContactID, scope: BusinessScope) async throws -> Contact?
    /// The contact's consents and the suppression that applies are its business's (and the global list's).
    func history(contactID: ContactID, phone: PhoneNumber, since: Date) async throws -> ContactHistory
    /// Empty when the contact belongs to a business outside `scope`.
    func timeline(contactID: ContactID, scope: BusinessScope) async throws -> [TimelineEntry]

    // MARK: Messages
    func message(_ id: MessageID, scope: BusinessScope) async throws -> MessageRecord?
    /// Newest first; `after` is the `next` cursor of the previous page.
    func messages(scope: BusinessScope, limit: Int, after: String?) async throws -> Page<MessageRecord>

    // MARK: Consent and suppression
    func addConsent(_ consent: ConsentRecord) async throws
    /// Revokes `business`'s active consents of `phone` (of `scope`, or all scopes when nil).
    func revokeConsents(phone: PhoneNumber, business: BusinessID, scope: String?, at: Date, source: String) async throws -> Int
    func consents(phone: PhoneNumber, business: BusinessID) async throws -> [ConsentRecord]
    /// Inserts or keeps the existing entry of the same (business or global, phone, channel): first reason
    /// wins; returns true when newly added.
    @discardableResult
    func addSuppression(_ entry: SuppressionRecord) async throws -> Bool
    /// Bulk insert for list imports; returns how many were new.
    func addSuppressions(_ entries: [SuppressionRecord]) async throws -> Int
    /// Removes the entry of exactly `business` (nil: the global entry).
    @discardableResult
    func removeSuppression(phone: PhoneNumber, channel: String, business: BusinessID?) async throws -> Bool
    /// With a business: the entry that stops it texting `phone` (its own first, else the global one).
    /// Nil: the global entry.
    func suppression(phone: PhoneNumber, channel: String, for business: BusinessID?) async throws -> SuppressionRecord?
    /// `.business(b)`: b's entries and the global ones; `.all`: every entry.
    func suppressions(scope: BusinessScope, limit: Int, offset: Int) async throws -> [SuppressionRecord]

    // MARK: Delivery (receipts, pacing, line types): see StoreDelivery.swift
    func recordReceipt(_ unit: ReceiptUpdate) async throws -> ReceiptOutcome
    func deferDelivery(_ unit: DeferDelivery) async throws -> UnitResult
    /// Outbound texts from `number` handed to a carrier at or after `since` (daily caps).
    func sentCount(from number: PhoneNumber, since: Date) async throws -> Int
    /// The number's turn for this message: now, or when (its pace, its daily cap), for every process at once.
    func reserveSendSlot(_ request: SendSlotRequest) async throws -> SendSlot
    func cachedLineType(_ phone: PhoneNumber) async throws -> CachedLineType?
    func cacheLineType(_ entry: CachedLineType) async throws

    // MARK: Figures
    /// The measured funnel over [from, to), whole, per automation and per number of ours, each rate with
    /// its numerator and denominator (Store+Metrics.swift defines every count), over `scope`'s rows (a
    /// global do-not-contact entry counts for every business). A read: writes nothing.
    func figures(from: Date, to: Date, scope: BusinessScope) async throws -> Figures
    /// Ended calls that occurred in [from, to), oldest first, at most `limit` (the dry run replays them).
    func calls(from: Date, to: Date, limit: Int) async throws -> [CallRecord]
}

/// The simulator carrier's outbox: what a real carrier would have put on the air. Not part of `Store`,
/// because a real deployment has no such thing; the SQLite engine keeps it in the same file.
public protocol SimulatorOutbox: Sendable {
    /// Accepts a text once per idempotency key; a repeat returns the first entry.
    func accept(_ entry: SimulatorOutboxEntry) async throws -> SimulatorOutboxEntry
    /// Oldest first; `after` is the `next` cursor of the previous page.
    func entries(limit: Int, after: String?) async throws -> Page<SimulatorOutboxEntry>
    func entry(idempotencyKey: String) async throws -> SimulatorOutboxEntry?
}

extension Store {
    public func runStates(_ requests: [RunStateRequest]) async throws -> [RunID: RunState] {
        var states: [RunID: RunState] = [:]
        for request in requests {
            guard var state = try await runState(request.runID) else { continue }
            let history = try await history(contactID: state.contact.id, phone: state.contact.phone, since: request.historySince)
            state.history = PrefetchedHistory(contactID: state.contact.id, since: request.historySince, history: history)
            states[request.runID] = state
        }
        return states
    }

    /// One run's state with its contact's history from `since` on (`runStates` for one).
    public func runState(_ id: RunID, historySince since: Date) async throws -> RunState? {
        try await runStates([RunStateRequest(runID: id, historySince: since)])[id]
    }
}
