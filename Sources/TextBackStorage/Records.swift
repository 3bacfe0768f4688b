// The rows the engine reads and writes, shared by every `Store` implementation.
// Plain values: no behaviour beyond small conveniences, so both storage engines map them the same way.

import Foundation
import TextBackCore

public enum RunStatus: String, Sendable, Codable {
    case active, finished, stopped, cancelled, failed
}

public struct RunRecord: Sendable, Hashable, Codable {
    public var id: RunID
    public var automationID: AutomationID
    public var callID: CallID
    public var contactID: ContactID
    public var status: RunStatus
    /// Position in the automation's compiled program where the run continues.
    public var pc: Int
    /// The program's fingerprint when the run started; a changed configuration is noticed, not guessed at.
    public var fingerprint: String
    public var createdAt: Date
    public var updatedAt: Date
    public var endReason: String?

    public init(id: RunID, automationID: AutomationID, callID: CallID, contactID: ContactID, status: RunStatus = .active,
                pc: Int = 0, fingerprint: String, createdAt: Date, updatedAt: Date, endReason: String? = nil) {
        self.id = id; self.automationID = automationID; self.callID = callID; self.contactID = contactID
        self.status = status; self.pc = pc; self.fingerprint = fingerprint
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.endReason = endReason
    }
}

public enum JobKind: String, Sendable, Codable {
    /// Continue an automation run at its current position.
    case advance
    /// Hand a stored outgoing message to its carrier.
    case deliver
}

public enum JobStatus: String, Sendable, Codable {
    case pending, running, done, cancelled
}

/// Which queue a job waits in. Claims take the compliance lane first, so an opt-out confirmation or a
/// HELP answer never waits behind a backlog of follow-ups (its 5-minute window is the law's).
public enum JobLane: Int, Sendable, Codable, CaseIterable, Comparable {
    case compliance = 0
    case normal = 1
    public static func < (lhs: JobLane, rhs: JobLane) -> Bool { lhs.rawValue < rhs.rawValue }
}

public struct JobRecord: Sendable, Hashable, Codable {
    public var id: JobID
    public var kind: JobKind
    public var runID: RunID?
    public var messageID: MessageID?
    public var dueAt: Date
    public var status: JobStatus
    public var attempts: Int
    public var createdAt: Date
    public var lane: JobLane
    /// The worker holding a running job, and until when (renewed by its heartbeat).
    public var leaseOwner: String?
    public var leaseUntil: Date?
    /// The business of its run or message, as stored (the field itself is not written).
    public var business: BusinessID = .default

    public init(id: JobID, kind: JobKind, runID: RunID? = nil, messageID: MessageID? = nil, dueAt: Date,
                status: JobStatus = .pending, attempts: Int = 0, createdAt: Date, lane: JobLane = .normal,
                leaseOwner: String? = nil, leaseUntil: Date? = nil) {
        self.id = id; self.kind = kind; self.runID = runID; self.messageID = messageID; self.dueAt = dueAt
        self.status = status; self.attempts = attempts; self.createdAt = createdAt; self.lane = lane
        self.leaseOwner = leaseOwner; self.leaseUntil = leaseUntil
    }

    /// The claim this job stands for once a worker holds it.
    public var claim: JobClaim? { leaseOwner.map { JobClaim(jobID: id, owner: $0) } }
}

/// "This worker holds this job": every unit of work a job commits names it, and the store applies the
/// unit only while the job is still running under that owner (a lease taken over or a cancellation
/// in between makes the unit `stale`, and nothing is written).
public struct JobClaim: Sendable, Hashable {
    public var jobID: JobID
    public var owner: String
    public init(jobID: JobID, owner: String) { self.jobID = jobID; self.owner = owner }
}

public enum MessageDirection: String, Sendable, Codable { case outbound, inbound }

/// What a message is for: caps and consent treat each kind differently.
public enum MessageKind: String, Sendable, Codable {
    /// A text an automation sent; its `messageType` ("missed_call", …) is what caps count by.
    case automated
    case optOutConfirmation = "opt_out_confirmation"
    case help
    case optInConfirmation = "opt_in_confirmation"
    case reply
    case inbound
}

public enum MessageStatus: String, Sendable, Codable {
    /// Stored, not yet handed to the carrier.
    case queued
    /// Handed to the carrier; the answer has not been recorded yet.
    case sending
    case sent, delivered, failed, received
    /// Left the carrier, but the destination network could not deliver it (a delivery receipt said so).
    case undelivered
    /// The carrier's answer was lost (crash, timeout) and could not be reconciled: never retried blindly.
    case unknown
    case cancelled

    /// Status order for callbacks: a status never moves backwards.
    public var rank: Int {
        switch self {
        case .queued: 0
        case .sending: 1
        case .unknown: 2
        case .sent: 3
        case .delivered, .undelivered, .failed, .received, .cancelled: 4
        }
    }
}

public struct MessageRecord: Sendable, Hashable, Codable {
    public var id: MessageID
    /// Unique: the same logical text can be written only once, whoever tries.
    public var idempotencyKey: String?
    public var contactID: ContactID
    public var runID: RunID?
    public var direction: MessageDirection
    public var kind: MessageKind
    /// The automation's message type for automated texts (caps and granular consent key off it).
    public var messageType: String?
    /// The configured template an automated text was rendered from (per-template figures).
    public var template: String?
    public var from: PhoneNumber
    public var to: PhoneNumber
    public var body: String
    public var status: MessageStatus
    public var carrier: String
    public var carrierMessageID: String?
    public var error: String?
    /// The carrier's own error code ("30003", "40300", "4720") when it gave one; `error` holds its meaning.
    public var errorCode: String?
    public var createdAt: Date
    public var sentAt: Date?
    /// The contact's business, as stored (a message is written with its contact's; the field is not written).
    public var business: BusinessID = .default

