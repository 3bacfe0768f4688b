// Reading "tomorrow after 5" or "Monday morning" in a reply as a concrete callback time.
//
// Deliberately modest: one day reference, one clock time or part of day, or a relative offset.
// Rules (all in the recipient's zone; `now` is a parameter, never read from a clock):
// - "in an hour", "in 30 minutes", "in half an hour" → now + that.
// - A clock time without am/pm is read as business hours: 1–7 → afternoon (13–19), 8–11 → morning,
//   12 → noon. A part of day decides it when given ("tonight at 8" → 20:00, "morning at 10" → 10:00).
// - "after 5" / "around 5" / "at 5" → 17:00; "before 10" / "by 10" → an hour earlier (09:00), the
//   last comfortable moment.
// - Parts of day: morning 09:00, noon/lunch 12:00, afternoon 13:00, evening 18:00, tonight/night 19:00.
// - A day alone ("tomorrow", "Friday") → 09:00 that day.
// - No day: today if that time is still ahead, else tomorrow. "today"/"tonight" are taken literally.
// - A weekday: its next occurrence whose time is still ahead (today counts); "next Monday" is never today.
// - Vague wording ("next week", "end of the week", "later today") is a proposal without a time.

import Foundation

struct TimeExpression: Equatable, Sendable {
    enum Day: Equatable, Sendable {
        case today
        case tomorrow
        /// Calendar weekday, 1 = Sunday ... 7 = Saturday.
        case weekday(Int, next: Bool)
    }

    enum Part: String, Sendable {
        case morning, noon, afternoon, evening, night

        var defaultHour: Int {
            switch self {
            case .morning: 9
            case .noon: 12
            case .afternoon: 13
            case .evening: 18
            case .night: 19
            }
        }

        var isAfternoonOrLater: Bool { self == .afternoon || self == .evening || self == .night }
    }

    struct Clock: Equatable, Sendable {
        var hour: Int
        var minute: Int
        /// "am", "pm" or nil when the reply did not say.
        var meridiem: String?
    }

    enum Offset: Equatable, Sendable {
        case none, hourEarlier
    }

    var day: Day?
    var part: Part?
    var clock: Clock?
    var offset: Offset = .none
    var relativeSeconds: Int?
    var vague = false

    var isEmpty: Bool { day == nil && part == nil && clock == nil && relativeSeconds == nil && !vague }

    // MARK: Detection

