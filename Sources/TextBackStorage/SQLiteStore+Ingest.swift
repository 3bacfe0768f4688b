// The ingest unit on SQLite: contact, call, implied consent, runs with their first jobs and notes, in
// one savepoint of a group commit. A new call costs a handful of cached statements; a duplicate costs
// one indexed read.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    public func ingestCall(_ request: IngestRequest) async throws -> IngestOutcome {
        // Encoding happens on the caller's task, not on the single writer.
        let eventJSON = Coding.eventJSON(request.event)
        let writer = self.writer
        return try await writer.write(rejectable: true) { db in
            try Self.applyIngest(db, request, eventJSON: eventJSON, writer: writer)
        }
    }

    static func applyIngest(_ db: Database, _ request: IngestRequest, eventJSON: String, writer: SQLiteWriter) throws -> IngestOutcome {
        let event = request.event
        let now = Coding.ms(request.receivedAt)
        if let existing = try db.one("""
            SELECT id, contact_id, stage_rank FROM calls WHERE business_id = ? AND provider = ? AND provider_call_id = ?
            """, [request.business.rawValue, event.provider, event.providerCallID]) {
            let callID = CallID(existing["id"] as String)
            let contactID = ContactID(existing["contact_id"] as String)
            guard event.stage.rank > existing["stage_rank"] as Int else {
                return IngestOutcome(disposition: .duplicate, callID: callID, contactID: contactID, startedRuns: [])
            }
            try db.run("""
                UPDATE calls SET stage = ?, stage_rank = ?, direction = ?, outcome = ?, occurred_at = ?, event = ? WHERE id = ?
                """, [event.stage.rawValue, event.stage.rank, event.direction.rawValue, event.outcome.rawValue,
                      Coding.ms(event.occurredAt), eventJSON, callID.rawValue])
            let runs = event.stage == .ended
                ? try startRuns(db, request, callID: callID, contactID: contactID, writer: writer) : []
            return IngestOutcome(disposition: .advanced, callID: callID, contactID: contactID, startedRuns: runs)
        }
        let hint = event.contact
        guard let contactRow = try db.one("""
            INSERT INTO contacts (id, phone, name, attributes, created_at, updated_at, business_id) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)
            ON CONFLICT (business_id, phone) DO UPDATE SET
                name = COALESCE(excluded.name, contacts.name),
                attributes = CASE WHEN excluded.attributes = '{}' THEN contacts.attributes
                                  ELSE json_patch(contacts.attributes, excluded.attributes) END,
                updated_at = excluded.updated_at
            RETURNING id
            """, [request.newContactID.rawValue, event.contactPhone.e164, hint.name,
                  hint.attributes.isEmpty ? "{}" : Coding.attributesJSON(hint.attributes), now, request.business.rawValue])
        else { throw StoreError.corrupt("contact upsert returned no row") }
        let contactID = ContactID(contactRow["id"] as String)
        try db.run("""
            INSERT INTO calls (id, provider, provider_call_id, contact_id, stage, stage_rank, direction, outcome,
                               occurred_at, received_at, event, business_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \(SQLiteRows.ownerOf(4)))
            """, [request.newCallID.rawValue, event.provider, event.providerCallID, contactID.rawValue,
                  event.stage.rawValue, event.stage.rank, event.direction.rawValue, event.outcome.rawValue,
                  Coding.ms(event.occurredAt), now, eventJSON])
        if let c = request.impliedConsent {
            try db.run("""
                INSERT INTO consents (id, phone, kind, scope, source, recorded_at, business_id)
                SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
                WHERE NOT EXISTS (SELECT 1 FROM consents WHERE business_id = ?7 AND phone = ?2 AND kind = ?3 AND scope = ?4
                                                           AND revoked_at IS NULL)
                """, [c.id, c.phone.e164, c.kind.rawValue, c.scope, c.source, Coding.ms(c.recordedAt), request.business.rawValue])
        }
        let runs = event.stage == .ended
            ? try startRuns(db, request, callID: request.newCallID, contactID: contactID, writer: writer) : []
        return IngestOutcome(disposition: .created, callID: request.newCallID, contactID: contactID, startedRuns: runs)
    }

    private static func startRuns(_ db: Database, _ request: IngestRequest, callID: CallID, contactID: ContactID,
                                  writer: SQLiteWriter) throws -> [RunID] {
        let now = Coding.ms(request.receivedAt)
        var started: [RunID] = []
        for run in request.runs {
            try db.run("""
                INSERT INTO runs (id, automation_id, call_id, contact_id, status, pc, fingerprint, created_at, updated_at, business_id)
                VALUES (?1, ?2, ?3, ?4, 'active', 0, ?5, ?6, ?6, \(SQLiteRows.ownerOf(4))) ON CONFLICT (automation_id, call_id) DO NOTHING
                """, [run.runID.rawValue, run.automationID.rawValue, callID.rawValue, contactID.rawValue, run.fingerprint, now])
            guard db.changesCount == 1 else { continue }
            try SQLiteRows.insertJob(db, JobRecord(id: run.jobID, kind: .advance, runID: run.runID, dueAt: run.firstJobDueAt,
                                                   createdAt: request.receivedAt))
            started.append(run.runID)
        }
        if !started.isEmpty { writer.noteJobsAvailable() }
        for note in request.notes {
            try SQLiteRows.insertDecision(db, DecisionRecord(id: note.id, contactID: contactID, callID: callID, action: note.action,
                                                             reasons: note.reasons, sentence: note.sentence, decidedAt: request.receivedAt))
        }
        return started
    }
}
