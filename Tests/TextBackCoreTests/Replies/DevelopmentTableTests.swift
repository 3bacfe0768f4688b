// Runs the development table (DevelopmentTable.swift): every reply's intent, whether it revokes,
// its language and, where pinned, its local callback time.

import Foundation
import Testing
@testable import TextBackCore

struct DevelopmentTableTests {
    @Test("development table", arguments: DevelopmentTable.replies)
    func reply(_ c: DevReply) throws {
        let explained = ReplyClassifier.explain(c.text, now: DevelopmentTable.now, timeZone: DevelopmentTable.chicago)
        let r = explained.classification
        #expect(r.intent == c.intent, "\(explained.reason)")
        #expect(r.revokesConsent == (c.intent == .optOut || c.intent == .wrongNumber), "\(explained.reason)")
        #expect(r.language == c.language)
        if let expected = c.localTime {
            let time = try #require(r.time, "\(explained.reason)")
            #expect(LocalTime.format(time, in: DevelopmentTable.chicago) == expected)
        } else if c.intent == .proposeTime {
            #expect(r.time == nil, "a vague proposal has no time")
        }
    }

    @Test func tableIsLargeEnough() {
        #expect(DevelopmentTable.replies.count >= 150)
        #expect(Set(DevelopmentTable.replies.map(\.text)).count == DevelopmentTable.replies.count, "no reply twice")
        // Every intent is represented.
        #expect(Set(DevelopmentTable.replies.map(\.intent)) == Set(ReplyIntent.allCases))
    }
}
