// Conversations, callbacks and staff notifications on PostgreSQL. The turn a reply makes runs inside the
// inbound unit (the contact is locked already) and locks its conversation row before the state check
// and the daily count; notifications (and CRM entries, PostgresStore+CRM.swift) are claimed with
// `FOR UPDATE SKIP LOCKED` like jobs.

import Foundation
import PostgresNIO
import TextBackCore
import TextBackStorage

extension Unit {
    /// Applies `turn` (see `ConversationTurn`); returns how many runs it cancelled.
    func applyTurn(_ turn: ConversationTurn, inbound: InboundRecord, contactID: ContactID, ids: IDSource) async throws -> Int {
        let now = Coding.ms(inbound.receivedAt)
        let conversation: ConversationRecord
        if let row = try await row("""
            SELECT * FROM conversations WHERE number = \(turn.number.e164) AND phone = \(inbound.from.e164) FOR UPDATE
            """) {
            conversation = try StoredRecords.conversation(row)
            try await execute("UPDATE conversations SET updated_at = \(now) WHERE id = \(conversation.id.rawValue)")
        } else {
            conversation = ConversationRecord(id: turn.newConversationID, number: turn.number, phone: inbound.from, contactID: contactID,
                                              state: .open, createdAt: inbound.receivedAt, updatedAt: inbound.receivedAt)
            try await execute("""
                INSERT INTO conversations (id, number, phone, contact_id, state, created_at, updated_at, business_id)
                VALUES (\(conversation.id.rawValue), \(turn.number.e164), \(inbound.from.e164), \(contactID.rawValue), 'open', \(now), \(now),
                        \(inbound.business.rawValue))
                """)
        }

        // Any reply stops pending follow-ups, with the reason on the timeline.
        let cancelled = try await cancelActiveRuns(contactID, reason: "replied", sentence: turn.cancelSentence, messageID: inbound.messageID,
                                                   ids: ids, at: inbound.receivedAt)

        if let expected = turn.expectedState, expected != conversation.state {
            // Someone moved the thread (a person took it over) after the agent decided: the agent stands down.
            try await insertDecision(ConversationTurn.standDownDecision(id: DecisionID(ids.next("dec")), contactID: contactID, inbound: inbound))
            return cancelled
        }

        var decision = turn.decisionRecord(contactID: contactID, inbound: inbound)
        var newState = turn.newState
        var notifications = turn.notifications
        var replied = false
        if var reply = turn.reply {
            if let cap = turn.dailyCap, try await agentReplyCount(number: turn.number, contactID: contactID, since: cap.since) >= cap.max {
                decision?.reasons.append("agent_daily_cap")
                decision?.sentence += " No automatic reply: the conversation reached its automatic replies for the day."
                if newState == nil || newState == .open { newState = .needsHuman }
            } else {
                reply.decision.messageID = reply.text.message.id
                _ = try await queueAnswer(reply, contactID: contactID, now: now)
                replied = true
            }
        }
        if let newState, newState != conversation.state {
            try await execute("UPDATE conversations SET state = \(newState.rawValue), updated_at = \(now) WHERE id = \(conversation.id.rawValue)")
        }
        // A closed thread wants no call; a new booking replaces the one before it.
        if newState == .closed || turn.callback != nil {
            try await execute("""
                UPDATE callbacks SET status = 'cancelled', updated_at = \(now)
                WHERE conversation_id = \(conversation.id.rawValue) AND status = 'requested'
                """)
        }
        if var callback = turn.callback {
            callback.contactID = contactID
            callback.conversationID = conversation.id
            try await insertCallback(callback)
            if !turn.callbackRuns.isEmpty, let call = try await row("""
                SELECT id FROM calls WHERE contact_id = \(contactID.rawValue) ORDER BY occurred_at DESC, rowid DESC LIMIT 1
                """) {
                let callID = try call.text("id")
                for run in turn.callbackRuns {
                    _ = try await insertRun(run, callID: callID, contactID: contactID, at: inbound.receivedAt)
                }
            }
        }
        for index in notifications.indices {
            notifications[index].payload = notifications[index].payload.replacingOccurrences(of: "{conversation_id}", with: conversation.id.rawValue)
            try await insertNotification(notifications[index], business: inbound.business)
        }
        // A reply carries the agent's reasons in its own decision; without one, the agent's decision says why.
        if !replied, let decision { try await insertDecision(decision) }
        return cancelled
    }

