// Advancing one automation run: interpret its program from the stored position until it waits
// (delay, deferral) or ends, and commit what happened as one `advanceStep` unit.
//
// Steps that do not wait run in the same unit: a send writes its text and the run moves on to the
// next waiting point (an update_contact after the send is part of the same commit), so a missed call
// costs two job hops — one to reach the delay, one to send — and the text's delivery starts at once,
// on this worker, from a `deliver` job written already claimed. When nothing stands between writing the
// text and sending it (see `Engine.Handling`), it is written already `sending` and handed to the carrier
// right after the commit: the write's guard is the same legal check `claimForSending` makes.

import Foundation
import TextBackConfig
import TextBackCore
import TextBackProviders
import TextBackStorage

extension Engine {
    func advance(job: JobRecord, claim: JobClaim, state: RunState) async throws {
        let now = clock.now()
        var state = state
        let run = state.run
        guard run.status == .active else {
            _ = try await store.cancelJob(claim, decisions: [], now: now)
            return
        }
        let end = { (status: RunStatus, action: DecisionAction, reasons: [String], sentence: String) in
            try await self.endRun(claim, state: state, status: status, action: action, reasons: reasons, sentence: sentence, now: now)
        }
        guard let automation = automationsByID[run.automationID] else {
            try await end(.cancelled, .cancel, ["automation_removed"],
                          "The automation \(run.automationID) is no longer in the configuration, so this run stops.")
            return
        }
        guard automation.fingerprint == run.fingerprint else {
            try await end(.cancelled, .cancel, ["automation_changed"],
                          "The automation \(run.automationID) changed while this run was waiting; it is not continued from a position that may no longer mean the same step.")
            return
        }
        if automation.status == .draft {
            try await end(.cancelled, .cancel, ["automation_draft"], "The automation \(automation.id) is now a draft; drafts never execute.")
            return
        }

        var step = AdvanceStep(claim: claim, runID: run.id, contactID: run.contactID, pc: run.pc, next: .done, now: now)
        // Bounded: programs only jump forward, so this is a guard against a corrupt position, not a limit.
        for _ in 0..<(automation.program.instructionCount + 2) {
            let context = ExpressionContext(call: state.call.event, contact: state.contact, now: now)
            let action: ProgramAction
            do {
                action = try automation.program.next(from: step.pc, context: context)
            } catch {
                finish(&step, .failed, .skip, ["condition_error"],
                       "A condition of automation \(automation.id) could not be evaluated: \(error). The run stops.", state: state)
                return try await commit(step, state: state)
            }
            switch action {
            case .updateContact(let fields, let resumeAt):
                let variables = templateVariables(contact: state.contact, call: state.call.event, now: now)
                for (key, template) in fields {
                    guard case .success(let value) = template.render({ variables.value(for: $0) }) else { continue }
                    step.contactAttributes[key] = value
                    state.contact.attributes[key] = value
                }
                step.pc = resumeAt

            case .delay(let span, let resumeAt):
                // Delays count from when this step was due, not from when a late worker got to it.
                var due = job.dueAt.addingTimeInterval(span.timeInterval)
                var decision = DecisionRecord(
                    id: DecisionID(ids.next("dec")), contactID: run.contactID, runID: run.id, callID: run.callID,
                    action: .schedule, reasons: ["delay"],
                    sentence: "Waiting \(span) as automation \(automation.id) says; the next step is due at \(Self.iso(due)).",
                    until: due, decidedAt: now)
                // The policy looks at a text when it is scheduled, too: a number that may never be texted ends
                // the run now, and a due time inside quiet hours moves to the first allowed instant. It is
                // asked again when the text falls due, since consent, replies and calls can change meanwhile.
                if step.text == nil, let preview = try await previewSend(after: resumeAt, automation: automation, state: state, at: due) {
                    switch preview.verdict {
                    case .defer(let until):
                        due = until
                        decision.action = .defer
                        decision.reasons = preview.reasons
                        decision.sentence = "Waiting \(span) as automation \(automation.id) says, then: " + preview.sentence
                        decision.until = until
                    case .suppress where !preview.isCancellation:
                        finish(&step, .stopped, .suppress, preview.reasons, preview.sentence, state: state)
                        return try await commit(step, state: state)
                    default:
                        break
                    }
                }
                step.pc = resumeAt
                step.next = .wait(until: due)
                step.decisions.append(decision)
                return try await commit(step, state: state)

            case .sendSMS(let templateName, let resumeAt):
                if step.text != nil {
                    // Two sends with nothing between them: the second is its own step, due now.
                    step.next = .wait(until: now)
                    return try await commit(step, state: state)
                }
                switch try await prepareText(templateName: templateName, automation: automation, state: state, pc: step.pc, now: now) {
                case .queue(let text, let decision):
                    step.text = text
                    step.decisions.append(decision)
                    step.pc = resumeAt
                case .wait(let until, let decision):
                    step.next = .wait(until: until)
                    step.decisions.append(decision)
                    return try await commit(step, state: state)
                case .end(let status, let decision):
                    step.runEnd = (status, decision.reasons.first ?? status.rawValue)
                    step.decisions.append(decision)
                    return try await commit(step, state: state)
                }

            case .stop:
                finish(&step, .stopped, .stop, ["automation_stop"], Self.stopSentence(automation: automation, call: state.call.event), state: state)
                return try await commit(step, state: state)

            case .finished:
                step.runEnd = (.finished, "finished")
                return try await commit(step, state: state)
            }
        }
        finish(&step, .failed, .skip, ["program_loop"], "Automation \(automation.id) did not reach a step that waits or sends; the run stops.", state: state)
        try await commit(step, state: state)
    }

