// automations: — trigger, status and the step tree. Conditions are parsed here with their error
// columns mapped into the file; send_sms must name a template that exists; steps after a `stop`
// in the same list are reported as unreachable.

import Foundation
import TextBackCore
import Yams

extension ConfigParser {
    static let automationKeys = ["id", "status", "description", "trigger", "requires_consent", "message_type", "steps"]
    static let stepKinds = "if (with then/else), delay, send_sms, update_contact, stop"

    func parseAutomations(_ entry: Entry?, templates: Set<String>, numbers: [PhoneNumber]) -> [Automation] {
        guard let entry, !Self.isNull(entry.value) else { return [] }
        guard let list = items(entry.value, at: "automations", example: "automations: [{id: missed-call-textback, ...}]") else {
            return []
        }
        var automations: [Automation] = []
        var firstLine: [String: Int] = [:]
        for (index, item) in list.enumerated() {
            let path = "automations[\(index)]"
            guard let fields = fields(item, at: path, allowed: Self.automationKeys) else { continue }

            let id = text(fields["id"], at: "\(path).id", in: item, example: "id: missed-call-textback")
            if let id, let idNode = fields["id"]?.value {
                if let line = firstLine[id] {
                    error("duplicate automation id '\(id)' (first used on line \(line)); ids must be unique", at: idNode)
                } else {
                    firstLine[id] = idNode.mark?.line ?? 0
                }
            }
            let name = id.map { "automation '\($0)'" } ?? path

            var status: AutomationStatus?
            if let statusEntry = fields["status"] {
                status = choice(statusEntry.value, at: "\(name) status", noun: "status", as: AutomationStatus.self)
            } else {
                error("\(name) needs a status: draft, live or paused", at: item)
            }
            let trigger = parseTrigger(fields["trigger"], in: item, name: name, numbers: numbers)
            var consent = ConsentRequirement.none
            if let consentEntry = fields["requires_consent"] {
                consent = choice(consentEntry.value, at: "\(name) requires_consent", noun: "consent requirement", as: ConsentRequirement.self) ?? consent
            }
            var messageType = "missed_call"
            if let typeEntry = fields["message_type"] {
                messageType = text(typeEntry, at: "\(name) message_type", in: item, example: "message_type: missed_call") ?? messageType
            }
            var summary: String?
            if let descriptionEntry = fields["description"], !Self.isNull(descriptionEntry.value) {
                summary = scalar(descriptionEntry.value, at: "\(name) description")
            }
            var steps: [Step]?
            if let stepsEntry = fields["steps"], !Self.isNull(stepsEntry.value) {
                steps = parseSteps(stepsEntry.value, at: "\(name) steps", templates: templates)
                if steps?.isEmpty == true, case .sequence = stepsEntry.value {
                    error("\(name) has no steps; add at least one, e.g. - send_sms: {template: home_services}", at: stepsEntry.value)
                }
            } else {
                error("\(name) needs steps: a list of \(Self.stepKinds)", at: fields["steps"]?.keyNode ?? item)
            }
            if let id, let status, let trigger, let steps {
                automations.append(Automation(
                    id: AutomationID(id), status: status, trigger: trigger, requiresConsent: consent,
                    messageType: messageType, summary: summary, steps: steps))
            }
        }
        return automations
    }

