// A `Store` that counts what its units of work committed into `TextBackMetrics`, then answers exactly
// as the store it wraps. Counting at the storage contract sees every call, decision and message status
// whichever part of the engine wrote it, and counts only what was actually written (a stale or
// duplicate unit counts nothing).

import Foundation
import TextBackCore
import TextBackStorage

public final class MeteredStore: Store {
    public let base: any Store
    let metrics: TextBackMetrics

    public init(_ base: any Store, metrics: TextBackMetrics) { self.base = base; self.metrics = metrics }

    public var jobWakeups: JobWakeups { base.jobWakeups }
    public func migrate() async throws { try await base.migrate() }

    private func count(_ decisions: [DecisionRecord]) {
        for d in decisions { metrics.decision(action: d.action.rawValue, reasons: d.reasons) }
    }

    // MARK: Counted units

    public func ingestCall(_ request: IngestRequest) async throws -> IngestOutcome {
        let outcome = try await base.ingestCall(request)
        if outcome.disposition != .duplicate, request.event.stage == .ended {
            metrics.call(outcome: request.event.outcome.rawValue)
            for note in request.notes { metrics.decision(action: note.action.rawValue, reasons: note.reasons) }
        }
        return outcome
    }

    public func claimJobs(_ request: ClaimRequest) async throws -> [JobRecord] {
        let jobs = try await base.claimJobs(request)
        for job in jobs { metrics.dispatchLateness(seconds: request.now.timeIntervalSince(job.dueAt)) }
        return jobs
    }

    public func advanceStep(_ step: AdvanceStep) async throws -> AdvanceResult {
        let result = try await base.advanceStep(step)
        if result == .committed {
            count(step.decisions)
            if let text = step.text {
                metrics.message(status: MessageStatus.queued.rawValue)
                // A text handed over at once is written `sending`: it reached both, as one claimed later does.
                if text.message.status == .sending { metrics.message(status: MessageStatus.sending.rawValue) }
            }
        }
        return result
    }

    public func claimForSending(_ unit: ClaimForSending) async throws -> ClaimForSendingResult {
        let result = try await base.claimForSending(unit)
        switch result {
        case .claimed: metrics.message(status: MessageStatus.sending.rawValue)
        case .refused(let refusal):
            metrics.message(status: MessageStatus.cancelled.rawValue)
            metrics.decision(action: refusal.isCancellation ? DecisionAction.cancel.rawValue : DecisionAction.suppress.rawValue,
                             reasons: refusal.reasons)
        case .notQueued, .stale: break
        }
        return result
    }

    public func finishDelivery(_ unit: FinishDelivery) async throws -> UnitResult {
        let result = try await base.finishDelivery(unit)
        if result == .committed {
            metrics.message(status: unit.status.rawValue)
            count(unit.decisions)
        }
        return result
    }

    public func cancelJob(_ claim: JobClaim, decisions: [DecisionRecord], now: Date) async throws -> UnitResult {
        let result = try await base.cancelJob(claim, decisions: decisions, now: now)
        if result == .committed { count(decisions) }
        return result
    }

    public func endRun(_ claim: JobClaim, runID: RunID, status: RunStatus, reason: String, decision: DecisionRecord, now: Date) async throws -> UnitResult {
        let result = try await base.endRun(claim, runID: runID, status: status, reason: reason, decision: decision, now: now)
        if result == .committed { count([decision]) }
        return result
    }

    public func queueDirectMessage(_ unit: DirectMessage) async throws -> DirectMessageResult {
        let result = try await base.queueDirectMessage(unit)
        if case .queued = result {
            metrics.message(status: MessageStatus.queued.rawValue)
            count([unit.decision])
        }
        return result
    }

    public func recordDecisions(_ decisions: [DecisionRecord]) async throws {
        try await base.recordDecisions(decisions)
        count(decisions)
    }

    public func receiveInbound(_ unit: InboundUnit) async throws -> InboundOutcome {
        let outcome = try await base.receiveInbound(unit)
        if case .stored(_, _, _, let queued) = outcome {
            metrics.message(status: MessageStatus.received.rawValue)
            if queued != nil { metrics.message(status: MessageStatus.queued.rawValue) }
            // The decisions the unit carries, and the cancellations the store wrote for it: every active run
            // of the contact, cancelled because they opted out or, otherwise, because they replied.
            if case .stored(_, _, let cancelled, _) = outcome, cancelled > 0 {
                let reason = if case .optOut = unit.effect { "opted_out" } else { "replied" }
                for _ in 0..<cancelled { metrics.decision(action: DecisionAction.cancel.rawValue, reasons: [reason]) }
            }
            switch unit.effect {
            case .optOut(let optOut): count(optOut.confirmation.map { [$0.decision] } ?? [])
            case .optIn(let optIn): count(optIn.confirmation.map { [$0.decision] } ?? [])
            case .answer(let answer): count([answer.decision])
            case .none: break
            }
            if let turn = unit.turn {
                count(turn.reply.map { [$0.decision] } ?? [])
                if let decision = turn.decision { metrics.decision(action: decision.action.rawValue, reasons: decision.reasons) }
            }
        }
        return outcome
    }