    /// Marks the step as ending the run with a decision.
    private func finish(_ step: inout AdvanceStep, _ status: RunStatus, _ action: DecisionAction, _ reasons: [String], _ sentence: String,
                        state: RunState) {
        step.runEnd = (status, reasons.first ?? status.rawValue)
        step.next = .done
        step.decisions.append(DecisionRecord(id: DecisionID(ids.next("dec")), contactID: state.run.contactID, runID: state.run.id,
                                             callID: state.run.callID, action: action, reasons: reasons, sentence: sentence,
                                             decidedAt: step.now))
    }

    /// Commits a step; when it wrote a text, hands that text to its carrier right away.
    private func commit(_ step: AdvanceStep, state: RunState) async throws {
        var step = step
        if step.runEnd != nil { step.next = .done }
        if !step.contactAttributes.isEmpty {
            step.crm = crmEntries(.contactUpdate, contactID: step.contactID, properties: step.contactAttributes, now: step.now)
        }
        var carrier: (any Carrier)?
        if var text = step.text {
            switch try await handling(ofNew: text.message, now: step.now) {
            case .handOver(let chosen):
                text.message.status = .sending
                carrier = chosen
            case .wait(let until, let note):
                text.deliveryJob = JobRecord(id: text.deliveryJob.id, kind: .deliver, messageID: text.message.id, dueAt: until,
                                             status: .pending, attempts: 0, createdAt: step.now, lane: text.deliveryJob.lane)
                if let note { step.decisions.append(note) }
            case .deliver:
                break
            }
            step.text = text
        }
        switch try await store.advanceStep(step) {
        case .committed:
            if let text = step.text, let deliveryClaim = text.deliveryJob.claim {
                if let carrier {
                    try await hand(text.message, to: carrier, claim: deliveryClaim, job: text.deliveryJob)
                } else {
                    try await deliver(job: text.deliveryJob, claim: deliveryClaim)
                }
            }
        case .stale:
            // The run was cancelled (an opt-out) or the job taken over while we decided: nothing to do.
            logger.debug("step superseded", metadata: ["run_id": "\(step.runID)"])
        case .duplicateMessage:
            // Another worker already wrote this very text: this job has nothing left to do.
            _ = try await store.cancelJob(step.claim, decisions: [], now: step.now)
        case .refused(let refusal):
            // An opt-out or a cap arrived between our decision and the write: the run ends with its reason.
            // Nothing decided after that point happened, so none of it is kept.
            var ended = step
            ended.text = nil
            ended.decisions = []
            ended.contactAttributes = [:]
            ended.crm = []
            ended.pc = state.run.pc
            finish(&ended, .stopped, .suppress, refusal.reasons, refusal.sentence, state: state)
            _ = try await store.advanceStep(ended)
        }
    }

