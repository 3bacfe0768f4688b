// Conversations, callbacks and staff notifications on SQLite. The turn a reply makes runs inside the
// inbound unit's savepoint (see SQLiteStore+Inbound.swift); the other writes are units of their own.
// The single writer serializes them, so the state compare-and-set and the daily-cap count cannot
// interleave with another unit.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    // MARK: - The turn a reply makes (inside receiveInbound)

    /// Applies `turn`; returns how many runs it cancelled.
    static func applyTurn(_ db: Database, _ turn: ConversationTurn, inbound: InboundRecord, contactID: ContactID, ids: IDSource,
                          writer: SQLiteWriter) throws -> Int {
        let now = Coding.ms(inbound.receivedAt)
        let conversation: ConversationRecord
        if let row = try db.one("SELECT * FROM conversations WHERE number = ? AND phone = ?", [turn.number.e164, inbound.from.e164]) {
            conversation = try SQLiteRows.conversation(row)
            try db.run("UPDATE conversations SET updated_at = ? WHERE id = ?", [now, conversation.id.rawValue])
        } else {
            conversation = ConversationRecord(id: turn.newConversationID, number: turn.number, phone: inbound.from, contactID: contactID,
                                              state: .open, createdAt: inbound.receivedAt, updatedAt: inbound.receivedAt)
            try db.run("""
                INSERT INTO conversations (id, number, phone, contact_id, state, created_at, updated_at, business_id)
                VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, \(SQLiteRows.ownerOf(4)))
                """, [conversation.id.rawValue, turn.number.e164, inbound.from.e164, contactID.rawValue, now, now])
        }

        // Any reply stops pending follow-ups, with the reason on the timeline.
        var cancelled = 0
        for row in try db.all("SELECT id, call_id FROM runs WHERE contact_id = ? AND status = 'active' ORDER BY created_at, rowid",
                              [contactID.rawValue]) {
            let runID = RunID(row["id"] as String)
            try endRunRow(db, runID, status: .cancelled, pc: nil, reason: "replied", except: nil, now: now)
            try SQLiteRows.insertDecision(db, DecisionRecord(
                id: DecisionID(ids.next("dec")), contactID: contactID, runID: runID, callID: (row["call_id"] as String?).map(CallID.init),
                messageID: inbound.messageID, action: .cancel, reasons: ["replied"], sentence: turn.cancelSentence,
                decidedAt: inbound.receivedAt))
            cancelled += 1
        }

        if let expected = turn.expectedState, expected != conversation.state {
            // Someone moved the thread (a person took it over) after the agent decided: the agent stands down.
            try SQLiteRows.insertDecision(db, ConversationTurn.standDownDecision(id: DecisionID(ids.next("dec")), contactID: contactID, inbound: inbound))
            return cancelled
        }

        var decision = turn.decisionRecord(contactID: contactID, inbound: inbound)
        var newState = turn.newState
        var notifications = turn.notifications
        var replied = false
        if var reply = turn.reply {
            if let cap = turn.dailyCap,
               try agentReplyCount(db, number: turn.number, contactID: contactID, since: cap.since) >= cap.max {
                decision?.reasons.append("agent_daily_cap")
                decision?.sentence += " No automatic reply: the conversation reached its automatic replies for the day."
                if newState == nil || newState == .open { newState = .needsHuman }
            } else {
                reply.decision.messageID = reply.text.message.id
                _ = try queueAnswer(db, reply, contactID: contactID, writer: writer, now: now)
                replied = true
            }
        }
        if let newState, newState != conversation.state {
            try db.run("UPDATE conversations SET state = ?, updated_at = ? WHERE id = ?", [newState.rawValue, now, conversation.id.rawValue])
        }
        // A closed thread (opt-out, wrong number, not interested) wants no call; a new booking replaces
        // the one before it.
        if newState == .closed || turn.callback != nil {
            try db.run("""
                UPDATE callbacks SET status = 'cancelled', updated_at = ? WHERE conversation_id = ? AND status = 'requested'
                """, [now, conversation.id.rawValue])
        }
        if var callback = turn.callback {
            callback.contactID = contactID
            callback.conversationID = conversation.id
            try SQLiteRows.insertCallback(db, callback)
            if !turn.callbackRuns.isEmpty,
               let call = try db.one("SELECT id FROM calls WHERE contact_id = ? ORDER BY occurred_at DESC, rowid DESC LIMIT 1",
                                     [contactID.rawValue]) {
                let callID = call["id"] as String
                for run in turn.callbackRuns {
                    try db.run("""
                        INSERT INTO runs (id, automation_id, call_id, contact_id, status, pc, fingerprint, created_at, updated_at,
                                          business_id)
                        VALUES (?1, ?2, ?3, ?4, 'active', 0, ?5, ?6, ?6, \(SQLiteRows.ownerOf(4))) ON CONFLICT (automation_id, call_id) DO NOTHING
                        """, [run.runID.rawValue, run.automationID.rawValue, callID, contactID.rawValue, run.fingerprint, now])
                    guard db.changesCount == 1 else { continue }
                    try SQLiteRows.insertJob(db, JobRecord(id: run.jobID, kind: .advance, runID: run.runID, dueAt: run.firstJobDueAt,
                                                           createdAt: inbound.receivedAt))
                    writer.noteJobsAvailable()
                }
            }
        }
        for index in notifications.indices {
            notifications[index].payload = notifications[index].payload.replacingOccurrences(of: "{conversation_id}", with: conversation.id.rawValue)
            try SQLiteRows.insertNotification(db, notifications[index], business: inbound.business)
        }
        // A reply carries the agent's reasons in its own decision; without one, the agent's decision says why.
        if !replied, let decision { try SQLiteRows.insertDecision(db, decision) }
        return cancelled
    }

    /// An automation's text opens the thread of its (number, contact) pair if none exists yet, so a
    /// texted contact who has not replied is listed too. The id is derived from the message's, which
    /// is unique, so storage invents nothing.
    static func ensureConversation(_ db: Database, for message: MessageRecord, now: Int64) throws {
        try db.run("""
            INSERT INTO conversations (id, number, phone, contact_id, state, created_at, updated_at, business_id)
            VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, \(SQLiteRows.ownerOf(4)))
            ON CONFLICT (number, phone) DO UPDATE SET updated_at = excluded.updated_at
            """, ["conv-" + message.id.rawValue, message.from.e164, message.to.e164, message.contactID.rawValue, now, now])
    }

    static func agentReplyCount(_ db: Database, number: PhoneNumber, contactID: ContactID, since: Date) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) FROM messages
            WHERE contact_id = ? AND direction = 'outbound' AND kind = 'reply' AND message_type = 'agent' AND from_number = ?
              AND created_at > ? AND status NOT IN ('cancelled', 'failed')
            """), arguments: [contactID.rawValue, number.e164, Coding.ms(since)]) ?? 0
    }

    // MARK: - Conversations

    public func conversation(number: PhoneNumber, phone: PhoneNumber) async throws -> ConversationRecord? {
        try await read { db in
            try db.one("SELECT * FROM conversations WHERE number = ? AND phone = ?", [number.e164, phone.e164]).map(SQLiteRows.conversation)
        }
    }

    public func conversation(_ id: ConversationID, scope: BusinessScope) async throws -> ConversationDetail? {
        try await read { db in
            guard let row = try db.one("SELECT * FROM conversations WHERE id = ? AND (?2 IS NULL OR business_id = ?2)",
                                       [id.rawValue, scope.only?.rawValue]) else { return nil }
            let conversation = try SQLiteRows.conversation(row)
            let messages = try db.all("""
                SELECT * FROM messages WHERE contact_id = ?1
                  AND ((direction = 'outbound' AND from_number = ?2) OR (direction = 'inbound' AND to_number = ?2))
                ORDER BY created_at, rowid
                """, [conversation.contactID.rawValue, conversation.number.e164]).map(SQLiteRows.message)
            let decisions = try db.all("SELECT * FROM decisions WHERE contact_id = ? ORDER BY decided_at, rowid",
                                       [conversation.contactID.rawValue]).map(SQLiteRows.decision)
            let callbacks = try db.all("SELECT * FROM callbacks WHERE conversation_id = ? ORDER BY created_at, rowid",
                                       [id.rawValue]).map(SQLiteRows.callback)
            return ConversationDetail(conversation: conversation, messages: messages, decisions: decisions, callbacks: callbacks)
        }
    }

    public func conversations(scope: BusinessScope, state: ConversationState?, phone: PhoneNumber?, limit: Int, after: String?) async throws
        -> Page<(ConversationRecord, MessageRecord?)> {
        let start = try Coding.conversationCursor(after)
        return try await read { db in
            let rows = try db.all("""
                SELECT * FROM conversations
                WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR phone = ?2)
                  AND (?3 IS NULL OR updated_at < ?3 OR (updated_at = ?3 AND id < ?4))
                  AND (?6 IS NULL OR business_id = ?6)
                ORDER BY updated_at DESC, id DESC LIMIT ?5
                """, [state?.rawValue, phone?.e164, start?.0, start?.1, limit + 1, scope.only?.rawValue])
            var items: [(ConversationRecord, MessageRecord?)] = []
            for row in rows.prefix(limit) {
                let conversation = try SQLiteRows.conversation(row)
                let last = try db.one("""
                    SELECT * FROM messages WHERE contact_id = ?1
                      AND ((direction = 'outbound' AND from_number = ?2) OR (direction = 'inbound' AND to_number = ?2))
                    ORDER BY created_at DESC, rowid DESC LIMIT 1
                    """, [conversation.contactID.rawValue, conversation.number.e164]).map(SQLiteRows.message)
                items.append((conversation, last))
            }
            let next = rows.count > limit ? items.last.map { "\(Coding.ms($0.0.updatedAt)).\($0.0.id.rawValue)" } : nil
            return Page(items: items, next: next)
        }
    }

    public func agentReplies(number: PhoneNumber, contactID: ContactID, since: Date) async throws -> Int {
        try await read { db in try Self.agentReplyCount(db, number: number, contactID: contactID, since: since) }
    }

    public func queuePersonReply(_ unit: PersonReply) async throws -> PersonReplyResult {
        let writer = self.writer
        return try await writer.write { db in
            guard try db.one("SELECT 1 FROM conversations WHERE id = ? AND (?2 IS NULL OR business_id = ?2)",
                             [unit.conversationID.rawValue, unit.scope.only?.rawValue]) != nil else { return .notFound }
            let now = Coding.ms(unit.text.decision.decidedAt)
            switch try SQLiteRows.queueText(db, unit.text.text, writer: writer, now: now) {
            case .duplicate(let existing)?: return .queued(existing)
            case .refused(let refusal)?: return .refused(refusal)
            case nil:
                try SQLiteRows.insertDecision(db, unit.text.decision)
                try db.run("UPDATE conversations SET updated_at = ? WHERE id = ?", [now, unit.conversationID.rawValue])
                return .queued(unit.text.text.message.id)
            }
        }
    }

    public func changeConversationState(_ id: ConversationID, from: ConversationState, to: ConversationState,
                                        decision: DecisionRecord) async throws -> StateChangeResult {
        try await writer.write { db in
            guard let row = try db.one("SELECT state, contact_id FROM conversations WHERE id = ?", [id.rawValue]) else { return .notFound }
            guard let current = ConversationState(rawValue: row["state"]) else { throw StoreError.corrupt("conversation with an unknown state") }
            guard current == from else { return .conflict(current: current) }
            let now = Coding.ms(decision.decidedAt)
            try db.run("UPDATE conversations SET state = ?, updated_at = ? WHERE id = ? AND state = ?", [to.rawValue, now, id.rawValue, from.rawValue])
            var decision = decision
            decision.contactID = ContactID(row["contact_id"] as String)
            try SQLiteRows.insertDecision(db, decision)
            return .changed
        }
    }

    // MARK: - Callbacks

    public func callbacks(scope: BusinessScope, status: CallbackStatus?, phone: PhoneNumber?, limit: Int) async throws -> [CallbackRecord] {
        try await read { db in
            try db.all("""
                SELECT * FROM callbacks WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR phone = ?2)
                  AND (?4 IS NULL OR business_id = ?4)
                ORDER BY created_at DESC, rowid DESC LIMIT ?3
                """, [status?.rawValue, phone?.e164, limit, scope.only?.rawValue]).map(SQLiteRows.callback)
        }
    }

    public func completeCallbacks(phone: PhoneNumber, business: BusinessID, connectedAt at: Date, now: Date) async throws -> Int {
        try await writer.write { db in
            try db.run("""
                UPDATE callbacks SET status = 'completed', updated_at = ?
                WHERE phone = ? AND business_id = ? AND status = 'requested' AND created_at <= ?
                """, [Coding.ms(now), phone.e164, business.rawValue, Coding.ms(at)])
            return db.changesCount
        }
    }

    public func expireCallbacks(now: Date) async throws -> Int {
        // The sweep runs every few seconds: look on a reader first, so an idle server commits nothing.
        let due = try await read { db in
            try db.one("SELECT 1 FROM callbacks WHERE status = 'requested' AND window_end < ? LIMIT 1", [Coding.ms(now)]) != nil
        }
        guard due else { return 0 }
        return try await writer.write { db in
            try db.run("UPDATE callbacks SET status = 'missed', updated_at = ?1 WHERE status = 'requested' AND window_end < ?1",
                       [Coding.ms(now)])
            return db.changesCount
        }
    }

    // MARK: - Notifications

    public func claimNotifications(now: Date, leaseUntil: Date, limit: Int) async throws -> [NotificationRecord] {
        try await claimOutbox("notifications", now: now, leaseUntil: leaseUntil, limit: limit, SQLiteRows.notification)
    }

    /// Claims up to `limit` due pending rows of an outbox table (`notifications`, `crm_outbox`: a `seq`,
    /// a `status` and an `available_at` that holds the lease while claimed), counting an attempt each;
    /// in the order they were written.
    func claimOutbox<T: Sendable>(_ table: String, now: Date, leaseUntil: Date, limit: Int,
                                  _ row: @escaping @Sendable (Row) throws -> T) async throws -> [T] {
        // The sweep runs every few seconds: look on a reader first, so an idle server commits nothing.
        let due = try await read { db in
            try db.one("SELECT 1 FROM \(table) WHERE status = 'pending' AND available_at <= ? LIMIT 1", [Coding.ms(now)]) != nil
        }
        guard due else { return [] }
        return try await writer.write { db in
            try db.all("""
                UPDATE \(table) SET attempts = attempts + 1, available_at = ?1, updated_at = ?2
                WHERE seq IN (SELECT seq FROM \(table) WHERE status = 'pending' AND available_at <= ?2
                              ORDER BY available_at, seq LIMIT ?3)
                RETURNING *
                """, [Coding.ms(leaseUntil), Coding.ms(now), limit])
                .sorted { ($0["seq"] as Int64) < ($1["seq"] as Int64) }.map(row)
        }
    }

    public func finishNotification(id: String, status: NotificationRecord.Status, retryAt: Date?, error: String?, now: Date) async throws {
        try await writer.write { db in
            try db.run("""
                UPDATE notifications SET status = ?, available_at = ?, last_error = COALESCE(?, last_error), updated_at = ? WHERE id = ?
                """, [status.rawValue, status == .pending ? retryAt.map(Coding.ms) : nil, error, Coding.ms(now), id])
        }
    }

    public func notifications(limit: Int) async throws -> [NotificationRecord] {
        try await read { db in try db.all("SELECT * FROM notifications ORDER BY seq LIMIT ?", [limit]).map(SQLiteRows.notification) }
    }
}

extension SQLiteRows {
    static func conversation(_ row: Row) throws -> ConversationRecord { try StoredRecords.conversation(row) }

    static func callback(_ row: Row) throws -> CallbackRecord { try StoredRecords.callback(row) }

    static func insertCallback(_ db: Database, _ c: CallbackRecord) throws {
        try db.run("""
            INSERT INTO callbacks (id, conversation_id, contact_id, phone, number, at, window_end, status, source_message_id, created_at,
                                   updated_at, business_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \(ownerOf(3)))
            """, [c.id.rawValue, c.conversationID.rawValue, c.contactID.rawValue, c.phone.e164, c.number.e164, Coding.ms(c.at),
                  Coding.ms(c.windowEnd), c.status.rawValue, c.sourceMessageID?.rawValue, Coding.ms(c.createdAt), Coding.ms(c.updatedAt)])
    }

    static func notification(_ row: Row) throws -> NotificationRecord { try StoredRecords.notification(row) }

    static func insertNotification(_ db: Database, _ n: NotificationRecord, business: BusinessID) throws {
        try db.run("""
            INSERT INTO notifications (id, event, channel, target, payload, status, attempts, available_at, last_error, created_at, updated_at,
                                       business_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [n.id, n.event, n.channel.rawValue, n.target, n.payload, n.status.rawValue, n.attempts, Coding.ms(n.availableAt),
                  n.lastError, Coding.ms(n.createdAt), Coding.ms(n.createdAt), business.rawValue])
    }
}
