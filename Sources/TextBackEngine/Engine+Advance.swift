// Advancing one automation run: interpret its program from the stored position until it waits
// (delay, deferral), sends, stops or finishes, and commit what happened in one transaction.

import Foundation
import TextBackConfig
import TextBackCore
import TextBackStorage

extension Engine {
    func advance(job: JobRecord, state: RunState) async throws {
        let now = clock.now()
        var state = state
        let run = state.run
        guard run.status == .active else {
            _ = try await store.commit(StepCommit(jobID: job.id, jobOwner: workerID, jobOutcome: .cancelled, now: now))
            return
        }
        guard let automation = configuration.automations.first(where: { $0.id == run.automationID }) else {
            try await end(job: job, state: state, status: .cancelled, action: .cancel, reasons: ["automation_removed"],
                          sentence: "The automation \(run.automationID) is no longer in the configuration, so this run stops.", now: now)
            return
        }
        guard automation.program.fingerprint == run.fingerprint else {
            try await end(job: job, state: state, status: .cancelled, action: .cancel, reasons: ["automation_changed"],
                          sentence: "The automation \(run.automationID) changed while this run was waiting; it is not continued from a position that may no longer mean the same step.", now: now)
            return
        }
        if automation.status == .draft {
            try await end(job: job, state: state, status: .cancelled, action: .cancel, reasons: ["automation_draft"],
                          sentence: "The automation \(automation.id) is now a draft; drafts never execute.", now: now)
            return
        }

        var pc = run.pc
        var attributeChanges: [String: String] = [:]
        // Bounded: a program without a delay between loops would otherwise spin; programs are trees, so
        // the bound is only a guard against a corrupt position.
        for _ in 0..<(automation.program.instructionCount + 2) {
            let context = ExpressionContext(call: state.call.event, contact: state.contact, now: now)
            let action: ProgramAction
            do {
                action = try automation.program.next(from: pc, context: context)
            } catch {
                try await end(job: job, state: state, status: .failed, action: .skip, reasons: ["condition_error"],
                              sentence: "A condition of automation \(automation.id) could not be evaluated: \(error). The run stops.",
                              now: now, attributes: attributeChanges)
                return
            }
            switch action {
            case .updateContact(let fields, let resumeAt):
                let variables = templateVariables(contact: state.contact, call: state.call.event, now: now)
                for (key, template) in fields {
                    guard case .success(let value) = template.render({ variables.value(for: $0) }) else { continue }
                    attributeChanges[key] = value
                    state.contact.attributes[key] = value
                }
                pc = resumeAt
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
                if let preview = try await previewSend(after: resumeAt, automation: automation, state: state, at: due) {
                    switch preview.verdict {
                    case .defer(let until):
                        due = until
                        decision.action = .defer
                        decision.reasons = preview.reasons
                        decision.sentence = "Waiting \(span) as automation \(automation.id) says, then: " + preview.sentence
                        decision.until = until
                    case .suppress where !preview.isCancellation:
                        try await end(job: job, state: state, status: .stopped, action: .suppress, reasons: preview.reasons,
                                      sentence: preview.sentence, now: now, attributes: attributeChanges, pc: pc)
                        return
                    default:
                        break
                    }
                }
                _ = try await store.commit(StepCommit(
                    jobID: job.id, jobOwner: workerID, runUpdate: .init(runID: run.id, status: .active, pc: resumeAt),
                    newJobs: [JobRecord(id: JobID(ids.next("job")), kind: .advance, runID: run.id, dueAt: due, createdAt: now)],
                    decisions: [decision], contactAttributes: Self.changes(run.contactID, attributeChanges), now: now))
                return
            case .sendSMS(let templateName, let resumeAt):
                try await send(job: job, state: state, automation: automation, templateName: templateName, pc: pc,
                               resumeAt: resumeAt, attributes: attributeChanges, now: now)
                return
            case .stop:
                try await end(job: job, state: state, status: .stopped, action: .stop, reasons: ["automation_stop"],
                              sentence: Self.stopSentence(automation: automation, call: state.call.event),
                              now: now, attributes: attributeChanges, pc: pc)
                return
            case .finished:
                _ = try await store.commit(StepCommit(
                    jobID: job.id, jobOwner: workerID, runUpdate: .init(runID: run.id, status: .finished, pc: pc, endReason: "finished"),
                    contactAttributes: Self.changes(run.contactID, attributeChanges), now: now))
                return
            }
        }
        try await end(job: job, state: state, status: .failed, action: .skip, reasons: ["program_loop"],
                      sentence: "Automation \(automation.id) did not reach a step that waits or sends; the run stops.", now: now)
    }

