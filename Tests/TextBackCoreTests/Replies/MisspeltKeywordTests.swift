// Misspelt opt-out keywords revoke; ordinary words one letter away from STOP never do.

import Foundation
import Testing
@testable import TextBackCore

struct MisspeltKeywordTests {
    @Test("a thumb's slip of an opt-out keyword still revokes", arguments: [
        "stpo", "sotp", "tsop", "stopp", "sttop", "STOPPP", "Stpo please", "stpo!!", "no, stpo", "stopp it",
        "unsubscibe", "unsubscirbe", "unsubcribe", "usubscribe", "unsubscrive", "Unsubscibe me please", "how do i unsubscibe",
        "cancle", "cancell", "quitt", "qiut", "revoek", "stoppall", "stopal",
        "stpo texting me", "sotp sending me these", "Stopp messaging me please", "🛑", "🛑🛑", "⛔", "no more 🛑",
        "pararr", "detner",
    ])
    func revokes(_ text: String) {
        let r = ReplyClassifier.explain(text)
        #expect(r.classification.intent == .optOut, "\(r.reason)")
        #expect(r.classification.revokesConsent)
    }

    /// One letter replaced, added or moved — not the slips we forgive — or the keyword slip inside
    /// a sentence where it is a real word.
    @Test("near misses do not revoke", arguments: [
        "shop", "step", "top", "spot", "store", "stomp", "stops", "post", "pots", "tops", "opts", "sto", "stp",
        "quiet", "quite", "suit", "cancelled", "candle", "subscribe", "resubscribe", "unsubscribe?".dropLast(12) + "subscribed",
        "I'm sitting on the stoop", "Shop is open till 5?", "step by step", "spot on", "I'm at the store",
        "top floor unit", "I was stopped by traffic", "Top of the morning", "stopover in Dallas",
        "cancel my Monday slot and book Wednesday", "the dripping won't end", "can you stop by?",
        "cancle my appointment", "stopp by anytime", "the leak wont stpo",
        "para el viernes", "la presión está baja", "el techo es muy alto",
    ])
    func doesNotRevoke(_ text: String) {
        let r = ReplyClassifier.explain(String(text))
        #expect(!r.classification.revokesConsent, "\(r.reason)")
    }

    @Test("the slips forgiven, keyword by keyword", arguments: [
        ("stpo", "stop", true), ("stopp", "stop", true), ("sstop", "stop", true), ("top", "stop", false),
        ("shop", "stop", false), ("step", "stop", false), ("spot", "stop", false), ("stops", "stop", false),
        ("unsubscibe", "unsubscribe", true), ("unsubscrive", "unsubscribe", true), ("subscribe", "unsubscribe", false),
        ("unsubscribed", "unsubscribe", false), ("cancle", "cancel", true), ("cancl", "cancel", false),
        ("stopal", "stopall", true), ("stoppall", "stopall", true), ("stopalll", "stopall", true), ("stall", "stopall", false),
    ])
    func slip(token: String, keyword: String, expected: Bool) {
        #expect(FuzzyKeyword.isSlip(token, of: keyword) == expected)
    }

    @Test func longKeywordsAreCorrectedEverywhereShortOnesOnlyWhenLenient() {
        #expect(FuzzyKeyword.correct("unsubscibe", lenient: false) == "unsubscribe")
        #expect(FuzzyKeyword.correct("stpo", lenient: false) == nil)
        #expect(FuzzyKeyword.correct("stpo", lenient: true) == "stop")
        #expect(FuzzyKeyword.correct("stop", lenient: true) == nil)
    }
}