    private func parseTrigger(_ entry: Entry?, in item: Node, name: String, numbers: [PhoneNumber]) -> Trigger? {
        guard let entry else {
            error("\(name) needs a trigger, e.g. trigger: {event: call.completed, agents: all}", at: item)
            return nil
        }
        let path = "\(name) trigger"
        guard let fields = fields(entry.value, at: path, allowed: ["event", "agents", "numbers"]) else { return nil }
        var ok = true
        var triggerEvent = Trigger.callCompleted
        if let event = text(fields["event"], at: "\(path) event", in: entry.keyNode, example: "event: call.completed") {
            if !Trigger.events.contains(event), let eventNode = fields["event"]?.value {
                var message = "unknown trigger event '\(event)'; "
                if let suggestion = SpellingSuggestion.closest(to: event, among: Trigger.events) {
                    message += "did you mean '\(suggestion)'? "
                }
                error(message + "the events are " + Trigger.events.joined(separator: " and "), at: eventNode)
                ok = false
            } else {
                triggerEvent = event
            }
        } else {
            ok = false
        }

        var agents = Scope<String>.all
        if let agentsEntry = fields["agents"] {
            switch scope(agentsEntry.value, at: "\(path) agents", example: "[agent-1, agent-2]", parse: { (node: Node, itemPath: String) -> String? in
                self.scalar(node, at: itemPath).flatMap { $0.isEmpty ? nil : $0 }
            }) {
            case .some(let scope): agents = scope
            case .none: ok = false
            }
        }
        var numberScope = Scope<PhoneNumber>.all
        if let numbersEntry = fields["numbers"] {
            let configured = Set(numbers)
            switch scope(numbersEntry.value, at: "\(path) numbers", example: "[\"+15125550100\"]", parse: { (node: Node, itemPath: String) -> PhoneNumber? in
                guard let number = self.phoneNumber(node, at: itemPath) else { return nil }
                guard configured.contains(number) else {
                    self.error("\(itemPath) lists a number that is not under numbers:; add it there or list a configured number", at: node)
                    return nil
                }
                return number
            }) {
            case .some(let scope): numberScope = scope
            case .none: ok = false
            }
        }
        return ok ? Trigger(event: triggerEvent, agents: agents, numbers: numberScope) : nil
    }

    /// `all`, or a non-empty list of items.
    private func scope<T: Hashable & Sendable>(
        _ node: Node, at path: String, example: String, parse: (Node, String) -> T?
    ) -> Scope<T>? {
        if case .scalar(let scalar) = node {
            guard scalar.string == "all" else {
                error("\(path) must be all or a list, e.g. \(example)", at: node)
                return nil
            }
            return .all
        }
        guard let list = items(node, at: path, example: example) else { return nil }
        guard !list.isEmpty else {
            error("\(path) is an empty list, which matches nothing; write all or list at least one", at: node)
            return nil
        }
        var values = Set<T>()
        var ok = true
        for (index, item) in list.enumerated() {
            if let value = parse(item, "\(path)[\(index)]") { values.insert(value) } else { ok = false }
        }
        return ok ? .only(values) : nil
    }

    // MARK: steps

    /// nil when any step is wrong (each reported); a single step not in a list is accepted as one.
    func parseSteps(_ node: Node, at path: String, templates: Set<String>) -> [Step]? {
        let list: [Node]
        if case .sequence(let sequence) = node { list = Array(sequence) } else { list = [node] }
        var steps: [Step] = []
        var ok = true
        var stoppedAt: Int?
        for (index, item) in list.enumerated() {
            if stoppedAt != nil {
                warning("this step is never reached: the step before it stops the automation", at: item)
                stoppedAt = nil
            }
            guard let step = parseStep(item, at: "\(path)[\(index)]", templates: templates) else {
                ok = false
                continue
            }
            if step == .stop { stoppedAt = index }
            steps.append(step)
        }
        return ok ? steps : nil
    }

    private func parseStep(_ node: Node, at path: String, templates: Set<String>) -> Step? {
        switch node {
        case .scalar(let scalar):
            if scalar.string == "stop" { return .stop }
            var message = "unknown step '\(scalar.string)'; "
            if let suggestion = SpellingSuggestion.closest(to: scalar.string, among: ["stop", "delay", "send_sms", "update_contact", "if"]) {
                message += "did you mean '\(suggestion)'? "
            }
            error(message + "a step is one of: \(Self.stepKinds)", at: node)
            return nil
        case .sequence, .alias:
            error("a step must be one of: \(Self.stepKinds); a list inside the steps list is not a step", at: node)
            return nil
        case .mapping:
            guard let entries = entries(node, at: path) else { return nil }
            if entries.contains(where: { $0.key == "if" }) { return parseBranch(node, at: path, templates: templates) }
            guard let first = entries.first else {
                error("an empty step; a step is one of: \(Self.stepKinds)", at: node)
                return nil
            }
            if entries.count > 1 {
                error("a step does one thing; put '\(entries[1].key)' in its own list item (- \(entries[1].key): ...)", at: entries[1].keyNode)
                return nil
            }
            switch first.key {
            case "delay":
                return duration(first.value, at: "delay").map(Step.delay)
            case "send_sms":
                return parseSendSMS(first, templates: templates)
            case "update_contact":
                return parseUpdateContact(first)
            case "then", "else":
                error("'\(first.key)' needs an 'if' in the same step: - if: <condition>", at: first.keyNode)
                return nil
            default:
                var message = "unknown step '\(first.key)'; "
                if let suggestion = SpellingSuggestion.closest(to: first.key, among: ["delay", "send_sms", "update_contact", "if", "stop"]) {
                    message += "did you mean '\(suggestion)'? "
                }
                error(message + "a step is one of: \(Self.stepKinds)", at: first.keyNode)
                return nil
            }
        }
    }

