// Whether a text may go out at an instant, and the first instant it may. Every recipient zone must allow
// it under federal quiet hours, the recipient state's rule (StateRules), and the business's configured
// quiet and business hours. The search for the next allowed instant steps through rule boundaries
// (openings, closings, midnights, DST transitions) in each zone rather than minute by minute.

import Foundation

public enum SendingWindow {
    /// How far ahead `firstAllowedInstant` looks.
    public static let searchHorizon = TimeSpan.days(14)

    /// Is `instant` allowed in every zone of `zones`, under federal, state (`region`, the recipient's
    /// two-letter state) and configured rules? Unknown zone identifiers are ignored; if none is left the
    /// answer is "not allowed" with reason `no_valid_time_zone` (callers pass the business zone as a
    /// fallback, as `recipientZones` does).
    public static func check(at instant: Date, zones: [String], region: String?, rules: SendingRules) -> WindowCheck {
        let evaluator = Evaluator(zones: zones, region: region, rules: rules, around: instant)
        guard evaluator.isUsable else {
            return WindowCheck(
                allowed: false, reasons: [SendingWindowReason.noValidTimeZone.rawValue],
                sentence: "No valid time zone is known for the recipient, so their local time cannot be checked.")
        }
        let verdicts = evaluator.verdicts(at: instant)
        var reasons: [String] = []
        for finding in verdicts.flatMap(\.findings) where !reasons.contains(finding.reason.rawValue) {
            reasons.append(finding.reason.rawValue)
        }
        if let refusing = verdicts.first(where: { !$0.findings.isEmpty }) {
            let whose = refusing.isBusinessZone ? ", the business's time zone" : ""
            let clauses = refusing.findings.map { $0.clause(moment: refusing.moment) }.joined(separator: "; ")
            return WindowCheck(
                allowed: false, reasons: reasons,
                sentence: "It is \(refusing.moment.clockTime) on \(refusing.moment.weekday) in \(refusing.zone)\(whose); \(clauses).")
        }
        let times = verdicts.map { "\($0.moment.clockTime) on \($0.moment.weekday) in \($0.zone)" }
        let list = times.count <= 2 ? times.joined(separator: " and ")
            : times.dropLast().joined(separator: ", ") + " and " + times.last!
        return WindowCheck(allowed: true, reasons: [], sentence: "It is \(list); texts are allowed now.")
    }

    /// The first instant at or after `instant` that every rule allows in every zone, or nil if there is
    /// none within `searchHorizon` (or no zone identifier is valid). Apart from `instant` itself, the
    /// answer is always a whole minute of local time (08:00:00, not 08:00:37), or a DST transition when
    /// an opening time falls in the skipped hour.
    public static func firstAllowedInstant(atOrAfter instant: Date, zones: [String], region: String?, rules: SendingRules) -> Date? {
        let evaluator = Evaluator(zones: zones, region: region, rules: rules, around: instant)
        guard evaluator.isUsable else { return nil }
        if evaluator.isAllowed(at: instant) { return instant }
        let end = instant.addingTimeInterval(searchHorizon.timeInterval)
        // Allowed time is a union of half-open spans whose starts are rule boundaries in some zone, so
        // the first allowed instant is the first boundary after `instant` at which every rule agrees.
        var candidates: [Date] = []
        for clock in evaluator.clocks {
            let first = clock.timeZone.localMoment(at: instant).date.daysSinceEpoch
            let last = clock.timeZone.localMoment(at: end).date.daysSinceEpoch
            for day in first...last {
                let date = LocalDate(daysSinceEpoch: day)
                for minute in clock.boundaries {
                    for t in clock.timeZone.instants(on: date, minuteOfDay: minute) where t > instant && t <= end {
                        candidates.append(t)
                    }
                }
            }
            candidates += clock.timeZone.transitions(after: instant, through: end)
        }
        candidates.sort()
        var previous: Date?
        for t in candidates where t != previous {
            previous = t
            if evaluator.isAllowed(at: t) { return t }
        }
        return nil
    }

    /// The zones whose local time governs a text: the contact's `timezone` attribute when it is a valid
    /// zone identifier (one Foundation's `TimeZone(identifier:)` knows), else the valid zones of the number's prefix (ignoring the country-wide NANP
    /// fallback, which spans Guam to Samoa), else the business's zone.
    public static func recipientZones(contactTimeZone: String?, number: PhoneNumber, businessZone: String) -> [String] {
        if let zone = contactTimeZone.flatMap(regionZone) {
            return [zone]
        }
        let prefixZones = NANP.geographicTimeZones(for: number).filter { TimeZone(identifier: $0) != nil }
        return prefixZones.isEmpty ? [businessZone] : prefixZones
    }

