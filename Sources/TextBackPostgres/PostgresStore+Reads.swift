// Reads on PostgreSQL (each one snapshot), the consent and suppression writes the API makes directly,
// receipts, pacing, the line-type cache, the figures and the simulator carrier's outbox.

import Foundation
import PostgresNIO
import TextBackCore
import TextBackStorage

extension Unit {
    /// The contact when it belongs to a business inside `scope`.
    func scopedContact(_ id: ContactID, _ scope: BusinessScope) async throws -> Contact? {
        try await row("""
            SELECT * FROM contacts WHERE id = \(id.rawValue) AND (\(scope.only?.rawValue)::text IS NULL OR business_id = \(scope.only?.rawValue)::text)
            """).map(StoredRecords.contact)
    }
}

extension PostgresStore {
    // MARK: Runs

    public func runState(_ id: RunID) async throws -> RunState? {
        try await withoutTransaction { unit in
            guard let row = try await unit.preparedRow("""
                SELECT row_to_json(r)::text AS run,
                    (SELECT row_to_json(c)::text FROM calls c WHERE c.id = r.call_id) AS call,
                    (SELECT row_to_json(k)::text FROM contacts k WHERE k.id = r.contact_id) AS contact
                FROM runs r WHERE r.id = \(id.rawValue)
                """)
            else { return nil }
            guard let run = try JSONRow.row(row["run"].decode(String?.self)), let call = try JSONRow.row(row["call"].decode(String?.self)),
                  let contact = try JSONRow.row(row["contact"].decode(String?.self))
            else { throw StoreError.corrupt("run \(id) refers to a missing call or contact") }
            return RunState(run: try StoredRecords.run(run), call: try StoredRecords.call(call), contact: try StoredRecords.contact(contact))
        }
    }

    /// Every asked run, its call and contact and the contact's history in one statement (one snapshot):
    /// a claimed batch of advances costs one round trip, not one each.
    public func runStates(_ requests: [RunStateRequest]) async throws -> [RunID: RunState] {
        guard !requests.isEmpty else { return [:] }
        let ids = requests.map(\.runID.rawValue)
        let sinces = requests.map { Coding.ms($0.historySince) }
        return try await withoutTransaction { unit in
            var states: [RunID: RunState] = [:]
            for row in try await unit.preparedRows("""
                SELECT q.n, row_to_json(r)::text AS run, row_to_json(c)::text AS call, row_to_json(k)::text AS contact,
                    (SELECT json_agg(x ORDER BY x.occurred_at, x.rowid)::text FROM calls x
                     WHERE x.contact_id = k.id AND x.occurred_at >= q.since) AS calls,
                    (SELECT json_agg(m ORDER BY m.created_at, m.rowid)::text FROM messages m
                     WHERE m.contact_id = k.id AND m.created_at >= q.since) AS messages,
                    (SELECT json_agg(g ORDER BY g.recorded_at, g.rowid)::text FROM consents g
                     WHERE g.phone = k.phone AND g.business_id = k.business_id) AS consents,
                    (SELECT row_to_json(s)::text FROM (
                        SELECT * FROM suppressions WHERE phone = k.phone AND channel = 'sms' AND business_id IN ('', k.business_id)
                        ORDER BY business_id DESC LIMIT 1) s) AS suppression
                FROM unnest(\(ids)::text[], \(sinces)::int8[]) WITH ORDINALITY AS q(id, since, n)
                JOIN runs r ON r.id = q.id LEFT JOIN calls c ON c.id = r.call_id LEFT JOIN contacts k ON k.id = r.contact_id
                """) {
                let request = requests[Int(try row["n"].decode(Int64.self)) - 1]
                guard let run = try JSONRow.row(row["run"].decode(String?.self)), let call = try JSONRow.row(row["call"].decode(String?.self)),
                      let contact = try JSONRow.row(row["contact"].decode(String?.self))
                else { throw StoreError.corrupt("run \(request.runID) refers to a missing call or contact") }
                let state = try RunState(run: StoredRecords.run(run), call: StoredRecords.call(call), contact: StoredRecords.contact(contact))
                states[request.runID] = RunState(run: state.run, call: state.call, contact: state.contact, history: PrefetchedHistory(
                    contactID: state.contact.id, since: request.historySince, history: try Self.history(row)))
            }
            return states
        }
    }

