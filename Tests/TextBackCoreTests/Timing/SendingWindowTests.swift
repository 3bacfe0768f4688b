// Table tests of `SendingWindow.check` beyond single-state edges: numbers whose prefix spans several
// zones, configured quiet hours and business hours (including spans that wrap midnight), unknown zones,
// the sentence people read, zone resolution for a recipient, and staleness.

import Foundation
import Testing
@testable import TextBackCore

private let ny = "America/New_York", chi = "America/Chicago", den = "America/Denver", la = "America/Los_Angeles"

@Suite("Sending window checks")
struct SendingWindowTests {
    static func zones(_ number: String) -> [String] {
        SendingWindow.recipientZones(contactTimeZone: nil, number: try! PhoneNumber(parsing: number), businessZone: chi)
    }

    @Test("multi-zone prefixes must be allowed in every zone", arguments: [
        // number, reference zone, local time there, reasons
        ("+12085551234", "America/Boise", "2026-03-10 08:30", ["federal_quiet_hours"]),  // 07:30 in Los Angeles
        ("+12085551234", "America/Boise", "2026-03-10 09:00", []),
        ("+12085551234", "America/Boise", "2026-03-10 20:59", []),
        ("+12085551234", "America/Boise", "2026-03-10 21:00", ["federal_quiet_hours"]),
        ("+16055551234", den, "2026-03-10 08:00", []),                                   // 09:00 Central
        ("+16055551234", den, "2026-03-10 19:59", []),
        ("+16055551234", den, "2026-03-10 20:00", ["federal_quiet_hours"]),              // 21:00 Central
        ("+19075551234", "America/Anchorage", "2026-03-10 08:59", ["federal_quiet_hours"]), // 07:59 in Adak
        ("+19075551234", "America/Anchorage", "2026-03-10 09:00", []),
        ("+19075551234", "America/Anchorage", "2026-03-10 20:59", []),
        ("+19075551234", "America/Anchorage", "2026-03-10 21:00", ["federal_quiet_hours"]),
    ])
    func multiZone(number: String, zone: String, local: String, reasons: [String]) throws {
        let n = try PhoneNumber(parsing: number)
        let check = SendingWindow.check(at: Wall.at(local, zone), zones: Self.zones(number), region: NANP.region(for: n), rules: SendingRules())
        #expect(check.reasons == reasons)
        #expect(check.allowed == reasons.isEmpty)
    }

    @Test("sentences name the time, zone and rule, never the number", arguments: [
        ([ny], "CT", ny, "2026-03-10 20:55", SendingRules(),
         "It is 20:55 on Tuesday in America/New_York; Connecticut allows texts 09:00–20:00."),
        ([chi], "TX", chi, "2026-03-15 11:59", SendingRules(),
         "It is 11:59 on Sunday in America/Chicago; Texas allows texts 12:00–21:00 on Sundays."),
        ([chi], "AL", chi, "2026-03-15 22:30", SendingRules(),
         "It is 22:30 on Sunday in America/Chicago; federal law allows texts 08:00–21:00; Alabama does not allow texts on Sundays."),
        ([den], "UT", den, "2027-12-24 12:00", SendingRules(),
         "It is 12:00 on Friday in America/Denver; Utah does not allow texts on legal holidays without the recipient's consent and today is Christmas Day (observed)."),
        ([ny], "NY", ny, "2026-03-10 20:30", SendingRules(quietHours: QuietHours(start: "20:00", end: "08:00")),
         "It is 20:30 on Tuesday in America/New_York; the business's quiet hours are 20:00–08:00."),
        ([ny], "NY", ny, "2026-03-10 12:00", SendingRules(),
         "It is 12:00 on Tuesday in America/New_York; texts are allowed now."),
        (["America/Boise", la], "ID", la, "2026-03-10 07:30", SendingRules(),
         "It is 07:30 on Tuesday in America/Los_Angeles; federal law allows texts 08:00–21:00."),
        (["America/Boise", la], "ID", la, "2026-03-10 12:00", SendingRules(),
         "It is 13:00 on Tuesday in America/Boise and 12:00 on Tuesday in America/Los_Angeles; texts are allowed now."),
        (["Nowhere/Atlantis"], "CT", ny, "2026-03-10 12:00", SendingRules(),
         "No valid time zone is known for the recipient, so their local time cannot be checked."),
    ])
    func sentences(zones: [String], region: String, zone: String, local: String, rules: SendingRules, sentence: String) {
        let check = SendingWindow.check(at: Wall.at(local, zone), zones: zones, region: region, rules: rules)
        #expect(check.sentence == sentence)
        #expect(!check.sentence.contains("+1"))
    }

    static let weekdays9to5 = BusinessHours(days: [
        .monday: [DailyWindow(start: "09:00", end: "17:00")!], .tuesday: [DailyWindow(start: "09:00", end: "17:00")!],
        .wednesday: [DailyWindow(start: "09:00", end: "17:00")!], .thursday: [DailyWindow(start: "09:00", end: "17:00")!],
        .friday: [DailyWindow(start: "09:00", end: "12:00")!, DailyWindow(start: "13:00", end: "17:00")!],
    ])
    static let lateFriday = BusinessHours(days: [.friday: [DailyWindow(start: "18:00", end: "02:00")!]])