    func agentReplyCount(number: PhoneNumber, contactID: ContactID, since: Date) async throws -> Int {
        try await row("""
            SELECT COUNT(*) AS n FROM messages
            WHERE contact_id = \(contactID.rawValue) AND direction = 'outbound' AND kind = 'reply' AND message_type = 'agent'
              AND from_number = \(number.e164) AND created_at > \(Coding.ms(since)) AND status NOT IN ('cancelled', 'failed')
            """)?.int("n") ?? 0
    }

    func insertCallback(_ c: CallbackRecord) async throws {
        try await execute("""
            INSERT INTO callbacks (id, conversation_id, contact_id, phone, number, at, window_end, status, source_message_id, created_at, updated_at,
                                   business_id)
            VALUES (\(c.id.rawValue), \(c.conversationID.rawValue), \(c.contactID.rawValue), \(c.phone.e164), \(c.number.e164),
                    \(Coding.ms(c.at)), \(Coding.ms(c.windowEnd)), \(c.status.rawValue), \(c.sourceMessageID?.rawValue),
                    \(Coding.ms(c.createdAt)), \(Coding.ms(c.updatedAt)), (SELECT business_id FROM contacts WHERE id = \(c.contactID.rawValue)))
            """)
    }

    func insertNotification(_ n: NotificationRecord, business: BusinessID) async throws {
        try await execute("""
            INSERT INTO notifications (id, event, channel, target, payload, status, attempts, available_at, last_error, created_at, updated_at,
                                       business_id)
            VALUES (\(n.id), \(n.event), \(n.channel.rawValue), \(n.target), \(n.payload), \(n.status.rawValue), \(n.attempts),
                    \(Coding.ms(n.availableAt)), \(n.lastError), \(Coding.ms(n.createdAt)), \(Coding.ms(n.createdAt)), \(business.rawValue))
            """)
    }
}

extension PostgresStore {
    public func conversation(number: PhoneNumber, phone: PhoneNumber) async throws -> ConversationRecord? {
        try await withoutTransaction { unit in
            try await unit.row("SELECT * FROM conversations WHERE number = \(number.e164) AND phone = \(phone.e164)").map(StoredRecords.conversation)
        }
    }

    public func conversation(_ id: ConversationID, scope: BusinessScope) async throws -> ConversationDetail? {
        try await read { unit in
            guard let row = try await unit.row("""
                SELECT * FROM conversations WHERE id = \(id.rawValue) AND (\(scope.only?.rawValue)::text IS NULL OR business_id = \(scope.only?.rawValue)::text)
                """) else { return nil }
            let conversation = try StoredRecords.conversation(row)
            let messages = try await unit.rows("""
                SELECT * FROM messages WHERE contact_id = \(conversation.contactID.rawValue)
                  AND ((direction = 'outbound' AND from_number = \(conversation.number.e164))
                       OR (direction = 'inbound' AND to_number = \(conversation.number.e164)))
                ORDER BY created_at, rowid
                """).map(StoredRecords.message)
            let decisions = try await unit.rows("""
                SELECT * FROM decisions WHERE contact_id = \(conversation.contactID.rawValue) ORDER BY decided_at, rowid
                """).map(StoredRecords.decision)
            let callbacks = try await unit.rows("SELECT * FROM callbacks WHERE conversation_id = \(id.rawValue) ORDER BY created_at, rowid")
                .map(StoredRecords.callback)
            return ConversationDetail(conversation: conversation, messages: messages, decisions: decisions, callbacks: callbacks)
        }
    }

