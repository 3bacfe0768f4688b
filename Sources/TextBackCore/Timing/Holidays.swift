// Legal holidays as data: US federal holidays for any year with their observed days, plus the extra
// legal holidays of the states whose texting rules forbid holidays (UT, AL, LA, RI, PA). Each row is a
// date rule (fixed date, nth or last weekday of a month, offset from Easter) and an observance policy;
// nothing is looked up at run time. Rules are today's; years before a rule changed are not modelled
// beyond `firstYear`.

/// One holiday as it falls in a given year.
public struct Holiday: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// The calendar date of the holiday.
    public var date: LocalDate
    /// The day off: `date`, or the weekday it moved to when it fell on a weekend.
    public var observed: LocalDate

    public init(name: String, date: LocalDate, observed: LocalDate) {
        self.name = name
        self.date = date
        self.observed = observed
    }

    /// "Independence Day (observed)" on the moved day, the plain name on the date itself.
    public func label(on day: LocalDate) -> String { day == observed && observed != date ? "\(name) (observed)" : name }

    public var description: String { observed == date ? "\(name) \(date)" : "\(name) \(date) (observed \(observed))" }
}

/// How a holiday is dated each year, and where it moves when it falls on a weekend.
public struct HolidayRule: Sendable, Hashable {
    public enum DateRule: Sendable, Hashable {
        case fixed(month: Int, day: Int)
        /// n-th (1-based) given weekday of a month: MLK Day is `.nthWeekday(month: 1, weekday: .monday, n: 3)`.
        case nthWeekday(month: Int, weekday: Weekday, n: Int)
        case lastWeekday(month: Int, weekday: Weekday)
        /// Days after Easter Sunday (Gregorian): Good Friday is -2, Mardi Gras -47.
        case easterOffset(days: Int)
    }

    public enum Observance: Sendable, Hashable {
        /// Observed on the date itself (weekday rules never land on weekends anyway).
        case onDate
        /// Saturday moves to the Friday before, Sunday to the Monday after (5 U.S.C. 6103(b)).
        case nearestWeekday
        /// Only Sunday moves, to the Monday after.
        case sundayToMonday
    }

    public var name: String
    public var rule: DateRule
    public var observance: Observance
    /// First year the holiday existed in this form (Juneteenth 2021); nil when long established.
    public var firstYear: Int?
    /// Where the rule comes from.
    public var source: String

    public init(_ name: String, _ rule: DateRule, observance: Observance = .onDate, firstYear: Int? = nil, source: String) {
        self.name = name
        self.rule = rule
        self.observance = observance
        self.firstYear = firstYear
        self.source = source
    }

    /// The holiday in `year`, or nil before `firstYear`.
    public func occurrence(in year: Int) -> Holiday? {
        if let firstYear, year < firstYear { return nil }
        let date: LocalDate
        switch rule {
        case .fixed(let month, let day):
            guard let d = LocalDate(year: year, month: month, day: day) else { return nil }
            date = d
        case .nthWeekday(let month, let weekday, let n):
            let first = LocalDate(year: year, month: month, day: 1)!
            let shift = (weekday.rawValue - first.weekday.rawValue + 7) % 7
            date = first.adding(days: shift + 7 * (n - 1))
        case .lastWeekday(let month, let weekday):
            let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!
            let shift = (last.weekday.rawValue - weekday.rawValue + 7) % 7
            date = last.adding(days: -shift)
        case .easterOffset(let days):
            date = Holidays.easterSunday(year: year).adding(days: days)
        }
        let observed: LocalDate
        switch (observance, date.weekday) {
        case (.nearestWeekday, .saturday): observed = date.adding(days: -1)
        case (.nearestWeekday, .sunday), (.sundayToMonday, .sunday): observed = date.adding(days: 1)
        default: observed = date
        }
        return Holiday(name: name, date: date, observed: observed)
    }
}

public enum Holidays {
    static let federalSource = "5 U.S.C. 6103"