    /// Decides, renders and stores one text; the carrier is called by a separate `deliver` job so that
    /// the message row exists before any carrier sees it.
    func send(job: JobRecord, state: RunState, automation: Automation, templateName: String, pc: Int, resumeAt: Int,
              attributes: [String: String], now: Date) async throws {
        let run = state.run
        let call = state.call.event
        let text = OutgoingText(kind: .automated, to: state.contact.phone, messageType: automation.messageType,
                                requiredConsent: automation.requiresConsent.consentKind, automationID: automation.id,
                                automationStatus: automation.status.rawValue, triggeredAt: call.occurredAt)
        let decision = try await decide(text, contact: state.contact, now: now)
        let record = { (action: DecisionAction, messageID: MessageID?) in
            DecisionRecord(id: DecisionID(self.ids.next("dec")), contactID: run.contactID, runID: run.id, callID: run.callID,
                           messageID: messageID, action: action, reasons: decision.reasons, sentence: decision.sentence,
                           until: { if case .defer(let until) = decision.verdict { return until } else { return nil } }(),
                           decidedAt: now)
        }
        switch decision.verdict {
        case .defer(let until):
            _ = try await store.commit(StepCommit(
                jobID: job.id, jobOwner: workerID, jobOutcome: .reschedule(until), runUpdate: .init(runID: run.id, status: .active, pc: pc),
                decisions: [record(.defer, nil)], contactAttributes: Self.changes(run.contactID, attributes), now: now))
            return
        case .suppress:
            try await end(job: job, state: state, status: decision.isCancellation ? .cancelled : .stopped,
                          action: decision.isCancellation ? .cancel : .suppress, reasons: decision.reasons,
                          sentence: decision.sentence, now: now, attributes: attributes, pc: pc)
            return
        case .send:
            break
        }
        guard let template = configuration.templates[templateName] else {
            try await end(job: job, state: state, status: .failed, action: .skip, reasons: ["template_missing"],
                          sentence: "The template \(templateName) is not in the configuration; nothing was sent.", now: now, attributes: attributes)
            return
        }
        let variables = templateVariables(contact: state.contact, call: call, now: now)
        let body: String
        switch template.render({ variables.value(for: $0) }) {
        case .success(let rendered): body = rendered
        case .failure(let error):
            try await end(job: job, state: state, status: .stopped, action: .skip, reasons: ["template_unresolved"],
                          sentence: "The text was not sent: \(error). A text never goes out with a placeholder left in it.",
                          now: now, attributes: attributes)
            return
        }
        let from = call.businessPhone
        let carrierName = configuration.carrierName(sendingFrom: from)
        let messageID = MessageID(ids.next("msg"))
        let message = MessageRecord(
            id: messageID, idempotencyKey: "run:\(run.id):\(pc)", contactID: run.contactID, runID: run.id,
            direction: .outbound, kind: .automated, messageType: automation.messageType, from: from, to: state.contact.phone, body: body, status: .queued,
            carrier: carrierName, createdAt: now)
        let cap = configuration.policy.frequencyCap
        let result = try await store.commit(StepCommit(
            jobID: job.id, jobOwner: workerID, runUpdate: .init(runID: run.id, status: .active, pc: resumeAt),
            newJobs: [
                JobRecord(id: JobID(ids.next("job")), kind: .deliver, messageID: messageID, dueAt: now, createdAt: now),
                JobRecord(id: JobID(ids.next("job")), kind: .advance, runID: run.id, dueAt: now, createdAt: now),
            ],
            decisions: [record(.send, messageID)], newMessages: [message],
            contactAttributes: Self.changes(run.contactID, attributes),
            capGuards: [.init(contactID: run.contactID, messageType: automation.messageType,
                              since: now.addingTimeInterval(-cap.per.timeInterval), max: cap.max)],
            now: now))
        switch result {
        case .committed:
            logger.debug("text queued", metadata: ["run_id": "\(run.id)", "message_id": "\(messageID)"])
        case .duplicateMessage:
            // Another worker already wrote this very text: this job has nothing left to do.
            _ = try await store.commit(StepCommit(jobID: job.id, jobOwner: workerID, jobOutcome: .done, now: now))
        case .stale:
            // The run was cancelled (an opt-out) or the job taken over while we decided: nothing to do.
            logger.debug("step superseded", metadata: ["run_id": "\(run.id)"])
        case .capReached:
            try await end(job: job, state: state, status: .stopped, action: .suppress, reasons: ["frequency_cap"],
                          sentence: "Another text to this contact went out a moment ago; the cap is \(cap.max) per \(cap.per).",
                          now: now, attributes: attributes, pc: pc)
        }
    }

