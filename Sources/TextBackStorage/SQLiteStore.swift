// SQLiteStore: the embedded `Store`, one SQLite file in WAL mode through GRDB.
//
// Every unit of work runs in one write transaction; readers never block the writer. Unique keys
// (provider call id, run per automation and call, message idempotency key) stop duplicates even if
// the engine above made a mistake.

import Foundation
import GRDB
import TextBackCore

public final class SQLiteStore: Store {
    private let pool: DatabasePool

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.unavailable("cannot open SQLite database at \(path): \(error)")
        }
    }

    public func migrate() async throws {
        try SQLiteSchema.migrator().migrate(pool)
    }

    // MARK: - Calls

    public func ingestCall(_ request: IngestRequest) async throws -> IngestOutcome {
        let eventJSON = try Coding.json(request.event)
        return try await pool.write { db in
            let event = request.event
            if let existing = try Row.fetchOne(
                db, sql: "SELECT id, contact_id, stage_rank FROM calls WHERE provider = ? AND provider_call_id = ?",
                arguments: [event.provider, event.providerCallID])
            {
                let callID = CallID(existing["id"] as String)
                let contactID = ContactID(existing["contact_id"] as String)
                let rank: Int = existing["stage_rank"]
                guard event.stage.rank > rank else {
                    return IngestOutcome(disposition: .duplicate, callID: callID, contactID: contactID, startedRuns: [])
                }
                try db.execute(sql: """
                    UPDATE calls SET stage = ?, stage_rank = ?, direction = ?, outcome = ?, occurred_at = ?, event = ?
                    WHERE id = ?
                    """, arguments: [event.stage.rawValue, event.stage.rank, event.direction.rawValue,
                                     event.outcome.rawValue, Coding.ms(event.occurredAt), eventJSON, callID.rawValue])
                let runs = event.stage == .ended
                    ? try Self.startRuns(db, request.runs, callID: callID, contactID: contactID, now: request.receivedAt) : []
                return IngestOutcome(disposition: .advanced, callID: callID, contactID: contactID, startedRuns: runs)
            }
            let contactID = try Self.upsertContact(db, phone: event.contactPhone, hint: event.contact,
                                                   newID: request.newContactID, now: request.receivedAt)
            try db.execute(sql: """
                INSERT INTO calls (id, provider, provider_call_id, contact_id, stage, stage_rank, direction, outcome,
                                   occurred_at, received_at, event)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.newCallID.rawValue, event.provider, event.providerCallID, contactID.rawValue,
                                 event.stage.rawValue, event.stage.rank, event.direction.rawValue, event.outcome.rawValue,
                                 Coding.ms(event.occurredAt), Coding.ms(request.receivedAt), eventJSON])
            if let consent = request.impliedConsent {
                let exists = try Bool.fetchOne(db, sql: """
                    SELECT 1 FROM consents WHERE phone = ? AND kind = ? AND scope = ? AND revoked_at IS NULL
                    """, arguments: [consent.phone.e164, consent.kind.rawValue, consent.scope]) ?? false
                if !exists { try Self.insertConsent(db, consent) }
            }
            let runs = event.stage == .ended
                ? try Self.startRuns(db, request.runs, callID: request.newCallID, contactID: contactID, now: request.receivedAt) : []
            return IngestOutcome(disposition: .created, callID: request.newCallID, contactID: contactID, startedRuns: runs)
        }
    }

    private static func startRuns(_ db: Database, _ runs: [PlannedRun], callID: CallID, contactID: ContactID, now: Date) throws -> [RunID] {
        var started: [RunID] = []
        for run in runs {
            try db.execute(sql: """
                INSERT INTO runs (id, automation_id, call_id, contact_id, status, pc, fingerprint, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'active', 0, ?, ?, ?) ON CONFLICT (automation_id, call_id) DO NOTHING
                """, arguments: [run.runID.rawValue, run.automationID.rawValue, callID.rawValue, contactID.rawValue,
                                 run.fingerprint, Coding.ms(now), Coding.ms(now)])
            guard db.changesCount == 1 else { continue }
            try insertJob(db, JobRecord(id: run.jobID, kind: .advance, runID: run.runID, dueAt: run.firstJobDueAt, createdAt: now))
            started.append(run.runID)
        }
        return started
    }

    private static func upsertContact(_ db: Database, phone: PhoneNumber, hint: ContactHint, newID: ContactID, now: Date) throws -> ContactID {
        if let row = try Row.fetchOne(db, sql: "SELECT id, name, attributes FROM contacts WHERE phone = ?", arguments: [phone.e164]) {
            let id = ContactID(row["id"] as String)
            var attributes = try Coding.attributes(row["attributes"] as String)
            let oldName: String? = row["name"]
            guard hint.name != nil || !hint.attributes.isEmpty else { return id }
            attributes.merge(hint.attributes) { _, new in new }
            try db.execute(sql: "UPDATE contacts SET name = ?, attributes = ?, updated_at = ? WHERE id = ?",
                           arguments: [hint.name ?? oldName, try Coding.json(attributes), Coding.ms(now), id.rawValue])
            return id
        }
        try db.execute(sql: """
            INSERT INTO contacts (id, phone, name, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [newID.rawValue, phone.e164, hint.name, try Coding.json(hint.attributes), Coding.ms(now), Coding.ms(now)])
        return newID
    }

    // MARK: - Jobs

    public func claimDueJobs(now: Date, limit: Int, owner: String, leaseUntil: Date) async throws -> [JobRecord] {
        // Most polls find nothing due: answer those from a reader, without taking the write lock.
        let anyDue = try await pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT 1 FROM jobs WHERE (status = 'pending' AND due_at <= ?) OR (status = 'running' AND lease_until < ?) LIMIT 1
                """, arguments: [Coding.ms(now), Coding.ms(now)]) ?? false
        }
        guard anyDue else { return [] }
        return try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM jobs
                WHERE (status = 'pending' AND due_at <= ?) OR (status = 'running' AND lease_until < ?)
                ORDER BY due_at, rowid LIMIT ?
                """, arguments: [Coding.ms(now), Coding.ms(now), limit])
            var claimed: [JobRecord] = []
            for row in rows {
                var job = try Self.job(row)
                try db.execute(sql: """
                    UPDATE jobs SET status = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
                    WHERE id = ?
                    """, arguments: [owner, Coding.ms(leaseUntil), Coding.ms(now), job.id.rawValue])
                job.status = .running
                job.attempts += 1
                claimed.append(job)
            }
            return claimed
        }
    }

    public func nextDueAt() async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT MIN(CASE WHEN status = 'pending' THEN due_at ELSE lease_until END) FROM jobs
                WHERE status IN ('pending', 'running')
                """).map(Coding.date)
        }
    }

    public func job(_ id: JobID) async throws -> JobRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id.rawValue]).map(Self.job)
        }
    }

    public func pendingJobs() async throws -> [JobRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE status IN ('pending', 'running') ORDER BY due_at, rowid").map(Self.job)
        }
    }

    private static func insertJob(_ db: Database, _ job: JobRecord) throws {
        try db.execute(sql: """
            INSERT INTO jobs (id, kind, run_id, message_id, due_at, status, attempts, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [job.id.rawValue, job.kind.rawValue, job.runID?.rawValue, job.messageID?.rawValue,
                             Coding.ms(job.dueAt), job.status.rawValue, job.attempts, Coding.ms(job.createdAt), Coding.ms(job.createdAt)])
    }

    private static func job(_ row: Row) throws -> JobRecord {
        guard let kind = JobKind(rawValue: row["kind"]), let status = JobStatus(rawValue: row["status"]) else {
            throw StoreError.corrupt("job \(row["id"] as String) has an unknown kind or status")
        }
        return JobRecord(id: JobID(row["id"] as String), kind: kind, runID: (row["run_id"] as String?).map(RunID.init),
                         messageID: (row["message_id"] as String?).map(MessageID.init), dueAt: Coding.date(row["due_at"]),
                         status: status, attempts: row["attempts"], createdAt: Coding.date(row["created_at"]))
    }

    // MARK: - Runs

    public func runState(_ id: RunID) async throws -> RunState? {
        try await pool.read { db in
            guard let runRow = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id.rawValue]) else { return nil }
            let run = try Self.run(runRow)
            guard let callRow = try Row.fetchOne(db, sql: "SELECT * FROM calls WHERE id = ?", arguments: [run.callID.rawValue]),
                  let contactRow = try Row.fetchOne(db, sql: "SELECT * FROM contacts WHERE id = ?", arguments: [run.contactID.rawValue])
            else { throw StoreError.corrupt("run \(id) refers to a missing call or contact") }
            return RunState(run: run, call: try Self.call(callRow), contact: try Self.contact(contactRow))
        }
    }

    public func activeRuns(contactID: ContactID) async throws -> [RunRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE contact_id = ? AND status = 'active' ORDER BY created_at, rowid",
                             arguments: [contactID.rawValue]).map(Self.run)
        }
    }

    private static func run(_ row: Row) throws -> RunRecord {
        guard let status = RunStatus(rawValue: row["status"]) else { throw StoreError.corrupt("run with unknown status") }
        return RunRecord(id: RunID(row["id"] as String), automationID: AutomationID(row["automation_id"] as String),
                         callID: CallID(row["call_id"] as String), contactID: ContactID(row["contact_id"] as String),
                         status: status, pc: row["pc"], fingerprint: row["fingerprint"],
                         createdAt: Coding.date(row["created_at"]), updatedAt: Coding.date(row["updated_at"]),
                         endReason: row["end_reason"])
    }

    public func commit(_ step: StepCommit) async throws -> StepCommitResult {
        let attributeChanges = step.contactAttributes
        return try await pool.write { db in
            // Checks first: a failed check writes nothing.
            if let jobID = step.jobID, let owner = step.jobOwner {
                let row = try Row.fetchOne(db, sql: "SELECT status, lease_owner FROM jobs WHERE id = ?", arguments: [jobID.rawValue])
                guard let row, row["status"] as String == JobStatus.running.rawValue, row["lease_owner"] as String? == owner else {
                    return .stale
                }
            }
            if let update = step.runUpdate {
                let status = try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [update.runID.rawValue])
                guard status == RunStatus.active.rawValue else { return .stale }
            }
            for update in step.messageUpdates {
                guard let expected = update.expected else { continue }
                let status = try String.fetchOne(db, sql: "SELECT status FROM messages WHERE id = ?", arguments: [update.messageID.rawValue])
                guard status == expected.rawValue else { return .stale }
            }
            // The same text written twice is a duplicate, whatever the caps would say about it.
            for message in step.newMessages {
                guard let key = message.idempotencyKey else { continue }
                if let existing = try String.fetchOne(db, sql: "SELECT id FROM messages WHERE idempotency_key = ?", arguments: [key]) {
                    return .duplicateMessage(existing: MessageID(existing))
                }
            }
            for capGuard in step.capGuards {
                let count = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM messages WHERE contact_id = ? AND direction = 'outbound' AND kind = 'automated'
                    AND message_type = ? AND status NOT IN ('cancelled', 'failed') AND created_at > ?
                    """, arguments: [capGuard.contactID.rawValue, capGuard.messageType, Coding.ms(capGuard.since)]) ?? 0
                if count >= capGuard.max { return .capReached }
            }
            let now = Coding.ms(step.now)
            for message in step.newMessages { try Self.insertMessage(db, message, now: now) }
            if let jobID = step.jobID {
                switch step.jobOutcome {
                case .done:
                    try db.execute(sql: "UPDATE jobs SET status = 'done', lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?",
                                   arguments: [now, jobID.rawValue])
                case .cancelled:
                    try db.execute(sql: "UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?",
                                   arguments: [now, jobID.rawValue])
                case .unchanged:
                    break
                case .reschedule(let due):
                    try db.execute(sql: """
                        UPDATE jobs SET status = 'pending', due_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?,
                            attempts = CASE WHEN kind = 'advance' THEN 0 ELSE attempts END
                        WHERE id = ?
                        """, arguments: [Coding.ms(due), now, jobID.rawValue])
                }
            }
            if let update = step.runUpdate {
                try db.execute(sql: "UPDATE runs SET status = ?, pc = ?, end_reason = COALESCE(?, end_reason), updated_at = ? WHERE id = ?",
                               arguments: [update.status.rawValue, update.pc, update.endReason, now, update.runID.rawValue])
                if update.status != .active {
                    // A run that ended leaves no job behind that could still act for it.
                    try db.execute(sql: """
                        UPDATE jobs SET status = 'cancelled', updated_at = ?
                        WHERE run_id = ? AND kind = 'advance' AND status IN ('pending', 'running') AND id IS NOT ?
                        """, arguments: [now, update.runID.rawValue, step.jobID?.rawValue])
                }
            }
            for job in step.newJobs { try Self.insertJob(db, job) }
            for decision in step.decisions { try Self.insertDecision(db, decision) }
            for update in step.messageUpdates {
                try db.execute(sql: """
                    UPDATE messages SET status = ?, carrier_message_id = COALESCE(?, carrier_message_id), error = COALESCE(?, error),
                        sent_at = COALESCE(?, sent_at), updated_at = ? WHERE id = ?
                    """, arguments: [update.status.rawValue, update.carrierMessageID, update.error,
                                     update.sentAt.map(Coding.ms), now, update.messageID.rawValue])
            }
            if let (contactID, changes) = attributeChanges {
                let current = try String.fetchOne(db, sql: "SELECT attributes FROM contacts WHERE id = ?", arguments: [contactID.rawValue])
                var attributes = try Coding.attributes(current ?? "{}")
                attributes.merge(changes) { _, new in new }
                try db.execute(sql: "UPDATE contacts SET attributes = ?, updated_at = ? WHERE id = ?",
                               arguments: [try Coding.json(attributes), now, contactID.rawValue])
            }
            return .committed
        }
    }

    // MARK: - Contacts and history

    public func contact(phone: PhoneNumber) async throws -> Contact? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM contacts WHERE phone = ?", arguments: [phone.e164]).map(Self.contact)
        }
    }

    public func contact(id: ContactID) async throws -> Contact? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM contacts WHERE id = ?", arguments: [id.rawValue]).map(Self.contact)
        }
    }

    public func history(contactID: ContactID, phone: PhoneNumber, since: Date) async throws -> ContactHistory {
        try await pool.read { db in
            let calls = try Row.fetchAll(db, sql: "SELECT * FROM calls WHERE contact_id = ? AND occurred_at >= ? ORDER BY occurred_at, rowid",
                                         arguments: [contactID.rawValue, Coding.ms(since)]).map(Self.call)
            let messages = try Row.fetchAll(db, sql: "SELECT * FROM messages WHERE contact_id = ? AND created_at >= ? ORDER BY created_at, rowid",
                                            arguments: [contactID.rawValue, Coding.ms(since)]).map(Self.message)
            let consents = try Row.fetchAll(db, sql: "SELECT * FROM consents WHERE phone = ? ORDER BY recorded_at, rowid",
                                            arguments: [phone.e164]).map(Self.consent)
            let suppression = try Row.fetchOne(db, sql: "SELECT * FROM suppressions WHERE phone = ? AND channel = 'sms'",
                                               arguments: [phone.e164]).map(Self.suppression)
            return ContactHistory(calls: calls, messages: messages, consents: consents, suppression: suppression)
        }
    }

    public func timeline(contactID: ContactID) async throws -> [TimelineEntry] {
        try await pool.read { db in
            // (time, order within the same instant, row) keeps "decided, then sent" in causal order.
            var entries: [(Int64, Int, Int64, TimelineEntry)] = []
            for row in try Row.fetchAll(db, sql: "SELECT rowid AS r, * FROM calls WHERE contact_id = ?", arguments: [contactID.rawValue]) {
                entries.append((row["occurred_at"], 0, row["r"], .call(try Self.call(row))))
            }
            for row in try Row.fetchAll(db, sql: "SELECT rowid AS r, * FROM decisions WHERE contact_id = ?", arguments: [contactID.rawValue]) {
                entries.append((row["decided_at"], 1, row["r"], .decision(try Self.decision(row))))
            }
            for row in try Row.fetchAll(db, sql: "SELECT rowid AS r, * FROM messages WHERE contact_id = ?", arguments: [contactID.rawValue]) {
                let at: Int64 = (row["sent_at"] as Int64?) ?? row["created_at"]
                // An inbound text causes the decisions stamped with the same instant, so it comes first.
                let order = (row["direction"] as String) == MessageDirection.inbound.rawValue ? 0 : 2
                entries.append((at, order, row["r"], .message(try Self.message(row))))
            }
            return entries.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.3)
        }
    }

    private static func contact(_ row: Row) throws -> Contact {
        Contact(id: ContactID(row["id"] as String), phone: PhoneNumber(trustedE164: row["phone"]), name: row["name"],
                attributes: try Coding.attributes(row["attributes"]), createdAt: Coding.date(row["created_at"]))
    }

    private static func call(_ row: Row) throws -> CallRecord {
        CallRecord(id: CallID(row["id"] as String), contactID: ContactID(row["contact_id"] as String),
                   event: try Coding.decode(CallEvent.self, row["event"]), receivedAt: Coding.date(row["received_at"]))
    }

    // MARK: - Messages

    public func message(_ id: MessageID) async throws -> MessageRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM messages WHERE id = ?", arguments: [id.rawValue]).map(Self.message)
        }
    }

    public func messages(limit: Int) async throws -> [MessageRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM messages ORDER BY created_at DESC, rowid DESC LIMIT ?", arguments: [limit]).map(Self.message)
        }
    }

    public func recordInbound(_ inbound: InboundRecord) async throws -> InboundDisposition {
        try await pool.write { db in
            let contactID = try Self.upsertContact(db, phone: inbound.from, hint: ContactHint(), newID: inbound.newContactID, now: inbound.receivedAt)
            if let carrierID = inbound.carrierMessageID,
               let existing = try String.fetchOne(db, sql: """
                   SELECT id FROM messages WHERE carrier = ? AND direction = 'inbound' AND carrier_message_id = ?
                   """, arguments: [inbound.carrier, carrierID])
            {
                return .duplicate(contactID: contactID, messageID: MessageID(existing))
            }
            let record = MessageRecord(id: inbound.messageID, idempotencyKey: nil, contactID: contactID, direction: .inbound,
                                       kind: .inbound, from: inbound.from, to: inbound.to, body: inbound.body, status: .received,
                                       carrier: inbound.carrier, carrierMessageID: inbound.carrierMessageID,
                                       createdAt: inbound.receivedAt, sentAt: inbound.receivedAt)
            try Self.insertMessage(db, record, now: Coding.ms(inbound.receivedAt))
            return .stored(contactID: contactID, messageID: inbound.messageID)
        }
    }

    private static func insertMessage(_ db: Database, _ m: MessageRecord, now: Int64) throws {
        try db.execute(sql: """
            INSERT INTO messages (id, idempotency_key, contact_id, run_id, direction, kind, message_type, from_number, to_number,
                                  body, status, carrier, carrier_message_id, error, created_at, sent_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [m.id.rawValue, m.idempotencyKey, m.contactID.rawValue, m.runID?.rawValue, m.direction.rawValue,
                             m.kind.rawValue, m.messageType, m.from.e164, m.to.e164, m.body, m.status.rawValue, m.carrier, m.carrierMessageID,
                             m.error, Coding.ms(m.createdAt), m.sentAt.map(Coding.ms), now])
    }

    private static func message(_ row: Row) throws -> MessageRecord {
        guard let direction = MessageDirection(rawValue: row["direction"]), let kind = MessageKind(rawValue: row["kind"]),
              let status = MessageStatus(rawValue: row["status"])
        else { throw StoreError.corrupt("message with an unknown direction, kind or status") }
        return MessageRecord(id: MessageID(row["id"] as String), idempotencyKey: row["idempotency_key"],
                             contactID: ContactID(row["contact_id"] as String), runID: (row["run_id"] as String?).map(RunID.init),
                             direction: direction, kind: kind, messageType: row["message_type"],
                             from: PhoneNumber(trustedE164: row["from_number"]),
                             to: PhoneNumber(trustedE164: row["to_number"]), body: row["body"], status: status,
                             carrier: row["carrier"], carrierMessageID: row["carrier_message_id"], error: row["error"],
                             createdAt: Coding.date(row["created_at"]), sentAt: (row["sent_at"] as Int64?).map(Coding.date))
    }

    private static func insertDecision(_ db: Database, _ d: DecisionRecord) throws {
        try db.execute(sql: """
            INSERT INTO decisions (id, contact_id, run_id, call_id, message_id, action, reasons, sentence, until_at, decided_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [d.id.rawValue, d.contactID.rawValue, d.runID?.rawValue, d.callID?.rawValue, d.messageID?.rawValue,
                             d.action.rawValue, d.reasons.joined(separator: ","), d.sentence, d.until.map(Coding.ms), Coding.ms(d.decidedAt)])
    }

    private static func decision(_ row: Row) throws -> DecisionRecord {
        guard let action = DecisionAction(rawValue: row["action"]) else { throw StoreError.corrupt("decision with an unknown action") }
        let reasons = (row["reasons"] as String).split(separator: ",").map(String.init)
        return DecisionRecord(id: DecisionID(row["id"] as String), contactID: ContactID(row["contact_id"] as String),
                              runID: (row["run_id"] as String?).map(RunID.init), callID: (row["call_id"] as String?).map(CallID.init),
                              messageID: (row["message_id"] as String?).map(MessageID.init), action: action, reasons: reasons,
                              sentence: row["sentence"], until: (row["until_at"] as Int64?).map(Coding.date),
                              decidedAt: Coding.date(row["decided_at"]))
    }

    // MARK: - Consent and suppression

    public func addConsent(_ consent: ConsentRecord) async throws {
        try await pool.write { db in try Self.insertConsent(db, consent) }
    }

    public func revokeConsents(phone: PhoneNumber, scope: String?, at: Date, source: String) async throws -> Int {
        try await pool.write { db in
            if let scope {
                try db.execute(sql: "UPDATE consents SET revoked_at = ?, revoke_source = ? WHERE phone = ? AND scope = ? AND revoked_at IS NULL",
                               arguments: [Coding.ms(at), source, phone.e164, scope])
            } else {
                try db.execute(sql: "UPDATE consents SET revoked_at = ?, revoke_source = ? WHERE phone = ? AND revoked_at IS NULL",
                               arguments: [Coding.ms(at), source, phone.e164])
            }
            return db.changesCount
        }
    }

    public func consents(phone: PhoneNumber) async throws -> [ConsentRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM consents WHERE phone = ? ORDER BY recorded_at, rowid", arguments: [phone.e164]).map(Self.consent)
        }
    }

    private static func insertConsent(_ db: Database, _ c: ConsentRecord) throws {
        try db.execute(sql: """
            INSERT INTO consents (id, phone, kind, scope, source, recorded_at, revoked_at, revoke_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [c.id, c.phone.e164, c.kind.rawValue, c.scope, c.source, Coding.ms(c.recordedAt),
                             c.revokedAt.map(Coding.ms), c.revokeSource])
    }

    private static func consent(_ row: Row) throws -> ConsentRecord {
        guard let kind = ConsentKind(rawValue: row["kind"]) else { throw StoreError.corrupt("consent with an unknown kind") }
        return ConsentRecord(id: row["id"], phone: PhoneNumber(trustedE164: row["phone"]), kind: kind, scope: row["scope"],
                             source: row["source"], recordedAt: Coding.date(row["recorded_at"]),
                             revokedAt: (row["revoked_at"] as Int64?).map(Coding.date), revokeSource: row["revoke_source"])
    }

    public func addSuppression(_ entry: SuppressionRecord) async throws -> Bool {
        try await addSuppressions([entry]) == 1
    }

    public func addSuppressions(_ entries: [SuppressionRecord]) async throws -> Int {
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO suppressions (phone, channel, reason, source, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (phone, channel) DO NOTHING
                """)
            var added = 0
            for e in entries {
                try statement.execute(arguments: [e.phone.e164, e.channel, e.reason, e.source, Coding.ms(e.createdAt)])
                added += db.changesCount
            }
            return added
        }
    }

    public func removeSuppression(phone: PhoneNumber, channel: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM suppressions WHERE phone = ? AND channel = ?", arguments: [phone.e164, channel])
            return db.changesCount > 0
        }
    }

    public func suppression(phone: PhoneNumber, channel: String) async throws -> SuppressionRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM suppressions WHERE phone = ? AND channel = ?", arguments: [phone.e164, channel]).map(Self.suppression)
        }
    }

    public func suppressions(limit: Int, offset: Int) async throws -> [SuppressionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM suppressions ORDER BY created_at, phone LIMIT ? OFFSET ?", arguments: [limit, offset]).map(Self.suppression)
        }
    }

    private static func suppression(_ row: Row) throws -> SuppressionRecord {
        SuppressionRecord(phone: PhoneNumber(trustedE164: row["phone"]), channel: row["channel"], reason: row["reason"],
                          source: row["source"], createdAt: Coding.date(row["created_at"]))
    }

    // MARK: - Simulator carrier

    public func simulatorAccept(_ entry: SimulatorOutboxEntry) async throws -> SimulatorOutboxEntry {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO simulator_outbox (id, idempotency_key, from_number, to_number, body, status, sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING
                """, arguments: [entry.id, entry.idempotencyKey, entry.from.e164, entry.to.e164, entry.body, entry.status, Coding.ms(entry.sentAt)])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM simulator_outbox WHERE idempotency_key = ?", arguments: [entry.idempotencyKey]) else {
                throw StoreError.corrupt("simulator outbox entry vanished")
            }
            return Self.outboxEntry(row)
        }
    }

    public func simulatorOutbox() async throws -> [SimulatorOutboxEntry] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM simulator_outbox ORDER BY seq").map(Self.outboxEntry) }
    }

    public func simulatorEntry(idempotencyKey: String) async throws -> SimulatorOutboxEntry? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM simulator_outbox WHERE idempotency_key = ?", arguments: [idempotencyKey]).map(Self.outboxEntry)
        }
    }

    private static func outboxEntry(_ row: Row) -> SimulatorOutboxEntry {
        SimulatorOutboxEntry(id: row["id"], idempotencyKey: row["idempotency_key"], from: PhoneNumber(trustedE164: row["from_number"]),
                             to: PhoneNumber(trustedE164: row["to_number"]), body: row["body"], status: row["status"],
                             sentAt: Coding.date(row["sent_at"]))
    }
}