    /// CRMs often store "EST" or "Pacific"; as IANA ids those are fixed offsets without daylight saving,
    /// which would put a July text an hour off. Common US names map to their region's zone; other
    /// ids without a region (fixed offsets, "Etc/…") are not trusted, so the number's prefix decides.
    static let usZoneNames: [String: String] = [
        "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York", "EASTERN": "America/New_York",
        "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago", "CENTRAL": "America/Chicago",
        "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver", "MOUNTAIN": "America/Denver",
        "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles", "PACIFIC": "America/Los_Angeles",
        "AKST": "America/Anchorage", "AKDT": "America/Anchorage", "ALASKA": "America/Anchorage",
        "HST": "Pacific/Honolulu", "HAWAII": "Pacific/Honolulu",
        "US/EASTERN": "America/New_York", "US/CENTRAL": "America/Chicago", "US/MOUNTAIN": "America/Denver",
        "US/PACIFIC": "America/Los_Angeles", "US/ALASKA": "America/Anchorage", "US/HAWAII": "Pacific/Honolulu",
        "US/ARIZONA": "America/Phoenix",
    ]

    static func regionZone(_ raw: String) -> String? {
        let name = raw.trimmingCharacters(in: .whitespaces)
        if let mapped = usZoneNames[name.uppercased()] { return mapped }
        guard name.contains("/"), !name.hasPrefix("Etc/"), TimeZone(identifier: name) != nil else { return nil }
        return name
    }

    /// True when a text created at `createdAt` would go out at `sendAt` later than `staleAfter` allows.
    /// No limit (nil) never goes stale.
    public static func isStale(createdAt: Date, sendAt: Date, staleAfter: TimeSpan?) -> Bool {
        guard let staleAfter else { return false }
        return sendAt.timeIntervalSince(createdAt) > staleAfter.timeInterval
    }
}

// MARK: - Evaluation

/// One reason a zone refuses, with what the sentence needs to explain it.
enum WindowFinding {
    case federal
    case stateHours(StateRule)
    case stateSunday(StateRule)
    case stateHoliday(StateRule, Holiday)
    case configuredQuietHours(QuietHours)
    case outsideBusinessHours(BusinessHours)

    var reason: SendingWindowReason {
        switch self {
        case .federal: .federalQuietHours
        case .stateHours: .stateQuietHours
        case .stateSunday: .stateSunday
        case .stateHoliday: .stateHoliday
        case .configuredQuietHours: .configuredQuietHours
        case .outsideBusinessHours: .outsideBusinessHours
        }
    }

    func clause(moment: LocalMoment) -> String {
        let day = moment.weekday
        switch self {
        case .federal:
            return "federal law allows texts \(StateRules.federal.hours[day]!)"
        case .stateHours(let rule):
            guard let window = rule.hours[day] else { return "\(rule.name) does not allow texts on \(day)s" }
            return "\(rule.name) allows texts \(window)" + (rule.hours.isUniform ? "" : " on \(day)s")
        case .stateSunday(let rule):
            return "\(rule.name) does not allow texts on Sundays" + (rule.consentLiftsDayBans ? " without the recipient's consent" : "")
        case .stateHoliday(let rule, let holiday):
            return "\(rule.name) does not allow texts on legal holidays"
                + (rule.consentLiftsDayBans ? " without the recipient's consent" : "")
                + " and today is \(holiday.label(on: moment.date))"
        case .configuredQuietHours(let quiet):
            return "the business's quiet hours are \(quiet)"
        case .outsideBusinessHours(let hours):
            let spans = hours.days[day] ?? []
            guard !spans.isEmpty else { return "the business does not text on \(day)s" }
            return "the business texts only \(spans.map(\.description).joined(separator: ", ")) on \(day)s"
        }
    }
}

/// The findings of one zone at one instant.
struct ZoneVerdict {
    var zone: String
    var moment: LocalMoment
    var isBusinessZone: Bool
    var findings: [WindowFinding]
}

/// Everything resolved once per call: zones, the state's rule, holidays near the instant.
struct Evaluator {
    /// One wall clock to watch, and the minutes of its day where some rule changes.
    struct Clock {
        var id: String
        var timeZone: TimeZone
        var isBusinessZone: Bool
        var boundaries: [Int]
    }

