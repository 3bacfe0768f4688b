// Consent revocation in plain language (FCC 24-24: "any reasonable means"), and the benign replies
// that merely contain a keyword and must NOT suppress the contact.

import Foundation
import Testing
@testable import TextBackCore

struct RevocationTests {
    static let revocations: [String] = [
        "please don't text me anymore",
        "take me off your list",
        "remove me from your list",
        "wrong number, stop texting",
        "stop texting me",
        "stop messaging me",
        "do not contact me",
        "no more texts",
        "leave me alone",
        "I didn't sign up for this, stop",
        "unsubscribe me please",
        "don't message me again",
        "lose my number",
        "quit texting me",
        "Please stop sending me messages",
        "Stop contacting me",
        "Do not text this number",
        "Don't ever text me again",
        "Never contact me again",
        "Remove my number",
        "Delete my number from your system",
        "Take this number off your list",
        "I want to opt out",
        "opt me out",
        "Stop. Wrong number",
        "STOP texting!!!",
        "Please stop calling and texting me",
        "I don't want any more texts",
        "I do not want these messages",
        "No more messages please",
        "Stop bothering me",
        "stop harassing me",
        "Quit calling me",
        "Cease all contact",
        "I never gave you permission to text me",
        "I didn't sign up for this",
        "Don't contact me again",
        "pls dont txt me",
        "U can stop texting me now",
        "Stop the texts",
        "Go away",
        "I'm blocking this number",
        "How do I unsubscribe?",
        "Cancel these texts",
        "Not interested, stop",
        "Stop!! Not interested",
        "Stop sending me these",
        "wrong number. please remove me",
        "Forget my number",
        "I'm not interested, please stop contacting me",
        "Who is this? Stop texting me",
        "take me off the list",
        "remove from list",
        "Please stop. This is harassment",
        "Stop msging me",
        "End all texts",
        "I’d like to opt-out",
        "Don’t text me",
        "DO NOT MESSAGE ME",
        "no texts please",
        "cancel my subscription",
        "I never signed up for these",
        "Please remove this number from your contacts",
        // Found in review: a strong keyword anywhere in the reply, and more plain wordings.
        "yes stop", "Yes STOP", "yes please stop", "I want you to stop", "no thanks stop", "I'm not interested stop",
        "thanks stop", "kindly stop", "STOP this nonsense", "Stop cancel", "STOP 2", "can you stop",
        "Why won't you stop texting?", "how did you get my number stop", "S.T.O.P", "STOPPPP", "Stopp",
        "I revoke my consent", "I withdraw my consent", "Do not text or call", "Don't send me texts",
        "Dont send me anything else", "Cease and desist", "Remove", "please remove", "Not interested. Remove",
        "no more", "please no more", "No texting", "i didnt ask for this", "thanks, unsubscribe",
    ]

    @Test("plain-language revocations revoke consent", arguments: revocations)
    func revokes(_ text: String) {
        let r = ReplyClassifier.classify(text)
        #expect(r.revokesConsent, "\(ReplyClassifier.explain(text).reason)")
        #expect(r.intent == .optOut)
    }

    static let benign: [String] = [
        "don't stop, I still need help",
        "can you stop by Monday?",
        "cancel my appointment Friday",
        "the leak won't stop",
        "stop by anytime after 5",
        "I need to cancel and reschedule",
        "the end of the week works",
        "please don't stop calling me, I want the quote",
        "can't stop the water",
        "we need to stop the leak",
        "Yes please call me",
        "Tomorrow after 5",
        "Can someone stop over tomorrow?",
        "How do I stop my toilet from running?",
        "The water won't stop running",
        "It started leaking again, please help",
        "Can you cancel my order and send a new quote?",
        "I want to cancel my appointment",
        "End of day works for me",
        "By the end of the day please",
        "Don't stop now, we're almost done",
        "Can you stop in on your way?",
        "Feel free to stop by after 3",
        "The alarm keeps beeping and won't stop",
        "How do I stop the dripping?",
        "I quit my job so I'm home all day, call anytime",
        "Sure, call me at 3pm",
        "Who is this?",
        "Not interested right now but maybe next month",
        "No thanks",
        "Call me tomorrow morning",
        "Text me when you're on the way",
        "Please text me the quote",
        "Can you text me instead of calling?",
        "Don't call me before noon, text is fine",
        "I'll stop by the office Friday",
        "Please call me back, I need to cancel the old order",
        "OK",
        "Yes",
        "The tap won't stop dripping",
        "My son will stop by to let you in",
        "Is there a way to stop the noise from the furnace?",
        "Did the texts stop working?",
        "Message me the details please",
        "Keep texting me updates",
        "Don't hesitate to call me",
        "Do not call my work phone, use this one",
        "Please don't cancel my appointment",
        "Hey I can't talk now, text me",
        "Don't text me after 9pm please, mornings are fine",
        "Don't call me, text me",
        "I think I gave you the wrong number for my wife",
        "Stop at the side gate when you arrive",
        "We never stop working on weekends",
        "Good morning! Yes call me",
        "It won't stop beeping, can you come today?",
        "That should end the problem, right?",
        "Cancel my order from last week and bill me for the new one",
        "You can remove me from the schedule for Friday, I'll call to rebook",
        "No more leaks since your visit, thanks!",
        "Is this spam?",
        "End of story, not interested",
        // Found in review: harmless uses that must stay harmless.
        "Please take me off hold", "take me off the schedule for Tuesday", "Sorry I ran out of texts, call me",
        "Did the texts stop working?", "I'm at the bus stop, call in 10", "turn left at the stop sign",
        "I'll stop by later", "the end of day works",
    ]

    @Test("benign replies do not revoke", arguments: benign)
    func doesNotRevoke(_ text: String) {
        let r = ReplyClassifier.classify(text)
        #expect(!r.revokesConsent, "\(ReplyClassifier.explain(text).reason)")
        #expect(r.intent != .optOut)
    }

    @Test func tablesAreLargeEnough() {
        #expect(Self.revocations.count >= 40)
        #expect(Self.benign.count >= 40)
    }

    @Test func explanationNamesTheRule() {
        #expect(ReplyClassifier.explain("take me off your list").reason.hasPrefix("revocation:"))
        #expect(ReplyClassifier.explain("STOP").reason == "keyword STOP")
        #expect(ReplyClassifier.explain("Stop please").reason == "clause is the keyword STOP")
        #expect(ReplyClassifier.explain("stop by anytime after 5").reason.contains("stop by"))
    }
}
