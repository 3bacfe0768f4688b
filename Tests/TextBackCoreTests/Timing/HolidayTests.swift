// Table tests of holiday computation against published dates: the US federal calendar with observed
// days for 2024–2030 (OPM's lists), Easter for many years, and the listed states' extra holidays.

import Testing
@testable import TextBackCore

@Suite("Holidays")
struct HolidayTests {
    /// Observed federal holidays in calendar order (New Year's first), as OPM publishes them.
    @Test("federal holidays, observed days", arguments: [
        (2024, ["2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25"]),
        (2025, ["2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"]),
        (2026, ["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"]),
        (2027, ["2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24"]),
        (2028, ["2027-12-31", "2028-01-17", "2028-02-21", "2028-05-29", "2028-06-19", "2028-07-04", "2028-09-04", "2028-10-09", "2028-11-10", "2028-11-23", "2028-12-25"]),
        (2029, ["2029-01-01", "2029-01-15", "2029-02-19", "2029-05-28", "2029-06-19", "2029-07-04", "2029-09-03", "2029-10-08", "2029-11-12", "2029-11-22", "2029-12-25"]),
        (2030, ["2030-01-01", "2030-01-21", "2030-02-18", "2030-05-27", "2030-06-19", "2030-07-04", "2030-09-02", "2030-10-14", "2030-11-11", "2030-11-28", "2030-12-25"]),
    ])
    func federal(year: Int, observed: [String]) {
        #expect(Holidays.federal(year: year).map(\.observed.description) == observed)
        #expect(Holidays.federal(year: year).allSatisfy { $0.observed.weekday != .saturday && $0.observed.weekday != .sunday })
    }

    @Test("weekend holidays keep their date and move their day off", arguments: [
        ("Independence Day", 2026, "2026-07-04", "2026-07-03"),
        ("Christmas Day", 2027, "2027-12-25", "2027-12-24"),
        ("Independence Day", 2027, "2027-07-04", "2027-07-05"),
        ("New Year's Day", 2028, "2028-01-01", "2027-12-31"),
        ("Juneteenth", 2027, "2027-06-19", "2027-06-18"),
        ("Veterans Day", 2029, "2029-11-11", "2029-11-12"),
    ])
    func observance(name: String, year: Int, date: String, observed: String) {
        let h = Holidays.federal(year: year).first { $0.name == name }
        #expect(h?.date == LocalDate(date))
        #expect(h?.observed == LocalDate(observed))
        #expect(h?.label(on: LocalDate(observed)) == "\(name) (observed)")
        #expect(h?.label(on: LocalDate(date)) == name)
    }

    @Test("Juneteenth and MLK Day start in their first years")
    func firstYears() {
        #expect(!Holidays.federal(year: 2020).contains { $0.name == "Juneteenth" })
        #expect(Holidays.federal(year: 2021).first { $0.name == "Juneteenth" }?.observed == LocalDate("2021-06-18"))
        #expect(!Holidays.federal(year: 1985).contains { $0.name == "Martin Luther King Jr. Day" })
    }

    @Test("Easter Sunday", arguments: [
        (1818, "1818-03-22"), (1943, "1943-04-25"), (2000, "2000-04-23"), (2008, "2008-03-23"), (2019, "2019-04-21"),
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2028, "2028-04-16"),
        (2029, "2029-04-01"), (2030, "2030-04-21"), (2038, "2038-04-25"), (2285, "2285-03-22"),
    ])
    func easter(year: Int, date: String) {
        #expect(Holidays.easterSunday(year: year) == LocalDate(date))
    }

    @Test("state extra holidays", arguments: [
        ("LA", "Mardi Gras", ["2024-02-13", "2025-03-04", "2026-02-17", "2027-02-09", "2028-02-29", "2029-02-13", "2030-03-05"]),
        ("LA", "Good Friday", ["2024-03-29", "2025-04-18", "2026-04-03", "2027-03-26", "2028-04-14", "2029-03-30", "2030-04-19"]),
        ("AL", "Confederate Memorial Day", ["2024-04-22", "2025-04-28", "2026-04-27", "2027-04-26", "2028-04-24", "2029-04-23", "2030-04-22"]),
        ("AL", "Jefferson Davis' Birthday", ["2024-06-03", "2025-06-02", "2026-06-01", "2027-06-07", "2028-06-05", "2029-06-04", "2030-06-03"]),
        ("RI", "Victory Day", ["2024-08-12", "2025-08-11", "2026-08-10", "2027-08-09", "2028-08-14", "2029-08-13", "2030-08-12"]),
        ("UT", "Pioneer Day", ["2024-07-24", "2025-07-24", "2026-07-24", "2027-07-23", "2028-07-24", "2029-07-24", "2030-07-24"]),
    ])
    func stateExtras(region: String, name: String, observed: [String]) {
        let days = (2024...2030).compactMap { year in Holidays.legal(year: year, region: region).first { $0.name == name }?.observed.description }
        #expect(days == observed)
        #expect(!Holidays.legal(year: 2026, region: "NY").contains { $0.name == name })
    }

    @Test("holiday(on:) counts both the date and the observed day", arguments: [
        ("2026-07-03", nil as String?, "Independence Day"), ("2026-07-04", nil, "Independence Day"),
        ("2026-07-02", nil, nil), ("2026-07-05", nil, nil),
        ("2027-12-24", "UT", "Christmas Day"), ("2027-12-25", "UT", "Christmas Day"), ("2027-12-31", "PA", "New Year's Day"),
        ("2027-07-23", "UT", "Pioneer Day"), ("2027-07-24", "UT", "Pioneer Day"), ("2027-07-23", "PA", nil),
        ("2026-02-17", "LA", "Mardi Gras"), ("2026-02-17", "AL", nil), ("2026-08-10", "ri", "Victory Day"),
        ("2026-03-10", "UT", nil),
    ])
    func holidayOn(date: String, region: String?, name: String?) {
        #expect(Holidays.holiday(on: LocalDate(date), region: region)?.name == name)
    }
}