    let clocks: [Clock]
    let state: StateRule?
    let rules: SendingRules
    let region: String?
    let isUsable: Bool
    /// Legal holidays by day, for years around the instant (a 14-day search never leaves them).
    let holidays: [LocalDate: Holiday]
    let holidayYears: ClosedRange<Int>

    init(zones: [String], region: String?, rules: SendingRules, around instant: Date) {
        let state = StateRules.rule(region: region)
        self.state = state
        self.rules = rules
        self.region = region

        let businessInOwnZone = rules.businessHours?.timeZone != nil
        var recipientMinutes: Set<Int> = [0]
        recipientMinutes.formUnion(StateRules.federal.hours.boundaryMinutes)
        if let state { recipientMinutes.formUnion(state.hours.boundaryMinutes) }
        if let quiet = rules.quietHours {
            recipientMinutes.formUnion([quiet.start.minuteOfDay % 1440, quiet.end.minuteOfDay % 1440])
        }
        if let hours = rules.businessHours, !businessInOwnZone { recipientMinutes.formUnion(hours.boundaryMinutes) }

        var seen = Set<String>()
        var clocks: [Clock] = []
        for id in zones where seen.insert(id).inserted {
            guard let tz = TimeZone(identifier: id) else { continue } // unknown zones are ignored
            clocks.append(Clock(id: id, timeZone: tz, isBusinessZone: false, boundaries: recipientMinutes.sorted()))
        }
        var usable = !clocks.isEmpty
        if let hours = rules.businessHours, let id = hours.timeZone {
            if let tz = TimeZone(identifier: id) {
                clocks.append(Clock(id: id, timeZone: tz, isBusinessZone: true, boundaries: hours.boundaryMinutes.union([0]).sorted()))
            } else {
                usable = false
            }
        }
        self.clocks = clocks
        self.isUsable = usable

        let year = TimeZone(identifier: "UTC")!.localMoment(at: instant).date.year
        holidayYears = (year - 1)...(year + 1)
        var map: [LocalDate: Holiday] = [:]
        if state?.closedOnHolidays == true {
            for y in (year - 1)...(year + 2) {
                for h in Holidays.legal(year: y, region: region) {
                    map[h.date] = map[h.date] ?? h
                    map[h.observed] = map[h.observed] ?? h
                }
            }
        }
        holidays = map
    }

    func holiday(on date: LocalDate) -> Holiday? {
        holidayYears.contains(date.year) ? holidays[date] : Holidays.holiday(on: date, region: region)
    }

    func verdicts(at instant: Date) -> [ZoneVerdict] {
        clocks.map { clock in
            let moment = clock.timeZone.localMoment(at: instant)
            return ZoneVerdict(zone: clock.id, moment: moment, isBusinessZone: clock.isBusinessZone,
                               findings: findings(moment, isBusinessZone: clock.isBusinessZone))
        }
    }

    func isAllowed(at instant: Date) -> Bool {
        clocks.allSatisfy { findings($0.timeZone.localMoment(at: instant), isBusinessZone: $0.isBusinessZone).isEmpty }
    }

    /// The rules one wall-clock reading breaks, in the order reasons are reported.
    func findings(_ moment: LocalMoment, isBusinessZone: Bool) -> [WindowFinding] {
        let day = moment.weekday, minute = moment.minuteOfDay
        var found: [WindowFinding] = []
        if isBusinessZone {
            if let hours = rules.businessHours, !hours.allows(day, minuteOfDay: minute) { found.append(.outsideBusinessHours(hours)) }
            return found
        }
        if !StateRules.federal.hours.allows(day, minuteOfDay: minute) { found.append(.federal) }
        if let state {
            let bansApply = !(state.consentLiftsDayBans && rules.holidaysAndSundaysConsented)
            var banned = false
            if bansApply, state.closedOnSundays, day == .sunday {
                found.append(.stateSunday(state))
                banned = true
            }
            if bansApply, state.closedOnHolidays, let h = holiday(on: moment.date) {
                found.append(.stateHoliday(state, h))
                banned = true
            }
            // On a banned day the hours are moot; reporting them too would only add noise.
            if !banned, !state.hours.allows(day, minuteOfDay: minute) { found.append(.stateHours(state)) }
        }
        if let quiet = rules.quietHours, quiet.span.contains(minuteOfDay: minute) { found.append(.configuredQuietHours(quiet)) }
        if let hours = rules.businessHours, hours.timeZone == nil, !hours.allows(day, minuteOfDay: minute) {
            found.append(.outsideBusinessHours(hours))
        }
        return found
    }
}
