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
//   llm:                              # optional: an OpenAI-compatible chat-completions endpoint
//     base_url: "https://api.openai.com/v1"
//     model: gpt-4o-mini
//     api_key: env:OPENAI_API_KEY
//     timeout: 8s

import Foundation
import TextBackCore

public struct AgentConfiguration: Sendable, Hashable {
    public struct Webhook: Sendable, Hashable {
        public var url: URL
        public var secret: CarrierSettings.Secret
        public init(url: URL, secret: CarrierSettings.Secret) { self.url = url; self.secret = secret }
    }

    /// The optional language model (`agent.llm`); off when nil.
    public struct LanguageModel: Sendable, Hashable {
        public var baseURL: URL
        public var model: String
        public var apiKey: CarrierSettings.Secret?
        public var timeout: TimeSpan
        public init(baseURL: URL, model: String, apiKey: CarrierSettings.Secret?, timeout: TimeSpan = TimeSpan(seconds: 8)) {
            self.baseURL = baseURL; self.model = model; self.apiKey = apiKey; self.timeout = timeout
        }
    }

    public var settings: AgentSettings
    public var languageModel: LanguageModel?
    /// Per-number overrides (our number → its settings).
    public var overrides: [PhoneNumber: AgentSettings]
    public var staffNumbers: [PhoneNumber]
    public var webhook: Webhook?

    public init(settings: AgentSettings = AgentSettings(), overrides: [PhoneNumber: AgentSettings] = [:],
                staffNumbers: [PhoneNumber] = [], webhook: Webhook? = nil, languageModel: LanguageModel? = nil) {
        self.languageModel = languageModel
        self.settings = settings; self.overrides = overrides; self.staffNumbers = staffNumbers; self.webhook = webhook
    }

    /// The settings for conversations on `number`.
    public func settings(for number: PhoneNumber) -> AgentSettings { overrides[number] ?? settings }
}
