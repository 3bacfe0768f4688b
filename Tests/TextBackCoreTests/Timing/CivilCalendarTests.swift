// Table tests of the calendar arithmetic under holidays and windows: weekdays of known dates, day-number
// round trips across centuries and leap days, ISO parsing, and clock-time parsing and daily spans.

import Foundation
import Testing
@testable import TextBackCore

@Suite("Calendar and clock basics")
struct CivilCalendarTests {
    @Test("weekday of known dates", arguments: [
        ("1970-01-01", Weekday.thursday), ("2000-02-29", .tuesday), ("1969-12-31", .wednesday),
        ("2026-03-08", .sunday), ("2026-03-10", .tuesday), ("2026-07-04", .saturday),
        ("2027-12-25", .saturday), ("2028-01-01", .saturday), ("2100-03-01", .monday), ("1900-01-01", .monday),
    ])
    func weekdays(date: String, weekday: Weekday) {
        #expect(LocalDate(date).weekday == weekday)
    }

    @Test("day numbers round-trip", arguments: [-700_000, -1, 0, 1, 11_016, 20_520, 59, 60, 18_321, 47_482, 2_932_896])
    func roundTrip(days: Int) {
        let d = LocalDate(daysSinceEpoch: days)
        #expect(d.daysSinceEpoch == days)
        #expect(LocalDate(iso: d.description) == d)
    }

    @Test("day numbers agree with Foundation", arguments: ["2026-03-08", "1999-12-31", "2024-02-29", "2030-11-28"])
    func agreesWithFoundation(date: String) {
        let utc = Wall.at("\(date) 00:00", "UTC")
        #expect(LocalDate(date).daysSinceEpoch * 86_400 == Int(utc.timeIntervalSince1970))
    }

    @Test("ISO dates parse strictly", arguments: [
        ("2026-02-28", true), ("2024-02-29", true), ("2026-02-29", false), ("2026-13-01", false),
        ("2026-1-01", false), ("26-01-01", false), ("2026-04-31", false), ("", false),
    ])
    func isoParsing(text: String, valid: Bool) {
        #expect((LocalDate(iso: text) != nil) == valid)
    }

    @Test("clock times parse", arguments: [
        ("21:00", 1260 as Int?), ("08:00", 480), ("8:00", 480), ("00:00", 0), ("23:59", 1439), ("24:00", 1440),
        ("24:01", nil), ("25:00", nil), ("12:60", nil), ("1200", nil), ("12:5", nil), ("ab:cd", nil), ("-1:00", nil), ("", nil),
    ])
    func clockParsing(text: String, minute: Int?) {
        #expect(ClockTime(parsing: text)?.minuteOfDay == minute)
    }

    @Test("clock times encode as HH:MM")
    func clockCoding() throws {
        let window = DailyWindow(start: "21:00", end: "8:00")!
        let data = try JSONEncoder().encode(window)
        #expect(String(decoding: data, as: UTF8.self).contains(#""start":"21:00""#))
        #expect(try JSONDecoder().decode(DailyWindow.self, from: data) == window)
        #expect(try JSONDecoder().decode(Weekday.self, from: Data(#""mon""#.utf8)) == .monday)
    }

    @Test("daily windows, wrapping and not", arguments: [
        // start, end, minute, contained
        ("21:00", "08:00", "20:59", false), ("21:00", "08:00", "21:00", true), ("21:00", "08:00", "23:59", true),
        ("21:00", "08:00", "00:00", true), ("21:00", "08:00", "07:59", true), ("21:00", "08:00", "08:00", false),
        ("09:00", "20:00", "08:59", false), ("09:00", "20:00", "09:00", true), ("09:00", "20:00", "19:59", true),
        ("09:00", "20:00", "20:00", false), ("12:00", "12:00", "12:00", false), ("00:00", "24:00", "00:00", true),
        ("00:00", "24:00", "23:59", true), ("22:00", "00:00", "23:30", true), ("22:00", "00:00", "00:30", false),
    ])
    func windows(start: String, end: String, at: String, contained: Bool) {
        let w = DailyWindow(start: start, end: end)!
        #expect(w.contains(minuteOfDay: ClockTime(parsing: at)!.minuteOfDay) == contained)
    }
}
