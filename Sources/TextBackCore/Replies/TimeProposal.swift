// Reading "tomorrow after 5", "the 21st at 10" or "el viernes a las 4" in a reply as a concrete
// callback time.
//
// One day reference, one clock time or part of day, or a relative offset. Rules (all in the
// recipient's zone; `now` is a parameter, never read from a clock):
// - "in an hour", "in 45 min", "in half an hour", "in 10" (minutes) → now + that.
// - A clock time without am/pm is read as business hours: 1–7 → afternoon (13–19), 8–11 → morning,
//   12 → noon. A part of day decides it when given ("tonight at 8" → 20:00, "morning at 10" →
//   10:00, "tmrw aft 2" → 14:00). A range takes its first time ("9-11am" → 09:00, "between 2 and 4"
//   → 14:00).
// - "after 5" / "around 5" / "at 5" → 17:00; "before 10" / "by 10" / "until 10" → an hour earlier
//   (09:00), the last comfortable moment; but "busy until 4", "at work till 5" mean from then on.
// - Parts of day: morning 09:00, noon/lunch 12:00, afternoon 13:00, evening 18:00, tonight/night
//   19:00; early morning 08:00, late morning 11:00, mid-afternoon 15:00, late afternoon 16:00,
//   early evening 17:00; "after lunch" 13:00, "after school" 15:00, "after work" and "end of day"
//   17:00.
// - A day alone ("tomorrow", "Friday", "July 3") → 09:00 that day.
// - No day: today if that time is still ahead (or is now), else tomorrow. A part of day that is under way
//   ("this afternoon" at 14:00) and "today" alone, once 09:00 has passed → the next whole hour.
// - A weekday: its next occurrence whose time is still ahead (today counts). "next Friday",
//   "Friday next week" and "next week Friday" all mean the Friday of the coming Monday-to-Sunday
//   week: said on a Tuesday, "next Friday" is not this Friday (people say "this Friday" or
//   "Friday" for that one).
// - A named date ("July 3", "7/3", "the 21st", "el 3 de julio"): that date, never today in its
//   place. Month/day is read the US way. A date already past this year → the same date next year;
//   a day of the month already past ("the 3rd" on the 9th) → that day next month.
// - Vague wording ("next week", "end of the week", "later today", "in a bit") is a proposal
//   without a time.
// Spanish wording is rewritten into these forms first (TimeWording).

import Foundation

struct TimeExpression: Equatable, Sendable {
    enum Day: Equatable, Sendable {
        case today
        case tomorrow
        case daysAhead(Int)
        /// Calendar weekday, 1 = Sunday ... 7 = Saturday. `nextWeek`: "next Monday", "Monday next week".
        case weekday(Int, nextWeek: Bool)
        /// A named date. `month` nil: "the 21st" (this month or the next that has it); `year` nil:
        /// this year, or next year once the date has passed.
        case date(month: Int?, day: Int, year: Int?)
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