    private static let relative = TextPattern(
        #"\bin (an|a|one|half an|half a|a couple of|a couple|couple of|couple|a few|few|\d{1,3}) ?(hours?|minutes?)\b"#)
    private static let clock = TextPattern(
        #"\b(?:(at|after|around|about|by|before|from|past|between|til|till|until|maybe|say) )?(\d{1,2})(?::(\d{2}))? ?(am|pm|oclock)?(?=\s|$)"#)
    private static let noonWord = TextPattern(#"\b(?:(after|before|by|around|at) )?(noon|midday|lunch|lunchtime)\b"#)
    private static let partWord = TextPattern(#"\b(this |tomorrow |in the )?(morning|afternoon|evening|tonight|night)s?\b"#)
    private static let dayWord = TextPattern(
        #"\b(next )?(today|tomorrow|tonight|sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b"#)
    private static let vagueWord = TextPattern(
        #"\b(later today|later|this week|next week|_?end of (the )?week|this weekend|the weekend|weekend|sometime)\b"#)

    private static let weekdays = ["sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7]

    /// Finds a time proposal in normalized reply text; nil when there is none.
    static func detect(in text: String) -> TimeExpression? {
        var e = TimeExpression()

        if let g = relative.firstGroups(in: text), let amount = g[1], let unit = g[2] {
            let unitSeconds = unit.hasPrefix("hour") ? 3600 : 60
            let count: Double
            switch amount {
            case "an", "a", "one": count = 1
            case "half an", "half a": count = 0.5
            case "a couple of", "a couple", "couple of", "couple": count = 2
            case "a few", "few": count = unitSeconds == 3600 ? 3 : 10
            default: count = Double(Int(amount) ?? 0)
            }
            if count > 0 {
                e.relativeSeconds = Int(count * Double(unitSeconds))
                return e
            }
        }

        for g in dayWord.allGroups(in: text) {
            guard let word = g[2] else { continue }
            switch word {
            case "today": e.day = .today
            case "tonight": e.day = .today; e.part = .night
            case "tomorrow": e.day = .tomorrow
            default: e.day = .weekday(weekdays[word]!, next: g[1] != nil)
            }
            break
        }

        if let g = partWord.firstGroups(in: text), let word = g[2] {
            switch word {
            case "morning": e.part = .morning
            case "afternoon": e.part = .afternoon
            case "evening": e.part = .evening
            default: e.part = .night
            }
            if g[1] == "tomorrow " { e.day = .tomorrow }
            if g[1] == "this ", e.day == nil { e.day = .today }
        }

        if let g = noonWord.firstGroups(in: text) {
            let prep = g[1]
            if prep == "after" {
                e.clock = Clock(hour: 13, minute: 0, meridiem: "pm")
            } else {
                e.part = .noon
                if prep == "before" || prep == "by" { e.offset = .hourEarlier }
            }
        }

        if e.clock == nil {
            for g in clock.allGroups(in: text) {
                guard let hourText = g[2], let hour = Int(hourText) else { continue }
                let prep = g[1]
                let minute = g[3].flatMap { Int($0) }
                let meridiem = g[4] == "oclock" ? nil : g[4]
                // A bare number is a time only with a preposition, minutes or am/pm ("3 kids" is not).
                guard prep != nil || minute != nil || g[4] != nil else { continue }
                guard (minute ?? 0) < 60 else { continue }
                if meridiem != nil { guard (1...12).contains(hour) else { continue } } else { guard (0...23).contains(hour) else { continue } }
                e.clock = Clock(hour: hour, minute: minute ?? 0, meridiem: meridiem)
                if prep == "before" || prep == "by" || prep == "til" || prep == "till" || prep == "until" {
                    e.offset = .hourEarlier
                }
                break
            }
        }

        if e.day == nil, e.part == nil, e.clock == nil, vagueWord.matches(text) {
            e.vague = true
        }
        return e.isEmpty ? nil : e
    }

    // MARK: Resolution

    /// The concrete instant, or nil when the wording is vague.
    func resolve(now: Date, timeZone: TimeZone) -> Date? {
        if let relativeSeconds { return now.addingTimeInterval(TimeInterval(relativeSeconds)) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone

        var hour: Int
        var minute = 0
        if let clock {
            hour = clock.hour
            minute = clock.minute
            switch clock.meridiem {
            case "pm": if hour < 12 { hour += 12 }
            case "am": if hour == 12 { hour = 0 }
            default:
                if hour <= 12 {
                    if let part {
                        if part.isAfternoonOrLater, hour < 12 { hour += 12 }
                    } else if (1...7).contains(hour) {
                        hour += 12
                    }
                }
            }
        } else if let part {
            hour = part.defaultHour
        } else if day != nil {
            hour = 9
        } else {
            return nil
        }
        if offset == .hourEarlier { hour = max(0, hour - 1) }

        let startOfToday = calendar.startOfDay(for: now)
        func at(daysAhead: Int) -> Date? {
            guard let day = calendar.date(byAdding: .day, value: daysAhead, to: startOfToday) else { return nil }
            var parts = calendar.dateComponents([.year, .month, .day], from: day)
            parts.hour = hour
            parts.minute = minute
            parts.second = 0
            return calendar.date(from: parts)
        }

        switch day {
        case .today?:
            return at(daysAhead: 0)
        case .tomorrow?:
            return at(daysAhead: 1)
        case .weekday(let weekday, let next)?:
            let current = calendar.component(.weekday, from: now)
            var ahead = (weekday - current + 7) % 7
            if next, ahead == 0 { ahead = 7 }
            guard let candidate = at(daysAhead: ahead) else { return nil }
            return candidate > now ? candidate : at(daysAhead: ahead + 7)
        case nil:
            guard let candidate = at(daysAhead: 0) else { return nil }
            return candidate > now ? candidate : at(daysAhead: 1)
        }
    }
}
