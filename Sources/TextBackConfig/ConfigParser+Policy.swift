// policy: — frequency cap, quiet hours, business hours, staleness, consent mode, HELP and opt-out
// texts, state rules and the landline check. Every key is optional; absent ones take the defaults of DESIGN §6.

import Foundation
import TextBackCore
import Yams

extension ConfigParser {
    static let policyKeys = [
        "frequency_cap", "quiet_hours", "business_hours", "stale_after", "consent_mode", "help_text",
        "opt_out_confirmation", "state_rules", "landline_check",
    ]

    func parsePolicy(_ entry: Entry?, business: BusinessProfile?, firstNumber: PhoneNumber?) -> PolicySettings? {
        let businessZone = business?.timeZone
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
            policy.businessHours = businessHours(hours, timeZone: businessZone)
        }
        if let stale = fields["stale_after"], let span = duration(stale.value, at: "policy.stale_after") {
            policy.staleAfter = span
        }
        if let consent = fields["consent_mode"],
            let mode = choice(consent.value, at: "policy.consent_mode", noun: "consent mode", as: ConsentMode.self)
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
        if let check = fields["landline_check"], let value = bool(check.value, at: "policy.landline_check") {
            policy.landlineCheck = value
        }
        return policy
    }

    /// 08:00–21:00, the federal calling window (47 CFR 64.1200(c)(1)), as minutes of the day.
    static let federalMinutes = 8 * 60..<21 * 60

    private func timeOfDay(_ node: Node, at path: String) -> ClockTime? {
        guard let raw = scalar(node, at: path) else { return nil }
        guard let time = ClockTime(parsing: raw), time.minuteOfDay < 24 * 60 else {
            error("invalid time '\(raw)' for \(path); write HH:MM on a 24-hour clock, e.g. \"21:00\"", at: node)
            return nil
        }
        return time
    }

    private func quietHours(_ entry: Entry) -> QuietHours? {
        guard let fields = fields(entry.value, at: "policy.quiet_hours", allowed: ["start", "end"]) else { return nil }
        let defaults = PolicySettings.defaultQuietHours
        let start = fields["start"].map { timeOfDay($0.value, at: "policy.quiet_hours.start") } ?? defaults.start
        let end = fields["end"].map { timeOfDay($0.value, at: "policy.quiet_hours.end") } ?? defaults.end
        guard let start, let end else { return nil }
        guard start != end else {
            error("policy.quiet_hours start and end are the same time; give a window such as {start: \"21:00\", end: \"08:00\"}", at: entry.value)
            return nil
        }
        let quiet = QuietHours(start: start, end: end)
        // The span is when NOT to text; one typed the other way round would silence every text.
        if Self.federalMinutes.allSatisfy({ quiet.span.contains(minuteOfDay: $0) }) {
            error("policy.quiet_hours \(start)–\(end) covers the whole federal window 08:00–21:00, so no text could ever go out; quiet hours are when NOT to text, e.g. {start: \"21:00\", end: \"08:00\"}", at: entry.value)
            return nil
        }
        return quiet
    }

    /// Monday first, as people list a week.
    private static let week: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]

    private static let dayAliases: [String: [Weekday]] = {
        var aliases: [String: [Weekday]] = [
            "weekdays": [.monday, .tuesday, .wednesday, .thursday, .friday],
            "weekends": [.saturday, .sunday],
        ]
        for day in week {
            aliases[day.name.lowercased()] = [day]
            aliases[String(day.name.lowercased().prefix(3))] = [day]
        }
        return aliases
    }()

    /// Each day maps to its open spans; a day not named, or named `closed`, has none.
    func businessHours(_ entry: Entry, timeZone: String?, path: String = "policy.business_hours") -> BusinessHours? {
        let allowed = Self.week.map { String($0.name.lowercased().prefix(3)) } + ["weekdays", "weekends"]
        guard let entries = entries(entry.value, at: path) else { return nil }
        var groups: [Weekday: [DailyWindow]] = [:]
        var single: [Weekday: [DailyWindow]] = [:]
        var unreadable = false
        for dayEntry in entries {
            let key = dayEntry.key.lowercased()
            guard let days = Self.dayAliases[key] else {
                let candidates = allowed + Self.dayAliases.keys.sorted()
                error(unknownKeyMessage(dayEntry.key, in: path, allowed: allowed, candidates: candidates), at: dayEntry.keyNode)
                unreadable = true
                continue
            }
            guard let hours = dailyHours(dayEntry.value, at: "\(path).\(dayEntry.key)") else {
                unreadable = true
                continue
            }
            // A named day beats a group whatever the order, so "weekdays" plus "fri" reads naturally.
            for day in days {
                if days.count > 1 { groups[day] = hours } else { single[day] = hours }
            }
        }
        let hours = BusinessHours(days: groups.merging(single) { _, specific in specific }, timeZone: timeZone)
        let windows = hours.days.values.flatMap { $0 }
        // Judge the week only when every day was readable; a mistake has been reported already.
        if !unreadable, windows.isEmpty {
            error("\(path) leaves every day closed, so no text could ever go out; give opening hours such as {weekdays: \"09:00-17:00\"}, or remove business_hours", at: entry.value)
            return nil
        }
        if !windows.contains(where: { window in Self.federalMinutes.contains { window.contains(minuteOfDay: $0) } }) {
            warning("\(path) never overlap 08:00–21:00 in the business's time zone; only recipients in other zones could be texted", at: entry.value)
        }
        return hours
    }

    private func dailyHours(_ node: Node, at path: String) -> [DailyWindow]? {
        guard let raw = scalar(node, at: path) else { return nil }
        if raw.lowercased() == "closed" { return [] }
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = ClockTime(parsing: String(parts[0])),
            let until = ClockTime(parsing: String(parts[1]))
        else {
            error("invalid hours '\(raw)' for \(path); write HH:MM-HH:MM, e.g. \"09:00-17:00\", or closed", at: node)
            return nil
        }
        guard from < until else {
            error("\(path) opens at \(from) but closes at \(until); the opening time must come first", at: node)
            return nil
        }
        return [DailyWindow(start: from, end: until)]
    }
}