    private func parseBranch(_ node: Node, at path: String, templates: Set<String>) -> Step? {
        let reportedBefore = diagnostics.count
        guard let fields = fields(node, at: "an if step", allowed: ["if", "then", "else"]), let ifEntry = fields["if"] else { return nil }
        // A misspelt "then" was just reported as an unknown key; saying "then is missing" too is noise.
        let keysWereWrong = diagnostics.count > reportedBefore
        // Foundation also exports a type named Expression (predicates); ours is the condition language.
        var condition: TextBackCore.Expression?
        if case .scalar = ifEntry.value, !Self.isNull(ifEntry.value), let source = scalar(ifEntry.value, at: "if") {
            do {
                condition = try TextBackCore.Expression(parsing: source)
            } catch {
                self.error(error.message, at: ifEntry.value, offset: error.offset)
            }
        } else {
            error("if needs a condition, e.g. if: 'call.outcome == \"completed\"'", at: ifEntry.value)
        }
        guard let thenEntry = fields["then"] else {
            if keysWereWrong { return nil }
            error("an if step needs then: with the steps to run when the condition holds, e.g. then: [stop]", at: ifEntry.keyNode)
            return nil
        }
        let then = parseSteps(thenEntry.value, at: "\(path).then", templates: templates)
        let otherwise = fields["else"].map { parseSteps($0.value, at: "\(path).else", templates: templates) } ?? []
        guard let condition, let then, let otherwise else { return nil }
        return .branch(condition: condition, then: then, otherwise: otherwise)
    }

    private func parseSendSMS(_ entry: Entry, templates: Set<String>) -> Step? {
        guard case .mapping = entry.value else {
            error("send_sms takes the template to send, e.g. send_sms: {template: home_services}", at: entry.value)
            return nil
        }
        guard let fields = fields(entry.value, at: "send_sms", allowed: ["template"]) else { return nil }
        guard let name = text(fields["template"], at: "send_sms.template", in: entry.keyNode, example: "template: home_services"),
            let nameNode = fields["template"]?.value
        else { return nil }
        guard !templates.contains(name) else { return .sendSMS(template: name) }
        do {
            let available = templates.sorted()
            var message = "unknown template '\(name)' in send_sms; "
            if let suggestion = SpellingSuggestion.closest(to: name, among: available) {
                message += "did you mean '\(suggestion)'? "
            }
            message += available.isEmpty ? "no templates are defined; add one under templates:" : "templates: " + available.joined(separator: ", ")
            error(message, at: nameNode)
            return nil
        }
    }

    private func parseUpdateContact(_ entry: Entry) -> Step? {
        guard let entries = entries(entry.value, at: "update_contact") else { return nil }
        guard !entries.isEmpty else {
            error("update_contact needs at least one attribute, e.g. update_contact: {last_missed_call_sms_at: \"{now}\"}", at: entry.value)
            return nil
        }
        var fields: [String: MessageTemplate] = [:]
        var ok = true
        for item in entries {
            if let template = template(item.value, at: "update_contact.\(item.key)", label: "update_contact.\(item.key)") {
                fields[item.key] = template
            } else {
                ok = false
            }
        }
        return ok ? .updateContact(fields) : nil
    }
}
