// What a business configures about when it texts (quiet hours, business hours, staleness, consent),
// and the verdict `SendingWindow.check` returns: allowed or not, stable reason codes for storage and
// metrics, and one sentence for the timeline. The law's own rules live in StateRules.swift.

/// The configured quiet span, in the recipient's local time: `{start: "21:00", end: "08:00"}` means
/// no texts from 21:00 until 08:00 the next morning. Federal and state rules apply on top.
public struct QuietHours: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: ClockTime
    public var end: ClockTime

    public init(start: ClockTime, end: ClockTime) {
        self.start = start
        self.end = end
    }

    /// Parses "HH:MM" ends; nil if either is not a time of day.
    public init?(start: String, end: String) {
        guard let s = ClockTime(parsing: start), let e = ClockTime(parsing: end) else { return nil }
        self.init(start: s, end: e)
    }

    /// The quiet span as a daily window (it may wrap midnight; equal ends mean no quiet time).
    public var span: DailyWindow { DailyWindow(start: start, end: end) }
    public var description: String { span.description }
}

/// When the business is willing to text: allowed spans per weekday. A weekday with no spans is closed.
/// A span may wrap midnight (Friday 18:00–02:00 runs into Saturday morning).
public struct BusinessHours: Sendable, Hashable {
    public var days: [Weekday: [DailyWindow]]
    /// The zone the hours are stated in; nil means the recipient's local time, like every other rule.
    public var timeZone: String?

    public init(days: [Weekday: [DailyWindow]], timeZone: String? = nil) {
        self.days = days
        self.timeZone = timeZone
    }

    /// Whether local `minuteOfDay` on `weekday` falls in a span, including the previous day's wrap.
    public func allows(_ weekday: Weekday, minuteOfDay m: Int) -> Bool {
        (days[weekday] ?? []).contains { $0.containsSameDay(minuteOfDay: m) }
            || (days[weekday.previous] ?? []).contains { $0.containsSpillover(minuteOfDay: m) }
    }

    var boundaryMinutes: Set<Int> {
        Set(days.values.flatMap { $0 }.flatMap { [$0.start.minuteOfDay % 1440, $0.end.minuteOfDay % 1440] })
    }
}

/// The configured part of the sending policy.
public struct SendingRules: Sendable, Hashable {
    public var quietHours: QuietHours?
    public var businessHours: BusinessHours?
    /// A held text older than this is dropped (`SendingWindow.isStale`).
    public var staleAfter: TimeSpan?
    /// The recipient consented to texts on Sundays and legal holidays; lifts only the bans whose state
    /// allows it "without consent" (Utah). Default false.
    public var holidaysAndSundaysConsented: Bool

    public init(
        quietHours: QuietHours? = nil, businessHours: BusinessHours? = nil, staleAfter: TimeSpan? = nil,
        holidaysAndSundaysConsented: Bool = false
    ) {
        self.quietHours = quietHours
        self.businessHours = businessHours
        self.staleAfter = staleAfter
        self.holidaysAndSundaysConsented = holidaysAndSundaysConsented
    }
}

/// Stable reason codes a window check reports; stored with decisions and counted in metrics.
public enum SendingWindowReason: String, Sendable, CaseIterable, Codable {
    case federalQuietHours = "federal_quiet_hours"
    case stateQuietHours = "state_quiet_hours"
    case stateSunday = "state_sunday"
    case stateHoliday = "state_holiday"
    case configuredQuietHours = "configured_quiet_hours"
    case outsideBusinessHours = "outside_business_hours"
    /// None of the given zone identifiers is a known IANA zone, so local time is unknown.
    case noValidTimeZone = "no_valid_time_zone"
}

/// The verdict for one instant.
public struct WindowCheck: Sendable, Hashable {
    public var allowed: Bool
    /// `SendingWindowReason` raw values, each once, in rule order; empty when allowed.
    public var reasons: [String]
    /// One sentence a person understands, naming local time, zone and the rule; never a phone number.
    public var sentence: String

    public init(allowed: Bool, reasons: [String], sentence: String) {
        self.allowed = allowed
        self.reasons = reasons
        self.sentence = sentence
    }
}
