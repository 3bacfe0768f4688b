// The development table: realistic replies with the intent (and, where the reply pins one, the
// local callback time) a careful person would read in them. The rules were written against this
// table; HeldOutTests measures them on replies they were not written from.
//
// Reference instant: Tuesday 2026-06-09 14:00 America/Chicago (19:00Z), the same as the held-out set.

import Foundation
import Testing
@testable import TextBackCore

struct DevReply: Sendable, CustomTestStringConvertible {
    let text: String
    let intent: ReplyIntent
    /// "yyyy-MM-dd HH:mm" in America/Chicago, when the reply pins a time.
    let localTime: String?
    let language: ReplyLanguage

    init(_ text: String, _ intent: ReplyIntent, _ localTime: String? = nil, _ language: ReplyLanguage = .english) {
        self.text = text
        self.intent = intent
        self.localTime = localTime
        self.language = language
    }

    var testDescription: String { "\(text.debugDescription) → \(intent.rawValue)\(localTime.map { " @ \($0)" } ?? "")" }
}

enum DevelopmentTable {
    static let chicago = TimeZone(identifier: "America/Chicago")!
    static let now = Date(timeIntervalSince1970: 1_781_031_600) // 2026-06-09T19:00:00Z

    static let replies: [DevReply] = optOut + wrongNumber + notInterested + proposeTime + affirmative + questions
        + helpAndOther + spanish

    static let optOut: [DevReply] = [
        DevReply("STOP", .optOut),
        DevReply("Stop texting me please", .optOut),
        DevReply("stpo", .optOut),
        DevReply("Stopp!!", .optOut),
        DevReply("STOPP", .optOut),
        DevReply("sotp", .optOut),
        DevReply("unsubscibe", .optOut),
        DevReply("Unsubcribe me", .optOut),
        DevReply("unsuscribe", .optOut),
        DevReply("🛑", .optOut),
        DevReply("🛑🛑🛑", .optOut),
        DevReply("⛔️ no more", .optOut),
        DevReply("cancle", .optOut),
        DevReply("Stpo texting me", .optOut),
        DevReply("stopp sending me this stuff", .optOut),
        DevReply("Please remove me from your list", .optOut),
        DevReply("Who gave you my number? Don't text me again", .optOut),
        DevReply("I never signed up for this", .optOut),
        DevReply("Take me off this list", .optOut),
        DevReply("quit it", .optOut),
        DevReply("I already unsubscribed twice", .optOut),
        DevReply("Put me on your do not call list", .optOut),
        DevReply("lose this number", .optOut),
        DevReply("I do not wish to be contacted", .optOut),
        DevReply("End", .optOut),
        DevReply("Opt out", .optOut),
        DevReply("no more texts pls", .optOut),
        DevReply("Not interested. Stop", .optOut),
    ]

    static let wrongNumber: [DevReply] = [
        DevReply("Wrong number", .wrongNumber),
        DevReply("no Jessica at this number", .wrongNumber),
        DevReply("There's no Mike here", .wrongNumber),
        DevReply("you've got the wrong guy", .wrongNumber),
        DevReply("This isn't Dana", .wrongNumber),
        DevReply("I'm not Carlos, sorry", .wrongNumber),
        DevReply("Sorry, wrong person", .wrongNumber),
        DevReply("Jessica doesn't live here anymore", .wrongNumber),
        DevReply("I just got this number, don't know who that is", .wrongNumber),
        DevReply("I don't know any Brandon", .wrongNumber),
        DevReply("You have the wrong #", .wrongNumber),
        DevReply("this is not Tom's phone", .wrongNumber),
        DevReply("Never heard of her", .wrongNumber),
    ]

    static let notInterested: [DevReply] = [
        DevReply("already hired someone", .notInterested),
        DevReply("not right now, maybe next year", .notInterested),
        DevReply("We went with another company", .notInterested),
        DevReply("No thanks, we're good", .notInterested),
        DevReply("nah I'm good", .notInterested),
        DevReply("Not interested", .notInterested),
        DevReply("I'll pass", .notInterested),
        DevReply("Too expensive for us", .notInterested),
        DevReply("We fixed it ourselves", .notInterested),
        DevReply("Problem's already taken care of", .notInterested),
        DevReply("no need anymore", .notInterested),
        DevReply("We sold the house", .notInterested),
        DevReply("Not at this time", .notInterested),
        DevReply("Maybe later", .notInterested),
        DevReply("No", .notInterested),
        DevReply("nope", .notInterested),
        DevReply("Not now", .notInterested),
        DevReply("Decided to go a different direction", .notInterested),
        DevReply("don't need it anymore thanks", .notInterested),
        DevReply("Found someone cheaper", .notInterested),
    ]

