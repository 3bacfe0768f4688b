// The federal and state sending-window rules of DESIGN §2, as a table of rows rather than code. A row
// says which local hours each weekday allows, whether Sundays and legal holidays are closed, and whether
// the recipient's consent lifts those day bans. Editing the law means editing a row. Citations are
// given where known; "as summarised in DESIGN §2" marks rows whose exact section was not verified.

/// The allowed span of local time for each day of the week; nil for a day means no texts that day.
public struct WeeklyHours: Sendable, Hashable {
    /// Indexed by `Weekday.rawValue - 1`.
    public var days: [DailyWindow?]

    public init(days: [Weekday: DailyWindow]) {
        self.days = Weekday.allCases.map { days[$0] }
    }

    /// The same span every day.
    public static func daily(_ window: DailyWindow) -> WeeklyHours {
        WeeklyHours(days: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, window) }))
    }

    /// Monday–Friday, Saturday and Sunday spans.
    public static func split(weekdays: DailyWindow?, saturday: DailyWindow?, sunday: DailyWindow?) -> WeeklyHours {
        var d: [Weekday: DailyWindow] = [:]
        for day in [Weekday.monday, .tuesday, .wednesday, .thursday, .friday] { d[day] = weekdays }
        d[.saturday] = saturday
        d[.sunday] = sunday
        return WeeklyHours(days: d)
    }

    public subscript(day: Weekday) -> DailyWindow? { days[day.rawValue - 1] }

    /// Whether local `minuteOfDay` on `weekday` is allowed, including a previous day's span that wraps midnight.
    public func allows(_ weekday: Weekday, minuteOfDay m: Int) -> Bool {
        self[weekday]?.containsSameDay(minuteOfDay: m) == true
            || self[weekday.previous]?.containsSpillover(minuteOfDay: m) == true
    }

    /// True when every day has the same span (so a sentence need not name the day).
    public var isUniform: Bool { Set(days).count == 1 }

    /// Every distinct opening and closing minute, for the boundary search.
    var boundaryMinutes: Set<Int> {
        Set(days.compactMap { $0 }.flatMap { [$0.start.minuteOfDay % 1440, $0.end.minuteOfDay % 1440] })
    }
}

/// One jurisdiction's sending-window rule.
public struct StateRule: Sendable, Hashable {
    /// Two-letter state code, or "US" for the federal rule.
    public var region: String
    /// How a sentence names the rule-maker: "Connecticut", "federal law".
    public var name: String
    public var hours: WeeklyHours
    public var closedOnSundays: Bool
    /// Legal holidays (`Holidays.legal(year:region:)`) are closed.
    public var closedOnHolidays: Bool
    /// The recipient's consent lifts the Sunday and holiday bans (Utah's "without consent").
    public var consentLiftsDayBans: Bool
    /// Automated messages on one subject allowed per 24 hours, where the state caps them.
    public var automatedMessageCap: Int?
    public var source: String

    public init(
        region: String, name: String, hours: WeeklyHours, closedOnSundays: Bool = false, closedOnHolidays: Bool = false,
        consentLiftsDayBans: Bool = false, automatedMessageCap: Int? = nil, source: String
    ) {
        self.region = region
        self.name = name
        self.hours = hours
        self.closedOnSundays = closedOnSundays
        self.closedOnHolidays = closedOnHolidays
        self.consentLiftsDayBans = consentLiftsDayBans
        self.automatedMessageCap = automatedMessageCap
        self.source = source
    }
}

public enum StateRules {
    /// Federal quiet hours: 08:00–21:00 recipient local time, every day, everywhere.
    public static let federal = StateRule(
        region: "US", name: "federal law", hours: .daily(DailyWindow(8, 21)),
        source: "47 CFR 64.1200(c)(1)"
    )