    public func queuePersonReply(_ unit: PersonReply) async throws -> PersonReplyResult {
        let result = try await base.queuePersonReply(unit)
        if case .queued = result {
            metrics.message(status: MessageStatus.queued.rawValue)
            count([unit.text.decision])
        }
        return result
    }

    public func recordReceipt(_ unit: ReceiptUpdate) async throws -> ReceiptOutcome {
        let outcome = try await base.recordReceipt(unit)
        if case .applied(let message) = outcome {
            metrics.message(status: message.status.rawValue)
            if let decision = unit.decision { metrics.decision(action: decision.action.rawValue, reasons: decision.reasons) }
        }
        return outcome
    }

    public func deferDelivery(_ unit: DeferDelivery) async throws -> UnitResult {
        let result = try await base.deferDelivery(unit)
        if result == .committed { count(unit.decision.map { [$0] } ?? []) }
        return result
    }

    // MARK: Passed through

    public func sentCount(from number: PhoneNumber, since: Date) async throws -> Int { try await base.sentCount(from: number, since: since) }
    public func reserveSendSlot(_ request: SendSlotRequest) async throws -> SendSlot { try await base.reserveSendSlot(request) }
    public func cachedLineType(_ phone: PhoneNumber) async throws -> CachedLineType? { try await base.cachedLineType(phone) }
    public func cacheLineType(_ entry: CachedLineType) async throws { try await base.cacheLineType(entry) }

    public func renewLeases(owner: String, until: Date, now: Date) async throws -> Int { try await base.renewLeases(owner: owner, until: until, now: now) }
    public func releaseJobs(_ ids: [JobID], owner: String, now: Date) async throws -> Int { try await base.releaseJobs(ids, owner: owner, now: now) }
    public func releaseEarlierIncarnations(node: String, current: String, now: Date) async throws -> Int {
        try await base.releaseEarlierIncarnations(node: node, current: current, now: now)
    }
    public func nextAvailableAt() async throws -> Date? { try await base.nextAvailableAt() }
    public func pruneFinishedJobs(before: Date, limit: Int) async throws -> Int { try await base.pruneFinishedJobs(before: before, limit: limit) }
    public func job(_ id: JobID) async throws -> JobRecord? { try await base.job(id) }
    public func pendingJobs(limit: Int) async throws -> [JobRecord] { try await base.pendingJobs(limit: limit) }
    public func countPendingJobs() async throws -> Int { try await base.countPendingJobs() }
    public func runState(_ id: RunID) async throws -> RunState? { try await base.runState(id) }
    public func runStates(_ requests: [RunStateRequest]) async throws -> [RunID: RunState] { try await base.runStates(requests) }
    public func activeRuns(contactID: ContactID) async throws -> [RunRecord] { try await base.activeRuns(contactID: contactID) }
    public func contact(phone: PhoneNumber, business: BusinessID) async throws -> Contact? {
        try await base.contact(phone: phone, business: business)
    }
    public func contact(id: ContactID, scope: BusinessScope) async throws -> Contact? { try await base.contact(id: id, scope: scope) }
    public func history(contactID: ContactID, phone: PhoneNumber, since: Date) async throws -> ContactHistory {
        try await base.history(contactID: contactID, phone: phone, since: since)
    }
    public func timeline(contactID: ContactID, scope: BusinessScope) async throws -> [TimelineEntry] {
        try await base.timeline(contactID: contactID, scope: scope)
    }
    public func message(_ id: MessageID, scope: BusinessScope) async throws -> MessageRecord? { try await base.message(id, scope: scope) }
    public func messages(scope: BusinessScope, limit: Int, after: String?) async throws -> Page<MessageRecord> {
        try await base.messages(scope: scope, limit: limit, after: after)
    }
    public func addConsent(_ consent: ConsentRecord) async throws { try await base.addConsent(consent) }
    public func revokeConsents(phone: PhoneNumber, business: BusinessID, scope: String?, at: Date, source: String) async throws -> Int {
        try await base.revokeConsents(phone: phone, business: business, scope: scope, at: at, source: source)
    }
    public func consents(phone: PhoneNumber, business: BusinessID) async throws -> [ConsentRecord] {
        try await base.consents(phone: phone, business: business)
    }
    public func addSuppression(_ entry: SuppressionRecord) async throws -> Bool { try await base.addSuppression(entry) }
    public func addSuppressions(_ entries: [SuppressionRecord]) async throws -> Int { try await base.addSuppressions(entries) }
    public func removeSuppression(phone: PhoneNumber, channel: String, business: BusinessID?) async throws -> Bool {
        try await base.removeSuppression(phone: phone, channel: channel, business: business)
    }
    public func suppression(phone: PhoneNumber, channel: String, for business: BusinessID?) async throws -> SuppressionRecord? {
        try await base.suppression(phone: phone, channel: channel, for: business)
    }
    public func suppressions(scope: BusinessScope, limit: Int, offset: Int) async throws -> [SuppressionRecord] {
        try await base.suppressions(scope: scope, limit: limit, offset: offset)
    }
    public func figures(from: Date, to: Date, scope: BusinessScope) async throws -> Figures {
        try await base.figures(from: from, to: to, scope: scope)
    }
    public func calls(from: Date, to: Date, limit: Int) async throws -> [CallRecord] { try await base.calls(from: from, to: to, limit: limit) }