    static let proposeTime: [DevReply] = [
        DevReply("the 21st at 10", .proposeTime, "2026-06-21 10:00"),
        DevReply("July 3 at 4pm", .proposeTime, "2026-07-03 16:00"),
        DevReply("7/3 at 9", .proposeTime, "2026-07-03 09:00"),
        DevReply("Tuesday next week around noon", .proposeTime, "2026-06-16 12:00"),
        DevReply("tmrw aft 2", .proposeTime, "2026-06-10 14:00"),
        DevReply("in 45 min", .proposeTime, "2026-06-09 14:45"),
        DevReply("Can you call me tomorrow after 5?", .proposeTime, "2026-06-10 17:00"),
        DevReply("Friday morning works", .proposeTime, "2026-06-12 09:00"),
        DevReply("call me at 3:30", .proposeTime, "2026-06-09 15:30"),
        DevReply("After 6 tonight", .proposeTime, "2026-06-09 18:00"),
        DevReply("Thursday at 11am", .proposeTime, "2026-06-11 11:00"),
        DevReply("next Monday", .proposeTime, "2026-06-15 09:00"),
        DevReply("June 20th", .proposeTime, "2026-06-20 09:00"),
        DevReply("June 1 at 2", .proposeTime, "2027-06-01 14:00"),
        DevReply("the 3rd at 4pm", .proposeTime, "2026-07-03 16:00"),
        DevReply("on the 12th", .proposeTime, "2026-06-12 09:00"),
        DevReply("Sat morning", .proposeTime, "2026-06-13 09:00"),
        DevReply("I'm free after lunch tomorrow", .proposeTime, "2026-06-10 13:00"),
        DevReply("give me 20 minutes", .proposeTime, "2026-06-09 14:20"),
        DevReply("in an hour or so", .proposeTime, "2026-06-09 15:00"),
        DevReply("9-11am tomorrow", .proposeTime, "2026-06-10 09:00"),
        DevReply("busy until 4, call after", .proposeTime, "2026-06-09 16:00"),
        DevReply("Not today. Tomorrow at 10 works", .proposeTime, "2026-06-10 10:00"),
        DevReply("Yes! tomorrow around 3ish", .proposeTime, "2026-06-10 15:00"),
        DevReply("Wednesday evening", .proposeTime, "2026-06-10 18:00"),
        DevReply("next week sometime", .proposeTime),
        DevReply("this afternoon", .proposeTime, "2026-06-09 15:00"),
        DevReply("later today", .proposeTime),
        DevReply("Friday the 12th at 1", .proposeTime, "2026-06-12 13:00"),
        DevReply("12/24 at 10", .proposeTime, "2026-12-24 10:00"),
        DevReply("How about Thursday at 2?", .proposeTime, "2026-06-11 14:00"),
        DevReply("half past 4 today", .proposeTime, "2026-06-09 16:30"),
        DevReply("cancel my Monday slot and book Wednesday", .proposeTime, "2026-06-10 09:00"),
        DevReply("Not right now but tomorrow morning is good", .proposeTime, "2026-06-10 09:00"),
        DevReply("anytime after 7pm", .proposeTime, "2026-06-09 19:00"),
        DevReply("tomorrow before noon", .proposeTime, "2026-06-10 11:00"),
        DevReply("Monday or Tuesday morning", .proposeTime, "2026-06-15 09:00"),
        DevReply("in 2 days", .proposeTime, "2026-06-11 09:00"),
        DevReply("day after tomorrow at 5", .proposeTime, "2026-06-11 17:00"),
        DevReply("weds @ 4:15", .proposeTime, "2026-06-10 16:15"),
    ]

    static let affirmative: [DevReply] = [
        DevReply("Yes please", .affirmative),
        DevReply("yeah call me", .affirmative),
        DevReply("Sure", .affirmative),
        DevReply("ok", .affirmative),
        DevReply("Please call me back", .affirmative),
        DevReply("Yes I still need help with the water heater", .affirmative),
        DevReply("Sounds good", .affirmative),
        DevReply("👍", .affirmative),
        DevReply("I'm interested", .affirmative),
        DevReply("Go ahead and call", .affirmative),
        DevReply("Yes, I need a quote", .affirmative),
        DevReply("Absolutely", .affirmative),
        DevReply("You can call me anytime", .affirmative),
        DevReply("yup", .affirmative),
        DevReply("That would be great", .affirmative),
        DevReply("Still need a plumber", .affirmative),
        DevReply("Don't call me, text me", .affirmative),
    ]