    /// US federal holidays (5 U.S.C. 6103), weekend dates observed on the nearest weekday.
    public static let federalRules: [HolidayRule] = [
        HolidayRule("New Year's Day", .fixed(month: 1, day: 1), observance: .nearestWeekday, source: federalSource),
        HolidayRule("Martin Luther King Jr. Day", .nthWeekday(month: 1, weekday: .monday, n: 3), firstYear: 1986, source: federalSource),
        HolidayRule("Presidents' Day", .nthWeekday(month: 2, weekday: .monday, n: 3), source: federalSource),
        HolidayRule("Memorial Day", .lastWeekday(month: 5, weekday: .monday), source: federalSource),
        HolidayRule("Juneteenth", .fixed(month: 6, day: 19), observance: .nearestWeekday, firstYear: 2021, source: federalSource),
        HolidayRule("Independence Day", .fixed(month: 7, day: 4), observance: .nearestWeekday, source: federalSource),
        HolidayRule("Labor Day", .nthWeekday(month: 9, weekday: .monday, n: 1), source: federalSource),
        HolidayRule("Columbus Day", .nthWeekday(month: 10, weekday: .monday, n: 2), source: federalSource),
        HolidayRule("Veterans Day", .fixed(month: 11, day: 11), observance: .nearestWeekday, source: federalSource),
        HolidayRule("Thanksgiving Day", .nthWeekday(month: 11, weekday: .thursday, n: 4), source: federalSource),
        HolidayRule("Christmas Day", .fixed(month: 12, day: 25), observance: .nearestWeekday, source: federalSource),
    ]

    /// Extra legal holidays of states whose texting rules forbid holidays, on top of the federal ones.
    /// Only holidays kept statewide by statute are listed; county-only days (Mardi Gras in Mobile and
    /// Baldwin counties, AL) are left out. States not listed here use the federal list alone (PA).
    public static let stateRules: [String: [HolidayRule]] = [
        "UT": [
            HolidayRule("Pioneer Day", .fixed(month: 7, day: 24), observance: .nearestWeekday, source: "Utah Code 63G-1-301"),
        ],
        "AL": [
            HolidayRule("Confederate Memorial Day", .nthWeekday(month: 4, weekday: .monday, n: 4), source: "Code of Ala. 1-3-8"),
            HolidayRule("Jefferson Davis' Birthday", .nthWeekday(month: 6, weekday: .monday, n: 1), source: "Code of Ala. 1-3-8"),
        ],
        "LA": [
            HolidayRule("Mardi Gras", .easterOffset(days: -47), source: "La. R.S. 1:55"),
            HolidayRule("Good Friday", .easterOffset(days: -2), source: "La. R.S. 1:55"),
        ],
        "RI": [
            HolidayRule("Victory Day", .nthWeekday(month: 8, weekday: .monday, n: 2), source: "R.I. Gen. Laws 25-1-1"),
        ],
    ]

    /// The federal holidays of `year`, in calendar order.
    public static func federal(year: Int) -> [Holiday] {
        federalRules.compactMap { $0.occurrence(in: year) }
    }

    /// Federal plus the state's extra holidays for `year`, sorted by date. `region` is a two-letter code.
    public static func legal(year: Int, region: String?) -> [Holiday] {
        let extra = region.flatMap { stateRules[$0.uppercased()] } ?? []
        return (federalRules + extra).compactMap { $0.occurrence(in: year) }.sorted { $0.date < $1.date }
    }

    /// The holiday that makes `day` a holiday in `region`, if any. Both the calendar date and the
    /// observed day count: a rule that forbids texting on holidays is honoured on both, which errs
    /// on the side of not texting.
    public static func holiday(on day: LocalDate, region: String?) -> Holiday? {
        // A Saturday New Year's Day is observed on December 31 of the year before.
        for year in [day.year, day.year + 1] {
            if let h = legal(year: year, region: region).first(where: { $0.date == day || $0.observed == day }) {
                return h
            }
        }
        return nil
    }

    /// Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    public static func easterSunday(year: Int) -> LocalDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)!
    }
}
