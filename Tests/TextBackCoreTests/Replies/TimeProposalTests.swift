// Resolving proposed callback times against a fixed reference: 2026-03-03T14:00:00Z, which is
// Tuesday 09:00 EST in America/New_York. US daylight saving starts Sunday 2026-03-08, so times from
// then on are EDT (UTC-4): the expectations below check the zone is applied per date.

import Foundation
import Testing
@testable import TextBackCore

private let now = try! Date("2026-03-03T14:00:00Z", strategy: .iso8601)
private let newYork = TimeZone(identifier: "America/New_York")!

struct TimeProposalTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: String?
        init(_ text: String, _ expected: String?) {
            self.text = text
            self.expected = expected
        }
        var testDescription: String { "\(text.debugDescription) → \(expected ?? "no time")" }
    }

    static let cases: [Case] = [
        Case("tomorrow after 5", "2026-03-04T22:00:00Z"),          // Wed 17:00 EST
        Case("call me at 3pm", "2026-03-03T20:00:00Z"),            // today 15:00, still ahead
        Case("call me at 8am", "2026-03-04T13:00:00Z"),            // 08:00 has passed → tomorrow
        Case("Monday morning", "2026-03-09T13:00:00Z"),            // next Monday 09:00 EDT
        Case("tonight", "2026-03-04T00:00:00Z"),                   // today 19:00 EST
        Case("in an hour", "2026-03-03T15:00:00Z"),                // now + 1h
        Case("after 5", "2026-03-03T22:00:00Z"),                   // today 17:00
        Case("in 30 minutes", "2026-03-03T14:30:00Z"),
        Case("in half an hour", "2026-03-03T14:30:00Z"),
        Case("in 2 hours", "2026-03-03T16:00:00Z"),
        Case("3:30pm tomorrow", "2026-03-04T20:30:00Z"),
        Case("Tomorrow at 10:15 a.m.", "2026-03-04T15:15:00Z"),
        Case("Tuesday at 10", "2026-03-03T15:00:00Z"),             // today is Tuesday and 10:00 is ahead
        Case("Tuesday at 8", "2026-03-10T12:00:00Z"),              // 08:00 today has passed → next week, EDT
        Case("next Tuesday", "2026-03-10T13:00:00Z"),              // never today; a day alone → 09:00
        Case("Friday", "2026-03-06T14:00:00Z"),                    // 09:00 EST
        Case("Saturday afternoon", "2026-03-07T18:00:00Z"),        // 13:00 EST
        Case("tonight at 8", "2026-03-04T01:00:00Z"),              // 20:00: "tonight" makes 8 pm
        Case("tomorrow evening", "2026-03-04T23:00:00Z"),          // 18:00 EST
        Case("tomorrow before noon", "2026-03-04T16:00:00Z"),      // an hour before noon: 11:00 EST
        Case("anytime after 7", "2026-03-04T00:00:00Z"),           // 19:00 EST
        Case("around 11", "2026-03-03T16:00:00Z"),                 // 11 → morning
        Case("noon", "2026-03-03T17:00:00Z"),
        Case("Yes, tmrw @ 4", "2026-03-04T21:00:00Z"),             // shorthand and @
        // The 9pm is a limit, not a proposal; "mornings" at 09:00 sharp is now.
        Case("Don't text me after 9pm please, mornings are fine", "2026-03-03T14:00:00Z"),
        Case("next week", nil),                                    // vague: a proposal without a time
        Case("the end of the week works", nil),
    ]

    @Test("resolved times", arguments: cases)
    func resolves(_ c: Case) throws {
        let r = ReplyClassifier.classify(c.text, now: now, timeZone: newYork)
        #expect(r.intent == .proposeTime, "\(ReplyClassifier.explain(c.text).reason)")
        #expect(!r.revokesConsent)
        if let expected = c.expected {
            let time = try #require(r.time)
            #expect(time.formatted(.iso8601) == expected)
        } else {
            #expect(r.time == nil)
        }
    }

    @Test func anotherZoneGivesAnotherInstant() throws {
        let la = TimeZone(identifier: "America/Los_Angeles")!
        // 14:00Z is 06:00 PST: "after 5" is still 17:00 today, which is 01:00Z the next day.
        let r = ReplyClassifier.classify("after 5", now: now, timeZone: la)
        #expect(try #require(r.time).formatted(.iso8601) == "2026-03-04T01:00:00Z")
    }

    @Test func numbersThatAreNotTimes() {
        #expect(ReplyClassifier.classify("I have 3 kids and a dog").intent != .proposeTime)
        #expect(ReplyClassifier.classify("The quote was 450").intent != .proposeTime)
    }
}
