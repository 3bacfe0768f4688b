// Every state rule of DESIGN §2 at its edges: a minute before and at each opening and closing, Sundays,
// and holidays (with their observed days), in a zone of that state. 2026-03-10 is a Tuesday, 03-14 a
// Saturday, 03-15 a Sunday.

import Foundation
import Testing
@testable import TextBackCore

struct EdgeRow: CustomTestStringConvertible, Sendable {
    var region: String?
    var zone: String
    var local: String
    var reasons: [String]  // empty: allowed
    var testDescription: String { "\(region ?? "-") \(local) \(zone) → \(reasons.isEmpty ? "allowed" : reasons.joined(separator: ","))" }
}

private let fed = "federal_quiet_hours", state = "state_quiet_hours", sunday = "state_sunday", holiday = "state_holiday"
private let ny = "America/New_York", chi = "America/Chicago", den = "America/Denver", la = "America/Los_Angeles"

private func row(_ region: String?, _ zone: String, _ local: String, _ reasons: String...) -> EdgeRow {
    EdgeRow(region: region, zone: zone, local: local, reasons: reasons)
}

@Suite("State rules at their edges")
struct StateRuleTests {
    static let rows: [EdgeRow] = [
        // Federal only (a state without its own rule, and an unknown region).
        row("NY", ny, "2026-03-10 07:59", fed), row("NY", ny, "2026-03-10 08:00"),
        row("NY", ny, "2026-03-10 20:59"), row("NY", ny, "2026-03-10 21:00", fed),
        row(nil, la, "2026-03-15 07:59", fed), row(nil, la, "2026-03-15 08:00"), row("ON", "America/Toronto", "2026-03-10 20:59"),
        // FL, OK, MD, WA: 08–20.
        row("FL", ny, "2026-03-10 07:59", fed, state), row("FL", ny, "2026-03-10 08:00"),
        row("FL", ny, "2026-03-10 19:59"), row("FL", ny, "2026-03-10 20:00", state), row("FL", ny, "2026-03-10 21:00", fed, state),
        row("FL", ny, "2026-03-15 12:00"), row("FL", ny, "2026-07-03 12:00"),
        row("OK", chi, "2026-03-10 07:59", fed, state), row("OK", chi, "2026-03-10 08:00"),
        row("OK", chi, "2026-03-10 19:59"), row("OK", chi, "2026-03-10 20:00", state),
        row("MD", ny, "2026-03-10 07:59", fed, state), row("MD", ny, "2026-03-10 08:00"),
        row("MD", ny, "2026-03-10 19:59"), row("MD", ny, "2026-03-10 20:00", state),
        row("WA", la, "2026-03-10 07:59", fed, state), row("WA", la, "2026-03-10 08:00"),
        row("WA", la, "2026-03-10 19:59"), row("WA", la, "2026-03-10 20:00", state),
        // CT: 09–20.
        row("CT", ny, "2026-03-10 07:59", fed, state), row("CT", ny, "2026-03-10 08:59", state), row("CT", ny, "2026-03-10 09:00"),
        row("CT", ny, "2026-03-10 19:59"), row("CT", ny, "2026-03-10 20:00", state), row("CT", ny, "2026-03-15 09:00"),
        // TX: Mon–Sat 09–21, Sun 12–21.
        row("TX", chi, "2026-03-10 08:59", state), row("TX", chi, "2026-03-10 09:00"),
        row("TX", chi, "2026-03-10 20:59"), row("TX", chi, "2026-03-10 21:00", fed, state),
        row("TX", chi, "2026-03-14 08:59", state), row("TX", chi, "2026-03-14 09:00"), row("TX", chi, "2026-03-14 20:59"),
        row("TX", chi, "2026-03-15 09:00", state), row("TX", chi, "2026-03-15 11:59", state), row("TX", chi, "2026-03-15 12:00"),
        row("TX", chi, "2026-03-15 20:59"), row("TX", chi, "2026-03-15 21:00", fed, state),
        // UT: 08–21, no Sundays or legal holidays (Pioneer Day 2026-07-24; Christmas 2027 on a Saturday).
        row("UT", den, "2026-03-10 07:59", fed, state), row("UT", den, "2026-03-10 08:00"),
        row("UT", den, "2026-03-10 20:59"), row("UT", den, "2026-03-10 21:00", fed, state),
        row("UT", den, "2026-03-14 12:00"), row("UT", den, "2026-03-15 12:00", sunday), row("UT", den, "2026-03-15 07:00", fed, sunday),
        row("UT", den, "2026-07-23 20:59"), row("UT", den, "2026-07-24 08:00", holiday), row("UT", den, "2026-07-25 08:00"),
        row("UT", den, "2027-12-23 12:00"), row("UT", den, "2027-12-24 12:00", holiday), row("UT", den, "2027-12-25 12:00", holiday),
        row("UT", den, "2027-12-31 12:00", holiday), row("UT", den, "2028-01-03 12:00"),
        // AL: 08–20, no Sundays or holidays (Confederate Memorial Day 2026-04-27, Jefferson Davis' Birthday 2026-06-01).
        row("AL", chi, "2026-03-10 07:59", fed, state), row("AL", chi, "2026-03-10 08:00"),
        row("AL", chi, "2026-03-10 19:59"), row("AL", chi, "2026-03-10 20:00", state),
        row("AL", chi, "2026-03-14 12:00"), row("AL", chi, "2026-03-15 12:00", sunday),
        row("AL", chi, "2026-04-27 12:00", holiday), row("AL", chi, "2026-06-01 12:00", holiday), row("AL", chi, "2026-01-19 12:00", holiday),
        // LA: 08–20 Mon–Sat, no Sundays or state holidays (Mardi Gras 2026-02-17, Good Friday 2026-04-03).
        row("LA", chi, "2026-03-10 07:59", fed, state), row("LA", chi, "2026-03-10 08:00"),
        row("LA", chi, "2026-03-10 19:59"), row("LA", chi, "2026-03-10 20:00", state),
        row("LA", chi, "2026-03-14 19:59"), row("LA", chi, "2026-03-15 12:00", sunday),
        row("LA", chi, "2026-02-17 12:00", holiday), row("LA", chi, "2026-04-03 12:00", holiday), row("LA", chi, "2026-02-18 12:00"),
        // MS: 08–20, no Sundays; holidays are not restricted.
        row("MS", chi, "2026-03-10 07:59", fed, state), row("MS", chi, "2026-03-10 08:00"),
        row("MS", chi, "2026-03-10 19:59"), row("MS", chi, "2026-03-10 20:00", state),
        row("MS", chi, "2026-03-15 12:00", sunday), row("MS", chi, "2026-07-03 12:00"), row("MS", chi, "2026-12-25 12:00"),
        // RI: Mon–Fri 09–18, Sat 10–17, no Sundays or holidays (Victory Day 2026-08-10).
        row("RI", ny, "2026-03-10 08:59", state), row("RI", ny, "2026-03-10 09:00"),
        row("RI", ny, "2026-03-10 17:59"), row("RI", ny, "2026-03-10 18:00", state),
        row("RI", ny, "2026-03-14 09:59", state), row("RI", ny, "2026-03-14 10:00"),
        row("RI", ny, "2026-03-14 16:59"), row("RI", ny, "2026-03-14 17:00", state),
        row("RI", ny, "2026-03-15 12:00", sunday), row("RI", ny, "2026-08-10 12:00", holiday), row("RI", ny, "2026-08-11 12:00"),
        row("RI", ny, "2026-11-26 12:00", holiday),
        // PA: 08–21, no legal holidays (Independence Day 2026 on a Saturday, observed Friday July 3).
        row("PA", ny, "2026-03-10 07:59", fed, state), row("PA", ny, "2026-03-10 08:00"),
        row("PA", ny, "2026-03-10 20:59"), row("PA", ny, "2026-03-10 21:00", fed, state), row("PA", ny, "2026-03-15 12:00"),
        row("PA", ny, "2026-07-02 12:00"), row("PA", ny, "2026-07-03 12:00", holiday), row("PA", ny, "2026-07-04 12:00", holiday),
        row("PA", ny, "2026-07-05 12:00"), row("PA", ny, "2026-07-03 22:00", fed, holiday),
        // VA: 08–21.
        row("VA", ny, "2026-03-10 07:59", fed, state), row("VA", ny, "2026-03-10 08:00"),
        row("VA", ny, "2026-03-10 20:59"), row("VA", ny, "2026-03-10 21:00", fed, state),
    ]

