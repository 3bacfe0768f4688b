// Table tests of `SendingWindow.firstAllowedInstant`: held texts go out at the next opening in every
// recipient zone, skipping Sundays, holidays and observed days, across DST changes, and always on a whole
// local minute. Expected answers are wall-clock text in the first zone.

import Foundation
import Testing
@testable import TextBackCore

struct NextRow: CustomTestStringConvertible, Sendable {
    var label: String
    var zones: [String]
    var region: String?
    var rules: SendingRules = SendingRules()
    var start: String      // local time in zones[0]
    var expected: String?  // local time in zones[0], "yyyy-MM-dd HH:mm:ss EEE"; nil: none within 14 days
    var testDescription: String { label }
}

private let ny = "America/New_York", chi = "America/Chicago", den = "America/Denver"

@Suite("First allowed instant")
struct FirstAllowedInstantTests {
    static let rows: [NextRow] = [
        NextRow(label: "NY 21:00 Tuesday → Wednesday 08:00", zones: [ny], region: "NY",
                start: "2026-03-10 21:00", expected: "2026-03-11 08:00:00 Wed"),
        NextRow(label: "NY 20:55 Tuesday is already allowed", zones: [ny], region: "NY",
                start: "2026-03-10 20:55", expected: "2026-03-10 20:55:00 Tue"),
        NextRow(label: "NY 20:55 Tuesday with quiet hours from 20:00 → Wednesday 08:00", zones: [ny], region: "NY",
                rules: SendingRules(quietHours: QuietHours(start: "20:00", end: "08:00")),
                start: "2026-03-10 20:55", expected: "2026-03-11 08:00:00 Wed"),
        NextRow(label: "NY 07:59:37 → 08:00:00 exactly", zones: [ny], region: "NY",
                start: "2026-03-10 07:59:37", expected: "2026-03-10 08:00:00 Tue"),
        NextRow(label: "NY 02:00 → 08:00 the same day", zones: [ny], region: nil,
                start: "2026-03-10 02:00", expected: "2026-03-10 08:00:00 Tue"),
        NextRow(label: "CT 20:55 Tuesday → Wednesday 09:00", zones: SendingWindowTests.zones("+12035550142"), region: "CT",
                start: "2026-03-10 20:55", expected: "2026-03-11 09:00:00 Wed"),
        NextRow(label: "RI Saturday 17:30 → Monday 09:00", zones: [ny], region: "RI",
                start: "2026-03-14 17:30", expected: "2026-03-16 09:00:00 Mon"),
        NextRow(label: "RI Saturday 17:30 before MLK Day → Tuesday 09:00", zones: [ny], region: "RI",
                start: "2026-01-17 17:30", expected: "2026-01-20 09:00:00 Tue"),
        NextRow(label: "RI Saturday 17:30 before Victory Day → Tuesday 09:00", zones: [ny], region: "RI",
                start: "2026-08-08 17:30", expected: "2026-08-11 09:00:00 Tue"),
        NextRow(label: "RI Saturday 08:00 → Saturday 10:00", zones: [ny], region: "RI",
                start: "2026-03-14 08:00", expected: "2026-03-14 10:00:00 Sat"),
        NextRow(label: "TX Saturday 21:30 → Sunday 12:00", zones: [chi], region: "TX",
                start: "2026-03-14 21:30", expected: "2026-03-15 12:00:00 Sun"),
        NextRow(label: "UT Thursday 21:30 before Pioneer Day → Saturday 08:00", zones: [den], region: "UT",
                start: "2026-07-23 21:30", expected: "2026-07-25 08:00:00 Sat"),
        NextRow(label: "UT Saturday 21:30 → Monday 08:00", zones: [den], region: "UT",
                start: "2026-03-14 21:30", expected: "2026-03-16 08:00:00 Mon"),
        NextRow(label: "UT Christmas 2027 observed Friday, falls Saturday → Monday 08:00", zones: [den], region: "UT",
                start: "2027-12-23 21:30", expected: "2027-12-27 08:00:00 Mon"),
        NextRow(label: "UT with consent → Friday 08:00 despite Christmas (observed)", zones: [den], region: "UT",
                rules: SendingRules(holidaysAndSundaysConsented: true),
                start: "2027-12-23 21:30", expected: "2027-12-24 08:00:00 Fri"),
        NextRow(label: "PA Thursday 21:30 before July 4 2026 → Sunday 08:00", zones: [ny], region: "PA",
                start: "2026-07-02 21:30", expected: "2026-07-05 08:00:00 Sun"),
        NextRow(label: "AL Saturday 20:30 before Confederate Memorial Day → Tuesday 08:00", zones: [chi], region: "AL",
                start: "2026-04-25 20:30", expected: "2026-04-28 08:00:00 Tue"),
        NextRow(label: "LA Saturday 20:30 before Presidents' Day and Mardi Gras → Wednesday 08:00", zones: [chi], region: "LA",
                start: "2026-02-14 20:30", expected: "2026-02-18 08:00:00 Wed"),
        NextRow(label: "MS Saturday 20:30 → Monday 08:00", zones: [chi], region: "MS",
                start: "2026-03-14 20:30", expected: "2026-03-16 08:00:00 Mon"),
        NextRow(label: "MS the day before July 4 observed is fine → Friday 08:00", zones: [chi], region: "MS",
                start: "2026-07-02 20:30", expected: "2026-07-03 08:00:00 Fri"),
        // Multi-zone prefixes: the later opening and the earlier closing win.
        NextRow(label: "+1208 Boise 07:30 → 09:00 (08:00 Los Angeles)", zones: SendingWindowTests.zones("+12085551234"), region: "ID",
                start: "2026-03-10 07:30", expected: "2026-03-10 09:00:00 Tue"),
        NextRow(label: "+1208 Boise 21:00 → Wednesday 09:00", zones: SendingWindowTests.zones("+12085551234"), region: "ID",
                start: "2026-03-10 21:00", expected: "2026-03-11 09:00:00 Wed"),
        NextRow(label: "+1605 Denver 20:30 → Wednesday 08:00 (09:00 Central)", zones: SendingWindowTests.zones("+16055551234"), region: "SD",
                start: "2026-03-10 20:30", expected: "2026-03-11 08:00:00 Wed"),
        NextRow(label: "+1907 Adak 07:00 → 08:00 (09:00 Anchorage)", zones: SendingWindowTests.zones("+19075551234"), region: "AK",
                start: "2026-03-10 07:00", expected: "2026-03-10 08:00:00 Tue"),
        NextRow(label: "+1907 Adak 20:00 → Wednesday 08:00 (21:00 in Anchorage is closed)", zones: SendingWindowTests.zones("+19075551234"), region: "AK",
                start: "2026-03-10 20:00", expected: "2026-03-11 08:00:00 Wed"),
        // Windows wrapping midnight.
        NextRow(label: "quiet 20:00–09:30: Tuesday 23:00 → Wednesday 09:30", zones: [ny], region: nil,
                rules: SendingRules(quietHours: QuietHours(start: "20:00", end: "09:30")),
                start: "2026-03-10 23:00", expected: "2026-03-11 09:30:00 Wed"),
        NextRow(label: "quiet 20:00–09:30: Wednesday 00:30 → Wednesday 09:30", zones: [ny], region: nil,
                rules: SendingRules(quietHours: QuietHours(start: "20:00", end: "09:30")),
                start: "2026-03-11 00:30", expected: "2026-03-11 09:30:00 Wed"),
        NextRow(label: "business Friday 18:00–02:00: Friday 12:00 → Friday 18:00", zones: [ny], region: nil,
                rules: SendingRules(businessHours: SendingWindowTests.lateFriday),
                start: "2026-03-13 12:00", expected: "2026-03-13 18:00:00 Fri"),
        NextRow(label: "business Friday 18:00–02:00: Friday 21:00 → next Friday 18:00", zones: [ny], region: nil,
                rules: SendingRules(businessHours: SendingWindowTests.lateFriday),
                start: "2026-03-13 21:00", expected: "2026-03-20 18:00:00 Fri"),
        NextRow(label: "business weekdays in Chicago, recipient in Los Angeles: Friday 16:30 → Monday 08:00",
                zones: ["America/Los_Angeles"], region: "CA",
                rules: SendingRules(businessHours: { var h = SendingWindowTests.weekdays9to5; h.timeZone = chi; return h }()),
                start: "2026-03-13 16:30", expected: "2026-03-16 08:00:00 Mon"),
        NextRow(label: "business lunch break: Friday 12:00 → 13:00", zones: [ny], region: "NY",
                rules: SendingRules(businessHours: SendingWindowTests.weekdays9to5),
                start: "2026-03-13 12:00", expected: "2026-03-13 13:00:00 Fri"),
        // DST: 08:00 local on the change days (New York EST→EDT on 2026-03-08, EDT→EST on 2026-11-01).
        NextRow(label: "NY Saturday 22:00 → Sunday 08:00 EDT on spring-forward day", zones: [ny], region: nil,
                start: "2026-03-07 22:00", expected: "2026-03-08 08:00:00 Sun"),
        NextRow(label: "NY Saturday 22:00 → Sunday 08:00 EST on fall-back day", zones: [ny], region: nil,
                start: "2026-10-31 22:00", expected: "2026-11-01 08:00:00 Sun"),
        NextRow(label: "Chicago Saturday 22:00 → Sunday 08:00 CDT on spring-forward day", zones: [chi], region: nil,
                start: "2026-03-07 22:00", expected: "2026-03-08 08:00:00 Sun"),
        NextRow(label: "Chicago Saturday 22:00 → Sunday 08:00 CST on fall-back day", zones: [chi], region: nil,
                start: "2026-10-31 22:00", expected: "2026-11-01 08:00:00 Sun"),
        // Nothing within 14 days.
        NextRow(label: "no business hours at all → nil", zones: [ny], region: nil,
                rules: SendingRules(businessHours: BusinessHours(days: [:])), start: "2026-03-10 12:00", expected: nil),
        NextRow(label: "Guam and Pago Pago are 21 hours apart yet share 08:00–21:00 at Guam noon", zones: ["Pacific/Guam", "Pacific/Pago_Pago"],
                region: nil, start: "2026-03-10 12:00", expected: "2026-03-10 12:00:00 Tue"),
        NextRow(label: "three zones 8 hours apart never share a window → nil", zones: ["Etc/UTC", "Asia/Shanghai", "America/Los_Angeles"],
                region: nil, start: "2026-03-10 12:00", expected: nil),
        NextRow(label: "quiet all day → nil", zones: [ny], region: nil,
                rules: SendingRules(quietHours: QuietHours(start: "00:00", end: "24:00")), start: "2026-03-10 12:00", expected: nil),
        NextRow(label: "unknown zone → nil", zones: ["Nowhere/Atlantis"], region: nil, start: "2026-03-10 12:00", expected: nil),
    ]