    @Test("configured quiet hours and business hours", arguments: [
        // rules, local time in New York, reasons
        (SendingRules(quietHours: QuietHours(start: "21:00", end: "08:00")), "2026-03-10 20:59", [String]()),
        (SendingRules(quietHours: QuietHours(start: "21:00", end: "08:00")), "2026-03-10 21:00", ["federal_quiet_hours", "configured_quiet_hours"]),
        (SendingRules(quietHours: QuietHours(start: "20:00", end: "09:30")), "2026-03-10 09:29", ["configured_quiet_hours"]),
        (SendingRules(quietHours: QuietHours(start: "20:00", end: "09:30")), "2026-03-10 09:30", []),
        (SendingRules(quietHours: QuietHours(start: "20:00", end: "09:30")), "2026-03-10 19:59", []),
        (SendingRules(quietHours: QuietHours(start: "12:00", end: "13:00")), "2026-03-10 12:30", ["configured_quiet_hours"]),
        (SendingRules(quietHours: QuietHours(start: "12:00", end: "12:00")), "2026-03-10 12:00", []),
        (SendingRules(businessHours: weekdays9to5), "2026-03-10 08:59", ["outside_business_hours"]),
        (SendingRules(businessHours: weekdays9to5), "2026-03-10 09:00", []),
        (SendingRules(businessHours: weekdays9to5), "2026-03-10 16:59", []),
        (SendingRules(businessHours: weekdays9to5), "2026-03-10 17:00", ["outside_business_hours"]),
        (SendingRules(businessHours: weekdays9to5), "2026-03-13 12:30", ["outside_business_hours"]),
        (SendingRules(businessHours: weekdays9to5), "2026-03-14 12:00", ["outside_business_hours"]),
        // A Friday span wrapping midnight still holds early Saturday (federal quiet hours refuse there).
        (SendingRules(businessHours: lateFriday), "2026-03-13 17:59", ["outside_business_hours"]),
        (SendingRules(businessHours: lateFriday), "2026-03-13 18:00", []),
        (SendingRules(businessHours: lateFriday), "2026-03-14 01:00", ["federal_quiet_hours"]),
        (SendingRules(businessHours: lateFriday), "2026-03-14 02:00", ["federal_quiet_hours", "outside_business_hours"]),
        (SendingRules(businessHours: lateFriday), "2026-03-14 20:00", ["outside_business_hours"]),
    ])
    func configured(rules: SendingRules, local: String, reasons: [String]) {
        let check = SendingWindow.check(at: Wall.at(local, ny), zones: [ny], region: "NY", rules: rules)
        #expect(check.reasons == reasons)
    }

    @Test("business hours in the business's own zone")
    func businessZone() {
        var hours = Self.weekdays9to5
        hours.timeZone = chi
        let rules = SendingRules(businessHours: hours)
        // 08:30 in Los Angeles is 10:30 in Chicago: both allow.
        #expect(SendingWindow.check(at: Wall.at("2026-03-10 08:30", la), zones: [la], region: "CA", rules: rules).allowed)
        // 15:30 in Los Angeles is 17:30 in Chicago: the business is closed.
        let late = SendingWindow.check(at: Wall.at("2026-03-10 15:30", la), zones: [la], region: "CA", rules: rules)
        #expect(late.reasons == ["outside_business_hours"])
        #expect(late.sentence == "It is 17:30 on Tuesday in America/Chicago, the business's time zone; the business texts only 09:00–17:00 on Tuesdays.")
        hours.timeZone = "Nowhere/Atlantis"
        #expect(SendingWindow.check(at: Wall.at("2026-03-10 08:30", la), zones: [la], region: "CA", rules: SendingRules(businessHours: hours)).reasons == ["no_valid_time_zone"])
    }

    @Test("unknown zones are ignored; none left refuses", arguments: [
        (["Nowhere/Atlantis", ny], "2026-03-10 12:00", true, [String]()),
        (["Nowhere/Atlantis", ny], "2026-03-10 07:00", false, ["federal_quiet_hours"]),
        ([ny, ny], "2026-03-10 12:00", true, []),
        (["Nowhere/Atlantis"], "2026-03-10 12:00", false, ["no_valid_time_zone"]),
        ([], "2026-03-10 12:00", false, ["no_valid_time_zone"]),
    ])
    func unknownZones(zones: [String], local: String, allowed: Bool, reasons: [String]) {
        let check = SendingWindow.check(at: Wall.at(local, ny), zones: zones, region: nil, rules: SendingRules())
        #expect(check.allowed == allowed)
        #expect(check.reasons == reasons)
    }

    @Test("recipient zones: contact attribute, else prefix, else business", arguments: [
        ("America/Denver", "+12125550142", [den]),
        ("  America/Denver ", "+12125550142", [den]),
        ("Not/AZone", "+12125550142", [ny]),
        ("", "+12125550142", [ny]),
        (nil, "+12085551234", ["America/Boise", la]),
        (nil, "+16055551234", [den, "America/North_Dakota/Center"]),
        (nil, "+18005550199", [chi]),
        (nil, "+442079460000", [chi]),
        ("Europe/London", "+442079460000", ["Europe/London"]),
    ] as [(String?, String, [String])])
    func recipientZones(contact: String?, number: String, zones: [String]) throws {
        let n = try PhoneNumber(parsing: number)
        #expect(SendingWindow.recipientZones(contactTimeZone: contact, number: n, businessZone: chi) == zones)
    }

    @Test("staleness", arguments: [
        (0, 12 * 3600 - 1, TimeSpan.hours(12) as TimeSpan?, false),
        (0, 12 * 3600, .hours(12), false),
        (0, 12 * 3600 + 1, .hours(12), true),
        (0, 30 * 86_400, nil, false),
        (100, 100, .minutes(0), false),
        (100, 101, .minutes(0), true),
    ])
    func stale(created: Int, send: Int, limit: TimeSpan?, stale: Bool) {
        let base = Wall.utc("2026-03-10T12:00:00Z")
        #expect(SendingWindow.isStale(createdAt: base.addingTimeInterval(Double(created)),
                                      sendAt: base.addingTimeInterval(Double(send)), staleAfter: limit) == stale)
    }
}