    public func conversation(number: PhoneNumber, phone: PhoneNumber) async throws -> ConversationRecord? {
        try await base.conversation(number: number, phone: phone)
    }
    public func conversation(_ id: ConversationID, scope: BusinessScope) async throws -> ConversationDetail? {
        try await base.conversation(id, scope: scope)
    }
    public func conversations(scope: BusinessScope, state: ConversationState?, phone: PhoneNumber?, limit: Int, after: String?) async throws
        -> Page<(ConversationRecord, MessageRecord?)> {
        try await base.conversations(scope: scope, state: state, phone: phone, limit: limit, after: after)
    }
    public func agentReplies(number: PhoneNumber, contactID: ContactID, since: Date) async throws -> Int {
        try await base.agentReplies(number: number, contactID: contactID, since: since)
    }
    public func changeConversationState(_ id: ConversationID, from: ConversationState, to: ConversationState,
                                        decision: DecisionRecord) async throws -> StateChangeResult {
        let result = try await base.changeConversationState(id, from: from, to: to, decision: decision)
        if result == .changed { count([decision]) }
        return result
    }
    public func callbacks(scope: BusinessScope, status: CallbackStatus?, phone: PhoneNumber?, limit: Int) async throws -> [CallbackRecord] {
        try await base.callbacks(scope: scope, status: status, phone: phone, limit: limit)
    }
    public func completeCallbacks(phone: PhoneNumber, business: BusinessID, connectedAt at: Date, now: Date) async throws -> Int {
        try await base.completeCallbacks(phone: phone, business: business, connectedAt: at, now: now)
    }
    public func expireCallbacks(now: Date) async throws -> Int { try await base.expireCallbacks(now: now) }
    public func claimNotifications(now: Date, leaseUntil: Date, limit: Int) async throws -> [NotificationRecord] {
        try await base.claimNotifications(now: now, leaseUntil: leaseUntil, limit: limit)
    }
    public func finishNotification(id: String, status: NotificationRecord.Status, retryAt: Date?, error: String?, now: Date) async throws {
        try await base.finishNotification(id: id, status: status, retryAt: retryAt, error: error, now: now)
    }
    public func notifications(limit: Int) async throws -> [NotificationRecord] { try await base.notifications(limit: limit) }

    public func claimCRMEntries(now: Date, leaseUntil: Date, limit: Int) async throws -> [CRMOutboxRecord] {
        try await base.claimCRMEntries(now: now, leaseUntil: leaseUntil, limit: limit)
    }
    public func finishCRMEntry(_ unit: FinishCRMEntry) async throws -> Bool {
        let finished = try await base.finishCRMEntry(unit)
        if finished { metrics.crmDelivery(provider: unit.provider, result: unit.status == .pending ? "retry" : unit.status.rawValue) }
        return finished
    }
    public func crmEntries(limit: Int) async throws -> [CRMOutboxRecord] { try await base.crmEntries(limit: limit) }
    public func countPendingCRMEntries() async throws -> Int { try await base.countPendingCRMEntries() }
}