    static let questions: [DevReply] = [
        DevReply("How much do you charge?", .question),
        DevReply("Who is this?", .question),
        DevReply("who dis", .question),
        DevReply("What's this about", .question),
        DevReply("Are you open Saturday?", .question),
        DevReply("Do you do free estimates", .question),
        DevReply("How did you get my number?", .question),
        DevReply("can you stop by?", .question),
        DevReply("Is this Acme?", .question),
        DevReply("I was wondering what the price would be", .question),
        DevReply("what are your hours", .question),
        DevReply("Do you service Round Rock?", .question),
    ]

    static let helpAndOther: [DevReply] = [
        DevReply("HELP", .help),
        DevReply("info", .help),
        DevReply("START", .optIn),
        DevReply("the dripping won't end", .other),
        DevReply("can't talk, driving", .other),
        DevReply("lol", .other),
        DevReply("Thanks", .other),
        DevReply("cancel my appointment on Friday", .other),
        DevReply("shop", .other),
        DevReply("step", .other),
        DevReply("top", .other),
        DevReply("spot", .other),
        DevReply("store", .other),
        DevReply("I'm at the store right now", .other),
        DevReply("Step one is done", .other),
        DevReply("Spot on", .other),
        DevReply("Top of the morning to ya", .other),
        DevReply("I'm on the stoop out front", .other),
        DevReply("The dog won't stop barking lol", .other),
        DevReply("Stop sign at the corner, turn left", .other),
        DevReply("Can you stop at the hardware store on the way?", .question),
        DevReply("The lease ends at the end of the month", .other),
        DevReply("Quitting time, talk soon", .other),
        DevReply("I stopped by earlier", .other),
    ]

    static let spanish: [DevReply] = [
        DevReply("PARAR", .optOut, nil, .spanish),
        DevReply("Alto", .optOut, nil, .spanish),
        DevReply("CANCELAR", .optOut, nil, .spanish),
        DevReply("Detener", .optOut, nil, .spanish),
        DevReply("Baja", .optOut, nil, .spanish),
        DevReply("basta ya", .optOut, nil, .spanish),
        DevReply("no me manden más mensajes", .optOut, nil, .spanish),
        DevReply("Bórrenme de la lista", .optOut, nil, .spanish),
        DevReply("Por favor dejen de escribirme", .optOut, nil, .spanish),
        DevReply("ya no quiero recibir mensajes", .optOut, nil, .spanish),
        DevReply("Quiero darme de baja", .optOut, nil, .spanish),
        DevReply("Sáquenme de su lista por favor", .optOut, nil, .spanish),
        DevReply("nunca me suscribí a esto", .optOut, nil, .spanish),
        DevReply("no me escriban mas", .optOut, nil, .spanish),
        DevReply("AYUDA", .help, nil, .spanish),
        DevReply("Sí", .affirmative, nil, .spanish),
        DevReply("si claro", .affirmative, nil, .spanish),
        DevReply("Claro que sí, llámenme", .affirmative, nil, .spanish),
        DevReply("Sí me interesa", .affirmative, nil, .spanish),
        DevReply("no gracias", .notInterested, nil, .spanish),
        DevReply("No me interesa", .notInterested, nil, .spanish),
        DevReply("ya contraté a alguien", .notInterested, nil, .spanish),
        DevReply("ahorita no, gracias", .notInterested, nil, .spanish),
        DevReply("el viernes a las 4", .proposeTime, "2026-06-12 16:00", .spanish),
        DevReply("mañana a las 10", .proposeTime, "2026-06-10 10:00", .spanish),
        DevReply("hoy en la tarde", .proposeTime, "2026-06-09 15:00", .spanish),
        DevReply("mañana en la mañana", .proposeTime, "2026-06-10 09:00", .spanish),
        DevReply("el lunes después de las 5", .proposeTime, "2026-06-15 17:00", .spanish),
        DevReply("el 3 de julio a las 11", .proposeTime, "2026-07-03 11:00", .spanish),
        DevReply("en media hora", .proposeTime, "2026-06-09 14:30", .spanish),
        DevReply("a las 4 de la tarde", .proposeTime, "2026-06-09 16:00", .spanish),
        DevReply("número equivocado", .wrongNumber, nil, .spanish),
        DevReply("Se equivocó de número", .wrongNumber, nil, .spanish),
        DevReply("Aquí no vive ninguna Jessica", .wrongNumber, nil, .spanish),
        DevReply("¿Quién es?", .question, nil, .spanish),
        DevReply("¿Cuánto cuesta?", .question, nil, .spanish),
        DevReply("No me llamen, mejor escríbanme", .affirmative, nil, .spanish),
        DevReply("Quiero cancelar mi cita", .other, nil, .spanish),
        DevReply("la gotera no para", .other, nil, .spanish),
        DevReply("La presión del agua está muy baja", .other, nil, .spanish),
        DevReply("Es para mi casa en Austin", .other, nil, .spanish),
    ]
}
