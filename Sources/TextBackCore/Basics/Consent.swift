// Consent and suppression: whether a person has agreed to texts, and whether we must not text them.

import Foundation

public enum ConsentKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// No consent on record.
    case none
    /// The person called the business themselves (implied consent to a reply about that call).
    case implied
    /// A signed or clicked written agreement (TCPA "prior express written consent").
    case expressWritten = "express_written"

    var strength: Int {
        switch self {
        case .none: 0
        case .implied: 1
        case .expressWritten: 2
        }
    }

    public static func < (lhs: ConsentKind, rhs: ConsentKind) -> Bool { lhs.strength < rhs.strength }
}

/// One grant of consent; revoked when the person takes it back.
public struct ConsentRecord: Sendable, Codable, Hashable {
    public var id: String
    public var phone: PhoneNumber
    public var kind: ConsentKind
    /// "all" or a message type such as "missed_call"; only granular consent mode looks at it.
    public var scope: String
    public var source: String
    public var recordedAt: Date
    public var revokedAt: Date?
    public var revokeSource: String?
    /// Consent is given to one business (CTIA: per program).
    public var business: BusinessID

    public init(id: String, phone: PhoneNumber, kind: ConsentKind, scope: String = "all", source: String,
                recordedAt: Date, revokedAt: Date? = nil, revokeSource: String? = nil, business: BusinessID = .default) {
        self.business = business
        self.id = id; self.phone = phone; self.kind = kind; self.scope = scope; self.source = source
        self.recordedAt = recordedAt; self.revokedAt = revokedAt; self.revokeSource = revokeSource
    }

    public var isActive: Bool { revokedAt == nil }
}

/// A number that must not be texted: an opt-out, a carrier report, a DNC list entry.
public struct SuppressionRecord: Sendable, Codable, Hashable {
    /// The contact's own opt-out (a STOP, or one its carrier reported), as opposed to a list entry.
    public var isContactOptOut: Bool { reason == "opt_out" || reason == "carrier_opt_out" }

    public var phone: PhoneNumber
    public var channel: String
    public var reason: String
    public var source: String
    public var createdAt: Date
    /// The business the entry stops texting from; nil is the global do-not-contact list (every business).
    public var business: BusinessID?

    public init(phone: PhoneNumber, channel: String = "sms", reason: String, source: String, createdAt: Date,
                business: BusinessID? = nil) {
        self.business = business
        self.phone = phone; self.channel = channel; self.reason = reason; self.source = source; self.createdAt = createdAt
    }
}