    public func conversations(scope: BusinessScope, state: ConversationState?, phone: PhoneNumber?, limit: Int, after: String?) async throws
        -> Page<(ConversationRecord, MessageRecord?)> {
        let start = try Coding.conversationCursor(after)
        let page = try await read { unit in
            let rows = try await unit.rows("""
                SELECT * FROM conversations
                WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue)::text)
                  AND (\(phone?.e164)::text IS NULL OR phone = \(phone?.e164)::text)
                  AND (\(start?.0)::bigint IS NULL OR updated_at < \(start?.0)::bigint
                       OR (updated_at = \(start?.0)::bigint AND id < \(start?.1)::text))
                  AND (\(scope.only?.rawValue)::text IS NULL OR business_id = \(scope.only?.rawValue)::text)
                ORDER BY updated_at DESC, id DESC LIMIT \(limit + 1)
                """)
            var items: [ConversationPage.Item] = []
            for row in rows.prefix(limit) {
                let conversation = try StoredRecords.conversation(row)
                let last = try await unit.row("""
                    SELECT * FROM messages WHERE contact_id = \(conversation.contactID.rawValue)
                      AND ((direction = 'outbound' AND from_number = \(conversation.number.e164))
                           OR (direction = 'inbound' AND to_number = \(conversation.number.e164)))
                    ORDER BY created_at DESC, rowid DESC LIMIT 1
                    """).map(StoredRecords.message)
                items.append(ConversationPage.Item(conversation: conversation, last: last))
            }
            return ConversationPage(items: items, more: rows.count > limit)
        }
        let next = page.more ? page.items.last.map { "\(Coding.ms($0.conversation.updatedAt)).\($0.conversation.id.rawValue)" } : nil
        return Page(items: page.items.map { ($0.conversation, $0.last) }, next: next)
    }

    public func agentReplies(number: PhoneNumber, contactID: ContactID, since: Date) async throws -> Int {
        try await withoutTransaction { unit in try await unit.agentReplyCount(number: number, contactID: contactID, since: since) }
    }

    public func queuePersonReply(_ request: PersonReply) async throws -> PersonReplyResult {
        try await write { unit in
            try await unit.lockContact(request.text.text.message.contactID)
            guard try await unit.exists("""
                SELECT 1 FROM conversations WHERE id = \(request.conversationID.rawValue)
                  AND (\(request.scope.only?.rawValue)::text IS NULL OR business_id = \(request.scope.only?.rawValue)::text) FOR UPDATE
                """) else {
                return .notFound
            }
            let now = Coding.ms(request.text.decision.decidedAt)
            switch try await unit.queueText(request.text.text, now: now) {
            case .duplicate(let existing)?: return .queued(existing)
            case .refused(let refusal)?: return .refused(refusal)
            case nil:
                try await unit.insertDecision(request.text.decision)
                try await unit.execute("UPDATE conversations SET updated_at = \(now) WHERE id = \(request.conversationID.rawValue)")
                return .queued(request.text.text.message.id)
            }
        }
    }

    public func changeConversationState(_ id: ConversationID, from: ConversationState, to: ConversationState,
                                        decision: DecisionRecord) async throws -> StateChangeResult {
        try await write { unit in
            guard let row = try await unit.row("SELECT state, contact_id FROM conversations WHERE id = \(id.rawValue) FOR UPDATE") else {
                return .notFound
            }
            guard let current = ConversationState(rawValue: try row.text("state")) else {
                throw StoreError.corrupt("conversation with an unknown state")
            }
            guard current == from else { return .conflict(current: current) }
            let now = Coding.ms(decision.decidedAt)
            try await unit.execute("UPDATE conversations SET state = \(to.rawValue), updated_at = \(now) WHERE id = \(id.rawValue)")
            var decision = decision
            decision.contactID = ContactID(try row.text("contact_id"))
            try await unit.insertDecision(decision)
            return .changed
        }
    }

