// agent: — see AgentConfiguration.swift for the format. Every key is optional; the agent is off
// unless `enabled: true`.

import Foundation
import TextBackCore
import Yams

extension ConfigParser {
    static let agentKeys = [
        "enabled", "max_replies_per_day", "callback_window", "callback_hours", "min_confidence", "templates", "templates_es",
        "notify", "numbers", "llm",
    ]

    func parseAgent(_ entry: Entry?, business: BusinessProfile?) -> AgentConfiguration {
        var configuration = AgentConfiguration()
        guard let entry, !Self.isNull(entry.value),
              let fields = fields(entry.value, at: "agent", allowed: Self.agentKeys) else { return configuration }
        configuration.settings = agentSettings(fields, base: AgentSettings(), at: "agent", business: business)
        if let notify = fields["notify"], !Self.isNull(notify.value),
           let values = self.fields(notify.value, at: "agent.notify", allowed: ["sms", "webhook"]) {
            if let sms = values["sms"] {
                if case .sequence(let items) = sms.value {
                    configuration.staffNumbers = items.enumerated().compactMap { phoneNumber($1, at: "agent.notify.sms[\($0)]") }
                } else {
                    error("agent.notify.sms must be a list of staff phone numbers, e.g. [\"+15125550199\"]", at: sms.value)
                }
            }
            if let hook = values["webhook"],
               let hookFields = self.fields(hook.value, at: "agent.notify.webhook", allowed: ["url", "secret"]) {
                let url = requiredURL(hookFields["url"], at: "agent.notify.webhook.url", in: hook,
                                      example: "https://crm.example.com/hooks/textback")
                var secret: CarrierSettings.Secret?
                if let secretEntry = hookFields["secret"] {
                    secret = environmentSecret(secretEntry.value, at: "agent.notify.webhook.secret", suggested: "TEXTBACK_WEBHOOK_SECRET")
                } else {
                    error("agent.notify.webhook.secret is required to sign deliveries, e.g. secret: env:TEXTBACK_WEBHOOK_SECRET", at: hook.keyNode)
                }
                if let url, let secret { configuration.webhook = .init(url: url, secret: secret) }
            }
        }
        if let llm = fields["llm"], !Self.isNull(llm.value),
           let values = self.fields(llm.value, at: "agent.llm", allowed: ["base_url", "model", "api_key", "timeout"]) {
            let baseURL = requiredURL(values["base_url"], at: "agent.llm.base_url", in: llm, example: "https://api.openai.com/v1")
            let model = values["model"].flatMap { scalar($0.value, at: "agent.llm.model") }
            if values["model"] == nil { error("agent.llm.model is required, e.g. model: gpt-4o-mini", at: llm.keyNode) }
            let key = values["api_key"].flatMap { environmentSecret($0.value, at: "agent.llm.api_key", suggested: "OPENAI_API_KEY") }
            var timeout = TimeSpan(seconds: 8)
            if let entry = values["timeout"], let span = duration(entry.value, at: "agent.llm.timeout") {
                if span.seconds >= 1 { timeout = span } else { error("agent.llm.timeout must be at least 1s", at: entry.value) }
            }
            if let baseURL, let model, !model.isEmpty {
                configuration.languageModel = .init(baseURL: baseURL, model: model, apiKey: key, timeout: timeout)
            }
        }
        if let numbers = fields["numbers"], !Self.isNull(numbers.value), let items = entries(numbers.value, at: "agent.numbers") {
            for item in items {
                let path = "agent.numbers.\(item.key)"
                guard let number = phoneNumber(item.keyNode, at: path),
                      let values = self.fields(item.value, at: path, allowed: ["enabled", "max_replies_per_day"]) else { continue }
                configuration.overrides[number] = agentSettings(values, base: configuration.settings, at: path, business: business)
            }
        }
        return configuration
    }

    private func agentSettings(_ fields: [String: Entry], base: AgentSettings, at path: String, business: BusinessProfile?) -> AgentSettings {
        var settings = base
        if let enabled = fields["enabled"], let value = bool(enabled.value, at: "\(path).enabled") { settings.enabled = value }
        if let cap = fields["max_replies_per_day"], let raw = scalar(cap.value, at: "\(path).max_replies_per_day") {
            if let value = Int(raw), value >= 0 { settings.maxRepliesPerDay = value } else {
                error("\(path).max_replies_per_day must be a whole number, 0 or more", at: cap.value)
            }
        }
        if let window = fields["callback_window"], let span = duration(window.value, at: "\(path).callback_window") {
            settings.callbackWindow = span
        }
        if let hours = fields["callback_hours"], !Self.isNull(hours.value),
           let parsed = businessHours(hours, timeZone: business?.timeZone, path: "\(path).callback_hours") {
            settings.callbackHours = parsed
        }
        if let confidence = fields["min_confidence"], let raw = scalar(confidence.value, at: "\(path).min_confidence") {
            if let value = Double(raw), (0...1).contains(value) { settings.minimumConfidence = value } else {
                error("\(path).min_confidence must be a number from 0 to 1", at: confidence.value)
            }
        }
        if let templates = fields["templates"] {
            settings.english = agentTemplates(templates, base: settings.english, at: "\(path).templates")
        }
        if let templates = fields["templates_es"] {
            settings.spanish = agentTemplates(templates, base: settings.spanish ?? .spanish, at: "\(path).templates_es")
        }
        return settings
    }

    private func agentTemplates(_ entry: Entry, base: AgentTemplates, at path: String) -> AgentTemplates {
        var templates = base
        guard let values = fields(entry.value, at: path, allowed: AgentReplyKind.allCases.map(\.rawValue)) else { return templates }
        for (key, value) in values {
            guard let kind = AgentReplyKind(rawValue: key), let text = scalar(value.value, at: "\(path).\(key)") else { continue }
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                error("\(path).\(key) must not be empty", at: value.value)
                continue
            }
            switch kind {
            case .callbackNow: templates.callbackNow = text
            case .callbackAt: templates.callbackAt = text
            case .offerSlot: templates.offerSlot = text
            case .askAgain: templates.askAgain = text
            case .close: templates.close = text
            case .wrongNumber: templates.wrongNumber = text
            }
        }
        return templates
    }
}
