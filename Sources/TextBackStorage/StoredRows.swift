// Stored row → record, once for every engine. Both engines keep the same columns (text identifiers,
// integer milliseconds, JSON text for attributes, reasons and call events), so each engine only says
// how to read one cell of its own row type (`StoredRow`) and the records are built here.

import Foundation
import TextBackCore

/// One result row of any engine, read by column name.
package protocol StoredRow {
    func text(_ column: String) throws -> String
    func optionalText(_ column: String) throws -> String?
    func integer(_ column: String) throws -> Int64
    func optionalInteger(_ column: String) throws -> Int64?
    /// True when the row has this column (older SQLite schemas lack a few).
    func has(_ column: String) -> Bool
}

extension StoredRow {
    package func int(_ column: String) throws -> Int { Int(try integer(column)) }
    package func date(_ column: String) throws -> Date { Coding.date(try integer(column)) }
    package func optionalDate(_ column: String) throws -> Date? { try optionalInteger(column).map(Coding.date) }
    package func phone(_ column: String) throws -> PhoneNumber { PhoneNumber(trustedE164: try text(column)) }
}

package enum StoredRecords {
    package static func contact(_ row: some StoredRow) throws -> Contact {
        Contact(id: ContactID(try row.text("id")), phone: try row.phone("phone"), name: try row.optionalText("name"),
                attributes: try Coding.attributes(row.text("attributes")), createdAt: try row.date("created_at"),
                business: BusinessID(try row.text("business_id")))
    }

    package static func call(_ row: some StoredRow) throws -> CallRecord {
        CallRecord(id: CallID(try row.text("id")), contactID: ContactID(try row.text("contact_id")),
                   event: try Coding.event(row.text("event")), receivedAt: try row.date("received_at"))
    }

    package static func run(_ row: some StoredRow) throws -> RunRecord {
        guard let status = RunStatus(rawValue: try row.text("status")) else { throw StoreError.corrupt("run with unknown status") }
        return RunRecord(id: RunID(try row.text("id")), automationID: AutomationID(try row.text("automation_id")),
                         callID: CallID(try row.text("call_id")), contactID: ContactID(try row.text("contact_id")),
                         status: status, pc: try row.int("pc"), fingerprint: try row.text("fingerprint"),
                         createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
                         endReason: try row.optionalText("end_reason"))
    }

    package static func job(_ row: some StoredRow) throws -> JobRecord {
        let id = try row.text("id")
        guard let kind = JobKind(rawValue: try row.text("kind")), let status = JobStatus(rawValue: try row.text("status")),
              let lane = JobLane(rawValue: try row.int("lane"))
        else { throw StoreError.corrupt("job \(id) has an unknown kind, status or lane") }
        var job = JobRecord(id: JobID(id), kind: kind, runID: try row.optionalText("run_id").map(RunID.init),
                            messageID: try row.optionalText("message_id").map(MessageID.init), dueAt: try row.date("due_at"),
                            status: status, attempts: try row.int("attempts"), createdAt: try row.date("created_at"), lane: lane,
                            leaseOwner: try row.optionalText("lease_owner"), leaseUntil: try row.optionalDate("lease_until"))
        if row.has("business_id") { job.business = BusinessID(try row.text("business_id")) }
        return job
    }

    package static func message(_ row: some StoredRow) throws -> MessageRecord {
        guard let direction = MessageDirection(rawValue: try row.text("direction")), let kind = MessageKind(rawValue: try row.text("kind")),
              let status = MessageStatus(rawValue: try row.text("status"))
        else { throw StoreError.corrupt("message with an unknown direction, kind or status") }
        var message = MessageRecord(id: MessageID(try row.text("id")), idempotencyKey: try row.optionalText("idempotency_key"),
                             contactID: ContactID(try row.text("contact_id")), runID: try row.optionalText("run_id").map(RunID.init),
                             direction: direction, kind: kind, messageType: try row.optionalText("message_type"),
                             from: try row.phone("from_number"), to: try row.phone("to_number"), body: try row.text("body"),
                             status: status, carrier: try row.text("carrier"), carrierMessageID: try row.optionalText("carrier_message_id"),
                             error: try row.optionalText("error"),
                             errorCode: row.has("error_code") ? try row.optionalText("error_code") : nil,
                             template: row.has("template") ? try row.optionalText("template") : nil,
                             createdAt: try row.date("created_at"), sentAt: try row.optionalDate("sent_at"))
        if row.has("business_id") { message.business = BusinessID(try row.text("business_id")) }
        return message
    }

    package static func decision(_ row: some StoredRow) throws -> DecisionRecord {
        guard let action = DecisionAction(rawValue: try row.text("action")) else { throw StoreError.corrupt("decision with an unknown action") }
        return DecisionRecord(id: DecisionID(try row.text("id")), contactID: ContactID(try row.text("contact_id")),
                              runID: try row.optionalText("run_id").map(RunID.init), callID: try row.optionalText("call_id").map(CallID.init),
                              messageID: try row.optionalText("message_id").map(MessageID.init), action: action,
                              reasons: try Coding.reasons(row.text("reasons")), sentence: try row.text("sentence"),
                              until: try row.optionalDate("until_at"), decidedAt: try row.date("decided_at"))
    }

    package static func consent(_ row: some StoredRow) throws -> ConsentRecord {
        guard let kind = ConsentKind(rawValue: try row.text("kind")) else { throw StoreError.corrupt("consent with an unknown kind") }
        return ConsentRecord(id: try row.text("id"), phone: try row.phone("phone"), kind: kind, scope: try row.text("scope"),
                             source: try row.text("source"), recordedAt: try row.date("recorded_at"),
                             revokedAt: try row.optionalDate("revoked_at"), revokeSource: try row.optionalText("revoke_source"),
                             business: BusinessID(try row.text("business_id")))
    }

    package static func suppression(_ row: some StoredRow) throws -> SuppressionRecord {
        // '' is the global do-not-contact list.
        let owner = try row.text("business_id")
        return SuppressionRecord(phone: try row.phone("phone"), channel: try row.text("channel"), reason: try row.text("reason"),
                                 source: try row.text("source"), createdAt: try row.date("created_at"),
                                 business: owner.isEmpty ? nil : BusinessID(owner))
    }

    package static func outboxEntry(_ row: some StoredRow) throws -> SimulatorOutboxEntry {
        SimulatorOutboxEntry(id: try row.text("id"), idempotencyKey: try row.text("idempotency_key"), from: try row.phone("from_number"),
                             to: try row.phone("to_number"), body: try row.text("body"), status: try row.text("status"),
                             sentAt: try row.date("sent_at"))
    }

    package static func conversation(_ row: some StoredRow) throws -> ConversationRecord {
        guard let state = ConversationState(rawValue: try row.text("state")) else { throw StoreError.corrupt("conversation with an unknown state") }
        return ConversationRecord(id: ConversationID(try row.text("id")), number: try row.phone("number"), phone: try row.phone("phone"),
                                  contactID: ContactID(try row.text("contact_id")), state: state, createdAt: try row.date("created_at"),
                                  updatedAt: try row.date("updated_at"))
    }

    package static func callback(_ row: some StoredRow) throws -> CallbackRecord {
        guard let status = CallbackStatus(rawValue: try row.text("status")) else { throw StoreError.corrupt("callback with an unknown status") }
        return CallbackRecord(id: CallbackID(try row.text("id")), conversationID: ConversationID(try row.text("conversation_id")),
                              contactID: ContactID(try row.text("contact_id")), phone: try row.phone("phone"),
                              number: try row.phone("number"), at: try row.date("at"), windowEnd: try row.date("window_end"),
                              status: status, sourceMessageID: try row.optionalText("source_message_id").map(MessageID.init),
                              createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    package static func notification(_ row: some StoredRow) throws -> NotificationRecord {
        guard let channel = NotificationRecord.Channel(rawValue: try row.text("channel")),
              let status = NotificationRecord.Status(rawValue: try row.text("status"))
        else { throw StoreError.corrupt("notification with an unknown channel or status") }
        var notification = NotificationRecord(id: try row.text("id"), event: try row.text("event"), channel: channel,
                                              target: try row.text("target"), payload: try row.text("payload"), status: status,
                                              attempts: try row.int("attempts"),
                                              availableAt: try row.optionalDate("available_at") ?? row.date("updated_at"),
                                              lastError: try row.optionalText("last_error"), createdAt: try row.date("created_at"))
        if row.has("business_id") { notification.business = BusinessID(try row.text("business_id")) }
        return notification
    }

    package static func crmEntry(_ row: some StoredRow) throws -> CRMOutboxRecord {
        guard let kind = CRMOutboxRecord.Kind(rawValue: try row.text("kind")),
              let status = CRMOutboxRecord.Status(rawValue: try row.text("status"))
        else { throw StoreError.corrupt("CRM outbox entry with an unknown kind or status") }
        return CRMOutboxRecord(
            id: try row.text("id"), provider: try row.text("provider"), kind: kind, contactID: ContactID(try row.text("contact_id")),
            messageID: try row.optionalText("message_id").map(MessageID.init), properties: try Coding.attributes(row.text("properties")),
            status: status, attempts: try row.int("attempts"), availableAt: try row.optionalDate("available_at") ?? row.date("updated_at"),
            progress: try Coding.attributes(row.text("progress")), lastError: try row.optionalText("last_error"),
            createdAt: try row.date("created_at"), business: BusinessID(try row.text("business_id")))
    }
}
