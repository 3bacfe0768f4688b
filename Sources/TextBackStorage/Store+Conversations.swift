// The conversation part of the storage contract: threads per (our number, contact), callbacks, and
// the staff notification outbox. Each write is a named unit stating its invariants, like Store.swift.
//
// A message belongs to the conversation of its (our number, contact) pair: outbound texts from the
// number to the contact and inbound texts from the contact to the number. The pair is the thread's
// unique key, so the messages need no column of their own.

import Foundation
import TextBackCore

public struct ConversationRecord: Sendable, Hashable {
    public var id: ConversationID
    /// Our number.
    public var number: PhoneNumber
    /// The contact's number.
    public var phone: PhoneNumber
    public var contactID: ContactID
    public var state: ConversationState
    public var createdAt: Date
    public var updatedAt: Date
    public init(id: ConversationID, number: PhoneNumber, phone: PhoneNumber, contactID: ContactID, state: ConversationState,
                createdAt: Date, updatedAt: Date) {
        self.id = id; self.number = number; self.phone = phone; self.contactID = contactID; self.state = state
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

public enum CallbackStatus: String, Sendable, Codable, CaseIterable {
    case requested, completed, missed, cancelled
}

public struct CallbackRecord: Sendable, Hashable {
    public var id: CallbackID
    public var conversationID: ConversationID
    public var contactID: ContactID
    public var phone: PhoneNumber
    public var number: PhoneNumber
    public var at: Date
    /// After this instant a callback still `requested` is `missed`.
    public var windowEnd: Date
    public var status: CallbackStatus
    public var sourceMessageID: MessageID?
    public var createdAt: Date
    public var updatedAt: Date
    public init(id: CallbackID, conversationID: ConversationID, contactID: ContactID, phone: PhoneNumber, number: PhoneNumber, at: Date,
                windowEnd: Date, status: CallbackStatus = .requested, sourceMessageID: MessageID?, createdAt: Date, updatedAt: Date? = nil) {
        self.id = id; self.conversationID = conversationID; self.contactID = contactID; self.phone = phone; self.number = number
        self.at = at; self.windowEnd = windowEnd; self.status = status; self.sourceMessageID = sourceMessageID
        self.createdAt = createdAt; self.updatedAt = updatedAt ?? createdAt
    }
}

/// One staff notification waiting in the durable outbox.
public struct NotificationRecord: Sendable, Hashable {
    public enum Channel: String, Sendable, Codable { case sms, webhook }
    public enum Status: String, Sendable, Codable { case pending, delivered, failed }

    public var id: String
    /// `callback.requested`, `conversation.needs_human`.
    public var event: String
    public var channel: Channel
    /// The staff number (sms) or the URL (webhook).
    public var target: String
    /// The text (sms) or the JSON body (webhook), fixed when the notification is written so a retry
    /// sends the same bytes.
    public var payload: String
    public var status: Status
    public var attempts: Int
    public var availableAt: Date
    public var lastError: String?
    public var createdAt: Date
    /// The business of the conversation that wrote it (stored from the turn; the field itself is not written).
    public var business: BusinessID = .default
    public init(id: String, event: String, channel: Channel, target: String, payload: String, status: Status = .pending,
                attempts: Int = 0, availableAt: Date, lastError: String? = nil, createdAt: Date) {
        self.id = id; self.event = event; self.channel = channel; self.target = target; self.payload = payload
        self.status = status; self.attempts = attempts; self.availableAt = availableAt; self.lastError = lastError
        self.createdAt = createdAt
    }
}

/// What a reply does to its conversation, applied inside the inbound unit (`InboundUnit.turn`).
///
/// Invariants: one conversation per (number, contact phone), created on first use with
/// `newConversationID`; every reply cancels the contact's active runs with a `replied` decision; the
/// agent's part (state change, reply, callback, notifications) applies only if the conversation's state
/// is still `expectedState` when the unit runs (a person who took the thread over meanwhile wins), and
/// its reply only while the conversation had fewer than `dailyCap.max` automatic replies since
/// `dailyCap.since` (counted inside the write); a thread that closes cancels its requested callbacks,
/// and a new callback cancels the requested one it replaces.
/// Concurrency: PostgreSQL locks the conversation row (`SELECT … FOR UPDATE`) before the state check
/// and the count.
public struct ConversationTurn: Sendable {
    public var newConversationID: ConversationID
    public var number: PhoneNumber
    /// The state the agent decided from; nil for a conversation the engine did not find.
    public var expectedState: ConversationState?
    public var newState: ConversationState?
    public var reply: DirectMessage?
    public var callback: CallbackRecord?
    public var notifications: [NotificationRecord]
    /// The agent's decision (its reasons and sentence), recorded when no reply goes out (a reply's own
    /// decision carries the same reasons).
    public var decision: PlannedDecision?
    public var cancelSentence: String
    public var dailyCap: (max: Int, since: Date)?
    /// Runs of `callback.requested` automations to start with the callback, attached to the contact's
    /// latest call (one run per automation and call, as for calls; none when the contact has no call).
    public var callbackRuns: [PlannedRun]
    public init(newConversationID: ConversationID, number: PhoneNumber, expectedState: ConversationState?, newState: ConversationState?,
                reply: DirectMessage?, callback: CallbackRecord?, notifications: [NotificationRecord], decision: PlannedDecision?,
                cancelSentence: String, dailyCap: (max: Int, since: Date)?, callbackRuns: [PlannedRun] = []) {
        self.newConversationID = newConversationID; self.number = number; self.expectedState = expectedState; self.newState = newState
        self.reply = reply; self.callback = callback; self.notifications = notifications; self.decision = decision
        self.cancelSentence = cancelSentence; self.dailyCap = dailyCap; self.callbackRuns = callbackRuns
    }
}

/// A person's reply through the API.
///
/// Invariants: the conversation exists (else `notFound`); the text passes its guard inside the write
/// (an opted-out contact is `refused`, nothing written); the conversation's `updated_at` moves with it.
public struct PersonReply: Sendable {
    public var conversationID: ConversationID
    public var text: DirectMessage
    /// Whose thread the caller may reply in: a conversation of another business is `notFound`.
    public var scope: BusinessScope
    public init(conversationID: ConversationID, text: DirectMessage, scope: BusinessScope = .all) {
        self.conversationID = conversationID; self.text = text; self.scope = scope
    }
}

public enum PersonReplyResult: Sendable, Equatable {
    case queued(MessageID)
    case refused(PolicyDecision)
    case notFound
}

/// Compare-and-set of a conversation's state.
public enum StateChangeResult: Sendable, Equatable {
    case changed
    /// The conversation is in another state: nothing written.
    case conflict(current: ConversationState)
    case notFound
}

/// One conversation with everything the API shows of it.
public struct ConversationDetail: Sendable {
    public var conversation: ConversationRecord
    /// Oldest first.
    public var messages: [MessageRecord]
    public var decisions: [DecisionRecord]
    public var callbacks: [CallbackRecord]
    public init(conversation: ConversationRecord, messages: [MessageRecord], decisions: [DecisionRecord], callbacks: [CallbackRecord]) {
        self.conversation = conversation; self.messages = messages; self.decisions = decisions; self.callbacks = callbacks
    }
}

public protocol ConversationStore: Sendable {
    /// The conversation of (our number, contact phone), if any.
    func conversation(number: PhoneNumber, phone: PhoneNumber) async throws -> ConversationRecord?
    /// Nil when the conversation belongs to a business outside `scope`.
    func conversation(_ id: ConversationID, scope: BusinessScope) async throws -> ConversationDetail?
    /// Newest first (by last activity); each with its newest message; only `scope`'s.
    func conversations(scope: BusinessScope, state: ConversationState?, phone: PhoneNumber?, limit: Int, after: String?) async throws
        -> Page<(ConversationRecord, MessageRecord?)>
    /// Automatic (agent) replies in the conversation since `since`.
    func agentReplies(number: PhoneNumber, contactID: ContactID, since: Date) async throws -> Int
    func queuePersonReply(_ unit: PersonReply) async throws -> PersonReplyResult
    /// Moves the conversation from `from` to `to`, with a decision on the contact's timeline.
    func changeConversationState(_ id: ConversationID, from: ConversationState, to: ConversationState,
                                 decision: DecisionRecord) async throws -> StateChangeResult

    /// Newest first.
    func callbacks(scope: BusinessScope, status: CallbackStatus?, phone: PhoneNumber?, limit: Int) async throws -> [CallbackRecord]
    /// Completes every requested callback of `phone` at `business` created before `at` (a connected call);
    /// returns how many.
    func completeCallbacks(phone: PhoneNumber, business: BusinessID, connectedAt at: Date, now: Date) async throws -> Int
    /// Marks `missed` every requested callback whose window ended before `now`; returns how many.
    func expireCallbacks(now: Date) async throws -> Int

    /// Claims up to `limit` due notifications until `leaseUntil` (their attempts counted).
    func claimNotifications(now: Date, leaseUntil: Date, limit: Int) async throws -> [NotificationRecord]
    /// Records the outcome of one attempt: delivered, failed for good, or retry at `retryAt`.
    func finishNotification(id: String, status: NotificationRecord.Status, retryAt: Date?, error: String?, now: Date) async throws
    func notifications(limit: Int) async throws -> [NotificationRecord]
}

// Records both engines write for a conversation turn, built once here rather than in each engine.
extension ConversationTurn {
    /// The agent stands down: someone moved the thread (a person took it over) after the agent decided.
    public static func standDownDecision(id: DecisionID, contactID: ContactID, inbound: InboundRecord) -> DecisionRecord {
        DecisionRecord(id: id, contactID: contactID, messageID: inbound.messageID, action: .skip, reasons: ["conversation_state_changed"],
                       sentence: "No automatic reply: the conversation changed hands while the reply was being read.", decidedAt: inbound.receivedAt)
    }

    /// The agent's planned decision, on the inbound text that prompted it.
    public func decisionRecord(contactID: ContactID, inbound: InboundRecord) -> DecisionRecord? {
        decision.map {
            DecisionRecord(id: $0.id, contactID: contactID, messageID: inbound.messageID, action: $0.action, reasons: $0.reasons,
                           sentence: $0.sentence, decidedAt: inbound.receivedAt)
        }
    }
}

extension InboundRecord {
    /// The stored form of the inbound text, received by `contactID`'s thread.
    public func storedMessage(contactID: ContactID) -> MessageRecord {
        MessageRecord(id: messageID, idempotencyKey: nil, contactID: contactID, direction: .inbound, kind: .inbound,
                      from: from, to: to, body: body, status: .received, carrier: carrier,
                      carrierMessageID: carrierMessageID, createdAt: receivedAt, sentAt: receivedAt)
    }
}
