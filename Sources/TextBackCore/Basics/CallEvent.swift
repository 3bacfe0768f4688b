// The one call-completed event every provider's webhook is normalized into (DESIGN §5).

import Foundation

public enum CallDirection: String, Sendable, Codable, CaseIterable {
    case inbound, outbound
}

/// How a call ended. Anything the engine does not understand is `unknown`, which never texts.
public enum CallOutcome: String, Sendable, Codable, CaseIterable {
    case completed
    case noAnswer = "no_answer"
    case busy, failed, canceled
    case leftVoicemail = "left_voicemail"
    case transferred
    case unknown
}

/// Where in its life a call is. Providers send progress reports before the end; only `ended`
/// carries an outcome that automations act on. Ranks only ever increase for one call.
public enum CallStage: String, Sendable, Codable, Comparable {
    case queued, ringing, inProgress = "in_progress", ended

    public var rank: Int {
        switch self {
        case .queued: 0
        case .ringing: 1
        case .inProgress: 2
        case .ended: 3
        }
    }

    public static func < (lhs: CallStage, rhs: CallStage) -> Bool { lhs.rank < rhs.rank }
}

public struct Voicemail: Sendable, Codable, Hashable {
    public var detected: Bool
    public var left: Bool
    public init(detected: Bool = false, left: Bool = false) {
        self.detected = detected
        self.left = left
    }
}

/// What the provider told us about the person on the other end of the call.
public struct ContactHint: Sendable, Codable, Hashable {
    public var name: String?
    public var attributes: [String: String]
    public var tags: [String]
    public init(name: String? = nil, attributes: [String: String] = [:], tags: [String] = []) {
        self.name = name
        self.attributes = attributes
        self.tags = tags
    }
}

/// A call event after normalization: the same shape whatever provider sent it.
public struct CallEvent: Sendable, Codable, Hashable {
    /// "native", "twilio", "thoughtly", ...; with `providerCallID` the idempotency key.
    public var provider: String
    public var providerCallID: String
    public var stage: CallStage
    public var occurredAt: Date
    public var direction: CallDirection
    public var outcome: CallOutcome
    public var durationSeconds: Int
    public var from: PhoneNumber
    public var to: PhoneNumber
    public var agentID: String?
    public var voicemail: Voicemail
    public var contact: ContactHint
    public var variables: [String: String]
    public var campaign: String?

    public init(
        provider: String, providerCallID: String, stage: CallStage = .ended, occurredAt: Date,
        direction: CallDirection, outcome: CallOutcome, durationSeconds: Int = 0,
        from: PhoneNumber, to: PhoneNumber, agentID: String? = nil, voicemail: Voicemail = Voicemail(),
        contact: ContactHint = ContactHint(), variables: [String: String] = [:], campaign: String? = nil
    ) {
        self.provider = provider
        self.providerCallID = providerCallID
        self.stage = stage
        self.occurredAt = occurredAt
        self.direction = direction
        self.outcome = outcome
        self.durationSeconds = durationSeconds
        self.from = from
        self.to = to
        self.agentID = agentID
        self.voicemail = voicemail
        self.contact = contact
        self.variables = variables
        self.campaign = campaign
    }

    /// The person the business talks to: the caller of an inbound call, the callee of an outbound one.
    public var contactPhone: PhoneNumber { direction == .inbound ? from : to }
    /// The business's own number: texts go out from the number that was called (or that dialled).
    public var businessPhone: PhoneNumber { direction == .inbound ? to : from }
    /// The lead source, from the contact's attributes when the provider gave one.
    public var leadSource: String? { contact.attributes["lead_source"] }
}
