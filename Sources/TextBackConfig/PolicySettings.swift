// The business's sending policy: how often a contact may be texted, the quiet hours and business
// hours, how long a held text stays worth sending, the consent model and the HELP / opt-out texts.
// Federal and state rules are applied on top by the policy decision; these settings can only
// narrow them.

import TextBackCore

public struct PolicySettings: Sendable, Hashable {
    /// A wall-clock time in the recipient's zone ("21:00").
    public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
        public let hour: Int
        public let minute: Int

        public init?(hour: Int, minute: Int) {
            guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
            self.hour = hour
            self.minute = minute
        }

        /// "HH:MM" on a 24-hour clock; "8:00" is accepted too.
        public init?(parsing text: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
                parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
                let hour = Int(parts[0]), let minute = Int(parts[1])
            else { return nil }
            self.init(hour: hour, minute: minute)
        }

        public var minutesSinceMidnight: Int { hour * 60 + minute }

        public var description: String {
            (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
        }

        public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutesSinceMidnight < rhs.minutesSinceMidnight }
    }

    public struct FrequencyCap: Sendable, Hashable {
        /// Missed-call texts per contact within `per`.
        public var max: Int
        public var per: TimeSpan

        public init(max: Int = 1, per: TimeSpan = .hours(24)) {
            self.max = max
            self.per = per
        }
    }

    /// No texts from `start` until `end`, in the recipient's local time; wraps past midnight.
    public struct QuietHours: Sendable, Hashable {
        public var start: TimeOfDay
        public var end: TimeOfDay

        public init(start: TimeOfDay, end: TimeOfDay) {
            self.start = start
            self.end = end
        }

        public func contains(_ time: TimeOfDay) -> Bool {
            start <= end ? (start <= time && time < end) : (time >= start || time < end)
        }
    }

    public enum Weekday: String, Sendable, Hashable, CaseIterable {
        case mon, tue, wed, thu, fri, sat, sun

        /// From `Calendar`'s numbering, where 1 is Sunday.
        public init?(calendarWeekday: Int) {
            let order: [Weekday] = [.sun, .mon, .tue, .wed, .thu, .fri, .sat]
            guard (1...7).contains(calendarWeekday) else { return nil }
            self = order[calendarWeekday - 1]
        }
    }

    public enum DailyHours: Sendable, Hashable {
        case closed
        case open(from: TimeOfDay, until: TimeOfDay)
    }

    /// When people are at the business to take a call back. Days the file does not name are closed.
    public struct BusinessHours: Sendable, Hashable {
        public var days: [Weekday: DailyHours]

        public init(days: [Weekday: DailyHours]) {
            self.days = days
        }

        public func hours(on day: Weekday) -> DailyHours { days[day] ?? .closed }
    }

    public enum ConsentMode: String, Sendable, Hashable, CaseIterable {
        /// One opt-out stops every text from the business.
        case universal
        /// Opt-outs apply per message type.
        case granular
    }

    public var frequencyCap: FrequencyCap
    public var quietHours: QuietHours
    public var businessHours: BusinessHours?
    /// A held text older than this is dropped, with its reason.
    public var staleAfter: TimeSpan
    public var consentMode: ConsentMode
    /// The reply to HELP / INFO.
    public var helpText: MessageTemplate
    /// The one confirmation allowed after an opt-out; no marketing.
    public var optOutConfirmation: MessageTemplate
    /// Whether state quiet-hour and frequency rules (FL, OK, TX, ...) apply on top of federal ones.
    public var stateRules: Bool

    public init(
        frequencyCap: FrequencyCap = FrequencyCap(), quietHours: QuietHours = PolicySettings.defaultQuietHours,
        businessHours: BusinessHours? = nil, staleAfter: TimeSpan = .hours(18), consentMode: ConsentMode = .universal,
        helpText: MessageTemplate, optOutConfirmation: MessageTemplate = PolicySettings.defaultOptOutConfirmation,
        stateRules: Bool = true
    ) {
        self.frequencyCap = frequencyCap
        self.quietHours = quietHours
        self.businessHours = businessHours
        self.staleAfter = staleAfter
        self.consentMode = consentMode
        self.helpText = helpText
        self.optOutConfirmation = optOutConfirmation
        self.stateRules = stateRules
    }

    /// Federal calling hours are 08:00–21:00 recipient local time (47 CFR 64.1200(c)(1)).
    public static let defaultQuietHours = QuietHours(
        start: TimeOfDay(checkedHour: 21, minute: 0), end: TimeOfDay(checkedHour: 8, minute: 0))

    public static let defaultOptOutConfirmationText =
        "You're unsubscribed from {Company} texts. No more messages will be sent. Reply START to resubscribe."

    // The literal above parses (a test pins it); the plain-text fallback only keeps this free of `try!`.
    public static let defaultOptOutConfirmation: MessageTemplate =
        (try? MessageTemplate(parsing: defaultOptOutConfirmationText))
        ?? MessageTemplate(text: "You're unsubscribed. No more messages will be sent. Reply START to resubscribe.")

    /// A HELP reply naming the business, a way to reach it, the frequency, the rates notice and how
    /// to stop, as carriers require. `phone` is the number to call; the business's own when nil.
    public static func defaultHelpText(business: BusinessProfile, phone: PhoneNumber?) -> MessageTemplate {
        let reach = (business.phone ?? phone).map { "Call us at \(TemplateVariables.displayPhone($0)) or reply here." } ?? "Reply here for help."
        return MessageTemplate(
            text: business.name
                + ": missed-call follow-up texts. \(reach) Msg frequency varies. Msg&data rates may apply. Reply STOP to opt out.")
    }

    /// Every setting at its default.
    public static func defaults(business: BusinessProfile, phone: PhoneNumber? = nil) -> PolicySettings {
        PolicySettings(helpText: defaultHelpText(business: business, phone: phone))
    }
}

extension PolicySettings.TimeOfDay {
    /// For constants written in this file, which are valid by inspection.
    fileprivate init(checkedHour hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }
}
