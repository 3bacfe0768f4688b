// Daylight-saving edge cases, written as explicit UTC instants: a local time inside the spring-forward gap
// does not exist, one inside the fall-back overlap happens twice, and rules keyed to such times still find
// the right first instant. Recipients in Tokyo (no DST, daytime then) isolate the business-zone rules
// from federal quiet hours.

import Foundation
import Testing
@testable import TextBackCore

private let ny = "America/New_York", chi = "America/Chicago"

@Suite("Daylight saving time")
struct DSTTests {
    @Test("wall clock → instants", arguments: [
        (ny, "2026-03-08", "01:59", ["2026-03-08T06:59:00Z"]),
        (ny, "2026-03-08", "02:00", []),                                   // skipped
        (ny, "2026-03-08", "02:30", []),                                   // skipped
        (ny, "2026-03-08", "03:00", ["2026-03-08T07:00:00Z"]),
        (ny, "2026-03-08", "08:00", ["2026-03-08T12:00:00Z"]),
        (ny, "2026-11-01", "00:59", ["2026-11-01T04:59:00Z"]),
        (ny, "2026-11-01", "01:00", ["2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z"]), // twice
        (ny, "2026-11-01", "01:30", ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"]),
        (ny, "2026-11-01", "02:00", ["2026-11-01T07:00:00Z"]),
        (ny, "2026-11-01", "08:00", ["2026-11-01T13:00:00Z"]),
        (chi, "2026-03-08", "02:30", []),
        (chi, "2026-03-08", "03:00", ["2026-03-08T08:00:00Z"]),
        (chi, "2026-11-01", "01:30", ["2026-11-01T06:30:00Z", "2026-11-01T07:30:00Z"]),
        ("Asia/Tokyo", "2026-03-08", "02:30", ["2026-03-07T17:30:00Z"]),
    ])
    func instants(zone: String, date: String, time: String, expected: [String]) {
        let tz = TimeZone(identifier: zone)!
        let found = tz.instants(on: LocalDate(date), minuteOfDay: ClockTime(parsing: time)!.minuteOfDay)
        #expect(found.map { Wall.iso($0) } == expected)
        for instant in found {
            #expect(tz.localMoment(at: instant) == LocalMoment(date: LocalDate(date), minuteOfDay: ClockTime(parsing: time)!.minuteOfDay))
        }
    }

    @Test("checks around the change", arguments: [
        (ny, "2026-03-08T06:59:00Z", "01:59", false), (ny, "2026-03-08T07:00:00Z", "03:00", false),
        (ny, "2026-03-08T11:59:00Z", "07:59", false), (ny, "2026-03-08T12:00:00Z", "08:00", true),
        (ny, "2026-03-09T00:59:00Z", "20:59", true), (ny, "2026-03-09T01:00:00Z", "21:00", false),
        (ny, "2026-11-01T05:30:00Z", "01:30", false), (ny, "2026-11-01T06:30:00Z", "01:30", false),
        (ny, "2026-11-01T12:59:00Z", "07:59", false), (ny, "2026-11-01T13:00:00Z", "08:00", true),
        (ny, "2026-11-02T01:59:00Z", "20:59", true), (ny, "2026-11-02T02:00:00Z", "21:00", false),
        (chi, "2026-03-08T12:59:00Z", "07:59", false), (chi, "2026-03-08T13:00:00Z", "08:00", true),
        (chi, "2026-11-01T13:59:00Z", "07:59", false), (chi, "2026-11-01T14:00:00Z", "08:00", true),
    ])
    func checks(zone: String, instant: String, wall: String, allowed: Bool) {
        let check = SendingWindow.check(at: Wall.utc(instant), zones: [zone], region: nil, rules: SendingRules())
        #expect(check.allowed == allowed)
        #expect(check.sentence.hasPrefix("It is \(wall) on Sunday in \(zone);"))
    }

    static func sundayHours(_ start: String, _ end: String) -> SendingRules {
        SendingRules(businessHours: BusinessHours(days: [.sunday: [DailyWindow(start: start, end: end)!]], timeZone: ny))
    }

    @Test("openings inside the gap or the overlap", arguments: [
        // An opening at 02:30 that does not exist: the clock jumps from 01:59 to 03:00, already past it.
        (sundayHours("02:30", "05:00"), "2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z"),
        // An opening at 01:30 on the day 01:00–02:00 happens twice: the first one counts…
        (sundayHours("01:30", "01:45"), "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z"),
        // …and once past, the second one (EST) opens again.
        (sundayHours("01:30", "01:45"), "2026-11-01T05:50:00Z", "2026-11-01T06:30:00Z"),
        // A quiet span ending in the gap ends when the clock jumps.
        (SendingRules(businessHours: BusinessHours(days: [.sunday: [DailyWindow(start: "02:15", end: "24:00")!]], timeZone: chi)),
         "2026-03-08T06:00:00Z", "2026-03-08T08:00:00Z"),
    ])
    func gapAndOverlap(rules: SendingRules, start: String, expected: String) {
        let next = SendingWindow.firstAllowedInstant(atOrAfter: Wall.utc(start), zones: ["Asia/Tokyo"], region: nil, rules: rules)
        #expect(Wall.iso(next) == expected)
    }
}
