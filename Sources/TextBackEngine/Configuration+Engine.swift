// How the engine reads the typed configuration: the policy in Core's terms, secrets for webhook
// checks, and the fixed texts (HELP, opt-out and opt-in confirmations).

import Foundation
import TextBackConfig
import TextBackCore

extension TextBackConfiguration {
    /// The configured policy as the pure decision function takes it.
    public var sendPolicy: SendPolicy {
        SendPolicy(
            frequencyCap: policy.frequencyCap,
            sendingRules: SendingRules(quietHours: policy.quietHours, businessHours: policy.businessHours, staleAfter: policy.staleAfter),
            consentMode: policy.consentMode, businessTimeZone: business.timeZone, stateRules: policy.stateRules)
    }

    /// The carrier that sends from `number`: the number's own, else the first configured one.
    func carrierName(sendingFrom number: PhoneNumber) -> String {
        (self.number(number) ?? numbers.first)?.carrier.rawValue ?? CarrierKind.simulator.rawValue
    }

    public var twilioAuthToken: String? { carriers.twilio?.authToken.reveal() }
    public var thoughtlyWebhookToken: String? { integrations.thoughtly?.webhookToken.reveal() }
}

extension ConsentRequirement {
    var consentKind: ConsentKind {
        switch self {
        case .none: .none
        case .implied: .implied
        case .expressWritten: .expressWritten
        }
    }
}

extension Engine {
    func render(_ template: MessageTemplate, contact: Contact?, now: Date, fallback: String) -> String {
        let variables = TemplateVariables(business: configuration.business, contact: contact, call: nil, now: now,
                                          timeZone: TimeZone(identifier: configuration.business.timeZone),
                                          defaults: configuration.variableDefaults)
        if case .success(let text) = template.render({ variables.value(for: $0) }) { return text }
        return fallback
    }

    func helpText(contact: Contact?, now: Date) -> String {
        render(configuration.policy.helpText, contact: contact, now: now,
               fallback: "\(configuration.business.name): missed-call follow-up texts. Msg frequency varies. Msg&data rates may apply. Reply STOP to opt out.")
    }

    func optOutConfirmation(contact: Contact?, now: Date) -> String {
        render(configuration.policy.optOutConfirmation, contact: contact, now: now,
               fallback: "You're unsubscribed from \(configuration.business.name) texts. No more messages will be sent. Reply START to resubscribe.")
    }

    func optInConfirmation(contact: Contact?, now: Date) -> String {
        "You're resubscribed to \(configuration.business.name) texts. Msg&data rates may apply. Reply HELP for help, STOP to opt out."
    }
}
