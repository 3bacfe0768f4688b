// Rewrites the wording of a time in a normalized reply into the one form TimeExpression reads:
// Spanish time words into English ("el viernes a las 4" → "friday at 4", "mañana en la tarde" →
// "tomorrow afternoon"), and days the reply rules out dropped ("not today, maybe tomorrow" keeps
// only "tomorrow"). Rules are applied in order; each row is a regular expression and its
// replacement.

import Foundation

enum TimeWording {
    static func normalize(_ text: String) -> String {
        var t = " " + text + " "
        for (pattern, template) in spanish {
            t = pattern.replacingAll(in: t, with: template)
        }
        t = anyDayBut.replacingAll(in: t, with: " any day ")
        for pattern in ruledOut {
            t = pattern.replacingAll(in: t, with: " ")
        }
        return t.split(separator: " ").joined(separator: " ")
    }

    private static let weekdays = "lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    private static let dayWords = "today|tonight|tomorrow|this morning|this afternoon|this evening|this week|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mornings|afternoons|evenings|weekends?"

    /// Spanish → English. "mañana" is "tomorrow" unless it follows la/en la/por la/de la, where it is
    /// "morning"; the morning forms are rewritten first for that reason.
    private static let spanish: [(TextPattern, String)] = [
        (#"\b(\d{1,2}) y media\b"#, "$1:30"),
        (#"\b(\d{1,2}) y cuarto\b"#, "$1:15"),
        (#"\bpasado manana\b"#, "day after tomorrow"),
        (#"\bmanana (en|por|de) la manana\b|\bmanana temprano\b|\bmanana a primera hora\b"#, "tomorrow morning"),
        (#"\b(en|por|de) la manana\b|\bla manana\b"#, "morning"),
        (#"\besta manana\b"#, "this morning"),
        (#"\besta tarde\b"#, "this afternoon"),
        (#"\b(en|por|de|a) la tarde\b|\bla tarde\b"#, "afternoon"),
        (#"\besta noche\b|\bhoy en la noche\b|\bhoy por la noche\b"#, "tonight"),
        (#"\b(en|por|de|a) la noche\b"#, "night"),
        (#"\bmanana\b"#, "tomorrow"),
        (#"\bhoy\b"#, "today"),
        (#"\b(al|a|el|para el|despues del|antes del) mediodia\b"#, "$1 noon"),
        (#"\bmediodia\b"#, "noon"),
        (#"\bdespues (de|del) (comer|almuerzo|la comida)\b"#, "after lunch"),
        (#"\bdespues (de|del) (trabajo|mi trabajo|salir del trabajo)\b"#, "after work"),
        (#"\bdespues (de las|de la|de) (\d{1,2})"#, "after $2"),
        (#"\bantes (de las|de la|de) (\d{1,2})"#, "before $2"),
        (#"\bentre (las |la )?(\d{1,2}) y (las |la )?(\d{1,2})\b"#, "between $2 and $4"),
        (#"\ba partir de (las |la )?(\d{1,2})"#, "after $2"),
        (#"\b(como|tipo|alrededor de|a eso de|cerca de|mas o menos) (a )?(las|la) (\d{1,2})"#, "around $4"),
        (#"\b(a|para|de) (las|la) (\d{1,2})"#, "at $3"),
        (#"\b(en|dentro de) (una|1) hora\b"#, "in an hour"),
        (#"\b(en|dentro de) media hora\b"#, "in half an hour"),
        (#"\b(en|dentro de) (\d{1,3}) (minutos|minuto|minutes|minute)\b"#, "in $2 minutes"),
        (#"\b(en|dentro de) (\d{1,2}) (horas|hours)\b"#, "in $2 hours"),
        (#"\b(en|dentro de) (un rato|un ratito|un momento|unos minutos)\b|\bal rato\b|\bmas tarde\b"#, "later"),
        (#"\b(la proxima semana|la semana que viene|la otra semana|proxima semana|semana proxima)\b"#, "next week"),
        (#"\b(este|el) fin de semana\b"#, "this weekend"),
        (#"\bfin de semana\b"#, "weekend"),
        (#"\b(el |este )?(proximo) (lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b"#, "next $3"),
        (#"\b(el |este )?(lunes|martes|miercoles|jueves|viernes|sabado|domingo) (que viene|proximo)\b"#, "next $2"),
        (#"\blunes\b"#, "monday"), (#"\bmartes\b"#, "tuesday"), (#"\bmiercoles\b"#, "wednesday"),
        (#"\bjueves\b"#, "thursday"), (#"\bviernes\b"#, "friday"), (#"\bsabado\b"#, "saturday"),
        (#"\bdomingo\b"#, "sunday"),
        (#"\benero\b"#, "january"), (#"\bfebrero\b"#, "february"), (#"\bmarzo\b"#, "march"), (#"\babril\b"#, "april"),
        (#"\bmayo\b"#, "may"), (#"\bjunio\b"#, "june"), (#"\bjulio\b"#, "july"), (#"\bagosto\b"#, "august"),
        (#"\bsept?iembre\b"#, "september"), (#"\boctubre\b"#, "october"), (#"\bnoviembre\b"#, "november"),
        (#"\bdiciembre\b"#, "december"),
        (#"\b(el )?(\d{1,2}) de (january|february|march|april|may|june|july|august|september|october|november|december)\b"#, "$3 $2"),
        (#"\bel (\d{1,2})\b(?!:)"#, "the $1th"),
    ].map { (TextPattern($0.0), $0.1) }

    /// "Any day but Monday": a proposal of no day in particular.
    private static let anyDayBut = TextPattern(#"\b(any ?day|anytime|any time) (but|except|other than|besides|apart from) (\#(dayWords))\b"#)

    /// Days the reply rules out: "not today", "can't do Monday", "busy tomorrow", "Friday doesn't work";
    /// and days in the past, which tell a story ("dripping since Sunday", "I called last Monday").
    private static let ruledOut: [TextPattern] = [
        TextPattern(#"\b(since|last|from last|earlier this|all day|this past|past) (\#(dayWords)|yesterday)\b|\byesterday\b|\b(desde el|el pasado|desde) (\#(weekdays))\b"#),
        TextPattern(#"\b(not|except|but not|can not|could not|will not|busy|unavailable|working|at work|out of town|away|booked) (do |make |be |on )?(\#(dayWords))\b"#),
        TextPattern(#"\b(\#(dayWords)) (does not|do not|will not|would not|is not|are not|is no longer) (work|going to work|good|great|possible|open)\b|\b(\#(dayWords)) (is|are) (bad|no good|a no|out|full|booked)\b"#),
        TextPattern(#"\b(no one|nobody|not|none of us|not anyone) (is |are |will be |be )?(available|home|around|here|free|in) (\#(dayWords))\b"#),
        TextPattern(#"\b(\#(dayWords)) no (puedo|me queda|se puede|funciona)\b|\bno (puedo|me queda) (el )?(\#(weekdays)|today|tomorrow)\b"#),
    ]
}
