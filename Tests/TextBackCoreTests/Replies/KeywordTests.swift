// Carrier keywords: exact, case-, whitespace- and punctuation-insensitive (DESIGN §2).

import Foundation
import Testing
@testable import TextBackCore

struct KeywordTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let keyword: String
        var testDescription: String { "\(text.debugDescription) → \(keyword)" }
    }

    static let optOutKeywords: [Case] = [
        Case(text: "STOP", keyword: "STOP"),
        Case(text: "stop", keyword: "STOP"),
        Case(text: "Stop", keyword: "STOP"),
        Case(text: " STOP. ", keyword: "STOP"),
        Case(text: "stop!!", keyword: "STOP"),
        Case(text: "Stop!\n", keyword: "STOP"),
        Case(text: "\"stop\"", keyword: "STOP"),
        Case(text: "Stop 🛑", keyword: "STOP"),
        Case(text: "QUIT", keyword: "QUIT"),
        Case(text: "quit.", keyword: "QUIT"),
        Case(text: "End", keyword: "END"),
        Case(text: "END!", keyword: "END"),
        Case(text: "revoke", keyword: "REVOKE"),
        Case(text: "Revoke.", keyword: "REVOKE"),
        Case(text: "opt out", keyword: "OPTOUT"),
        Case(text: "Opt Out", keyword: "OPTOUT"),
        Case(text: "opt-out", keyword: "OPTOUT"),
        Case(text: "OPT-OUT!", keyword: "OPTOUT"),
        Case(text: "optout", keyword: "OPTOUT"),
        Case(text: "Opt  out", keyword: "OPTOUT"),
        Case(text: "Cancel", keyword: "CANCEL"),
        Case(text: "CANCEL!", keyword: "CANCEL"),
        Case(text: "unsubscribe", keyword: "UNSUBSCRIBE"),
        Case(text: "Unsubscribe.", keyword: "UNSUBSCRIBE"),
        Case(text: "STOPALL", keyword: "STOPALL"),
        Case(text: "stopall", keyword: "STOPALL"),
        Case(text: "STOP ALL", keyword: "STOPALL"),
        Case(text: "Stop all!", keyword: "STOPALL"),
    ]

    @Test("exact opt-out keywords", arguments: optOutKeywords)
    func optOutKeyword(_ c: Case) {
        let r = ReplyClassifier.classify(c.text)
        #expect(r.intent == .optOut)
        #expect(r.revokesConsent)
        #expect(r.keyword == c.keyword)
        #expect(r.confidence == 1.0)
    }

    @Test("opt-out keyword after an opt-out is still an opt-out", arguments: ["STOP", "stop all", "Unsubscribe"])
    func optOutAfterOptOut(_ text: String) {
        let r = ReplyClassifier.classify(text, afterOptOut: true)
        #expect(r.intent == .optOut)
        #expect(r.revokesConsent)
    }

    /// A keyword with only politeness around it revokes, but is not a bare carrier keyword.
    @Test("keyword with politeness revokes", arguments: [
        "Stop please", "please stop", "STOP IT", "stop now!", "No stop", "no, stop.", "stop stop stop",
        "Stop this", "unsubscribe me", "Please STOP. Thanks", "Just stop", "stop right now", "I said stop",
        "Cancel please", "quit it", "stop, thank you",
    ])
    func keywordWithFillers(_ text: String) {
        let r = ReplyClassifier.classify(text)
        #expect(r.intent == .optOut)
        #expect(r.revokesConsent)
        #expect(r.keyword == nil)
    }

    static let optInKeywords: [Case] = [
        Case(text: "START", keyword: "START"),
        Case(text: "start", keyword: "START"),
        Case(text: " Start. ", keyword: "START"),
        Case(text: "UNSTOP", keyword: "UNSTOP"),
        Case(text: "unstop!", keyword: "UNSTOP"),
    ]

    @Test("opt-in keywords", arguments: optInKeywords)
    func optIn(_ c: Case) {
        for afterOptOut in [false, true] {
            let r = ReplyClassifier.classify(c.text, afterOptOut: afterOptOut)
            #expect(r.intent == .optIn)
            #expect(!r.revokesConsent)
            #expect(r.keyword == c.keyword)
        }
    }

    @Test("YES opts back in only after an opt-out", arguments: ["YES", "yes", "Yes!", " yes. "])
    func yesAfterOptOut(_ text: String) {
        let after = ReplyClassifier.classify(text, afterOptOut: true)
        #expect(after.intent == .optIn)
        #expect(after.keyword == "YES")
        #expect(!after.revokesConsent)

        let before = ReplyClassifier.classify(text, afterOptOut: false)
        #expect(before.intent == .affirmative)
        #expect(before.keyword == nil)
        #expect(!before.revokesConsent)
    }

    @Test func yesPleaseAfterOptOutIsOptIn() {
        #expect(ReplyClassifier.classify("yes please", afterOptOut: true).intent == .optIn)
        #expect(ReplyClassifier.classify("yes please", afterOptOut: false).intent == .affirmative)
    }

    static let helpKeywords: [Case] = [
        Case(text: "HELP", keyword: "HELP"),
        Case(text: "help", keyword: "HELP"),
        Case(text: "Help?", keyword: "HELP"),
        Case(text: "help!!", keyword: "HELP"),
        Case(text: "INFO", keyword: "INFO"),
        Case(text: "info.", keyword: "INFO"),
        Case(text: " Info ", keyword: "INFO"),
    ]

    @Test("help keywords", arguments: helpKeywords)
    func help(_ c: Case) {
        let r = ReplyClassifier.classify(c.text)
        #expect(r.intent == .help)
        #expect(!r.revokesConsent)
        #expect(r.keyword == c.keyword)
    }

    @Test func helpWithPolitenessIsHelpWithoutKeyword() {
        let r = ReplyClassifier.classify("help please")
        #expect(r.intent == .help)
        #expect(r.keyword == nil)
    }

    @Test("keywords inside other words are not keywords", arguments: [
        "stopped by earlier", "nonstop calls from my wife lol", "the weekend", "cancelled already, thanks",
        "helpful, thanks", "information please", "startled me",
    ])
    func notKeywords(_ text: String) {
        let r = ReplyClassifier.classify(text)
        #expect(r.keyword == nil)
        #expect(!r.revokesConsent)
    }
}