    public func activeRuns(contactID: ContactID) async throws -> [RunRecord] {
        try await withoutTransaction { unit in
            try await unit.rows("""
                SELECT * FROM runs WHERE contact_id = \(contactID.rawValue) AND status = 'active' ORDER BY created_at, rowid
                """).map(StoredRecords.run)
        }
    }

    // MARK: Contacts and history

    public func contact(phone: PhoneNumber, business: BusinessID) async throws -> Contact? {
        try await withoutTransaction { unit in
            try await unit.row("SELECT * FROM contacts WHERE business_id = \(business.rawValue) AND phone = \(phone.e164)").map(StoredRecords.contact)
        }
    }

    public func contact(id: ContactID, scope: BusinessScope) async throws -> Contact? {
        try await withoutTransaction { unit in try await unit.scopedContact(id, scope) }
    }

    public func history(contactID: ContactID, phone: PhoneNumber, since: Date) async throws -> ContactHistory {
        try await withoutTransaction { unit in
            let since = Coding.ms(since)
            guard let row = try await unit.preparedRow("""
                SELECT
                    (SELECT json_agg(c ORDER BY c.occurred_at, c.rowid)::text FROM calls c
                     WHERE c.contact_id = k.id AND c.occurred_at >= \(since)) AS calls,
                    (SELECT json_agg(m ORDER BY m.created_at, m.rowid)::text FROM messages m
                     WHERE m.contact_id = k.id AND m.created_at >= \(since)) AS messages,
                    (SELECT json_agg(c ORDER BY c.recorded_at, c.rowid)::text FROM consents c
                     WHERE c.phone = \(phone.e164) AND c.business_id = k.business_id) AS consents,
                    (SELECT row_to_json(s)::text FROM (
                        SELECT * FROM suppressions WHERE phone = \(phone.e164) AND channel = 'sms' AND business_id IN ('', k.business_id)
                        ORDER BY business_id DESC LIMIT 1) s) AS suppression
                FROM contacts k WHERE k.id = \(contactID.rawValue)
                """)
            else { throw StoreError.corrupt("a unit names a missing contact") }
            return try Self.history(row)
        }
    }

    /// A history from its columns `calls`, `messages`, `consents` (JSON lists) and `suppression` (a JSON row).
    static func history(_ row: PostgresRandomAccessRow) throws -> ContactHistory {
        ContactHistory(
            calls: try JSONRow.rows(row["calls"].decode(String?.self)).map(StoredRecords.call),
            messages: try JSONRow.rows(row["messages"].decode(String?.self)).map(StoredRecords.message),
            consents: try JSONRow.rows(row["consents"].decode(String?.self)).map(StoredRecords.consent),
            suppression: try JSONRow.row(row["suppression"].decode(String?.self)).map(StoredRecords.suppression))
    }