    private func endRun(_ claim: JobClaim, state: RunState, status: RunStatus, action: DecisionAction, reasons: [String], sentence: String,
                        now: Date) async throws {
        let decision = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: state.run.contactID, runID: state.run.id,
                                      callID: state.run.callID, action: action, reasons: reasons, sentence: sentence, decidedAt: now)
        _ = try await store.endRun(claim, runID: state.run.id, status: status, reason: reasons.first ?? status.rawValue,
                                   decision: decision, now: now)
    }

    enum PreparedText {
        case queue(QueuedText, DecisionRecord)
        case wait(until: Date, DecisionRecord)
        case end(RunStatus, DecisionRecord)
    }

    /// Decides, renders and builds one automated text; the carrier is called once the message row exists.
    func prepareText(templateName: String, automation: Automation, state: RunState, pc: Int, now: Date) async throws -> PreparedText {
        let run = state.run
        let call = state.call.event
        let text = outgoing(automation: automation, state: state)
        let decision = try await decide(text, contact: state.contact, now: now, prefetched: state.history)
        let record = { (action: DecisionAction, reasons: [String], sentence: String, messageID: MessageID?) in
            DecisionRecord(id: DecisionID(self.ids.next("dec")), contactID: run.contactID, runID: run.id, callID: run.callID,
                           messageID: messageID, action: action, reasons: reasons, sentence: sentence,
                           until: { if case .defer(let until) = decision.verdict { return until } else { return nil } }(),
                           decidedAt: now)
        }
        switch decision.verdict {
        case .defer(let until):
            return .wait(until: until, record(.defer, decision.reasons, decision.sentence, nil))
        case .suppress:
            return .end(decision.isCancellation ? .cancelled : .stopped,
                        record(decision.isCancellation ? .cancel : .suppress, decision.reasons, decision.sentence, nil))
        case .send:
            break
        }
        guard let template = configuration.templates[templateName] else {
            return .end(.failed, record(.skip, ["template_missing"], "The template \(templateName) is not in the configuration; nothing was sent.", nil))
        }
        let variables = templateVariables(contact: state.contact, call: call, now: now)
        let body: String
        switch template.render({ variables.value(for: $0) }) {
        case .success(let rendered): body = rendered
        case .failure(let error):
            return .end(.stopped, record(.skip, ["template_unresolved"],
                                         "The text was not sent: \(error). A text never goes out with a placeholder left in it.", nil))
        }
        let from = call.businessPhone
        let messageID = MessageID(ids.next("msg"))
        let message = MessageRecord(
            id: messageID, idempotencyKey: "run:\(run.id):\(pc)", contactID: run.contactID, runID: run.id,
            direction: .outbound, kind: .automated, messageType: automation.messageType, from: from, to: state.contact.phone,
            body: body, status: .queued, carrier: configuration.carrierName(sendingFrom: from), template: templateName, createdAt: now)
        let queued = QueuedText(message: message, deliveryJob: inlineDelivery(of: messageID, lane: .normal, now: now),
                                sendGuard: sendGuard(for: text, now: now, includingCaps: true))
        return .queue(queued, record(.send, decision.reasons, decision.sentence, messageID))
    }

    /// A `deliver` job written already claimed by this worker, so the text is handed over without
    /// waiting for another claim.
    func inlineDelivery(of messageID: MessageID, lane: JobLane, now: Date) -> JobRecord {
        JobRecord(id: JobID(ids.next("job")), kind: .deliver, messageID: messageID, dueAt: now, status: .running, attempts: 1,
                  createdAt: now, lane: lane, leaseOwner: workerID, leaseUntil: now.addingTimeInterval(lease.timeInterval))
    }

    func outgoing(automation: Automation, state: RunState) -> OutgoingText {
        OutgoingText(kind: .automated, to: state.contact.phone, messageType: automation.messageType,
                     requiredConsent: automation.requiresConsent.consentKind, automationID: automation.id,
                     automationStatus: automation.status.rawValue,
                     // A run started by a booked callback is triggered then, not by the call before it.
                     triggeredAt: automation.trigger.event == Trigger.callbackRequested ? state.run.createdAt : state.call.event.occurredAt)
    }

    /// The policy stages that must hold inside the write: the legal stage always, the caps for a text
    /// being written (a text already queued has reserved its place under the caps).
    func sendGuard(for text: OutgoingText, now: Date, includingCaps: Bool) -> SendGuard {
        let policy = sendPolicy
        let lookback = max(policy.frequencyCap.per.timeInterval, 86_400)
        return SendGuard(countSince: now.addingTimeInterval(-lookback)) { snapshot in
            let history = PolicyHistory(
                suppression: snapshot.suppression, consents: snapshot.consents,
                automatedTextTimes: snapshot.automatedTexts.map(\.createdAt),
                sameTypeTextTimes: snapshot.automatedTexts.filter { $0.messageType == text.messageType }.map(\.createdAt))
            if let legal = Policy.legal(text, history: history, policy: policy) { return legal }
            return includingCaps ? Policy.caps(text, history: history, policy: policy, now: now) : nil
        }
    }

    /// What the policy would say about the text the run sends right after a delay, at the delay's end.
    func previewSend(after pc: Int, automation: Automation, state: RunState, at due: Date) async throws -> PolicyDecision? {
        let context = ExpressionContext(call: state.call.event, contact: state.contact, now: due)
        guard case .sendSMS = try? automation.program.next(from: pc, context: context) else { return nil }
        return try await decide(outgoing(automation: automation, state: state), contact: state.contact, now: due, prefetched: state.history)
    }

    /// Gathers the contact's recent past and asks the policy.
    func decide(_ text: OutgoingText, contact: Contact, now: Date, prefetched: PrefetchedHistory? = nil) async throws -> PolicyDecision {
        let history = try await policyHistory(for: text, contact: contact, now: now, prefetched: prefetched)
        return Policy.decide(text, contact: contact, history: history, policy: sendPolicy, now: now)
    }

    /// How far back the policy looks (the frequency cap's window, at least a day).
    var historyLookback: TimeInterval { max(configuration.policy.frequencyCap.per.timeInterval, 86_400) }

    /// `excluding`: a queued text being decided again counts neither against its own caps nor as history.
    /// `prefetched`: the history read with the run, used when it reaches back far enough (else read now).
    func policyHistory(for text: OutgoingText, contact: Contact, now: Date, excluding: MessageID? = nil,
                       prefetched: PrefetchedHistory? = nil) async throws -> PolicyHistory {
        let since = min(text.triggeredAt, now.addingTimeInterval(-historyLookback))
        var history = if let read = prefetched?.from(since, contactID: contact.id) { read } else {
            try await store.history(contactID: contact.id, phone: contact.phone, since: since)
        }
        if let excluding { history.messages.removeAll { $0.id == excluding } }
        let live: (MessageRecord) -> Bool = { $0.direction == .outbound && $0.status != .cancelled && $0.status != .failed }
        return PolicyHistory(
            suppression: history.suppression,
            consents: history.consents,
            automatedTextTimes: history.messages.filter { live($0) && $0.kind == .automated }.map(\.createdAt),
            sameTypeTextTimes: history.messages.filter { live($0) && $0.kind == .automated && $0.messageType == text.messageType }.map(\.createdAt),
            connectedCallTimes: history.calls.filter { $0.event.outcome == .completed }.map(\.event.occurredAt),
            inboundMessageTimes: history.messages.filter { $0.direction == .inbound }.map(\.createdAt))
    }

    var sendPolicy: SendPolicy { configuration.sendPolicy }

    func templateVariables(contact: Contact, call: CallEvent?, now: Date) -> TemplateVariables {
        TemplateVariables(business: configuration.business, contact: contact, call: call, now: now,
                          timeZone: TimeZone(identifier: configuration.business.timeZone), defaults: configuration.variableDefaults)
    }

    static func stopSentence(automation: Automation, call: CallEvent) -> String {
        switch call.outcome {
        case .completed: "No text: the call was answered and completed, and automation \(automation.id) stops there."
        case .unknown: "No text: the call's outcome was not understood, and an unknown outcome never texts."
        default: "No text: automation \(automation.id) reached a stop step for this \(call.outcome.rawValue.replacingOccurrences(of: "_", with: " ")) call."
        }
    }

    static func iso(_ date: Date) -> String { ISO8601Timestamp.format(date) }
}
