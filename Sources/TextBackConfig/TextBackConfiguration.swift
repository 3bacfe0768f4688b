// The typed configuration the rest of TextBack reads: what the YAML file says, validated, with
// defaults filled in and secrets resolved from the environment.

import Foundation
import TextBackCore

public struct TextBackConfiguration: Sendable {
    public var business: BusinessProfile
    public var numbers: [NumberConfig]
    public var carriers: CarrierSettings
    public var integrations: IntegrationSettings
    public var policy: PolicySettings
    public var templates: [String: MessageTemplate]
    /// Declared placeholder names and their defaults (nil: declared, no default, so a missing value
    /// skips the send).
    public var variables: [String: String?]
    public var automations: [Automation]
    /// The conversation agent and staff notifications (`agent:`).
    public var agent: AgentConfiguration
    /// Findings that did not stop the load, each with file:line:column.
    public var warnings: [ConfigDiagnostic]
    /// Tokens this business's own API clients present (`api_tokens:`); they see only this business.
    public var apiTokens: [CarrierSettings.Secret] = []
    /// Where each number and token is written (the install checks that none is claimed twice).
    public var numberMarks: [PhoneNumber: SourceMark] = [:]
    public var tokenMarks: [SourceMark] = []

    public init(
        business: BusinessProfile, numbers: [NumberConfig], carriers: CarrierSettings = CarrierSettings(),
        integrations: IntegrationSettings = IntegrationSettings(),
        policy: PolicySettings, templates: [String: MessageTemplate] = [:], variables: [String: String?] = [:],
        automations: [Automation] = [], agent: AgentConfiguration = AgentConfiguration(), warnings: [ConfigDiagnostic] = []
    ) {
        self.business = business
        self.numbers = numbers
        self.carriers = carriers
        self.integrations = integrations
        self.policy = policy
        self.templates = templates
        self.variables = variables
        self.automations = automations
        self.agent = agent
        self.warnings = warnings
    }

    /// The declared variables that have a default, ready for `TemplateVariables(defaults:)`.
    public var variableDefaults: [String: String] {
        variables.compactMapValues { $0 }
    }

    public func number(_ phone: PhoneNumber) -> NumberConfig? {
        numbers.first { $0.number == phone }
    }

    public func automation(_ id: AutomationID) -> Automation? {
        automations.first { $0.id == id }
    }
}

public enum CarrierKind: String, Sendable, Hashable, Codable, CaseIterable {
    case simulator, twilio, telnyx, bandwidth
}

public enum NumberKind: String, Sendable, Hashable, Codable, CaseIterable {
    case longCode = "long_code"
    case tollFree = "toll_free"
    case shortCode = "short_code"

    /// Typical sustained throughput (DESIGN §2): 10DLC about 1/s, toll-free about 3/s, short codes about 100/s.
    public var defaultMessagesPerSecond: Double {
        switch self {
        case .longCode: 1
        case .tollFree: 3
        case .shortCode: 100
        }
    }
}

/// A number the business texts from, and how.
public struct NumberConfig: Sendable, Hashable {
    public var number: PhoneNumber
    public var carrier: CarrierKind
    public var kind: NumberKind
    /// Sends per second this number may make (`mps`, else the kind's default); excess waits, it is
    /// never dropped.
    public var messagesPerSecond: Double
    /// At most this many texts a day from this number (`daily_cap`, e.g. the brand's T-Mobile tier);
    /// nil for no cap of our own. Excess waits for the next day, it is never dropped.
    public var dailyCap: Int?

    public init(number: PhoneNumber, carrier: CarrierKind, kind: NumberKind = .longCode, messagesPerSecond: Double? = nil,
                dailyCap: Int? = nil) {
        self.number = number
        self.carrier = carrier
        self.kind = kind
        self.messagesPerSecond = messagesPerSecond ?? kind.defaultMessagesPerSecond
        self.dailyCap = dailyCap
    }
}
