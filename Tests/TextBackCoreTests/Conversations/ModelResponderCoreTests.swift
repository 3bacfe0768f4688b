// Reading a chat-completions answer and turning it into a plan: tool calls, free text, the lint on
// the model's words, and answers that cannot be acted on.

import Foundation
import Testing
@testable import TextBackCore

@Suite struct ModelResponderCoreTests {
    let chicago = TimeZone(identifier: "America/Chicago")!
    let now = Date(timeIntervalSince1970: 1_772_560_800) // Tuesday 2026-03-03 12:00 Chicago
    let yes = ReplyClassification(intent: .other, revokesConsent: false, confidence: 0.3)

    func answer(_ message: String) -> String { #"{"choices":[{"message":\#(message)}]}"# }

    @Test(arguments: [
        (#"{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"hand_off","arguments":"{}"}}]}"#, "hand_off"),
        (#"{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"mark_wrong_number","arguments":""}}]}"#, "wrong"),
        (#"{"role":"assistant","content":"We're open until 8 today."}"#, "text"),
    ])
    func answersAreRead(message: String, expected: String) throws {
        let parsed = try #require(ModelResponder.parse(answer(message)))
        switch expected {
        case "hand_off": #expect(parsed.tool == .handOff(reason: nil))
        case "wrong": #expect(parsed.tool == .markWrongNumber)
        default: #expect(parsed.tool == nil && parsed.text == "We're open until 8 today.")
        }
    }

    @Test(arguments: [
        "not json", #"{"choices":[]}"#, #"{"choices":[{"message":{"content":"  "}}]}"#,
        #"{"choices":[{"message":{"tool_calls":[{"function":{"name":"book_callback","arguments":"{\"at\":\"tomorrow\"}"}}]}}]}"#,
        #"{"choices":[{"message":{"tool_calls":[{"function":{"name":"delete_everything","arguments":"{}"}}]}}]}"#,
    ])
    func unusableAnswersAreNil(body: String) {
        #expect(ModelResponder.parse(body) == nil)
    }

    @Test func aBookingWithAnOffsetIsReadAsThatInstant() throws {
        let body = answer(#"{"tool_calls":[{"function":{"name":"book_callback","arguments":"{\"at\":\"2026-03-04T17:00:00-08:00\"}"}}]}"#)
        #expect(ModelResponder.parse(body)?.tool == .bookCallback(at: Date(timeIntervalSince1970: 1_772_672_400), reply: nil))
    }

    @Test(arguments: [
        ("Sure, we'll call at 5.", true),
        ("", false),
        (String(repeating: "a", count: 307), false),
        ("Call us back: https://bit.ly/abc", false),
        ("Hi {Name}", false),
    ])
    func theModelsWordsAreLinted(text: String, usable: Bool) {
        #expect((ModelResponder.lintModelText(text, businessName: "Acme") != nil) == usable)
    }

    @Test func aBookingOutsideHoursMovesAndDropsTheModelsWords() throws {
        // Tuesday 22:00 Chicago is after closing: the nearest open slot is offered with our own text.
        let plan = try #require(ModelResponder.plan(
            for: ModelAnswer(tool: .bookCallback(at: now.addingTimeInterval(10 * 3600), reply: "See you at 10 PM!"), text: nil),
            reply: yes, repliesToday: 0, settings: AgentSettings(enabled: true), businessName: "Acme", contactZone: chicago,
            businessZone: chicago, now: now))
        #expect(plan.replyKind == .offerSlot)
        #expect(plan.reply?.contains("See you") == false)
        #expect(plan.reasons.first == "model")
    }

    @Test func freeTextAfterTheDailyCapIsAHandOff() throws {
        let plan = try #require(ModelResponder.plan(
            for: ModelAnswer(tool: nil, text: "We're open until 8."), reply: yes, repliesToday: 3, settings: AgentSettings(enabled: true),
            businessName: "Acme", contactZone: chicago, businessZone: chicago, now: now))
        #expect(plan.reply == nil)
        #expect(plan.state == .needsHuman)
    }
}