    public func timeline(contactID: ContactID, scope: BusinessScope) async throws -> [TimelineEntry] {
        try await read { unit in
            guard try await unit.scopedContact(contactID, scope) != nil else { return [] }
            // (time, order within the same instant, row) keeps "decided, then sent" in causal order.
            var entries: [(Int64, Int, Int64, TimelineEntry)] = []
            for row in try await unit.rows("SELECT * FROM calls WHERE contact_id = \(contactID.rawValue)") {
                entries.append((try row.integer("occurred_at"), 0, try row.integer("rowid"), .call(try StoredRecords.call(row))))
            }
            for row in try await unit.rows("SELECT * FROM decisions WHERE contact_id = \(contactID.rawValue)") {
                entries.append((try row.integer("decided_at"), 1, try row.integer("rowid"), .decision(try StoredRecords.decision(row))))
            }
            for row in try await unit.rows("SELECT * FROM messages WHERE contact_id = \(contactID.rawValue)") {
                let message = try StoredRecords.message(row)
                // An inbound text causes the decisions stamped with the same instant, so it comes first.
                let order = message.direction == .inbound ? 0 : 2
                entries.append((Coding.ms(message.sentAt ?? message.createdAt), order, try row.integer("rowid"), .message(message)))
            }
            return entries.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.3)
        }
    }

    // MARK: Messages

    public func message(_ id: MessageID, scope: BusinessScope) async throws -> MessageRecord? {
        try await withoutTransaction { unit in
            try await unit.row("""
                SELECT * FROM messages WHERE id = \(id.rawValue) AND (\(scope.only?.rawValue)::text IS NULL OR business_id = \(scope.only?.rawValue)::text)
                """).map(StoredRecords.message)
        }
    }

    public func messages(scope: BusinessScope, limit: Int, after: String?) async throws -> Page<MessageRecord> {
        let cursor = try Coding.cursor(after)
        return try await withoutTransaction { unit in
            let rows = try await unit.rows("""
                SELECT * FROM messages WHERE rowid < \(cursor ?? Int64.max)
                  AND (\(scope.only?.rawValue)::text IS NULL OR business_id = \(scope.only?.rawValue)::text)
                ORDER BY rowid DESC LIMIT \(limit + 1)
                """)
            let page = try rows.prefix(limit).map(StoredRecords.message)
            let next = rows.count > limit ? try rows[limit - 1].integer("rowid") : nil
            return Page(items: page, next: next.map(String.init))
        }
    }

    // MARK: Consent and suppression

    public func addConsent(_ consent: ConsentRecord) async throws {
        try await write { unit in try await unit.insertConsent(consent) }
    }

    public func revokeConsents(phone: PhoneNumber, business: BusinessID, scope: String?, at: Date, source: String) async throws -> Int {
        try await write { unit in
            try await unit.execute("""
                UPDATE consents SET revoked_at = \(Coding.ms(at)), revoke_source = \(source)
                WHERE phone = \(phone.e164) AND business_id = \(business.rawValue) AND (\(scope)::text IS NULL OR scope = \(scope)::text)
                  AND revoked_at IS NULL
                """)
        }
    }

    public func consents(phone: PhoneNumber, business: BusinessID) async throws -> [ConsentRecord] {
        try await withoutTransaction { unit in
            try await unit.rows("""
                SELECT * FROM consents WHERE phone = \(phone.e164) AND business_id = \(business.rawValue) ORDER BY recorded_at, rowid
                """).map(StoredRecords.consent)
        }
    }

    public func addSuppression(_ entry: SuppressionRecord) async throws -> Bool {
        try await addSuppressions([entry]) == 1
    }

    public func addSuppressions(_ entries: [SuppressionRecord]) async throws -> Int {
        guard !entries.isEmpty else { return 0 }
        return try await write { unit in
            var added = 0
            for entry in entries where try await unit.insertSuppression(entry) { added += 1 }
            return added
        }
    }

    public func removeSuppression(phone: PhoneNumber, channel: String, business: BusinessID?) async throws -> Bool {
        try await write { unit in
            try await unit.execute("""
                DELETE FROM suppressions WHERE business_id = \(business?.rawValue ?? "") AND phone = \(phone.e164) AND channel = \(channel)
                """) > 0
        }
    }

    public func suppression(phone: PhoneNumber, channel: String, for business: BusinessID?) async throws -> SuppressionRecord? {
        try await withoutTransaction { unit in try await unit.applyingSuppression(phone: phone, channel: channel, business: business) }
    }

    public func suppressions(scope: BusinessScope, limit: Int, offset: Int) async throws -> [SuppressionRecord] {
        try await withoutTransaction { unit in
            try await unit.rows("""
                SELECT * FROM suppressions WHERE (\(scope.only?.rawValue)::text IS NULL OR business_id IN ('', \(scope.only?.rawValue)::text))
                ORDER BY created_at, phone, business_id LIMIT \(limit) OFFSET \(offset)
                """).map(StoredRecords.suppression)
        }
    }

    // MARK: Delivery (see StoreDelivery.swift)

    public func recordReceipt(_ request: ReceiptUpdate) async throws -> ReceiptOutcome {
        try await write { unit in
            var row: PostgresRandomAccessRow?
            // Only a text of the business whose credentials verified the receipt (see Store.swift).
            let business = request.scope.only?.rawValue
            if let id = request.messageID {
                row = try await unit.row("""
                    SELECT * FROM messages WHERE id = \(id.rawValue) AND direction = 'outbound' AND carrier = \(request.carrier)
                      AND (\(business)::text IS NULL OR business_id = \(business)::text) FOR UPDATE
                    """)
            }
            if row == nil {
                row = try await unit.row("""
                    SELECT * FROM messages WHERE carrier = \(request.carrier) AND direction = 'outbound'
                      AND carrier_message_id = \(request.carrierMessageID)
                      AND (\(business)::text IS NULL OR business_id = \(business)::text) FOR UPDATE
                    """)
            }
            guard let row else { return .unknownMessage }
            var message = try StoredRecords.message(row)
            // A receipt naming another carrier id than the one we stored is not about this text.
            if let stored = message.carrierMessageID, stored != request.carrierMessageID { return .unknownMessage }
            guard request.status.rank > message.status.rank else { return .unchanged(message) }
            let now = Coding.ms(request.now)
            let reached = [MessageStatus.sent, .delivered, .undelivered].contains(request.status)
            let changed = try await unit.execute("""
                UPDATE messages SET status = \(request.status.rawValue), carrier_message_id = COALESCE(carrier_message_id, \(request.carrierMessageID)),
                    error = COALESCE(\(request.errorMeaning), error), error_code = COALESCE(\(request.errorCode), error_code),
                    sent_at = CASE WHEN \(reached) THEN COALESCE(sent_at, \(Coding.ms(request.at))) ELSE sent_at END, updated_at = \(now)
                WHERE id = \(message.id.rawValue) AND status = \(message.status.rawValue)
                """)
            guard changed == 1 else { return .unchanged(message) }
            message.status = request.status
            message.carrierMessageID = message.carrierMessageID ?? request.carrierMessageID
            message.error = request.errorMeaning ?? message.error
            message.errorCode = request.errorCode ?? message.errorCode
            if reached, message.sentAt == nil { message.sentAt = request.at }
            if let planned = request.decision {
                try await unit.insertDecision(DecisionRecord(
                    id: planned.id, contactID: message.contactID, runID: message.runID, messageID: message.id, action: planned.action,
                    reasons: planned.reasons, sentence: planned.sentence, decidedAt: request.now))
            }
            if let suppress = request.suppress {
                _ = try await unit.insertSuppression(SuppressionRecord(phone: message.to, reason: suppress.reason, source: suppress.source,
                                                                       createdAt: request.now, business: message.business))
            }
            return .applied(message)
        }
    }

    public func deferDelivery(_ request: DeferDelivery) async throws -> UnitResult {
        try await write { unit in
            guard try await unit.exists("SELECT 1 FROM messages WHERE id = \(request.messageID.rawValue) AND status = 'queued' FOR UPDATE"),
                  try await unit.holds(request.claim)
            else { return .stale }
            try await unit.rescheduleJob(request.claim.jobID, at: request.until, resetAttempts: true, now: Coding.ms(request.now))
            if let decision = request.decision { try await unit.insertDecision(decision) }
            return .committed
        }
    }

    public func sentCount(from number: PhoneNumber, since: Date) async throws -> Int {
        try await withoutTransaction { unit in
            try await unit.row("""
                SELECT COUNT(*) AS n FROM messages WHERE from_number = \(number.e164) AND direction = 'outbound' AND sent_at >= \(Coding.ms(since))
                """)?.int("n") ?? 0
        }
    }

    public func reserveSendSlot(_ request: SendSlotRequest) async throws -> SendSlot {
        try await write { unit in
            let number = request.number.e164
            // The number's row first, locked: every process asking for this number waits its turn here.
            try await unit.execute("""
                INSERT INTO sender_pace (number, next_slot, day_start, day_count) VALUES (\(number), 0, -1, 0) ON CONFLICT (number) DO NOTHING
                """)
            guard let row = try await unit.row("SELECT next_slot, day_start, day_count FROM sender_pace WHERE number = \(number) FOR UPDATE")
            else { throw StoreError.corrupt("the pace of a sending number vanished") }
            var pace = SendPace(nextSlot: try row.integer("next_slot"), dayStart: try row.integer("day_start"), dayCount: try row.int("day_count"))
            let reserved = try await unit.row("SELECT slot FROM sender_slots WHERE message_id = \(request.messageID.rawValue)")?.integer("slot")
            // The day's count is read only when a new day starts for a capped number (as `admit` asks).
            var sentToday = 0
            if request.dailyCap != nil, pace.dayStart != Coding.ms(request.dayStart) {
                sentToday = try await unit.row("""
                    SELECT COUNT(*) AS n FROM messages WHERE from_number = \(number) AND direction = 'outbound'
                      AND sent_at >= \(Coding.ms(request.dayStart))
                    """)?.int("n") ?? 0
            }
            let (slot, reservation) = pace.admit(request, reserved: reserved) { sentToday }
            try await unit.execute("""
                UPDATE sender_pace SET next_slot = \(pace.nextSlot), day_start = \(pace.dayStart), day_count = \(pace.dayCount)
                WHERE number = \(number)
                """)
            switch reservation {
            case .keep: break
            case .remove: try await unit.execute("DELETE FROM sender_slots WHERE message_id = \(request.messageID.rawValue)")
            case .set(let at):
                try await unit.execute("""
                    INSERT INTO sender_slots (message_id, number, slot) VALUES (\(request.messageID.rawValue), \(number), \(at))
                    """)
            }
            return slot
        }
    }

    public func cachedLineType(_ phone: PhoneNumber) async throws -> CachedLineType? {
        try await withoutTransaction { unit in
            try await unit.row("SELECT * FROM line_types WHERE phone = \(phone.e164)").map {
                CachedLineType(phone: phone, lineType: try $0.text("line_type"), checkedAt: try $0.date("checked_at"))
            }
        }
    }

    public func cacheLineType(_ entry: CachedLineType) async throws {
        try await write { unit in
            try await unit.execute("""
                INSERT INTO line_types (phone, line_type, checked_at) VALUES (\(entry.phone.e164), \(entry.lineType), \(Coding.ms(entry.checkedAt)))
                ON CONFLICT (phone) DO UPDATE SET line_type = excluded.line_type, checked_at = excluded.checked_at
                """)
        }
    }

    // MARK: Figures

    public func figures(from: Date, to: Date, scope: BusinessScope) async throws -> Figures {
        let bounds = [Coding.ms(from), Coding.ms(to)]
        let business = scope.only?.rawValue
        let rows = try await read { unit in
            var rows = FigureRows()
            for query in FigureRows.queries {
                var binds = PostgresBindings()
                for bound in bounds.prefix(query.upper ? 2 : 1) { binds.append(bound) }
                for _ in 0..<2 { binds.append(business) }
                for row in try await unit.rows(PostgresQuery(unsafeSQL: Self.numbered(query.sql), binds: binds)) { try query.feed(&rows, row) }
            }
            return rows
        }
        return rows.figures(from: from, to: to)
    }

    /// SQLite's `?` placeholders as PostgreSQL's `$1, $2, …` (the shared figure queries hold no `?` elsewhere).
    static func numbered(_ sql: String) -> String {
        var result = ""
        var count = 0
        for character in sql {
            if character == "?" {
                count += 1
                result += "$\(count)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    public func calls(from: Date, to: Date, limit: Int) async throws -> [CallRecord] {
        try await withoutTransaction { unit in
            try await unit.rows("""
                SELECT * FROM calls WHERE stage = 'ended' AND occurred_at >= \(Coding.ms(from)) AND occurred_at < \(Coding.ms(to))
                ORDER BY occurred_at, rowid LIMIT \(limit)
                """).map(StoredRecords.call)
        }
    }

    // MARK: Simulator outbox

    public func accept(_ entry: SimulatorOutboxEntry) async throws -> SimulatorOutboxEntry {
        // The insert is the only write; the entry it found instead never changes.
        try await withoutTransaction { unit in
            let inserted = try await unit.preparedRows("""
                INSERT INTO simulator_outbox (id, idempotency_key, from_number, to_number, body, status, sent_at)
                VALUES (\(entry.id), \(entry.idempotencyKey), \(entry.from.e164), \(entry.to.e164), \(entry.body), \(entry.status),
                        \(Coding.ms(entry.sentAt)))
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1
                """).count
            if inserted == 1 { return entry }
            guard let row = try await unit.row("SELECT * FROM simulator_outbox WHERE idempotency_key = \(entry.idempotencyKey)") else {
                throw StoreError.corrupt("simulator outbox entry vanished")
            }
            return try StoredRecords.outboxEntry(row)
        }
    }

    public func entries(limit: Int, after: String?) async throws -> Page<SimulatorOutboxEntry> {
        let cursor = try Coding.cursor(after)
        return try await withoutTransaction { unit in
            let rows = try await unit.rows("SELECT * FROM simulator_outbox WHERE seq > \(cursor ?? 0) ORDER BY seq LIMIT \(limit + 1)")
            let page = try rows.prefix(limit).map(StoredRecords.outboxEntry)
            let next = rows.count > limit ? try rows[limit - 1].integer("seq") : nil
            return Page(items: page, next: next.map(String.init))
        }
    }

    public func entry(idempotencyKey: String) async throws -> SimulatorOutboxEntry? {
        try await withoutTransaction { unit in
            try await unit.row("SELECT * FROM simulator_outbox WHERE idempotency_key = \(idempotencyKey)").map(StoredRecords.outboxEntry)
        }
    }
}
