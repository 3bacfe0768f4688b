// The deterministic agent as a table: intent and state in, reply kind, new state, callback and
// notifications out; callback hours and the nearest open slot; the daily cap.

import Foundation
import Testing
@testable import TextBackCore

@Suite struct ConversationAgentTests {
    let chicago = TimeZone(identifier: "America/Chicago")!
    let losAngeles = TimeZone(identifier: "America/Los_Angeles")!
    /// Tuesday 2026-03-03 12:00 in Chicago.
    let now = Date(timeIntervalSince1970: 1_772_560_800)
    let settings = AgentSettings(enabled: true)

    func respond(_ intent: ReplyIntent, time: Date? = nil, confidence: Double = 0.9, state: ConversationState = .open,
                 repliesToday: Int = 0, language: ReplyLanguage = .english, at: Date? = nil, settings: AgentSettings? = nil) -> AgentPlan {
        ConversationAgent.respond(
            to: ReplyClassification(intent: intent, revokesConsent: intent == .wrongNumber, confidence: confidence, time: time, language: language),
            state: state, repliesToday: repliesToday, settings: settings ?? self.settings, businessName: "Acme",
            contactZone: losAngeles, businessZone: chicago, now: at ?? now)
    }

    @Test(arguments: [
        (ReplyIntent.affirmative, AgentReplyKind?.some(.callbackNow), ConversationState.open, ["callback.requested"]),
        (.notInterested, .close, .closed, []),
        (.wrongNumber, .wrongNumber, .closed, []),
        (.question, nil, .needsHuman, ["conversation.needs_human"]),
        (.other, nil, .needsHuman, ["conversation.needs_human"]),
    ])
    func eachIntentHasItsAnswer(intent: ReplyIntent, kind: AgentReplyKind?, state: ConversationState, notify: [String]) {
        let plan = respond(intent)
        #expect(plan.replyKind == kind)
        #expect(plan.state == state)
        #expect(plan.notify == notify)
        #expect(plan.suppressWrongNumber == (intent == .wrongNumber))
        #expect(!plan.sentence.isEmpty)
    }

    @Test func lowConfidenceGoesToAPerson() {
        let plan = respond(.affirmative, confidence: 0.4)
        #expect(plan.reply == nil)
        #expect(plan.state == .needsHuman)
        #expect(plan.reasons.contains("low_confidence"))
    }

    @Test(arguments: [ConversationState.needsHuman, .closed])
    func threadsTheAgentDoesNotOwnGetNoReply(state: ConversationState) {
        let plan = respond(.affirmative, state: state)
        #expect(plan.reply == nil)
        #expect(plan.state == state)
        #expect(plan.callback == nil)
    }

    @Test func aTimeInsideHoursIsBookedAndSpokenInTheContactsZone() throws {
        // Thursday 2026-03-05 15:00 in Los Angeles = 17:00 in Chicago.
        let time = Date(timeIntervalSince1970: 1_772_751_600)
        let plan = respond(.proposeTime, time: time)
        #expect(plan.callback?.at == time)
        #expect(plan.callback?.windowEnd == time.addingTimeInterval(2 * 3600))
        #expect(plan.reply == "Great, Acme will call you Thu, Mar 5 at 3:00 PM.")
    }

    @Test func aTimeOutsideHoursOffersTheNearestOpenSlot() {
        // Thursday 2026-03-05 19:00 in Los Angeles = 21:00 in Chicago, after closing at 20:00: the
        // nearest open quarter hour is 19:45 Chicago (17:45 in Los Angeles), not Friday's 08:00.
        let time = Date(timeIntervalSince1970: 1_772_766_000)
        let plan = respond(.proposeTime, time: time)
        #expect(plan.replyKind == .offerSlot)
        #expect(plan.callback?.at == time.addingTimeInterval(-75 * 60))
        #expect(plan.reply?.contains("Thu, Mar 5 at 5:45 PM") == true)
    }

    @Test func aSundayTimeTakesTheNearerOfSaturdayAfternoonAndMondayMorning() {
        // Sunday 2026-03-08 10:00 in Chicago (daylight time from 02:00 that day). Saturday's last open
        // quarter hour, 13:45, is 19 h 15 earlier and still after `now`; Monday 08:00 is 22 h later.
        let sunday = Date(timeIntervalSince1970: 1_772_982_000)
        let plan = respond(.proposeTime, time: sunday)
        #expect(plan.callback.map { ConversationAgent.isOpen($0.at, hours: AgentSettings.defaultHours, zone: chicago) } == true)
        #expect(plan.callback?.at == Date(timeIntervalSince1970: 1_772_912_700))
    }

    @Test func aPastTimeIsAskedAgain() {
        let plan = respond(.proposeTime, time: now.addingTimeInterval(-3600))
        #expect(plan.replyKind == .askAgain)
        #expect(plan.callback == nil)
    }

    @Test func yesAfterHoursBooksTheNextOpenSlot() {
        // Tuesday 21:30 in Chicago: next open is Wednesday 08:00 Chicago = 06:00 in Los Angeles.
        let late = now.addingTimeInterval(9.5 * 3600)
        let plan = respond(.affirmative, at: late)
        #expect(plan.replyKind == .callbackAt)
        #expect(plan.callback?.at == now.addingTimeInterval(20 * 3600))
        #expect(plan.reply == "Great, Acme will call you Wed, Mar 4 at 6:00 AM.")
    }

    @Test func spanishRepliesGetSpanishTemplates() {
        let plan = respond(.notInterested, language: .spanish)
        #expect(plan.reply == "Entendido, Acme no le volvera a escribir. Gracias por avisarnos.")
        var noSpanish = settings
        noSpanish.spanish = nil
        #expect(respond(.notInterested, language: .spanish, settings: noSpanish).reply == "Understood, Acme won't follow up. Thanks for letting us know.")
    }

    @Test func theDailyCapTurnsAReplyIntoAHandOff() {
        let plan = respond(.affirmative, repliesToday: 3)
        #expect(plan.reply == nil)
        #expect(plan.state == .needsHuman)
        #expect(plan.callback != nil, "the callback is still booked")
        #expect(plan.reasons.contains("agent_daily_cap"))
        #expect(plan.notify.contains("conversation.needs_human"))
    }

    @Test func anAgentThatIsOffDoesNothing() {
        let plan = respond(.affirmative, settings: AgentSettings(enabled: false))
        #expect(plan.reply == nil && plan.callback == nil && plan.state == .open && plan.notify.isEmpty)
    }
}
