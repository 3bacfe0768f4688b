// The intents other than opt-out: wrong number (which revokes), not interested, affirmative,
// proposed times, questions, and the JSON the `textback classify` command prints.

import Foundation
import Testing
@testable import TextBackCore

struct IntentTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let intent: ReplyIntent
        init(_ text: String, _ intent: ReplyIntent) {
            self.text = text
            self.intent = intent
        }
        var testDescription: String { "\(text.debugDescription) → \(intent.rawValue)" }
    }

    static let cases: [Case] = [
        Case("yes", .affirmative),
        Case("yes please call me", .affirmative),
        Case("Yes, please call me", .affirmative),
        Case("sure", .affirmative),
        Case("ok call me", .affirmative),
        Case("yep", .affirmative),
        Case("Yeah that would be great", .affirmative),
        Case("👍", .affirmative),
        Case("Please call me back", .affirmative),
        Case("Can you call me?", .affirmative),
        Case("I still need help", .affirmative),
        Case("It started leaking again, please help", .affirmative),
        Case("Don't call me, text me", .affirmative),
        Case("End of story, not interested", .notInterested),
        Case("tomorrow after 5", .proposeTime),
        Case("call me at 3pm", .proposeTime),
        Case("Monday morning", .proposeTime),
        Case("in an hour", .proposeTime),
        Case("tonight", .proposeTime),
        Case("Yes, tomorrow at 10am works", .proposeTime),
        Case("after 5:30 p.m.", .proposeTime),
        Case("the end of the week works", .proposeTime),
        Case("next week", .proposeTime),
        Case("not interested", .notInterested),
        Case("No thanks", .notInterested),
        Case("No, thank you.", .notInterested),
        Case("already found someone", .notInterested),
        Case("We already hired a plumber", .notInterested),
        Case("nope", .notInterested),
        Case("No", .notInterested),
        Case("We're all set, thanks", .notInterested),
        Case("I no longer need it", .notInterested),
        Case("wrong number", .wrongNumber),
        Case("Wrong #", .wrongNumber),
        Case("you have the wrong person", .wrongNumber),
        Case("Sorry, you've got the wrong number", .wrongNumber),
        Case("There's no one here by that name", .wrongNumber),
        Case("How much does it cost?", .question),
        Case("what time do you close", .question),
        Case("Is this Acme?", .question),
        Case("Who is this?", .question),
        Case("Do you work weekends", .question),
        Case("lol", .other),
        Case("Do not worry about it", .other),
        Case("cancel my appointment Friday", .other),
        Case("I need to cancel and reschedule", .other),
    ]

    @Test("intents", arguments: cases)
    func intent(_ c: Case) {
        let r = ReplyClassifier.classify(c.text)
        #expect(r.intent == c.intent, "\(ReplyClassifier.explain(c.text).reason)")
    }

    @Test("wrong number revokes consent: the person who answered never gave it", arguments: [
        "wrong number", "Wrong number!", "you have the wrong person", "I think you have the wrong number",
    ])
    func wrongNumberRevokes(_ text: String) {
        let r = ReplyClassifier.classify(text)
        #expect(r.intent == .wrongNumber)
        #expect(r.revokesConsent)
        #expect(r.keyword == nil)
    }

    @Test("only opt-out and wrong number revoke")
    func revocationFollowsIntent() {
        for c in Self.cases {
            let r = ReplyClassifier.classify(c.text)
            #expect(r.revokesConsent == (r.intent == .optOut || r.intent == .wrongNumber))
        }
    }

    @Test func confidenceIsInRange() {
        for c in Self.cases {
            let r = ReplyClassifier.classify(c.text)
            #expect((0...1).contains(r.confidence))
        }
    }

    @Test func timeIsOnlySetWithAReference() {
        #expect(ReplyClassifier.classify("tomorrow after 5").time == nil)
        #expect(ReplyClassifier.classify("tomorrow after 5", now: Date(timeIntervalSince1970: 0)).time == nil)
    }

    @Test func jsonForOptOut() throws {
        #expect(ReplyClassifier.classify("STOP").json == #"{"intent":"opt_out","revokes_consent":true,"keyword":"STOP","confidence":1,"language":"en"}"#)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(ReplyClassifier.classify("STOP"))
        #expect(String(decoding: data, as: UTF8.self) == #"{"confidence":1,"intent":"opt_out","keyword":"STOP","language":"en","revokes_consent":true}"#)
    }

    @Test func jsonKeyOrderAndOmittedTime() throws {
        let r = ReplyClassification(intent: .affirmative, revokesConsent: false, keyword: nil, confidence: 0.8)
        #expect(r.json == #"{"intent":"affirmative","revokes_consent":false,"keyword":null,"confidence":0.8,"language":"en"}"#)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(r)
        #expect(String(decoding: data, as: UTF8.self) == #"{"confidence":0.8,"intent":"affirmative","keyword":null,"language":"en","revokes_consent":false}"#)
    }

    @Test func jsonWithTimeRoundTrips() throws {
        let now = try Date("2026-03-03T14:00:00Z", strategy: .iso8601)
        let r = ReplyClassifier.classify("tomorrow after 5", now: now, timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(r.json == #"{"intent":"propose_time","revokes_consent":false,"keyword":null,"confidence":0.8,"time":"2026-03-04T22:00:00Z","language":"en"}"#)
        let data = try JSONEncoder().encode(r)
        #expect(String(decoding: data, as: UTF8.self).contains(#""time":"2026-03-04T22:00:00Z""#))
        #expect(try JSONDecoder().decode(ReplyClassification.self, from: data) == r)
    }

    @Test func badTimeIsRejected() {
        let json = #"{"intent":"propose_time","revokes_consent":false,"keyword":null,"confidence":0.8,"time":"tomorrow"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ReplyClassification.self, from: Data(json.utf8)) }
    }
}