        /// The hours (start inclusive, end exclusive) the part of day covers, for "this afternoon"
        /// said while the afternoon is under way.
        var span: Range<Int> {
            switch self {
            case .morning: 5..<12
            case .noon: 11..<14
            case .afternoon: 12..<17
            case .evening: 17..<21
            case .night: 18..<23
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
    /// A specific hour for a qualified part of day ("late afternoon" → 16).
    var partHour: Int?
    var clock: Clock?
    var offset: Offset = .none
    var relativeSeconds: Int?
    var vague = false

    var isEmpty: Bool { day == nil && part == nil && clock == nil && relativeSeconds == nil && !vague }

    /// A time specific enough to act on (not merely "next week").
    var isConcrete: Bool { !isEmpty && !vague }

    // MARK: Detection

    private static let months = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]
    private static let monthNames = "january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec"
    private static let weekdays = [
        "sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7,
        "sun": 1, "mon": 2, "tue": 3, "tues": 3, "wed": 4, "weds": 4, "thu": 5, "thur": 5, "thurs": 5, "fri": 6, "sat": 7,
    ]
    /// Words after a number that make it a count, an address or a duration, not a clock time.
    private static let notClock = #"(?! (years?|yrs?|kids|children|people|persons|times|dollars|bucks|units|rooms|bedrooms|bathrooms|baths|floors|story|stories|miles|feet|ft|inches|gallons|gal|percent|days|weeks|months|tons?|sq|square|of|main|st|street|ave|avenue|rd|road|dr|drive|ln|lane|blvd|ct|court|way|pl|place|hwy|minutes?|mins?|hours?|hrs?)\b)"#
    /// Nouns after an ordinal that make it something other than a date ("the 3rd floor").
    private static let notDate = #"(?! (floor|time|times|grade|street|st|ave|avenue|one|house|door|unit|apartment|apt|step|call|visit|attempt|century|place|row|level|option|choice|try|person|text|message|bill|invoice|payment|quote|estimate)\b)"#

    private static let relative = TextPattern(
        #"\b(?:in|within|give me|gimme|after|wait) (?:like |about |around |maybe |another |an extra |roughly |approx |approximately )?(an|a|one|two|three|half an|half a|a half|a couple of|a couple|couple of|couple|a few|few|\d{1,3}) ?(hours?|minutes?|mins?|hrs?|days?)\b( and a half)?|\b(an|one|\d{1,3}) ?(hours?|minutes?|mins?|hrs?) from now\b"#)
    private static let relativeBare = TextPattern(#"\bin (?:like |about )?(\d{1,2})(?= \||$| ?min\b)"#)
    private static let slashDate = TextPattern(#"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?(?![\d/])"#)
    private static let monthDay = TextPattern(#"\b(\#(monthNames)) (?:the )?(\d{1,2})(?:st|nd|rd|th)?\b(?!:)"#)
    private static let dayMonth = TextPattern(#"\b(?:the )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?(\#(monthNames))\b"#)
    private static let ordinal = TextPattern(
        #"\b(?:(?:the|on|by|for|until|till|before|after|on the|by the|for the|until the|before the|after the) (\d{1,2})(?:st|nd|rd|th)\b\#(notDate)|(?:^|\| )(\d{1,2})(?:st|nd|rd|th)\b\#(notDate)|\b(\d{1,2})(?:st|nd|rd|th)(?=$| \|| (at|around|after|before|in the|works|is|would|or)\b))"#)
    private static let dayWord = TextPattern(
        #"\b(next |this |this coming |coming |on )?(day after tomorrow|today|tomorrow|tonight|sunday|monday|tuesday|wednesday|thursday|friday|saturday)s?\b"#)
    /// Abbreviations are everyday words too ("I sat down", "the sun"): only next to a time or
    /// after on/next/this, or as the whole reply.
    private static let abbreviatedDay = TextPattern(
        #"(?:\b(next|this|on|by) (sun|mon|tues?|weds?|thu|thurs?|fri|sat)\b)|(?:\b(sun|mon|tues?|weds?|thu|thurs?|fri|sat)\b(?= (at|@|around|after|before|morning|afternoon|evening|night|noon|am|pm|\d)))|(?:^(sun|mon|tues?|weds?|thu|thurs?|fri|sat)$)"#)
    private static let nextWeek = TextPattern(#"\b(next week|the following week|the week after)\b"#)
    private static let partWord = TextPattern(
        #"\b(this |tomorrow |in the |early |late |mid |mid-|early in the |late in the )?(morning|afternoon|evening|tonight|night)s?\b"#)
    private static let noonWord = TextPattern(#"\b(?:(after|before|by|around|at) )?(noon|midday|lunch|lunchtime)\b"#)
    private static let specialClock = TextPattern(
        #"\b(after work|after i get off|when i get off|after school|_?end of (the )?day|eod|close of business|cob|first thing)\b"#)
    private static let halfPast = TextPattern(#"\bhalf past (\d{1,2})\b"#)
    private static let quarter = TextPattern(#"\bquarter (past|after|to|til|till|of) (\d{1,2})\b"#)
    private static let range = TextPattern(
        #"(?<![\d/:])(\d{1,2})(?::(\d{2}))? ?(am|pm)? (?:to |and |or |til |till |until )?(\d{1,2})(?::(\d{2}))? ?(am|pm)\b"#)
    private static let clock = TextPattern(
        #"(?<![\d/:])(?:\b(at|after|around|about|by|before|from|past|between|til|till|until|maybe|say|like|approximately|approx|near|or|do|make it) )?\b(\d{1,2})(?::(\d{2}))? ?(am|pm|oclock)?(?=\s|$)\#(notClock)"#)
    private static let clockAfterDay = TextPattern(
        #"\b(?:today|tomorrow|tonight|sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tues?|weds?|thu|thurs?|fri|sat|morning|afternoon|evening|night|noon) (\d{1,2})(?::(\d{2}))?(?=\s|$)\#(notClock)|(?<![\d/:])\b(\d{1,2})(?::(\d{2}))? (?=tomorrow|today|tonight|sunday|monday|tuesday|wednesday|thursday|friday|saturday|works|is good|is fine|is best|is perfect|would work|would be|sounds|ok\b)"#)
    private static let busyUntil = TextPattern(
        #"\b(busy|work|working|at work|in (a )?meetings?|driving|in class|at school|out|unavailable|not available|tied up|occupied|can not talk|can not|stuck|on shift|on the job)\b.*\b(til|till|until)\b"#)
    private static let arrivalBy = TextPattern(#"\b(home|back|off|done|finished|there|free|in|out of work|off work|out of class) by\b"#)
    private static let laterToday = TextPattern(#"\b(later today|sometime today|today sometime|today later|later on today|anytime today|any time today)\b"#)
    private static let vagueWord = TextPattern(
        #"\b(later today|sometime today|today sometime|anytime today|any time today|later on|later|any day|anyday|this week|next week|_?end of (the )?(week|month)|(beginning|start|first|middle) of (the |next )?month|this weekend|the weekend|weekend|sometime|in a bit|in a while|in a little (bit|while)|a little later|next month|after the holidays)\b"#)

    /// Finds a time proposal in normalized reply text; nil when there is none.
    static func detect(in normalized: String) -> TimeExpression? {
        let text = TimeWording.normalize(normalized)
        var e = TimeExpression()

        if let relativeSeconds = relativeOffset(in: text, day: &e.day) {
            e.relativeSeconds = relativeSeconds
            return e
        }

        // A named date's numbers are not clock times ("July 3 4pm" is at 4).
        var clockText = text
        if e.day == nil, let found = namedDate(in: text) {
            e.day = found.day
            if let range = clockText.range(of: found.words) { clockText.replaceSubrange(range, with: " ") }
        }

        if e.day == nil {
            for g in dayWord.allGroups(in: text) {
                guard let word = g[2] else { continue }
                switch word {
                case "today": e.day = .today
                case "tonight": e.day = .today; e.part = .night
                case "tomorrow": e.day = .tomorrow
                case "day after tomorrow": e.day = .daysAhead(2)
                default: e.day = .weekday(weekdays[word]!, nextWeek: g[1] == "next " || nextWeek.matches(text))
                }
                break
            }
        }
        if e.day == nil, let g = abbreviatedDay.firstGroups(in: text),
           let word = g[2] ?? g[3] ?? g[5], let weekday = weekdays[word]
        {
            e.day = .weekday(weekday, nextWeek: g[1] == "next" || nextWeek.matches(text))
        }

        if let g = partWord.firstGroups(in: text), let word = g[2] {
            switch word {
            case "morning": e.part = .morning
            case "afternoon": e.part = .afternoon
            case "evening": e.part = .evening
            default: e.part = .night
            }
            switch (g[1].map { $0.trimmingCharacters(in: .whitespaces) }, e.part) {
            case ("tomorrow"?, _): if e.day == nil || e.day == .today { e.day = .tomorrow }
            case ("this"?, _): if e.day == nil { e.day = .today }
            case ("early"?, .morning?), ("early in the"?, .morning?): e.partHour = 8
            case ("late"?, .morning?), ("late in the"?, .morning?): e.partHour = 11
            case ("mid"?, .afternoon?), ("mid-"?, .afternoon?): e.partHour = 15
            case ("late"?, .afternoon?), ("late in the"?, .afternoon?): e.partHour = 16
            case ("early"?, .evening?), ("early in the"?, .evening?): e.partHour = 17
            case ("late"?, .evening?), ("late"?, .night?): e.partHour = 20
            default: break
            }
            if word == "tonight", e.day == nil { e.day = .today }
        }

        if let g = noonWord.firstGroups(in: text) {
            let prep = g[1]
            if prep == "after" {
                e.clock = Clock(hour: 13, minute: 0, meridiem: "pm")
            } else {
                e.part = .noon
                e.partHour = nil
                if prep == "before" || prep == "by" { e.offset = .hourEarlier }
            }
        }

        if e.clock == nil, let g = specialClock.firstGroups(in: text), let phrase = g[1] {
            switch phrase {
            case "after school": e.clock = Clock(hour: 15, minute: 0, meridiem: "pm")
            case "first thing": if e.part == nil { e.part = .morning }
            default: e.clock = Clock(hour: 17, minute: 0, meridiem: "pm")
            }
        }

        if e.clock == nil { e.detectClock(in: clockText, context: text) }

        // "later today" names no hour: vague, like "later".
        if e.day == .today, e.part == nil, e.clock == nil, laterToday.matches(text) {
            e.day = nil
        }
        if e.day == nil, e.part == nil, e.clock == nil, vagueWord.matches(text) {
            e.vague = true
        }
        return e.isEmpty ? nil : e
    }

    private static func relativeOffset(in text: String, day: inout Day?) -> Int? {
        if let g = relative.firstGroups(in: text) {
            let amount = g[1] ?? g[4]
            let unit = g[2] ?? g[5]
            if let amount, let unit {
                let unitSeconds = unit.hasPrefix("h") ? 3600 : unit.hasPrefix("d") ? 86400 : 60
                var count: Double
                switch amount {
                case "an", "a", "one": count = 1
                case "two": count = 2
                case "three": count = 3
                case "half an", "half a", "a half": count = 0.5
                case "a couple of", "a couple", "couple of", "couple": count = 2
                case "a few", "few": count = unitSeconds == 3600 ? 3 : unitSeconds == 60 ? 10 : 3
                default: count = Double(Int(amount) ?? 0)
                }
                if g[3] != nil { count += 0.5 }
                if unitSeconds == 86400 {
                    // "after 3 days of rain" tells a story; only "in 2 days" names a day.
                    guard let lead = g[0], lead.hasPrefix("in ") || lead.hasPrefix("within ") else { return nil }
                    // "in 2 days" names a day, not an instant: the clock still comes from the reply.
                    if count >= 1 { day = .daysAhead(Int(count)) }
                    return nil
                }
                if count > 0 { return Int(count * Double(unitSeconds)) }
            }
        }
        if let g = relativeBare.firstGroups(in: text), let n = g[1].flatMap({ Int($0) }), (1...59).contains(n) {
            return n * 60
        }
        return nil
    }

    /// The named date and the words that named it.
    private static func namedDate(in text: String) -> (day: Day, words: String)? {
        if let g = slashDate.firstGroups(in: text), let m = g[1].flatMap({ Int($0) }), let d = g[2].flatMap({ Int($0) }),
           (1...12).contains(m), (1...31).contains(d)
        {
            var year = g[3].flatMap { Int($0) }
            if let y = year, y < 100 { year = 2000 + y }
            return (.date(month: m, day: d, year: year), g[0] ?? "")
        }
        if let g = monthDay.firstGroups(in: text), let name = g[1], let m = months[name], let d = g[2].flatMap({ Int($0) }),
           (1...31).contains(d)
        {
            return (.date(month: m, day: d, year: nil), g[0] ?? "")
        }
        // "3 may" could be "3 may be": May after a number only as "of May".
        if let g = dayMonth.firstGroups(in: text), let name = g[2], let m = months[name], let d = g[1].flatMap({ Int($0) }),
           (1...31).contains(d), name != "may" || (g[0]?.contains("of may") ?? false)
        {
            return (.date(month: m, day: d, year: nil), g[0] ?? "")
        }
        if let g = ordinal.firstGroups(in: text), let d = (g[1] ?? g[2] ?? g[3]).flatMap({ Int($0) }), (1...31).contains(d) {
            return (.date(month: nil, day: d, year: nil), g[0] ?? "")
        }
        return nil
    }

    /// The clock time, trying the most specific wordings first.
    /// `text` has named dates blanked out; `context` is the whole reply, for "busy until 4".
    private mutating func detectClock(in text: String, context: String) {
        if let g = Self.halfPast.firstGroups(in: text), let h = g[1].flatMap({ Int($0) }), (1...12).contains(h) {
            clock = Clock(hour: h, minute: 30, meridiem: nil)
            return
        }
        if let g = Self.quarter.firstGroups(in: text), let relation = g[1], let h = g[2].flatMap({ Int($0) }), (1...12).contains(h) {
            let before = relation == "to" || relation == "til" || relation == "till" || relation == "of"
            clock = before ? Clock(hour: h == 1 ? 12 : h - 1, minute: 45, meridiem: nil) : Clock(hour: h, minute: 15, meridiem: nil)
            return
        }
        // "9-11am", "2 or 3pm": the first time, with the second's am/pm when it has none.
        if let g = Self.range.firstGroups(in: text), let h1 = g[1].flatMap({ Int($0) }), let h2 = g[4].flatMap({ Int($0) }),
           (1...12).contains(h1), (1...12).contains(h2), let second = g[6]
        {
            var meridiem = g[3]
            if meridiem == nil {
                // "11-1pm" starts in the morning; "2-4pm" in the afternoon.
                meridiem = (second == "pm" && h1 > h2 && h1 != 12) ? "am" : second
            }
            clock = Clock(hour: h1, minute: g[2].flatMap { Int($0) } ?? 0, meridiem: meridiem)
            return
        }
        for g in Self.clock.allGroups(in: text) {
            guard let hourText = g[2], let hour = Int(hourText) else { continue }
            let prep = g[1]
            let minute = g[3].flatMap { Int($0) }
            let meridiem = g[4] == "oclock" ? nil : g[4]
            // A bare number is a time only with a preposition, minutes or am/pm ("3 kids" is not).
            guard prep != nil || minute != nil || g[4] != nil else { continue }
            guard let c = Self.validClock(hour: hour, minute: minute, meridiem: meridiem) else { continue }
            clock = c
            if prep == "by" && Self.arrivalBy.matches(context) {
                // "I'll be home by 6": from 6 on.
            } else if prep == "before" || prep == "by" {
                offset = .hourEarlier
            } else if prep == "til" || prep == "till" || prep == "until" {
                // "call me until 5" asks for before 5; "busy until 4" for 4 or later.
                offset = Self.busyUntil.matches(context) ? .none : .hourEarlier
            }
            return
        }
        // "tomorrow 2", "tmrw aft 2", "10 tomorrow", "3 works".
        if let g = Self.clockAfterDay.firstGroups(in: text) {
            let hour = (g[1] ?? g[3]).flatMap { Int($0) }
            let minute = (g[2] ?? g[4]).flatMap { Int($0) }
            if let hour, let c = Self.validClock(hour: hour, minute: minute, meridiem: nil) { clock = c }
        }
    }

    private static func validClock(hour: Int, minute: Int?, meridiem: String?) -> Clock? {
        guard (minute ?? 0) < 60 else { return nil }
        if meridiem != nil { guard (1...12).contains(hour) else { return nil } } else { guard (0...23).contains(hour) else { return nil } }
        return Clock(hour: hour, minute: minute ?? 0, meridiem: meridiem)
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
            hour = partHour ?? part.defaultHour
        } else if day != nil {
            hour = 9
        } else {
            return nil
        }
        if offset == .hourEarlier { hour = max(0, hour - 1) }

        let startOfToday = calendar.startOfDay(for: now)
        func at(_ date: Date) -> Date? {
            var parts = calendar.dateComponents([.year, .month, .day], from: date)
            parts.hour = hour
            parts.minute = minute
            parts.second = 0
            return calendar.date(from: parts)
        }
        func at(daysAhead: Int) -> Date? {
            calendar.date(byAdding: .day, value: daysAhead, to: startOfToday).flatMap(at)
        }
        func at(year: Int, month: Int, day: Int) -> Date? {
            // Nil for a date that does not exist (June 31): DateComponents would roll it over.
            guard LocalDate(year: year, month: month, day: day) != nil else { return nil }
            return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: 0))
        }
        /// Said while that part of the day is under way ("this afternoon" at 14:00): the next whole hour.
        func underWay() -> Date? {
            guard clock == nil, partHour == nil, let part else { return nil }
            let current = calendar.component(.hour, from: now)
            guard part.span.contains(current) else { return nil }
            return calendar.date(bySettingHour: current + 1, minute: 0, second: 0, of: now)
        }

        switch day {
        case .today?:
            guard let candidate = at(daysAhead: 0) else { return nil }
            if candidate > now { return candidate }
            if clock == nil, part == nil {
                // "today" alone once the morning has gone: as soon as it is convenient, the next hour.
                let current = calendar.component(.hour, from: now)
                return current < 23 ? calendar.date(bySettingHour: current + 1, minute: 0, second: 0, of: now) : candidate
            }
            return underWay() ?? candidate
        case .tomorrow?:
            return at(daysAhead: 1)
        case .daysAhead(let n)?:
            return at(daysAhead: n)
        case .weekday(let weekday, let nextWeek)?:
            let current = calendar.component(.weekday, from: now)
            if nextWeek {
                // Days to the coming Monday (weekday 2), then into that week.
                var toMonday = (2 - current + 7) % 7
                if toMonday == 0 { toMonday = 7 }
                return at(daysAhead: toMonday + (weekday - 2 + 7) % 7)
            }
            let ahead = (weekday - current + 7) % 7
            guard let candidate = at(daysAhead: ahead) else { return nil }
            return candidate > now ? candidate : at(daysAhead: ahead + 7)
        case .date(let month?, let dayOfMonth, let year)?:
            let thisYear = calendar.component(.year, from: now)
            if let year { return at(year: year, month: month, day: dayOfMonth) }
            if let candidate = at(year: thisYear, month: month, day: dayOfMonth), candidate > now { return candidate }
            return at(year: thisYear + 1, month: month, day: dayOfMonth)
        case .date(nil, let dayOfMonth, _)?:
            let parts = calendar.dateComponents([.year, .month], from: now)
            guard var year = parts.year, var month = parts.month else { return nil }
            // This month if the date is still ahead, else the next month that has that day.
            for _ in 0..<13 {
                if let candidate = at(year: year, month: month, day: dayOfMonth), candidate > now { return candidate }
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
            return nil
        case nil:
            guard let candidate = at(daysAhead: 0) else { return nil }
            if candidate >= now { return candidate }
            return underWay() ?? at(daysAhead: 1)
        }
    }
}
