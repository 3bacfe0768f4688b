// policy: — frequency cap, quiet hours, business hours, staleness, consent mode, HELP and opt-out
// texts and state rules. Every key is optional; absent ones take the defaults of DESIGN §6.

import Foundation
import TextBackCore
import Yams

extension ConfigParser {
    static let policyKeys = [
        "frequency_cap", "quiet_hours", "business_hours", "stale_after", "consent_mode", "help_text",
        "opt_out_confirmation", "state_rules",
    ]

    func parsePolicy(_ entry: Entry?, business: BusinessProfile?, firstNumber: PhoneNumber?) -> PolicySettings? {
        let fallbackBusiness = business ?? BusinessProfile(name: "", timeZone: "UTC")
        var policy = PolicySettings.defaults(business: fallbackBusiness, phone: firstNumber)
        guard let entry, !Self.isNull(entry.value) else { return policy }
        guard let fields = fields(entry.value, at: "policy", allowed: Self.policyKeys) else { return nil }

        if let cap = fields["frequency_cap"],
            let capFields = self.fields(cap.value, at: "policy.frequency_cap", allowed: ["max", "per"])
        {
            if let max = capFields["max"], let raw = scalar(max.value, at: "policy.frequency_cap.max") {
                if let value = Int(raw), value >= 1 {
                    policy.frequencyCap.max = value
                } else {
                    error("policy.frequency_cap.max must be a whole number of texts, at least 1", at: max.value)
                }
            }
            if let per = capFields["per"], let span = duration(per.value, at: "policy.frequency_cap.per") {
                policy.frequencyCap.per = span
            }
        }
        if let quiet = fields["quiet_hours"] {
            policy.quietHours = quietHours(quiet) ?? policy.quietHours
        }
        if let hours = fields["business_hours"], !Self.isNull(hours.value) {
            policy.businessHours = businessHours(hours)
        }
        if let stale = fields["stale_after"], let span = duration(stale.value, at: "policy.stale_after") {
            policy.staleAfter = span
        }
        if let consent = fields["consent_mode"],
            let mode = choice(consent.value, at: "policy.consent_mode", noun: "consent mode", as: PolicySettings.ConsentMode.self)
        {
            policy.consentMode = mode
        }
        if let help = fields["help_text"], let template = template(help.value, at: "policy.help_text", label: "policy.help_text") {
            policy.helpText = template
        }
        if let confirmation = fields["opt_out_confirmation"],
            let template = template(confirmation.value, at: "policy.opt_out_confirmation", label: "policy.opt_out_confirmation")
        {
            policy.optOutConfirmation = template
        }
        if let rules = fields["state_rules"], let value = bool(rules.value, at: "policy.state_rules") {
            policy.stateRules = value
        }
        return policy
    }

    private func timeOfDay(_ node: Node, at path: String) -> PolicySettings.TimeOfDay? {
        guard let raw = scalar(node, at: path) else { return nil }
        guard let time = PolicySettings.TimeOfDay(parsing: raw) else {
            error("invalid time '\(raw)' for \(path); write HH:MM on a 24-hour clock, e.g. \"21:00\"", at: node)
            return nil
        }
        return time
    }

    private func quietHours(_ entry: Entry) -> PolicySettings.QuietHours? {
        guard let fields = fields(entry.value, at: "policy.quiet_hours", allowed: ["start", "end"]) else { return nil }
        let defaults = PolicySettings.defaultQuietHours
        let start = fields["start"].map { timeOfDay($0.value, at: "policy.quiet_hours.start") } ?? defaults.start
        let end = fields["end"].map { timeOfDay($0.value, at: "policy.quiet_hours.end") } ?? defaults.end
        guard let start, let end else { return nil }
        guard start != end else {
            error("policy.quiet_hours start and end are the same time; give a window such as {start: \"21:00\", end: \"08:00\"}", at: entry.value)
            return nil
        }
        return PolicySettings.QuietHours(start: start, end: end)
    }

    private static let dayAliases: [String: [PolicySettings.Weekday]] = {
        var aliases: [String: [PolicySettings.Weekday]] = [
            "weekdays": [.mon, .tue, .wed, .thu, .fri],
            "weekends": [.sat, .sun],
        ]
        let long = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        for (day, name) in zip(PolicySettings.Weekday.allCases, long) {
            aliases[day.rawValue] = [day]
            aliases[name] = [day]
        }
        return aliases
    }()

    private func businessHours(_ entry: Entry) -> PolicySettings.BusinessHours? {
        let allowed = PolicySettings.Weekday.allCases.map(\.rawValue) + ["weekdays", "weekends"]
        guard let entries = entries(entry.value, at: "policy.business_hours") else { return nil }
        var groups: [PolicySettings.Weekday: PolicySettings.DailyHours] = [:]
        var single: [PolicySettings.Weekday: PolicySettings.DailyHours] = [:]
        for dayEntry in entries {
            let key = dayEntry.key.lowercased()
            guard let days = Self.dayAliases[key] else {
                let candidates = allowed + Self.dayAliases.keys.sorted()
                error(unknownKeyMessage(dayEntry.key, in: "policy.business_hours", allowed: allowed, candidates: candidates), at: dayEntry.keyNode)
                continue
            }
            guard let hours = dailyHours(dayEntry.value, at: "policy.business_hours.\(dayEntry.key)") else { continue }
            // A named day beats a group whatever the order, so "weekdays" plus "fri" reads naturally.
            for day in days {
                if days.count > 1 { groups[day] = hours } else { single[day] = hours }
            }
        }
        return PolicySettings.BusinessHours(days: groups.merging(single) { _, specific in specific })
    }

    private func dailyHours(_ node: Node, at path: String) -> PolicySettings.DailyHours? {
        guard let raw = scalar(node, at: path) else { return nil }
        if raw.lowercased() == "closed" { return .closed }
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = PolicySettings.TimeOfDay(parsing: String(parts[0])),
            let until = PolicySettings.TimeOfDay(parsing: String(parts[1]))
        else {
            error("invalid hours '\(raw)' for \(path); write HH:MM-HH:MM, e.g. \"09:00-17:00\", or closed", at: node)
            return nil
        }
        guard from < until else {
            error("\(path) opens at \(from) but closes at \(until); the opening time must come first", at: node)
            return nil
        }
        return .open(from: from, until: until)
    }
}
