// Spanish phrase tables. Same shape and order of precedence as the English ones in ReplyRules;
// written against normalized text, so without accents ("bórrenme" is "borrenme", "más" is "mas")
// and with texting shorthand expanded ("xfa" → "por favor", "msjs" → "mensajes").
//
// Spanish keywords (ALTO, PARAR, CANCELAR, DETENER, BAJA, AYUDA, ...) are in ReplyRules.keywords.
// Plain sentences that revoke consent follow the FCC's "any reasonable means": a Spanish speaker
// who writes "no me manden más mensajes" has said STOP.

import Foundation

extension ReplyRules {
    enum Spanish {
        /// Any match revokes consent.
        static let revocations: [Phrase] = [
            Phrase("no me manden (mas) mensajes",
                   #"\bno (me |nos )?(manden|mande|mandes|envien|envie|envies|escriban|escriba|escribas|textees|texteen|contacten|contacte|contactes|molesten|moleste|molestes|llamen|llame|llames|busquen|sigan (mandando|enviando|escribiendo|llamando))\b(?! (antes|despues|hasta|durante|hoy|manana|ahorita|ahora|entre|a las|en la|por la)\b)"#),
            Phrase("no me vuelvan a escribir",
                   #"\bno (me |nos )?(vuelvan|vuelva|vuelvas) a (escribir|mandar|enviar|llamar|contactar|molestar|textear)"#),
            Phrase("dejen de escribirme",
                   #"\b(dejen|deja|deje|dejan|paren|para|pare|parar|basta) de (mandar|enviar|escribir|llamar|molestar|contactar|textear|fregar|chingar|mandarme|enviarme|escribirme|llamarme|molestarme|contactarme|textearme|mensajes|textos|llamadas)"#),
            Phrase("ya no quiero mensajes",
                   #"\b(no|ya no|nunca) (quiero|queremos|deseo|deseamos|necesito) (recibir |que me (manden|envien|escriban|llamen|contacten|molesten) )?(mas |sus |tus |estos |esos |los |ningun |ningunos )?(mensajes|textos|sms|llamadas|notificaciones|nada de ustedes)\b|\bno (quiero|queremos|deseo) que me (manden|envien|escriban|llamen|contacten|molesten|sigan)"#),
            Phrase("borrenme de la lista",
                   #"\b(borr|elimin|quit|saqu|sac|remuev|remov|bor)\w*(me|nos) de (la |su |sus |tu |tus |esta |este |el )?(lista|listas|base|sistema|contactos|registro|directorio|agenda|grupo)\b|\b(borren|eliminen|borra|elimina|borre|elimine|quiten|quite|quita|saquen|saque) (mi|este|el) (numero|telefono|celular|contacto|nombre)\b|(^|\| )(por favor )?(borrenme|eliminenme|sacame|saquenme|quitenme|quitame|borrame|eliminame|borreme|elimineme|saqueme|quiteme)( por favor| ya| gracias)*( \||$)"#),
            Phrase("darme de baja", #"\bde baja\b|\bdesuscrib\w*|\bcancel\w* (la |mi |las |mis )?suscripci\w*"#),
            Phrase("nunca me suscribi",
                   #"\b(no|nunca) (me )?(suscribi|inscribi|registre|apunte|autorice|autorize|di permiso|di mi numero|pedi (esto|estos mensajes|informacion|nada))\b|\bno (tienen|tiene) (mi )?permiso\b"#),
            Phrase("esto es spam",
                   #"\b(esto es|es) (spam|acoso|basura)\b|\b(los|te|lo|la|les|las) (voy|vamos) a (bloquear|reportar|denunciar)\b|\b(bloquear|bloqueare|bloqueo|reportar|reportare|reporto) (este|su|tu|el) numero\b"#),
            Phrase("no mas mensajes",
                   #"\bno mas (mensajes|textos|llamadas|sms|msjs)\b|(^|\| )(ya )?no mas( por favor| gracias)*( \||$)|\bbasta( ya)?( de (mensajes|textos|llamadas))?( \||$)|\bya basta\b"#),
            Phrase("dejenme en paz", #"\b(dejenme|dejame|dejeme|dejennos) (en paz|tranquil[oa]s?)\b"#),
            Phrase("por favor ya no", #"(^|\| )(por favor ya no|ya no por favor)( mas)?( \||$)"#),
            Phrase("paren los mensajes",
                   #"\b(paren|pare|para|parar|detengan|detenga|deten|alto|cancelen|cancela|cancele) (ya )?(con )?(los|estos|esos|sus|tus|todos los) (mensajes|textos|msjs|sms|llamadas)\b"#),
            Phrase("retiro mi consentimiento", #"\b(retiro|revoco|cancelo) (mi )?(consentimiento|permiso|autorizacion)\b"#),
        ]

        static let notInterested: [Phrase] = [
            Phrase("no me interesa", #"\bno (me |nos )?(interesa|interesan|intereza)\b|\bno (estoy|estamos) interesad[oa]s?\b|\bya no (me |nos )?interesa\b"#),
            Phrase("no gracias", #"\bno gracias\b|^(no|nel|nop|nope)( gracias| muchas gracias| por ahora| de momento| senor| senora)*$|^mejor no( gracias)?$"#),
            Phrase("ya no lo necesito",
                   #"\bya no (lo |la |los |las )?(necesito|necesitamos|ocupo|ocupamos|hace falta|es necesario)\b|\bno (lo |la |los |las )?(necesito|necesitamos|ocupo|ocupamos)\b|\bno hace falta\b"#),
            Phrase("ya contrate a alguien",
                   #"\bya (contrate|contratamos|encontre|encontramos|(tengo|tenemos) (a alguien|a otr[oa]|otr[oa]|quien|uno|una|el servicio|seguro|compania)|lo (arregle|arreglamos|resolvi|resolvimos|compre|compramos|hice|hicimos)|consegui|conseguimos|compre|compramos|escogi|elegi|elegimos|me (atendieron|ayudaron)|esta (resuelto|arreglado))\b|\bcontrate a otr[oa]\b|\b(con|a) otra (compania|empresa)\b"#),
            Phrase("muy caro", #"\b(muy|demasiado|esta|es) (caro|cara)\b|\bno (tengo|tenemos) (dinero|presupuesto)\b"#),
            Phrase("ya no / paso", #"(^|\| )(ya no|yo paso|paso)( gracias| muchas gracias)?( \||$)"#),
        ]

        /// "ahorita no", "tal vez más adelante": not_interested unless a time soon is named.
        static let softDecline: [Phrase] = [
            Phrase("ahorita no", #"\b(ahorita|ahora|por ahora|por el momento|de momento|en este momento|hoy) no\b|\bno (por ahora|por el momento|de momento|ahorita|ahora)\b|\b(tal vez|quizas|quiza|a lo mejor) (mas adelante|despues|luego|otro dia|el proximo ano|otra vez|en otra ocasion)\b|\bmas adelante\b|\b(mejor )?(otro dia|en otra ocasion|otra vez sera)\b"#),
        ]

        static let affirmativeOpeners: Set<String> = [
            "si", "claro", "dale", "vale", "bueno", "perfecto", "andale", "orale", "exacto", "correcto",
            "listo", "simon", "seguro", "okey", "oki", "sii", "siii", "sip",
        ]

        static let affirmative: [Phrase] = [
            Phrase("llamame", #"\b(llamame|llameme|llamenme|llamanos|llamenos|marcame|marqueme|marquenme|hableme|hablame|hablenme|escribanme|escribeme|escribame|mandenme|mandame|mandeme|envienme|enviame|envieme)\b|\b(me|nos) (pueden|puede|puedes) (llamar|marcar|hablar|escribir)\b|\bpuede(n)? llamar(me)?\b"#),
            Phrase("de acuerdo", #"\b(de acuerdo|por supuesto|con gusto|esta bien|me parece bien|me parece perfecto|suena bien|muy bien|claro que si|como no)\b"#),
            Phrase("me interesa", #"\b(si |todavia |aun |sigo )?(me|nos) interesa\b|\bsigo interesad[oa]\b|\b(estoy|estamos) interesad[oa]s?\b|\btodavia (lo |la )?(necesito|necesitamos|ocupo|me interesa)\b|\b(necesito|necesitamos|ocupo|ocupamos|quiero|queremos|quisiera) (ayuda|una cotizacion|la cotizacion|un presupuesto|el servicio|que me llamen|que me (marquen|hablen)|una cita|informacion|saber|un|una|el|la)\b"#),
        ]
    }
}
