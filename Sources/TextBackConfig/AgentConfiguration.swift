// agent: — the conversation agent (who answers replies, when callbacks can be booked, the texts it
// sends) and where staff hear about hand-offs and callbacks (SMS to staff numbers, a signed webhook).
//
// agent:
//   enabled: true
//   max_replies_per_day: 3            # automatic replies per conversation per 24 h
//   callback_window: 2h               # a callback not made this long after its time is missed
//   callback_hours: {weekdays: "08:00-20:00", sat: "09:00-14:00"}   # business time zone
//   min_confidence: 0.6
//   templates: {callback_at: "Great, {Company} will call you {time}."}   # English overrides
//   templates_es: {...}               # Spanish overrides
//   notify:
//     sms: ["+15125550199"]
//     webhook: {url: "https://crm.example.com/hooks/textback", secret: env:TEXTBACK_WEBHOOK_SECRET}
//   numbers:
//     "+15125550100": {enabled: false}   # per-number overrides of enabled / max_replies_per_day

import Foundation
import TextBackCore

public struct AgentConfiguration: Sendable, Hashable {
    public struct Webhook: Sendable, Hashable {
        public var url: URL
        public var secret: CarrierSettings.Secret
        public init(url: URL, secret: CarrierSettings.Secret) { self.url = url; self.secret = secret }
    }

    public var settings: AgentSettings
    /// Per-number overrides (our number → its settings).
    public var overrides: [PhoneNumber: AgentSettings]
    public var staffNumbers: [PhoneNumber]
    public var webhook: Webhook?

    public init(settings: AgentSettings = AgentSettings(), overrides: [PhoneNumber: AgentSettings] = [:],
                staffNumbers: [PhoneNumber] = [], webhook: Webhook? = nil) {
        self.settings = settings; self.overrides = overrides; self.staffNumbers = staffNumbers; self.webhook = webhook
    }

    /// The settings for conversations on `number`.
    public func settings(for number: PhoneNumber) -> AgentSettings { overrides[number] ?? settings }
}
