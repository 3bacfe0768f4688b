// How the engine reads the typed configuration: the policy in Core's terms, secrets for webhook
// checks, and the fixed texts (HELP, opt-out and opt-in confirmations).

import Foundation
import TextBackConfig
import TextBackCore

extension TextBackConfiguration {
    /// The configured policy as the pure decision function takes it.
    public var sendPolicy: SendPolicy {
        var businessHours: BusinessHours?
        if let hours = policy.businessHours {
            var days: [Weekday: [DailyWindow]] = [:]
            for weekday in Weekday.allCases {
                guard let configured = PolicySettings.Weekday(calendarWeekday: weekday.rawValue) else { continue }
                switch hours.hours(on: configured) {
                case .closed:
                    days[weekday] = []
                case .open(let from, let until):
                    days[weekday] = DailyWindow(start: from.description, end: until.description).map { [$0] } ?? []
                }
            }
            // Opening hours are the business's own, in its own zone.
            businessHours = BusinessHours(days: days, timeZone: business.timeZone)
        }
        let rules = SendingRules(
            quietHours: QuietHours(start: policy.quietHours.start.description, end: policy.quietHours.end.description),
            businessHours: businessHours, staleAfter: policy.staleAfter)
        return SendPolicy(
            frequencyCap: FrequencyCap(max: policy.frequencyCap.max, per: policy.frequencyCap.per), sendingRules: rules,
            consentMode: policy.consentMode == .granular ? .granular : .universal, businessTimeZone: business.timeZone,
            stateRules: policy.stateRules)
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

    func helpText(contact: Contact, now: Date) -> String {
        render(configuration.policy.helpText, contact: contact, now: now,
               fallback: "\(configuration.business.name): missed-call follow-up texts. Msg frequency varies. Msg&data rates may apply. Reply STOP to opt out.")
    }

    func optOutConfirmation(contact: Contact, now: Date) -> String {
        render(configuration.policy.optOutConfirmation, contact: contact, now: now,
               fallback: "You're unsubscribed from \(configuration.business.name) texts. No more messages will be sent. Reply START to resubscribe.")
    }

    func optInConfirmation(contact: Contact, now: Date) -> String {
        "You're resubscribed to \(configuration.business.name) texts. Msg&data rates may apply. Reply HELP for help, STOP to opt out."
    }
}