    @Test("next opening", arguments: rows)
    func next(row: NextRow) {
        let zone = TimeZone(identifier: row.zones[0]) != nil ? row.zones[0] : ny
        let start = Wall.at(row.start, zone)
        let next = SendingWindow.firstAllowedInstant(atOrAfter: start, zones: row.zones, region: row.region, rules: row.rules)
        #expect(Wall.text(next, zone) == (row.expected ?? "nil"))
        guard let next else { return }
        #expect(SendingWindow.check(at: next, zones: row.zones, region: row.region, rules: row.rules).allowed)
        if next != start {
            #expect(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
            // Nothing earlier is allowed: the minute before the answer is refused.
            #expect(!SendingWindow.check(at: next.addingTimeInterval(-60), zones: row.zones, region: row.region, rules: row.rules).allowed)
        }
    }

    @Test("DST change days land on the right UTC instants", arguments: [
        (ny, "2026-03-07T22:00:00-05:00", "2026-03-08T12:00:00Z"),
        (ny, "2026-10-31T22:00:00-04:00", "2026-11-01T13:00:00Z"),
        (chi, "2026-03-07T22:00:00-06:00", "2026-03-08T13:00:00Z"),
        (chi, "2026-10-31T22:00:00-05:00", "2026-11-01T14:00:00Z"),
    ])
    func dstUTC(zone: String, start: String, expected: String) {
        let next = SendingWindow.firstAllowedInstant(atOrAfter: Wall.utc(start), zones: [zone], region: nil, rules: SendingRules())
        #expect(Wall.iso(next) == expected)
    }
}