    /// What the policy would say about the text the run sends right after a delay, at the delay's end.
    func previewSend(after pc: Int, automation: Automation, state: RunState, at due: Date) async throws -> PolicyDecision? {
        let context = ExpressionContext(call: state.call.event, contact: state.contact, now: due)
        guard case .sendSMS = try? automation.program.next(from: pc, context: context) else { return nil }
        let text = OutgoingText(kind: .automated, to: state.contact.phone, messageType: automation.messageType,
                                requiredConsent: automation.requiresConsent.consentKind, automationID: automation.id,
                                automationStatus: automation.status.rawValue, triggeredAt: state.call.event.occurredAt)
        return try await decide(text, contact: state.contact, now: due)
    }

    /// Gathers the contact's recent past and asks the policy.
    func decide(_ text: OutgoingText, contact: Contact, now: Date) async throws -> PolicyDecision {
        let history = try await policyHistory(for: text, contact: contact, now: now)
        return Policy.decide(text, contact: contact, history: history, policy: sendPolicy, now: now)
    }

    func policyHistory(for text: OutgoingText, contact: Contact, now: Date) async throws -> PolicyHistory {
        let lookback = max(configuration.policy.frequencyCap.per.timeInterval, 86_400)
        let since = min(text.triggeredAt, now.addingTimeInterval(-lookback))
        let history = try await store.history(contactID: contact.id, phone: contact.phone, since: since)
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

    /// Ends a run with a recorded decision.
    func end(job: JobRecord, state: RunState, status: RunStatus, action: DecisionAction, reasons: [String], sentence: String,
             now: Date, attributes: [String: String] = [:], pc: Int? = nil) async throws {
        let run = state.run
        let decision = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: run.contactID, runID: run.id, callID: run.callID,
                                      action: action, reasons: reasons, sentence: sentence, decidedAt: now)
        _ = try await store.commit(StepCommit(
            jobID: job.id, jobOwner: workerID, runUpdate: .init(runID: run.id, status: status, pc: pc ?? run.pc, endReason: reasons.first),
            decisions: [decision], contactAttributes: Self.changes(run.contactID, attributes), now: now))
    }

    static func changes(_ contactID: ContactID, _ attributes: [String: String]) -> (ContactID, [String: String])? {
        attributes.isEmpty ? nil : (contactID, attributes)
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