    @Test("edges", arguments: rows)
    func edge(row: EdgeRow) {
        let check = SendingWindow.check(at: Wall.at(row.local, row.zone), zones: [row.zone], region: row.region, rules: SendingRules())
        #expect(check.allowed == row.reasons.isEmpty)
        #expect(check.reasons == row.reasons)
    }

    @Test("a second before the boundary counts as the minute before", arguments: [
        ("CT", "2026-03-10 08:59:59", false), ("CT", "2026-03-10 19:59:59", true), ("TX", "2026-03-15 11:59:59", false),
    ])
    func seconds(region: String, local: String, allowed: Bool) {
        let zone = region == "TX" ? chi : ny
        #expect(SendingWindow.check(at: Wall.at(local, zone), zones: [zone], region: region, rules: SendingRules()).allowed == allowed)
    }

    @Test("consent lifts Utah's Sunday and holiday bans, and only Utah's", arguments: [
        ("UT", den, "2026-03-15 12:00", true), ("UT", den, "2027-12-24 12:00", true), ("UT", den, "2026-03-15 07:59", false),
        ("AL", chi, "2026-03-15 12:00", false), ("RI", ny, "2026-08-10 12:00", false), ("PA", ny, "2026-07-03 12:00", false),
    ])
    func consent(region: String, zone: String, local: String, allowed: Bool) {
        let rules = SendingRules(holidaysAndSundaysConsented: true)
        #expect(SendingWindow.check(at: Wall.at(local, zone), zones: [zone], region: region, rules: rules).allowed == allowed)
    }

    @Test("region codes are case-insensitive and the table is complete")
    func table() {
        #expect(Set(StateRules.table.map(\.region)) == ["FL", "OK", "MD", "CT", "WA", "TX", "UT", "AL", "LA", "MS", "RI", "PA", "VA"])
        #expect(StateRules.rule(region: "ct")?.name == "Connecticut")
        #expect(StateRules.rule(region: "NY") == nil)
        #expect(StateRules.rule(region: nil) == nil)
        #expect(StateRules.table.allSatisfy { !$0.source.isEmpty })
    }

    @Test("automated message caps", arguments: [
        ("FL", 3 as Int?), ("OK", 3), ("MD", 3), ("fl", 3), ("CT", nil), ("TX", nil), ("NY", nil), (nil, nil),
    ] as [(String?, Int?)])
    func caps(region: String?, cap: Int?) {
        #expect(StateRules.automatedMessageCap(region: region) == cap)
    }
}