    /// State rules keyed by the recipient's state, presumed from the area code (DESIGN §2).
    public static let table: [StateRule] = [
        StateRule(region: "FL", name: "Florida", hours: .daily(DailyWindow(8, 20)), automatedMessageCap: 3,
                  source: "FL Stat. 501.059(8)(a) (Florida Telephone Solicitation Act)"),
        StateRule(region: "OK", name: "Oklahoma", hours: .daily(DailyWindow(8, 20)), automatedMessageCap: 3,
                  source: "OK 15 O.S. 775C.4 (Telephone Solicitation Act of 2022), as summarised in DESIGN §2"),
        StateRule(region: "MD", name: "Maryland", hours: .daily(DailyWindow(8, 20)), automatedMessageCap: 3,
                  source: "MD Com. Law 14-4503 (Stop the Spam Calls Act of 2023), as summarised in DESIGN §2"),
        StateRule(region: "CT", name: "Connecticut", hours: .daily(DailyWindow(9, 20)),
                  source: "CT Gen. Stat. 42-288a"),
        StateRule(region: "WA", name: "Washington", hours: .daily(DailyWindow(8, 20)),
                  source: "WA RCW 80.36.390"),
        StateRule(region: "TX", name: "Texas",
                  hours: .split(weekdays: DailyWindow(9, 21), saturday: DailyWindow(9, 21), sunday: DailyWindow(12, 21)),
                  source: "TX Bus. & Com. Code 301.051 (time of day), as summarised in DESIGN §2"),
        StateRule(region: "UT", name: "Utah", hours: .daily(DailyWindow(8, 21)),
                  closedOnSundays: true, closedOnHolidays: true, consentLiftsDayBans: true,
                  source: "UT Code 13-25a (Telephone and Facsimile Solicitation Act), as summarised in DESIGN §2"),
        StateRule(region: "AL", name: "Alabama", hours: .daily(DailyWindow(8, 20)),
                  closedOnSundays: true, closedOnHolidays: true,
                  source: "AL Admin. Code / telemarketing rules, as summarised in DESIGN §2"),
        StateRule(region: "LA", name: "Louisiana", hours: .daily(DailyWindow(8, 20)),
                  closedOnSundays: true, closedOnHolidays: true,
                  source: "LA R.S. 45:844.11 et seq. (telephone solicitation), as summarised in DESIGN §2"),
        StateRule(region: "MS", name: "Mississippi", hours: .daily(DailyWindow(8, 20)),
                  closedOnSundays: true,
                  source: "MS Code 77-3-701 et seq. (telephone solicitation), as summarised in DESIGN §2"),
        StateRule(region: "RI", name: "Rhode Island",
                  hours: .split(weekdays: DailyWindow(9, 18), saturday: DailyWindow(10, 17), sunday: nil),
                  closedOnSundays: true, closedOnHolidays: true,
                  source: "RI Gen. Laws 5-61 (Telephone Sales Solicitation Act), as summarised in DESIGN §2"),
        StateRule(region: "PA", name: "Pennsylvania", hours: .daily(DailyWindow(8, 21)),
                  closedOnHolidays: true,
                  source: "PA 73 P.S. 2241 et seq. (Telemarketer Registration Act), as summarised in DESIGN §2"),
        StateRule(region: "VA", name: "Virginia", hours: .daily(DailyWindow(8, 21)),
                  source: "VA Code 59.1-510 et seq. (Telephone Privacy Protection Act), as summarised in DESIGN §2"),
    ]

    static let byRegion: [String: StateRule] = Dictionary(uniqueKeysWithValues: table.map { ($0.region, $0) })

    /// The rule for a two-letter state code (case-insensitive); nil where the state adds nothing federal.
    public static func rule(region: String?) -> StateRule? {
        region.flatMap { byRegion[$0.uppercased()] }
    }

    /// Automated messages on one subject a state allows per 24 hours (3 in FL, OK, MD); nil if uncapped.
    public static func automatedMessageCap(region: String?) -> Int? {
        rule(region: region)?.automatedMessageCap
    }
}
