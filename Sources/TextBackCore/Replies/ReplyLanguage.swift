// Which language a reply is in, so the agent can answer a Spanish reply in Spanish.
//
// Replies are short ("Sí", "no gracias", "ok"), too short for statistics over letters; a vote of
// common words works better. Each normalized token that is a frequent word of one language and not
// of the other counts for it; marks only Spanish uses (¿ ¡ ñ and accented vowels) count for
// Spanish. Spanish wins only with more votes: a tie ("ok", "no", "3pm", an emoji) is English, the
// language our texts are written in.

import Foundation

extension ReplyLanguage {
    static func detect(raw: String, tokens: [String]) -> ReplyLanguage {
        var spanish = 0
        var english = 0
        for token in tokens {
            if spanishWords.contains(token) || hasSpanishEnding(token) { spanish += 1 }
            if englishWords.contains(token) { english += 1 }
        }
        if raw.contains(where: { "¿¡ñÑáéíóúÁÉÍÓÚ".contains($0) }) { spanish += 1 }
        return spanish > english ? .spanish : .english
    }

    /// Verb and noun endings English words do not have: "llamaron", "trabajando", "información".
    static func hasSpanishEnding(_ token: String) -> Bool {
        guard token.count >= 5, !englishWords.contains(token) else { return false }
        return ["aron", "ieron", "ando", "iendo", "cion", "ciones", "mente", "amos", "emos", "imos", "enme", "anme"]
            .contains { token.hasSuffix($0) }
    }

    /// Frequent Spanish words that are not also English words (so not "no", "me", "a", "ok").
    /// Without accents, as normalized.
    static let spanishWords: Set<String> = [
        "si", "gracias", "hola", "buenas", "buenos", "dias", "tardes", "noches", "quiero", "queremos", "que",
        "quien", "cuando", "cuanto", "cuanta", "donde", "como", "cual", "porque", "es", "esta", "estan", "estoy",
        "soy", "tengo", "tiene", "tienen", "tenemos", "puede", "pueden", "puedo", "podemos", "mi", "mis", "su",
        "sus", "tu", "de", "del", "la", "las", "el", "los", "un", "una", "unos", "pero", "con", "para",
        "por", "en", "mas", "manana", "hoy", "ayer", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado",
        "domingo", "llamar", "llamame", "llameme", "llamenme", "llamen", "llame", "llamada", "llamadas", "mensaje",
        "mensajes", "textos", "numero", "equivocado", "equivocada", "interesa", "necesito", "necesitamos", "ayuda",
        "alto", "parar", "paren", "baja", "cancelar", "claro", "dale", "vale", "bueno", "nada", "nadie", "ningun",
        "ninguna", "senor", "senora", "usted", "ustedes", "aqui", "ahora", "ahorita", "despues", "antes", "tarde",
        "noche", "hora", "horas", "minutos", "semana", "proxima", "proximo", "cita", "casa", "trabajo", "manden",
        "mande", "envien", "escriban", "escribir", "enviar", "mandar", "dejen", "deja", "borrenme", "lista", "muy",
        "bien", "pues", "tambien", "todo", "todos", "eso", "esto", "este", "ese", "esa", "hay", "hace", "hacer",
        "voy", "vamos", "vez", "le", "lo", "les", "nos", "se", "te", "mismo", "perfecto", "correcto", "detener",
        "basta", "informacion", "cotizacion", "precio", "cuesta", "cobran", "sabe", "estamos", "quisiera", "podria",
        "puedes", "otro", "otra", "persona", "conozco", "vive", "gracia", "mucho", "muchas", "tampoco", "ni",
        "ella", "ellos", "nosotros", "mejor", "tal", "quizas", "luego", "rato", "mediodia", "temprano", "desde",
        "hasta", "sobre", "entre", "dia", "mes", "ano", "cuantos", "llamo", "llama", "marcar", "marcame", "hablar",
        "hablame", "oiga", "disculpe", "perdon", "siento", "contrate", "necesita", "servicio", "ocupo", "todavia",
        "aun", "sigo", "listo", "simon", "sii", "siii", "sip", "auxilio", "inicio", "comenzar", "vuelvan", "vuelva",
        "contactar", "contacten", "escriba", "molestar", "mandar", "envie", "envien", "mandes", "quiere", "nuestra",
        "nuestro", "usted", "habla", "hablo", "hablan", "espanol", "ingles", "esposo", "esposa", "hijo", "hija", "orale", "andale", "seguro", "porfavor", "gustaria", "molesten",
        "escribanme", "mandenme", "quitenme", "sacame", "eliminen", "desuscribir", "suscribi", "equivoco",
        "equivocaron", "agua", "fuga", "gotera", "reparar", "arreglar",
    ]

    /// Frequent English words that are not also Spanish words.
    static let englishWords: Set<String> = [
        "the", "you", "your", "i", "is", "are", "and", "to", "of", "for", "my", "please", "call", "calling", "text",
        "texting", "texts", "message", "messages", "number", "wrong", "yes", "thanks", "thank", "stop", "tomorrow",
        "today", "tonight", "what", "who", "how", "why", "when", "where", "this", "that", "it", "not", "do", "does",
        "did", "can", "could", "will", "would", "should", "at", "in", "on", "be", "have", "has", "need", "want",
        "time", "morning", "afternoon", "evening", "night", "week", "next", "after", "before", "around", "about",
        "with", "just", "get", "got", "know", "sure", "interested", "anymore", "remove", "list", "sorry", "hi",
        "hey", "hello", "good", "great", "fine", "work", "busy", "free", "back", "later", "now", "right", "here",
        "there", "they", "we", "he", "she", "him", "her", "them", "us", "our", "any", "all", "nope", "nah",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "quote", "price", "much",
        "guy", "person", "name", "help", "info", "unsubscribe", "quit", "cancel", "end", "opt", "out", "already",
        "someone", "thx", "cool", "perfect", "works", "sounds", "still", "maybe", "was", "were", "been", "by",
        "from", "or", "but", "if", "so", "up", "off", "again", "never", "lol", "noon", "hour", "hours", "minutes",
        "yeah", "yep", "yup",
    ]
}
