// The ingest unit on PostgreSQL: contact, call, implied consent, runs with their first jobs and notes,
// in one transaction. The call row (unique per business, provider and provider call id) is locked before
// its stage is compared, so two later stages of the same call apply in turn; two first sightings of a
// call race on its unique key, and the loser runs again and finds the winner's row (a duplicate).

import Foundation
import PostgresNIO
import TextBackCore
import TextBackStorage

extension PostgresStore {
    public func ingestCall(_ request: IngestRequest) async throws -> IngestOutcome {
        let eventJSON = Coding.eventJSON(request.event)
        return try await write { unit in try await Self.applyIngest(unit, request, eventJSON: eventJSON) }
    }

    static func applyIngest(_ unit: Unit, _ request: IngestRequest, eventJSON: String) async throws -> IngestOutcome {
        let event = request.event
        let now = Coding.ms(request.receivedAt)
        if let existing = try await unit.preparedRow("""
            SELECT id, contact_id, stage_rank FROM calls
            WHERE business_id = \(request.business.rawValue) AND provider = \(event.provider) AND provider_call_id = \(event.providerCallID)
            FOR UPDATE
            """) {
            let callID = CallID(try existing.text("id"))
            let contactID = ContactID(try existing.text("contact_id"))
            guard event.stage.rank > (try existing.int("stage_rank")) else {
                return IngestOutcome(disposition: .duplicate, callID: callID, contactID: contactID, startedRuns: [])
            }
            unit.later("""
                UPDATE calls SET stage = \(event.stage.rawValue), stage_rank = \(event.stage.rank), direction = \(event.direction.rawValue),
                    outcome = \(event.outcome.rawValue), occurred_at = \(Coding.ms(event.occurredAt)), event = \(eventJSON)
                WHERE id = \(callID.rawValue)
                """)
            let runs = event.stage == .ended ? try await startRuns(unit, request, callID: callID, contactID: contactID) : []
            return IngestOutcome(disposition: .advanced, callID: callID, contactID: contactID, startedRuns: runs)
        }
        let hint = event.contact
        let attributes = hint.attributes.isEmpty ? "{}" : Coding.attributesJSON(hint.attributes)
        guard let contactRow = try await unit.preparedRow("""
            INSERT INTO contacts (id, phone, name, attributes, created_at, updated_at, business_id)
            VALUES (\(request.newContactID.rawValue), \(event.contactPhone.e164), \(hint.name), \(attributes), \(now), \(now),
                    \(request.business.rawValue))
            ON CONFLICT (business_id, phone) DO UPDATE SET
                name = COALESCE(excluded.name, contacts.name),
                attributes = CASE WHEN excluded.attributes = '{}' THEN contacts.attributes
                                  ELSE (contacts.attributes::jsonb || excluded.attributes::jsonb)::text END,
                updated_at = excluded.updated_at
            RETURNING id
            """)
        else { throw StoreError.corrupt("contact upsert returned no row") }
        let contactID = ContactID(try contactRow.text("id"))
        // A concurrent first sighting of the same call makes this a unique violation: the unit runs again.
        try await unit.later("""
            INSERT INTO calls (id, provider, provider_call_id, contact_id, stage, stage_rank, direction, outcome, occurred_at, received_at, event,
                               business_id)
            VALUES (\(request.newCallID.rawValue), \(event.provider), \(event.providerCallID), \(contactID.rawValue), \(event.stage.rawValue),
                    \(event.stage.rank), \(event.direction.rawValue), \(event.outcome.rawValue), \(Coding.ms(event.occurredAt)), \(now), \(eventJSON),
                    \(request.business.rawValue))
            """, insertingInto: "calls")
        if let c = request.impliedConsent {
            try await unit.later("""
                INSERT INTO consents (id, phone, kind, scope, source, recorded_at, business_id)
                SELECT \(c.id), \(c.phone.e164), \(c.kind.rawValue), \(c.scope), \(c.source), \(Coding.ms(c.recordedAt)), \(request.business.rawValue)
                WHERE NOT EXISTS (SELECT 1 FROM consents WHERE business_id = \(request.business.rawValue) AND phone = \(c.phone.e164)
                                  AND kind = \(c.kind.rawValue) AND scope = \(c.scope) AND revoked_at IS NULL)
                """, insertingInto: "consents")
        }
        let runs = event.stage == .ended ? try await startRuns(unit, request, callID: request.newCallID, contactID: contactID) : []
        return IngestOutcome(disposition: .created, callID: request.newCallID, contactID: contactID, startedRuns: runs)
    }

    private static func startRuns(_ unit: Unit, _ request: IngestRequest, callID: CallID, contactID: ContactID) async throws -> [RunID] {
        var started: [RunID] = []
        for run in request.runs {
            guard try await unit.insertRun(run, callID: callID.rawValue, contactID: contactID, at: request.receivedAt) else { continue }
            started.append(run.runID)
        }
        for note in request.notes {
            try await unit.insertDecision(DecisionRecord(id: note.id, contactID: contactID, callID: callID, action: note.action,
                                                         reasons: note.reasons, sentence: note.sentence, decidedAt: request.receivedAt))
        }
        return started
    }
}

extension Unit {
    /// Starts `run` for the call with its first job unless the automation already has a run for it;
    /// true when started.
    func insertRun(_ run: PlannedRun, callID: String, contactID: ContactID, at: Date) async throws -> Bool {
        let now = Coding.ms(at)
        let inserted = try await preparedRows("""
            INSERT INTO runs (id, automation_id, call_id, contact_id, status, pc, fingerprint, created_at, updated_at, business_id)
            VALUES (\(run.runID.rawValue), \(run.automationID.rawValue), \(callID), \(contactID.rawValue), 'active', 0, \(run.fingerprint),
                    \(now), \(now), (SELECT business_id FROM contacts WHERE id = \(contactID.rawValue)))
            ON CONFLICT (automation_id, call_id) DO NOTHING RETURNING 1
            """).count
        guard inserted == 1 else { return false }
        try await insertJob(JobRecord(id: run.jobID, kind: .advance, runID: run.runID, dueAt: run.firstJobDueAt, createdAt: at),
                            contactID: contactID)
        return true
    }
}
