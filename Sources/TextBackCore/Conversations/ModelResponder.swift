// The optional language-model responder: the request for an OpenAI-compatible chat-completions
// endpoint (the business profile, the rules, the thread, three tools) and the reading of its answer
// into the same `AgentPlan` the deterministic agent returns.
//
// Pure: the engine sends the request and hands back the body. Compliance never depends on the model:
// keywords, opt-outs and wrong numbers are decided before it is asked, and a booked time still goes
// through callback hours (`ConversationAgent.respond`). The model's own words are used only when they
// pass `lintModelText` (length-capped, no link shorteners or restricted content); anything unusable
// returns nil and the deterministic agent answers.

import Foundation

/// What the model said: a tool call, free text, or both.
public struct ModelAnswer: Sendable, Hashable {
    public enum Tool: Sendable, Hashable {
        case bookCallback(at: Date, reply: String?)
        case handOff(reason: String?)
        case markWrongNumber
    }

    public var tool: Tool?
    public var text: String?
    public init(tool: Tool?, text: String?) { self.tool = tool; self.text = text }
}

public enum ModelResponder {
    /// The longest text the model may send (two GSM-7 segments).
    public static let maxReplyCharacters = 306

    /// One line of the thread as the model sees it.
    public struct Turn: Sendable, Hashable {
        public var fromContact: Bool
        public var body: String
        public init(fromContact: Bool, body: String) { self.fromContact = fromContact; self.body = body }
    }

    /// The chat-completions request body.
    public static func requestBody(model: String, businessName: String, hours: String, contactZone: TimeZone, now: Date,
                                   thread: [Turn]) -> String {
        let local = ISO8601DateFormatter()
        local.timeZone = contactZone
        local.formatOptions = [.withInternetDateTime]
        let system = """
            You answer text messages for \(businessName), a business that missed a call from this contact and texted them. \
            Be brief and plain (one or two sentences, no links, no emoji). Never promise prices or anything but a call back. \
            The contact's local time is now \(local.string(from: now)) (\(contactZone.identifier)). Callbacks can be made \(hours). \
            When the contact agrees to a call or names a time, call book_callback with the time as ISO 8601 with its UTC offset \
            (now, if they want a call right away). When they say this is the wrong number or the wrong person, call \
            mark_wrong_number. When they ask something you cannot answer from this, complain, or anything is unclear, call hand_off.
            """
        var messages: [JSONValue] = [.object(["role": .string("system"), "content": .string(system)])]
        for turn in thread {
            messages.append(.object(["role": .string(turn.fromContact ? "user" : "assistant"), "content": .string(turn.body)]))
        }
        func tool(_ name: String, _ description: String, _ properties: [String: JSONValue], required: [String]) -> JSONValue {
            .object(["type": .string("function"), "function": .object([
                "name": .string(name), "description": .string(description),
                "parameters": .object(["type": .string("object"), "properties": .object(properties),
                                       "required": .array(required.map { .string($0) })]),
            ])])
        }
        let tools: [JSONValue] = [
            tool("book_callback", "Book a phone call back to the contact.", [
                "at": .object(["type": .string("string"), "description": .string("ISO 8601 date-time with UTC offset")]),
                "reply": .object(["type": .string("string"), "description": .string("The short text confirming the time")]),
            ], required: ["at"]),
            tool("hand_off", "Hand the conversation to a person at the business.", [
                "reason": .object(["type": .string("string")]),
            ], required: []),
            tool("mark_wrong_number", "The contact says this is the wrong number or the wrong person.", [:], required: []),
        ]
        return JSONValue.object([
            "model": .string(model), "messages": .array(messages), "tools": .array(tools),
            "tool_choice": .string("auto"), "temperature": .number(0), "max_tokens": .number(200),
        ]).serialized
    }

    /// Reads a chat-completions response; nil when it is not one or says nothing usable.
    public static func parse(_ body: String) -> ModelAnswer? {
        guard let value = try? JSONValue.parse(body),
              case .array(let choices)? = value["choices"], let message = choices.first?["message"] else { return nil }
        let text = message["content"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
        var tool: ModelAnswer.Tool?
        if case .array(let calls)? = message["tool_calls"], let function = calls.first?["function"],
           let name = function["name"]?.stringValue {
            let arguments = function["arguments"]?.stringValue.flatMap { try? JSONValue.parse($0) } ?? .object([:])
            switch name {
            case "book_callback":
                guard let raw = arguments["at"]?.stringValue, let at = parseInstant(raw) else { return nil }
                tool = .bookCallback(at: at, reply: arguments["reply"]?.stringValue)
            case "hand_off": tool = .handOff(reason: arguments["reason"]?.stringValue)
            case "mark_wrong_number": tool = .markWrongNumber
            default: return nil
            }
        }
        if tool == nil, text?.isEmpty ?? true { return nil }
        return ModelAnswer(tool: tool, text: text?.isEmpty == true ? nil : text)
    }

    static func parseInstant(_ raw: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: raw) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: raw)
    }

    /// The model's text if it may be sent: trimmed, not empty, at most `maxReplyCharacters`, no lint error.
    public static func lintModelText(_ text: String?, businessName: String) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty,
              text.count <= maxReplyCharacters, !text.contains("{") else { return nil }
        let findings = MessageLint.lint(template: text, businessName: businessName, isFirstMessage: false)
        guard !findings.contains(where: { $0.severity == .error || $0.code == "shaft_content" }) else { return nil }
        return text
    }

    /// The plan for the model's answer, through the same rules as the deterministic agent; nil when
    /// the answer cannot be acted on (the deterministic agent then answers).
    public static func plan(for answer: ModelAnswer, reply: ReplyClassification, repliesToday: Int, settings: AgentSettings,
                            businessName: String, contactZone: TimeZone, businessZone: TimeZone, now: Date) -> AgentPlan? {
        func respond(_ intent: ReplyIntent, time: Date? = nil) -> AgentPlan {
            ConversationAgent.respond(
                to: ReplyClassification(intent: intent, revokesConsent: intent == .wrongNumber, confidence: 1, time: time,
                                        language: reply.language),
                state: .open, repliesToday: repliesToday, settings: settings, businessName: businessName,
                contactZone: contactZone, businessZone: businessZone, now: now)
        }
        var plan: AgentPlan
        switch answer.tool {
        case .bookCallback(let at, let text)?:
            plan = respond(at <= now.addingTimeInterval(60) ? .affirmative : .proposeTime, time: at)
            // The model's words only when the booking is what it asked for (not a moved slot).
            if plan.replyKind == .callbackAt || plan.replyKind == .callbackNow,
               let own = lintModelText(text ?? answer.text, businessName: businessName) {
                plan.reply = own
            }
        case .handOff?:
            plan = respond(.question)
        case .markWrongNumber?:
            plan = respond(.wrongNumber)
        case nil:
            guard let own = lintModelText(answer.text, businessName: businessName) else { return nil }
            if repliesToday >= settings.maxRepliesPerDay {
                plan = respond(.question)
                plan.reasons.append("agent_daily_cap")
            } else {
                plan = AgentPlan(reply: own, replyKind: nil, state: .open, callback: nil, suppressWrongNumber: false, notify: [],
                                 reasons: ["model_reply"], sentence: "The language model answered the reply.")
                return plan
            }
        }
        plan.reasons.insert("model", at: 0)
        plan.sentence = "The language model chose this. " + plan.sentence
        return plan
    }
}
