// Receipts, pacing, daily counts and the line-type cache on SQLite (see StoreDelivery.swift).

import Foundation
import GRDB
import TextBackCore

extension SQLiteSchema {
    /// v3-delivery: the carrier's error code beside its meaning, an index for per-number daily counts,
    /// an index to find a message by the carrier's id, and the line-type cache.
    static func deliveryMigration(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE messages ADD COLUMN error_code TEXT;
            CREATE INDEX messages_sent_by_number ON messages(from_number, sent_at) WHERE direction = 'outbound';
            CREATE TABLE line_types (
                phone TEXT PRIMARY KEY,
                line_type TEXT NOT NULL,
                checked_at INTEGER NOT NULL
            );
            """)
    }
}

extension SQLiteSchema {
    /// v7-sender-pace: each sending number's pace and day count, and the slots given to waiting texts,
    /// kept in the store so every process sending from a number shares them.
    static func senderPaceMigration(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE sender_pace (
                number TEXT PRIMARY KEY,
                next_slot INTEGER NOT NULL,
                day_start INTEGER NOT NULL,
                day_count INTEGER NOT NULL
            );
            CREATE TABLE sender_slots (
                message_id TEXT PRIMARY KEY,
                number TEXT NOT NULL,
                slot INTEGER NOT NULL
            );
            """)
    }
}

extension SQLiteStore {
    public func reserveSendSlot(_ request: SendSlotRequest) async throws -> SendSlot {
        try await writer.write { db in
            let number = request.number.e164
            var pace = try db.one("SELECT next_slot, day_start, day_count FROM sender_pace WHERE number = ?", [number]).map {
                SendPace(nextSlot: $0["next_slot"], dayStart: $0["day_start"], dayCount: $0["day_count"])
            } ?? SendPace(nextSlot: 0, dayStart: -1, dayCount: 0)
            let reserved: Int64? = try db.one("SELECT slot FROM sender_slots WHERE message_id = ?", [request.messageID.rawValue])?["slot"]
            let (slot, reservation) = try pace.admit(request, reserved: reserved) {
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM messages WHERE from_number = ? AND direction = 'outbound' AND sent_at >= ?
                    """, arguments: [number, Coding.ms(request.dayStart)]) ?? 0
            }
            try db.run("""
                INSERT INTO sender_pace (number, next_slot, day_start, day_count) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (number) DO UPDATE SET next_slot = ?2, day_start = ?3, day_count = ?4
                """, [number, pace.nextSlot, pace.dayStart, pace.dayCount])
            switch reservation {
            case .keep: break
            case .remove: try db.run("DELETE FROM sender_slots WHERE message_id = ?", [request.messageID.rawValue])
            case .set(let at):
                try db.run("INSERT INTO sender_slots (message_id, number, slot) VALUES (?, ?, ?)", [request.messageID.rawValue, number, at])
            }
            return slot
        }
    }

    public func recordReceipt(_ unit: ReceiptUpdate) async throws -> ReceiptOutcome {
        try await writer.write { db in
            var row: Row?
            if let id = unit.messageID {
                row = try db.one("""
                    SELECT * FROM messages WHERE id = ?1 AND direction = 'outbound' AND carrier = ?2 AND (?3 IS NULL OR business_id = ?3)
                    """, [id.rawValue, unit.carrier, unit.scope.only?.rawValue])
            }
            if row == nil {
                row = try db.one("""
                    SELECT * FROM messages WHERE carrier = ?1 AND direction = 'outbound' AND carrier_message_id = ?2
                      AND (?3 IS NULL OR business_id = ?3)
                    """, [unit.carrier, unit.carrierMessageID, unit.scope.only?.rawValue])
            }
            guard let row else { return .unknownMessage }
            var message = try SQLiteRows.message(row)
            // A receipt naming another carrier id than the one we stored is not about this text.
            if let stored = message.carrierMessageID, stored != unit.carrierMessageID { return .unknownMessage }
            guard unit.status.rank > message.status.rank else { return .unchanged(message) }
            let now = Coding.ms(unit.now)
            let reached = [MessageStatus.sent, .delivered, .undelivered].contains(unit.status)
            try db.run("""
                UPDATE messages SET status = ?, carrier_message_id = COALESCE(carrier_message_id, ?), error = COALESCE(?, error),
                    error_code = COALESCE(?, error_code), sent_at = CASE WHEN ? THEN COALESCE(sent_at, ?) ELSE sent_at END,
                    updated_at = ?
                WHERE id = ? AND status = ?
                """, [unit.status.rawValue, unit.carrierMessageID, unit.errorMeaning, unit.errorCode, reached, Coding.ms(unit.at), now,
                      message.id.rawValue, message.status.rawValue])
            guard db.changesCount == 1 else { return .unchanged(message) }
            message.status = unit.status
            message.carrierMessageID = message.carrierMessageID ?? unit.carrierMessageID
            message.error = unit.errorMeaning ?? message.error
            message.errorCode = unit.errorCode ?? message.errorCode
            if reached, message.sentAt == nil { message.sentAt = unit.at }
            if let planned = unit.decision {
                try SQLiteRows.insertDecision(db, DecisionRecord(
                    id: planned.id, contactID: message.contactID, runID: message.runID, messageID: message.id, action: planned.action,
                    reasons: planned.reasons, sentence: planned.sentence, decidedAt: unit.now))
            }
            if let suppress = unit.suppress {
                _ = try SQLiteRows.insertSuppression(db, SuppressionRecord(phone: message.to, reason: suppress.reason, source: suppress.source,
                                                                           createdAt: unit.now, business: message.business))
            }
            return .applied(message)
        }
    }

    public func deferDelivery(_ unit: DeferDelivery) async throws -> UnitResult {
        let writer = self.writer
        return try await writer.write { db in
            guard try SQLiteRows.holds(db, unit.claim),
                  try db.one("SELECT 1 FROM messages WHERE id = ? AND status = 'queued'", [unit.messageID.rawValue]) != nil
            else { return .stale }
            let now = Coding.ms(unit.now)
            try SQLiteRows.rescheduleJob(db, unit.claim.jobID, at: unit.until, resetAttempts: true, now: now)
            if let decision = unit.decision { try SQLiteRows.insertDecision(db, decision) }
            writer.noteJobsAvailable()
            return .committed
        }
    }

    public func sentCount(from number: PhoneNumber, since: Date) async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM messages WHERE from_number = ? AND direction = 'outbound' AND sent_at >= ?
                """, arguments: [number.e164, Coding.ms(since)]) ?? 0
        }
    }

    public func cachedLineType(_ phone: PhoneNumber) async throws -> CachedLineType? {
        try await read { db in
            try db.one("SELECT * FROM line_types WHERE phone = ?", [phone.e164]).map {
                CachedLineType(phone: phone, lineType: $0["line_type"], checkedAt: Coding.date($0["checked_at"]))
            }
        }
    }

    public func cacheLineType(_ entry: CachedLineType) async throws {
        try await writer.write { db in
            try db.run("""
                INSERT INTO line_types (phone, line_type, checked_at) VALUES (?, ?, ?)
                ON CONFLICT (phone) DO UPDATE SET line_type = excluded.line_type, checked_at = excluded.checked_at
                """, [entry.phone.e164, entry.lineType, Coding.ms(entry.checkedAt)])
        }
    }
}