    public init(id: MessageID, idempotencyKey: String?, contactID: ContactID, runID: RunID? = nil,
                direction: MessageDirection, kind: MessageKind, messageType: String? = nil, from: PhoneNumber, to: PhoneNumber,
                body: String, status: MessageStatus, carrier: String, carrierMessageID: String? = nil, error: String? = nil,
                errorCode: String? = nil, template: String? = nil, createdAt: Date, sentAt: Date? = nil) {
        self.errorCode = errorCode; self.template = template
        self.id = id; self.idempotencyKey = idempotencyKey; self.contactID = contactID; self.runID = runID
        self.direction = direction; self.kind = kind; self.messageType = messageType; self.from = from; self.to = to; self.body = body
        self.status = status; self.carrier = carrier; self.carrierMessageID = carrierMessageID; self.error = error
        self.createdAt = createdAt; self.sentAt = sentAt
    }
}

/// What the engine decided about a text, and why, as stored and shown on the timeline.
public enum DecisionAction: String, Sendable, Codable {
    case schedule, send, `defer`, suppress, cancel, skip, stop
}

public struct DecisionRecord: Sendable, Hashable, Codable {
    public var id: DecisionID
    public var contactID: ContactID
    public var runID: RunID?
    public var callID: CallID?
    public var messageID: MessageID?
    public var action: DecisionAction
    public var reasons: [String]
    public var sentence: String
    public var until: Date?
    public var decidedAt: Date

    public init(id: DecisionID, contactID: ContactID, runID: RunID? = nil, callID: CallID? = nil,
                messageID: MessageID? = nil, action: DecisionAction, reasons: [String], sentence: String,
                until: Date? = nil, decidedAt: Date) {
        self.id = id; self.contactID = contactID; self.runID = runID; self.callID = callID
        self.messageID = messageID; self.action = action; self.reasons = reasons; self.sentence = sentence
        self.until = until; self.decidedAt = decidedAt
    }
}

public struct CallRecord: Sendable, Hashable, Codable {
    public var id: CallID
    public var contactID: ContactID
    public var event: CallEvent
    public var receivedAt: Date

    public init(id: CallID, contactID: ContactID, event: CallEvent, receivedAt: Date) {
        self.id = id; self.contactID = contactID; self.event = event; self.receivedAt = receivedAt
    }
}

/// Everything the engine needs to continue one run.
public struct RunState: Sendable {
    public var run: RunRecord
    public var call: CallRecord
    public var contact: Contact
    /// The contact's history, when it was read together with the run (`Store.runStates`).
    public var history: PrefetchedHistory?
    public init(run: RunRecord, call: CallRecord, contact: Contact, history: PrefetchedHistory? = nil) {
        self.run = run; self.call = call; self.contact = contact; self.history = history
    }
}

/// One run to read with its contact's history from `historySince` on (`Store.runStates`).
public struct RunStateRequest: Sendable, Hashable {
    public var runID: RunID
    public var historySince: Date
    public init(runID: RunID, historySince: Date) {
        self.runID = runID; self.historySince = historySince
    }
}

/// A contact's history as read at one moment: every call and message from `since` on, its consents and
/// the suppression that applied. A policy question about a later `since` is answered from it exactly, by
/// dropping what is older (`from(_:)`); an earlier one needs a new read.
public struct PrefetchedHistory: Sendable {
    public var contactID: ContactID
    public var since: Date
    public var history: ContactHistory
    public init(contactID: ContactID, since: Date, history: ContactHistory) {
        self.contactID = contactID; self.since = since; self.history = history
    }

    /// What `Store.history(contactID:phone:since:)` would return for `since`, or nil when that reaches
    /// further back than this read did.
    public func from(_ since: Date, contactID: ContactID) -> ContactHistory? {
        guard contactID == self.contactID, since >= self.since else { return nil }
        var history = self.history
        history.calls.removeAll { $0.event.occurredAt < since }
        history.messages.removeAll { $0.createdAt < since }
        return history
    }
}

/// One line of a contact's timeline: a call, a decision or a message, oldest first.
public enum TimelineEntry: Sendable, Hashable {
    case call(CallRecord)
    case decision(DecisionRecord)
    case message(MessageRecord)

    public var at: Date {
        switch self {
        case .call(let c): c.event.occurredAt
        case .decision(let d): d.decidedAt
        case .message(let m): m.sentAt ?? m.createdAt
        }
    }
}

/// A message the simulator carrier accepted: what a real carrier would have put on the air.
public struct SimulatorOutboxEntry: Sendable, Hashable, Codable {
    public var id: String
    public var idempotencyKey: String
    public var from: PhoneNumber
    public var to: PhoneNumber
    public var body: String
    public var status: String
    public var sentAt: Date

    public init(id: String, idempotencyKey: String, from: PhoneNumber, to: PhoneNumber, body: String, status: String, sentAt: Date) {
        self.id = id; self.idempotencyKey = idempotencyKey; self.from = from; self.to = to; self.body = body
        self.status = status; self.sentAt = sentAt
    }
}
