// Reads on SQLite (reader connections, never blocking the writer), the consent and suppression
// writes the API makes directly, and the simulator carrier's outbox.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    // MARK: Runs

    public func runState(_ id: RunID) async throws -> RunState? {
        try await read { db in try Self.runState(db, id) }
    }

    /// One read for the whole batch, so a claimed batch of advances pays one hop to a reader, not one each.
    public func runStates(_ requests: [RunStateRequest]) async throws -> [RunID: RunState] {
        try await read { db in
            var states: [RunID: RunState] = [:]
            for request in requests {
                guard var state = try Self.runState(db, request.runID) else { continue }
                let history = try Self.history(db, contactID: state.contact.id, phone: state.contact.phone, since: request.historySince)
                state.history = PrefetchedHistory(contactID: state.contact.id, since: request.historySince, history: history)
                states[request.runID] = state
            }
            return states
        }
    }

    static func runState(_ db: Database, _ id: RunID) throws -> RunState? {
        guard let runRow = try db.one("SELECT * FROM runs WHERE id = ?", [id.rawValue]) else { return nil }
        let run = try SQLiteRows.run(runRow)
        guard let callRow = try db.one("SELECT * FROM calls WHERE id = ?", [run.callID.rawValue]),
              let contactRow = try db.one("SELECT * FROM contacts WHERE id = ?", [run.contactID.rawValue])
        else { throw StoreError.corrupt("run \(id) refers to a missing call or contact") }
        return RunState(run: run, call: try SQLiteRows.call(callRow), contact: try SQLiteRows.contact(contactRow))
    }

    public func activeRuns(contactID: ContactID) async throws -> [RunRecord] {
        try await read { db in
            try db.all("SELECT * FROM runs WHERE contact_id = ? AND status = 'active' ORDER BY created_at, rowid",
                       [contactID.rawValue]).map(SQLiteRows.run)
        }
    }

    // MARK: Contacts and history

    public func contact(phone: PhoneNumber, business: BusinessID) async throws -> Contact? {
        try await read { db in
            try db.one("SELECT * FROM contacts WHERE business_id = ? AND phone = ?", [business.rawValue, phone.e164]).map(SQLiteRows.contact)
        }
    }

    public func contact(id: ContactID, scope: BusinessScope) async throws -> Contact? {
        try await read { db in try Self.scopedContact(db, id, scope) }
    }

    static func scopedContact(_ db: Database, _ id: ContactID, _ scope: BusinessScope) throws -> Contact? {
        try db.one("SELECT * FROM contacts WHERE id = ? AND (?2 IS NULL OR business_id = ?2)", [id.rawValue, scope.only?.rawValue])
            .map(SQLiteRows.contact)
    }

    public func history(contactID: ContactID, phone: PhoneNumber, since: Date) async throws -> ContactHistory {
        try await read { db in try Self.history(db, contactID: contactID, phone: phone, since: since) }
    }

    static func history(_ db: Database, contactID: ContactID, phone: PhoneNumber, since: Date) throws -> ContactHistory {
        let calls = try db.all("SELECT * FROM calls WHERE contact_id = ? AND occurred_at >= ? ORDER BY occurred_at, rowid",
                               [contactID.rawValue, Coding.ms(since)]).map(SQLiteRows.call)
        let messages = try db.all("SELECT * FROM messages WHERE contact_id = ? AND created_at >= ? ORDER BY created_at, rowid",
                                  [contactID.rawValue, Coding.ms(since)]).map(SQLiteRows.message)
        let business = try SQLiteRows.business(ofContact: contactID, db)
        let consents = try db.all("SELECT * FROM consents WHERE phone = ? AND business_id = ? ORDER BY recorded_at, rowid",
                                  [phone.e164, business.rawValue]).map(SQLiteRows.consent)
        let suppression = try SQLiteRows.applyingSuppression(db, phone: phone, business: business)
        return ContactHistory(calls: calls, messages: messages, consents: consents, suppression: suppression)
    }

    public func timeline(contactID: ContactID, scope: BusinessScope) async throws -> [TimelineEntry] {
        try await read { db in
            guard try Self.scopedContact(db, contactID, scope) != nil else { return [] }
            // (time, order within the same instant, row) keeps "decided, then sent" in causal order.
            var entries: [(Int64, Int, Int64, TimelineEntry)] = []
            for row in try db.all("SELECT rowid AS r, * FROM calls WHERE contact_id = ?", [contactID.rawValue]) {
                entries.append((row["occurred_at"], 0, row["r"], .call(try SQLiteRows.call(row))))
            }
            for row in try db.all("SELECT rowid AS r, * FROM decisions WHERE contact_id = ?", [contactID.rawValue]) {
                entries.append((row["decided_at"], 1, row["r"], .decision(try SQLiteRows.decision(row))))
            }
            for row in try db.all("SELECT rowid AS r, * FROM messages WHERE contact_id = ?", [contactID.rawValue]) {
                let at: Int64 = (row["sent_at"] as Int64?) ?? row["created_at"]
                // An inbound text causes the decisions stamped with the same instant, so it comes first.
                let order = (row["direction"] as String) == MessageDirection.inbound.rawValue ? 0 : 2
                entries.append((at, order, row["r"], .message(try SQLiteRows.message(row))))
            }
            return entries.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.3)
        }
    }

    // MARK: Messages

    public func message(_ id: MessageID, scope: BusinessScope) async throws -> MessageRecord? {
        try await read { db in
            try db.one("SELECT * FROM messages WHERE id = ? AND (?2 IS NULL OR business_id = ?2)", [id.rawValue, scope.only?.rawValue])
                .map(SQLiteRows.message)
        }
    }

    public func messages(scope: BusinessScope, limit: Int, after: String?) async throws -> Page<MessageRecord> {
        let cursor = try Coding.cursor(after)
        return try await read { db in
            let rows = try db.all("""
                SELECT rowid AS r, * FROM messages WHERE rowid < ?1 AND (?3 IS NULL OR business_id = ?3) ORDER BY rowid DESC LIMIT ?2
                """, [cursor ?? Int64.max, limit + 1, scope.only?.rawValue])
            let page = try rows.prefix(limit).map(SQLiteRows.message)
            let next = rows.count > limit ? rows[limit - 1]["r"] as Int64 : nil
            return Page(items: page, next: next.map(String.init))
        }
    }


    // MARK: Consent and suppression

    public func addConsent(_ consent: ConsentRecord) async throws {
        try await writer.write { db in try SQLiteRows.insertConsent(db, consent) }
    }

    public func revokeConsents(phone: PhoneNumber, business: BusinessID, scope: String?, at: Date, source: String) async throws -> Int {
        try await writer.write { db in
            try db.run("""
                UPDATE consents SET revoked_at = ?1, revoke_source = ?2
                WHERE phone = ?3 AND business_id = ?4 AND (?5 IS NULL OR scope = ?5) AND revoked_at IS NULL
                """, [Coding.ms(at), source, phone.e164, business.rawValue, scope])
            return db.changesCount
        }
    }

    public func consents(phone: PhoneNumber, business: BusinessID) async throws -> [ConsentRecord] {
        try await read { db in
            try db.all("SELECT * FROM consents WHERE phone = ? AND business_id = ? ORDER BY recorded_at, rowid",
                       [phone.e164, business.rawValue]).map(SQLiteRows.consent)
        }
    }

    public func addSuppression(_ entry: SuppressionRecord) async throws -> Bool {
        try await addSuppressions([entry]) == 1
    }

    public func addSuppressions(_ entries: [SuppressionRecord]) async throws -> Int {
        try await writer.write { db in
            var added = 0
            for entry in entries where try SQLiteRows.insertSuppression(db, entry) { added += 1 }
            return added
        }
    }

    public func removeSuppression(phone: PhoneNumber, channel: String, business: BusinessID?) async throws -> Bool {
        try await writer.write { db in
            try db.run("DELETE FROM suppressions WHERE business_id = ? AND phone = ? AND channel = ?",
                       [SQLiteRows.suppressionOwner(business), phone.e164, channel])
            return db.changesCount > 0
        }
    }

    public func suppression(phone: PhoneNumber, channel: String, for business: BusinessID?) async throws -> SuppressionRecord? {
        try await read { db in try SQLiteRows.applyingSuppression(db, phone: phone, channel: channel, business: business) }
    }

    public func suppressions(scope: BusinessScope, limit: Int, offset: Int) async throws -> [SuppressionRecord] {
        try await read { db in
            try db.all("""
                SELECT * FROM suppressions WHERE (?1 IS NULL OR business_id IN ('', ?1))
                ORDER BY created_at, phone, business_id LIMIT ?2 OFFSET ?3
                """, [scope.only?.rawValue, limit, offset]).map(SQLiteRows.suppression)
        }
    }

    // MARK: Simulator outbox

    public func accept(_ entry: SimulatorOutboxEntry) async throws -> SimulatorOutboxEntry {
        try await writer.write { db in
            try db.run("""
                INSERT INTO simulator_outbox (id, idempotency_key, from_number, to_number, body, status, sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING
                """, [entry.id, entry.idempotencyKey, entry.from.e164, entry.to.e164, entry.body, entry.status, Coding.ms(entry.sentAt)])
            if db.changesCount == 1 { return entry }
            guard let row = try db.one("SELECT * FROM simulator_outbox WHERE idempotency_key = ?", [entry.idempotencyKey]) else {
                throw StoreError.corrupt("simulator outbox entry vanished")
            }
            return try SQLiteRows.outboxEntry(row)
        }
    }

    public func entries(limit: Int, after: String?) async throws -> Page<SimulatorOutboxEntry> {
        let cursor = try Coding.cursor(after)
        return try await read { db in
            let rows = try db.all("SELECT * FROM simulator_outbox WHERE seq > ? ORDER BY seq LIMIT ?", [cursor ?? 0, limit + 1])
            let page = try rows.prefix(limit).map(SQLiteRows.outboxEntry)
            let next = rows.count > limit ? rows[limit - 1]["seq"] as Int64 : nil
            return Page(items: page, next: next.map(String.init))
        }
    }

    public func entry(idempotencyKey: String) async throws -> SimulatorOutboxEntry? {
        try await read { db in
            try db.one("SELECT * FROM simulator_outbox WHERE idempotency_key = ?", [idempotencyKey]).map(SQLiteRows.outboxEntry)
        }
    }
}
