// An automation as the configuration describes it: a trigger (call completed, scoped to some or
// all agents and numbers), a status, and a tree of steps. The tree is compiled once into an
// AutomationProgram, which is what runs.

public enum AutomationStatus: String, Sendable, Codable, CaseIterable {
    /// Never executes, even when matching events arrive.
    case draft
    case live
    /// Keeps its configuration; new events start no runs.
    case paused
}

public enum Scope<T: Hashable & Sendable>: Sendable, Hashable {
    case all
    case only(Set<T>)

    public func contains(_ value: T?) -> Bool {
        switch self {
        case .all: true
        case .only(let values): value.map(values.contains) ?? false
        }
    }
}

public struct Trigger: Sendable, Hashable {
    /// The event that starts a run: "call.completed", or "callback.requested" (the conversation agent
    /// booked a callback; the run sees the contact's latest call as `call`).
    public var event: String
    public var agents: Scope<String>
    /// Matched against the business's side of the call (the number that was called or that dialled).
    public var numbers: Scope<PhoneNumber>

    public static let callCompleted = "call.completed"
    public static let callbackRequested = "callback.requested"
    public static let events = [callCompleted, callbackRequested]

    public init(event: String = Trigger.callCompleted, agents: Scope<String> = .all, numbers: Scope<PhoneNumber> = .all) {
        self.event = event
        self.agents = agents
        self.numbers = numbers
    }

    /// Only a call that has ended carries an outcome worth acting on; progress reports never match.
    public func matches(_ call: CallEvent) -> Bool {
        event == Trigger.callCompleted && call.stage == .ended
            && agents.contains(call.agentID) && numbers.contains(call.businessPhone)
    }

    /// A callback booked on `number` after `call` (the contact's latest call, when there is one).
    public func matchesCallback(number: PhoneNumber, call: CallEvent?) -> Bool {
        event == Trigger.callbackRequested && numbers.contains(number) && agents.contains(call?.agentID)
    }
}

/// The consent a send from this automation needs (the policy decides whether the contact has it).
public enum ConsentRequirement: String, Sendable, Codable, CaseIterable {
    case none
    case implied
    case expressWritten = "express_written"
}

public indirect enum Step: Sendable, Hashable {
    case branch(condition: Expression, then: [Step], otherwise: [Step])
    case delay(TimeSpan)
    /// Names a template of the configuration.
    case sendSMS(template: String)
    /// Contact attribute → template of its new value (e.g. last_missed_call_sms_at: "{now}").
    case updateContact([String: MessageTemplate])
    case stop
}

public struct Automation: Sendable, Hashable {
    public var id: AutomationID
    public var status: AutomationStatus
    public var trigger: Trigger
    public var requiresConsent: ConsentRequirement
    /// The kind of message it sends, for frequency caps and reporting ("missed_call").
    public var messageType: String
    public var summary: String?
    /// Changing the steps recompiles the program, so the two never disagree.
    public var steps: [Step] {
        didSet { program = AutomationProgram(steps: steps) }
    }
    public private(set) var program: AutomationProgram
    /// The compiled program's fingerprint (computed once, with the program).
    public var fingerprint: String { program.fingerprint }

    public init(
        id: AutomationID, status: AutomationStatus, trigger: Trigger = Trigger(),
        requiresConsent: ConsentRequirement = .none, messageType: String = "missed_call",
        summary: String? = nil, steps: [Step]
    ) {
        self.id = id
        self.status = status
        self.trigger = trigger
        self.requiresConsent = requiresConsent
        self.messageType = messageType
        self.summary = summary
        self.steps = steps
        self.program = AutomationProgram(steps: steps)
    }
}
