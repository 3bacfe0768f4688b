// Spanish replies: the carrier keywords Spanish programs document, plain sentences that revoke,
// and the language the agent should answer in.

import Foundation
import Testing
@testable import TextBackCore

struct SpanishReplyTests {
    @Test("Spanish keywords", arguments: [
        ("ALTO", ReplyIntent.optOut, "ALTO"), ("Parar", .optOut, "PARAR"), ("PARA", .optOut, "PARA"),
        ("cancelar", .optOut, "CANCELAR"), ("Detener", .optOut, "DETENER"), ("BAJA", .optOut, "BAJA"),
        ("desuscribir", .optOut, "DESUSCRIBIR"), ("Basta", .optOut, "BASTA"),
        ("AYUDA", .help, "AYUDA"), ("auxilio", .help, "AUXILIO"), ("Información", .help, "INFORMACION"),
        ("INICIO", .optIn, "INICIO"), ("comenzar", .optIn, "COMENZAR"),
    ])
    func keyword(text: String, intent: ReplyIntent, keyword: String) {
        let r = ReplyClassifier.classify(text)
        #expect(r.intent == intent)
        #expect(r.keyword == keyword)
        #expect(r.revokesConsent == (intent == .optOut))
        #expect(r.language == .spanish)
    }

    @Test("plain Spanish revocations", arguments: [
        "no me manden más mensajes", "bórrenme de la lista", "Por favor no me escriban", "dejen de mandarme mensajes",
        "Ya no quiero recibir sus mensajes", "Quiero darme de baja", "sáquenme de su lista", "nunca me suscribí",
        "No me vuelvan a contactar", "ALTO por favor", "ya basta", "no más mensajes", "Déjenme en paz",
        "Eliminen mi número de su sistema", "esto es spam", "paren los mensajes ya", "no quiero que me contacten",
    ])
    func revokes(_ text: String) {
        let r = ReplyClassifier.explain(text)
        #expect(r.classification.intent == .optOut, "\(r.reason)")
        #expect(r.classification.language == .spanish)
    }

    @Test("benign Spanish that contains the words", arguments: [
        "No me llamen, mejor escríbanme", "No me llamen antes de las 9", "Quiero cancelar mi cita del viernes",
        "la gotera no para", "el agua está muy alta", "la presión está baja", "Para el lunes está bien",
        "no me interesa", "no gracias", "¿pueden pasar mañana?", "No me molesta que me llamen",
    ])
    func doesNotRevoke(_ text: String) {
        let r = ReplyClassifier.explain(text)
        #expect(!r.classification.revokesConsent, "\(r.reason)")
    }

    @Test("language", arguments: [
        ("Sí", ReplyLanguage.spanish), ("si claro", .spanish), ("no gracias", .spanish), ("¿Quién es?", .spanish),
        ("mañana a las 10", .spanish), ("Ok gracias", .spanish), ("número equivocado", .spanish), ("¿Me llamaron?", .spanish),
        ("Yes", .english), ("no", .english), ("ok", .english), ("STOP", .english), ("🛑", .english), ("3pm", .english),
        ("wrong number", .english), ("call me tomorrow", .english), ("Who is this?", .english), ("see ya", .english),
    ])
    func language(text: String, expected: ReplyLanguage) {
        #expect(ReplyClassifier.classify(text).language == expected)
    }

    @Test func languageIsTheLastKeyOfTheJSON() throws {
        let r = ReplyClassifier.classify("ALTO")
        #expect(r.json == #"{"intent":"opt_out","revokes_consent":true,"keyword":"ALTO","confidence":1,"language":"es"}"#)
        let decoded = try JSONDecoder().decode(ReplyClassification.self, from: JSONEncoder().encode(r))
        #expect(decoded == r)
    }

    @Test func storedClassificationsWithoutALanguageReadAsEnglish() throws {
        let json = #"{"intent":"affirmative","revokes_consent":false,"keyword":null,"confidence":0.8}"#
        let r = try JSONDecoder().decode(ReplyClassification.self, from: Data(json.utf8))
        #expect(r.language == .english)
    }
}