    public func callbacks(scope: BusinessScope, status: CallbackStatus?, phone: PhoneNumber?, limit: Int) async throws -> [CallbackRecord] {
        try await withoutTransaction { unit in
            try await unit.rows("""
                SELECT * FROM callbacks WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)::text)
                  AND (\(phone?.e164)::text IS NULL OR phone = \(phone?.e164)::text)
                  AND (\(scope.only?.rawValue)::text IS NULL OR business_id = \(scope.only?.rawValue)::text)
                ORDER BY created_at DESC, rowid DESC LIMIT \(limit)
                """).map(StoredRecords.callback)
        }
    }

    public func completeCallbacks(phone: PhoneNumber, business: BusinessID, connectedAt at: Date, now: Date) async throws -> Int {
        try await write { unit in
            try await unit.execute("""
                UPDATE callbacks SET status = 'completed', updated_at = \(Coding.ms(now))
                WHERE phone = \(phone.e164) AND business_id = \(business.rawValue) AND status = 'requested' AND created_at <= \(Coding.ms(at))
                """)
        }
    }

    public func expireCallbacks(now: Date) async throws -> Int {
        try await write { unit in
            try await unit.execute("""
                UPDATE callbacks SET status = 'missed', updated_at = \(Coding.ms(now)) WHERE status = 'requested' AND window_end < \(Coding.ms(now))
                """)
        }
    }

    public func claimNotifications(now: Date, leaseUntil: Date, limit: Int) async throws -> [NotificationRecord] {
        try await claimOutbox("notifications", now: now, leaseUntil: leaseUntil, limit: limit, StoredRecords.notification)
    }

    /// Claims up to `limit` due pending rows of an outbox table (`notifications`, `crm_outbox`: a `seq`, a
    /// `status` and an `available_at` that holds the lease while claimed), counting an attempt each, in the
    /// order they were written. Rows another process is claiming are skipped, never waited for.
    func claimOutbox<T: Sendable>(_ table: String, now: Date, leaseUntil: Date, limit: Int,
                                  _ record: @escaping @Sendable (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        try await write { unit in
            try await unit.rows("""
                WITH picked AS (
                    SELECT seq FROM \(unescaped: table) WHERE status = 'pending' AND available_at <= \(Coding.ms(now))
                    ORDER BY available_at, seq LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                UPDATE \(unescaped: table) SET attempts = attempts + 1, available_at = \(Coding.ms(leaseUntil)), updated_at = \(Coding.ms(now))
                FROM picked WHERE \(unescaped: table).seq = picked.seq
                RETURNING \(unescaped: table).*
                """).sorted { try $0.integer("seq") < $1.integer("seq") }.map(record)
        }
    }

    public func finishNotification(id: String, status: NotificationRecord.Status, retryAt: Date?, error: String?, now: Date) async throws {
        try await write { unit in
            try await unit.execute("""
                UPDATE notifications SET status = \(status.rawValue), available_at = \(status == .pending ? retryAt.map(Coding.ms) : nil),
                    last_error = COALESCE(\(error), last_error), updated_at = \(Coding.ms(now))
                WHERE id = \(id)
                """)
        }
    }

    public func notifications(limit: Int) async throws -> [NotificationRecord] {
        try await withoutTransaction { unit in try await unit.rows("SELECT * FROM notifications ORDER BY seq LIMIT \(limit)").map(StoredRecords.notification) }
    }
}

/// A page of conversations as read inside the transaction (tuples are not Sendable).
struct ConversationPage: Sendable {
    struct Item: Sendable {
        var conversation: ConversationRecord
        var last: MessageRecord?
    }
    var items: [Item]
    var more: Bool
}
