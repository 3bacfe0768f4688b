// The units of work a held job commits, on SQLite. Each is one savepoint of a group commit: checks
// first (a failed check writes nothing), then the writes. The single SQLite writer serializes units,
// so a check and the write it guards cannot interleave with another unit.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    public func advanceStep(_ step: AdvanceStep) async throws -> AdvanceResult {
        let writer = self.writer
        return try await writer.write { db in
            guard try SQLiteRows.holds(db, step.claim),
                  try db.one("SELECT 1 FROM runs WHERE id = ? AND status = 'active'", [step.runID.rawValue]) != nil
            else { return .stale }
            let now = Coding.ms(step.now)
            if let text = step.text {
                switch try SQLiteRows.queueText(db, text, writer: writer, now: now) {
                case .duplicate(let existing)?: return .duplicateMessage(existing: existing)
                case .refused(let decision)?: return .refused(decision)
                case nil: try Self.ensureConversation(db, for: text.message, now: now)
                }
            }
            switch step.next {
            case .wait(let until):
                try SQLiteRows.rescheduleJob(db, step.claim.jobID, at: until, resetAttempts: true, now: now)
                writer.noteJobsAvailable()
            case .done:
                try SQLiteRows.finishJob(db, step.claim.jobID, status: .done, now: now)
            }
            if let end = step.runEnd {
                try Self.endRunRow(db, step.runID, status: end.status, pc: step.pc, reason: end.reason, except: step.claim.jobID, now: now)
            } else {
                try db.run("UPDATE runs SET pc = ?, updated_at = ? WHERE id = ?", [step.pc, now, step.runID.rawValue])
            }
            for decision in step.decisions { try SQLiteRows.insertDecision(db, decision) }
            if !step.contactAttributes.isEmpty {
                try db.run("UPDATE contacts SET attributes = json_patch(attributes, ?), updated_at = ? WHERE id = ?",
                           [Coding.attributesJSON(step.contactAttributes), now, step.contactID.rawValue])
            }
            try SQLiteRows.insertCRMEntries(db, step.crm, contactID: step.contactID)
            return .committed
        }
    }

    /// Ends a run; a run that ended leaves no job behind that could still act for it.
    static func endRunRow(_ db: Database, _ runID: RunID, status: RunStatus, pc: Int?, reason: String, except: JobID?, now: Int64) throws {
        try db.run("""
            UPDATE runs SET status = ?, pc = COALESCE(?, pc), end_reason = ?, updated_at = ? WHERE id = ?
            """, [status.rawValue, pc, reason, now, runID.rawValue])
        try db.run("""
            UPDATE jobs SET status = 'cancelled', available_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
            WHERE run_id = ? AND available_at IS NOT NULL AND kind = 'advance' AND id IS NOT ?
            """, [now, runID.rawValue, except?.rawValue])
    }

    public func claimForSending(_ unit: ClaimForSending) async throws -> ClaimForSendingResult {
        try await writer.write { db in
            guard try SQLiteRows.holds(db, unit.claim),
                  let row = try db.one("SELECT * FROM messages WHERE id = ?", [unit.messageID.rawValue])
            else { return .stale }
            let message = try SQLiteRows.message(row)
            guard message.status == .queued else { return .notQueued(message) }
            let now = Coding.ms(unit.now)
            if let sendGuard = unit.sendGuard {
                let snapshot = try SQLiteRows.guardSnapshot(db, contactID: message.contactID, phone: message.to,
                                                            since: sendGuard.countSince, excluding: message.id)
                if let refusal = sendGuard.check(snapshot) {
                    try db.run("UPDATE messages SET status = 'cancelled', error = ?, updated_at = ? WHERE id = ?",
                               [refusal.reasons.first, now, message.id.rawValue])
                    try SQLiteRows.insertDecision(db, DecisionRecord(
                        id: unit.refusalDecisionID, contactID: message.contactID, runID: message.runID, messageID: message.id,
                        action: .suppress, reasons: refusal.reasons, sentence: refusal.sentence, decidedAt: unit.now))
                    try SQLiteRows.finishJob(db, unit.claim.jobID, status: .done, now: now)
                    return .refused(refusal)
                }
            }
            try db.run("UPDATE messages SET status = 'sending', updated_at = ? WHERE id = ? AND status = 'queued'",
                       [now, message.id.rawValue])
            var sending = message
            sending.status = .sending
            return .claimed(sending)
        }
    }

    public func finishDelivery(_ unit: FinishDelivery) async throws -> UnitResult {
        let writer = self.writer
        return try await writer.write { db in
            guard try SQLiteRows.holds(db, unit.claim) else { return .stale }
            let now = Coding.ms(unit.now)
            try db.run("""
                UPDATE messages SET status = ?, carrier_message_id = COALESCE(?, carrier_message_id), error = COALESCE(?, error),
                    error_code = COALESCE(?, error_code), sent_at = COALESCE(?, sent_at), updated_at = ?
                WHERE id = ? AND status = ?
                """, [unit.status.rawValue, unit.carrierMessageID, unit.error, unit.errorCode, unit.sentAt.map(Coding.ms), now,
                      unit.messageID.rawValue, unit.expected.rawValue])
            guard db.changesCount == 1 else { return .stale }
            switch unit.next {
            case .done:
                try SQLiteRows.finishJob(db, unit.claim.jobID, status: .done, now: now)
            case .retry(let at):
                try SQLiteRows.rescheduleJob(db, unit.claim.jobID, at: at, resetAttempts: false, now: now)
                writer.noteJobsAvailable()
            }
            for decision in unit.decisions { try SQLiteRows.insertDecision(db, decision) }
            if var suppression = unit.suppression {
                // A carrier's opt-out stops the business that sent the text (the message's), not every business.
                suppression.business = try db.one("SELECT business_id FROM messages WHERE id = ?", [unit.messageID.rawValue])
                    .map { BusinessID($0["business_id"] as String) }
                _ = try SQLiteRows.insertSuppression(db, suppression)
            }
            try SQLiteRows.insertCRMEntries(db, unit.crm)
            return .committed
        }
    }

    public func cancelJob(_ claim: JobClaim, decisions: [DecisionRecord], now: Date) async throws -> UnitResult {
        try await writer.write { db in
            guard try SQLiteRows.holds(db, claim) else { return .stale }
            try SQLiteRows.finishJob(db, claim.jobID, status: .cancelled, now: Coding.ms(now))
            for decision in decisions { try SQLiteRows.insertDecision(db, decision) }
            return .committed
        }
    }

    public func endRun(_ claim: JobClaim, runID: RunID, status: RunStatus, reason: String, decision: DecisionRecord,
                       now: Date) async throws -> UnitResult {
        try await writer.write { db in
            guard try SQLiteRows.holds(db, claim),
                  try db.one("SELECT 1 FROM runs WHERE id = ? AND status = 'active'", [runID.rawValue]) != nil
            else { return .stale }
            let at = Coding.ms(now)
            try SQLiteRows.finishJob(db, claim.jobID, status: .done, now: at)
            try Self.endRunRow(db, runID, status: status, pc: nil, reason: reason, except: claim.jobID, now: at)
            try SQLiteRows.insertDecision(db, decision)
            return .committed
        }
    }

    public func queueDirectMessage(_ unit: DirectMessage) async throws -> DirectMessageResult {
        let writer = self.writer
        return try await writer.write { db in
            switch try SQLiteRows.queueText(db, unit.text, writer: writer, now: Coding.ms(unit.decision.decidedAt)) {
            case .duplicate(let existing)?: return .duplicate(existing: existing)
            case .refused(let decision)?: return .refused(decision)
            case nil:
                try SQLiteRows.insertDecision(db, unit.decision)
                return .queued(unit.text.message.id)
            }
        }
    }

    public func recordDecisions(_ decisions: [DecisionRecord]) async throws {
        guard !decisions.isEmpty else { return }
        try await writer.write { db in
            for decision in decisions { try SQLiteRows.insertDecision(db, decision) }
        }
    }
}
