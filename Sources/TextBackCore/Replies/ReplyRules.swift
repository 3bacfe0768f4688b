// The phrase tables behind ReplyClassifier. Data, not code: each row is one reason a reply is read
// a certain way, with a label that ends up in ExplainedReply.reason.
//
// Legal background (why opt-out is decided first and generously):
// - FCC 24-24 (47 CFR 64.1200(a)(10)/(a)(12), in force 2025-04-11): consent may be revoked "by any
//   reasonable means"; the words stop, quit, end, revoke, opt out, cancel and unsubscribe sent in
//   reply are per se revocation, and so is any wording a reasonable person would read as one.
// - CTIA Messaging Principles / carrier keyword handling: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END,
//   QUIT (opt-out), START, UNSTOP, YES (opt back in), HELP, INFO (help).
// - Spanish keywords: carriers and aggregators document ALTO (stop) and AYUDA (help) for Spanish
//   programs (Twilio's Spanish short code requirements), INICIO/AUXILIO as reserved Spanish
//   equivalents of START/HELP (Textizen), and PARAR, CANCELAR, DETENER, BAJA, DESUSCRIBIR as the
//   Spanish opt-out words messaging platforms configure. Spanish tables: ReplyRules+Spanish.swift.
// Patterns run over ReplyText.normalized: lowercase words without accents separated by single
// spaces, contractions expanded ("do not", "can not", "will not"), clauses separated by " | ".

import Foundation

enum ReplyRules {
    // MARK: Normalization

    /// Contractions and texting shorthand, token → replacement.
    static let shorthand: [String: String] = [
        "don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not",
        "didn't": "did not", "didnt": "did not", "won't": "will not", "wont": "will not",
        "wouldn't": "would not", "wouldnt": "would not", "can't": "can not", "cant": "can not",
        "cannot": "can not", "couldn't": "could not", "couldnt": "could not",
        "shouldn't": "should not", "shouldnt": "should not", "isn't": "is not", "isnt": "is not",
        "aren't": "are not", "arent": "are not", "wasn't": "was not", "wasnt": "was not",
        "haven't": "have not", "havent": "have not", "hasn't": "has not", "hasnt": "has not",
        "ain't": "is not", "aint": "is not",
        "i'm": "i am", "im": "i am", "i've": "i have", "ive": "i have", "i'll": "i will",
        "i'd": "i would", "you're": "you are", "youre": "you are", "you've": "you have",
        "we're": "we are", "it's": "it is", "that's": "that is", "thats": "that is",
        "what's": "what is", "whats": "what is", "who's": "who is", "whos": "who is",
        // Not "ya": it is "you" in English slang but "already" in Spanish, where it matters more
        // ("ya no quiero mensajes").
        "u": "you", "ur": "your", "r": "are",
        "pls": "please", "plz": "please", "plse": "please", "pleas": "please", "pleeze": "please",
        "plez": "please", "pleaseee": "please", "pleasee": "please",
        "txt": "text", "txts": "texts", "txting": "texting", "textin": "texting", "txtin": "texting",
        "msg": "message", "msgs": "messages", "msging": "messaging", "messagin": "messaging",
        "thx": "thanks", "thanx": "thanks", "thnx": "thanks", "ty": "thanks",
        "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tomorow": "tomorrow",
        "tommorow": "tomorrow", "tommorrow": "tomorrow", "2morrow": "tomorrow", "2moro": "tomorrow",
        "tonite": "tonight", "2nite": "tonight", "nite": "night",
        "hr": "hour", "hrs": "hours", "min": "minute", "mins": "minutes",
        "okay": "ok", "k": "ok", "kk": "ok", "okey": "ok", "okk": "ok",
        "unsub": "unsubscribe", "optout": "opt out", "o'clock": "oclock",
        "wanna": "want to", "gonna": "going to", "noone": "no one",
        "yeah": "yes", "yea": "yes", "yep": "yes", "yup": "yes", "yah": "yes", "yess": "yes",
        "yesss": "yes", "ye": "yes", "yas": "yes",
        "tomm": "tomorrow", "tmw": "tomorrow", "tmro": "tomorrow", "tmrrw": "tomorrow", "2mrw": "tomorrow",
        "2mro": "tomorrow", "tomorro": "tomorrow", "tomorrw": "tomorrow", "tomrrow": "tomorrow", "tommorw": "tomorrow",
        "2day": "today", "tdy": "today", "b4": "before", "aft": "afternoon", "aftn": "afternoon", "arvo": "afternoon",
        "afternon": "afternoon", "mornin": "morning", "morn": "morning", "mrng": "morning", "eve": "evening",
        "evng": "evening", "nxt": "next", "wk": "week", "wknd": "weekend", "abt": "about",
        "rn": "right now", "atm": "at the moment", "nvm": "never mind", "np": "no problem", "ofc": "of course",
        "def": "definitely", "defo": "definitely", "appt": "appointment", "wrng": "wrong", "nbr": "number",
        "num": "number", "numbr": "number", "sry": "sorry", "srry": "sorry", "wat": "what", "wut": "what",
        "dis": "this", "lemme": "let me", "gimme": "give me", "thnks": "thanks", "tks": "thanks", "tysm": "thanks",
        "cuz": "because", "bc": "because", "lmk": "let me know", "ppl": "people",
        "y'all": "you all", "yall": "you all", "idk": "i do not know", "dunno": "do not know",
        // Spanish texting shorthand.
        "q": "que", "xq": "porque", "pq": "porque", "porq": "porque", "xfa": "por favor", "xfavor": "por favor",
        "porfa": "por favor", "porfis": "por favor", "porfavor": "por favor", "pf": "por favor", "msj": "mensaje",
        "msjs": "mensajes", "tmb": "tambien", "tb": "tambien", "pa": "para", "toy": "estoy", "sta": "esta",
        "bn": "bien", "dnd": "donde",
    ]

    /// "5 pm" written "5 p m" after punctuation was dropped.
    static let meridiemGlue = TextPattern(#"\b(\d{1,2}(?::\d{2})?) ?([ap]) m\b"#)
    /// "a.m." / "P.M." in the raw text, before full stops split it into clauses.
    static let dottedMeridiem = TextPattern(#"(?i)\b([ap])\.\s?m\.?"#)

    // MARK: Benign guards

    struct Guard: Sendable {
        let label: String
        let pattern: TextPattern
        let template: String
    }

    /// Spans that contain a keyword but are not about messages. The keyword is renamed with a
    /// leading underscore ("_stop"), which no later pattern matches (\b does not fall between "_"
    /// and a letter). Order matters: negation first, so "can't stop the water" is handled once.
    static let guards: [Guard] = [
        Guard(label: "negated keyword (won't stop, don't stop)",
              pattern: TextPattern(#"\b(not|never) (ever |mean to |meant to |intend to |want to |trying to )?(stop|quit|cancel|end)\b"#), template: "$1 $2_$3"),
        Guard(label: "hit STOP by mistake",
              pattern: TextPattern(#"\b(accidentally|by accident|by mistake|mistakenly) (hit|pressed|sent|typed|replied|texted|wrote) (stop|cancel|end|quit)\b|\b(hit|pressed|sent|typed|replied|texted|wrote) (stop|cancel|end|quit) (by accident|by mistake|accidentally)\b"#),
              template: "$1 $2 _keyword"),
        Guard(label: "negated removal (don't remove me, don't take me off)",
              pattern: TextPattern(#"\b(do not|never) (ever )?(remove|delete|take|unsubscribe|opt|drop|block)( me| us| my number)?( off| out| from)?\b"#),
              template: "$1 $2_$3$4 _keep"),
        Guard(label: "someone else said to stop (the adjuster said stop everything)",
              pattern: TextPattern(#"(?<!\bi )\b(said|says|told (me|us|him|her|them)|wants (me|us|him|her|them)|asked (me|us|him|her|them)) (to )?stop\b(?! (texting|messaging|sending|calling|contacting|bothering|the texts|the messages|these|this|it|them)\b)"#),
              template: "$1 $3_stop"),
        Guard(label: "a pause in the work (stop everything until)",
              pattern: TextPattern(#"\bstop (everything|all work|work|working|all|the work|the job) (until|till|til|for now|for a (bit|while|few days))\b"#),
              template: "_stop $1 $2"),
        Guard(label: "stop by (a visit)",
              pattern: TextPattern(#"\bstop (by|in|over|past|off)\b"#), template: "_stop $1"),
        Guard(label: "stop at a place or time",
              pattern: TextPattern(#"\bstop at (?!once\b)"#), template: "_stop at "),
        Guard(label: "stop/cancel/end a thing that is not our messages (stop the leak, cancel my appointment)",
              pattern: TextPattern(
                #"\b(stop|quit|end|cancel) (the|my|our|your|a|an|his|her|their) (?!(texts?|text messages?|messages?|calls|spam|messaging|texting|calling|contact|communications?|harassment|nonsense|subscription|alerts?|notifications?|list|emails?|solicitations?|robocalls)\b)"#),
              template: "_$1 $2 "),
        Guard(label: "end of a period (end of the week)",
              pattern: TextPattern(#"\bend of\b"#), template: "_end of"),
        Guard(label: "cancel and reschedule",
              pattern: TextPattern(#"\bcancel and (reschedule|rebook|move|change|redo)\b"#), template: "_cancel and $1"),
        Guard(label: "a time limit, not a revocation (don't text me after 9)",
              pattern: TextPattern(
                #"\b(do not|never) (text|message|call|contact) (me|us) (until|till|before|after|during|between|on|so|this|today|tonight|tomorrow|right now|now|while|when|at(?= )(?! all\b))"#),
              template: "_notyet $2 $3 _$4"),
        Guard(label: "prefers texts to calls (don't call me, text me)",
              pattern: TextPattern(#"\bdo not (call|email|phone) (me |us )?(\| )?(just |please |only |instead |but )?(text|message)"#),
              template: "_prefer $4$5"),
        Guard(label: "can't take a call right now (don't call, I'm at work)",
              pattern: TextPattern(#"\b(do not|can not|please do not) (call|phone|ring)( me| us)? (\| )?((i am|am|we are) (at work|busy|driving|in a meeting|in class|working|at the|on the|on a|in the|in church|at church|sleeping|asleep|out)|i will (call|text|reach out|get back))"#),
              template: "_notnow $2$3 $4$5"),
        Guard(label: "gave a wrong number (their own typo)",
              pattern: TextPattern(#"\b(gave|give|sent|typed|entered|put) (you |us )?(the |a )?wrong (number|one)\b"#),
              template: "$1 $2$3_wrong $4"),
        Guard(label: "stop as a place or a thing (bus stop, stop sign)",
              pattern: TextPattern(#"\b(bus|pit|truck|rest|last|next|first|one|non|full|train|final|quick|the|a|that|each|every) stop\b(?! (texting|messaging|sending|calling|contacting|bothering|it|this|these|them|to)\b)|\bstop (and|n) shop\b"#),
              template: "$1 _stop"),
        Guard(label: "something stopped working (did the texts stop working?)",
              pattern: TextPattern(#"\bstop (working|running|responding|loading|showing|coming through|going through)\b"#), template: "_stop $1"),
        Guard(label: "stop as a thing (stop sign, stop light)",
              pattern: TextPattern(#"\bstop (sign|signs|light|lights|watch|loss|gap|valve|motion)\b"#), template: "_stop $1"),
        Guard(label: "greeting (good morning)",
              pattern: TextPattern(#"\bgood (morning|afternoon|evening|night|day)\b|\btop of the morning\b|\bbuen(os|as) (dias|tardes|noches)\b"#), template: "_greeting"),
        Guard(label: "prefiere mensajes (no me llamen, escribanme)",
              pattern: TextPattern(
                #"\bno (me |nos )?(llamen|llames|llame|marquen|marques|marque) (\| )?(mejor |solo |nada mas |mejor solo )?(escribanme|escribeme|escribame|mandenme|mandame|mandeme|envienme|enviame|envieme|textos?|mensajes?|por (mensaje|texto|whatsapp))"#),
              template: "_prefer $5"),
        Guard(label: "un limite de horario (no me llamen antes de las 9)",
              pattern: TextPattern(
                #"\bno (me |nos )?(llamen|llames|llame|escriban|escribas|escriba|manden|mandes|mande|envien|envies|textees|texteen|contacten|contactes) (mensajes |textos )?(antes|despues|hasta|durante|en|por|hoy|manana|ahorita|ahora|esta|este|el|los|las|a|entre|mientras|cuando)\b"#),
              template: "_notyet $2 me _$4"),
        Guard(label: "cancelar una cita (no los mensajes)",
              pattern: TextPattern(
                #"\b(cancelar|cancela|cancele|cancelen|cancelo) (mi |la |el |nuestra |nuestro |esa |esta )?(cita|reserva|visita|servicio|orden|pedido|trabajo|compra|instalacion|reparacion)\b"#),
              template: "_$1 $2$3"),
    ]

    // MARK: Keywords

    enum KeywordStrength: Sendable { case strong, ambiguous }

    struct Keyword: Sendable {
        let canonical: String
        let intent: ReplyIntent
        /// Strong keywords mean only one thing in a reply; ambiguous ones (end, cancel) are also
        /// everyday words, so only politeness may surround them in a clause.
        let strength: KeywordStrength
    }

    /// Bare-message spellings → keyword. Compared with ReplyText.bare (trimmed, lowercased).
    static let keywords: [String: Keyword] = [
        "stop": Keyword(canonical: "STOP", intent: .optOut, strength: .strong),
        "stopall": Keyword(canonical: "STOPALL", intent: .optOut, strength: .strong),
        "stop all": Keyword(canonical: "STOPALL", intent: .optOut, strength: .strong),
        "stop-all": Keyword(canonical: "STOPALL", intent: .optOut, strength: .strong),
        "unsubscribe": Keyword(canonical: "UNSUBSCRIBE", intent: .optOut, strength: .strong),
        "quit": Keyword(canonical: "QUIT", intent: .optOut, strength: .strong),
        "revoke": Keyword(canonical: "REVOKE", intent: .optOut, strength: .strong),
        "opt out": Keyword(canonical: "OPTOUT", intent: .optOut, strength: .strong),
        "opt-out": Keyword(canonical: "OPTOUT", intent: .optOut, strength: .strong),
        "optout": Keyword(canonical: "OPTOUT", intent: .optOut, strength: .strong),
        "end": Keyword(canonical: "END", intent: .optOut, strength: .ambiguous),
        "cancel": Keyword(canonical: "CANCEL", intent: .optOut, strength: .ambiguous),
        "start": Keyword(canonical: "START", intent: .optIn, strength: .ambiguous),
        "unstop": Keyword(canonical: "UNSTOP", intent: .optIn, strength: .ambiguous),
        "yes": Keyword(canonical: "YES", intent: .optIn, strength: .ambiguous),
        "help": Keyword(canonical: "HELP", intent: .help, strength: .ambiguous),
        "info": Keyword(canonical: "INFO", intent: .help, strength: .ambiguous),
        // Spanish (sources in the file header). Everyday words ("alto" is also "tall", "baja"
        // "low", "para" "for") count only as a whole reply or a clause with politeness around them.
        "alto": Keyword(canonical: "ALTO", intent: .optOut, strength: .ambiguous),
        "parar": Keyword(canonical: "PARAR", intent: .optOut, strength: .strong),
        "para": Keyword(canonical: "PARA", intent: .optOut, strength: .ambiguous),
        "paren": Keyword(canonical: "PAREN", intent: .optOut, strength: .ambiguous),
        "cancelar": Keyword(canonical: "CANCELAR", intent: .optOut, strength: .ambiguous),
        "detener": Keyword(canonical: "DETENER", intent: .optOut, strength: .strong),
        "baja": Keyword(canonical: "BAJA", intent: .optOut, strength: .ambiguous),
        "desuscribir": Keyword(canonical: "DESUSCRIBIR", intent: .optOut, strength: .strong),
        "desuscribirme": Keyword(canonical: "DESUSCRIBIR", intent: .optOut, strength: .strong),
        "basta": Keyword(canonical: "BASTA", intent: .optOut, strength: .ambiguous),
        "inicio": Keyword(canonical: "INICIO", intent: .optIn, strength: .ambiguous),
        "comenzar": Keyword(canonical: "COMENZAR", intent: .optIn, strength: .ambiguous),
        "ayuda": Keyword(canonical: "AYUDA", intent: .help, strength: .ambiguous),
        "auxilio": Keyword(canonical: "AUXILIO", intent: .help, strength: .ambiguous),
        "informacion": Keyword(canonical: "INFORMACION", intent: .help, strength: .ambiguous),
    ]

    /// Keyword spellings as token sequences for clause matching, longest first.
    static let clauseKeywords: [(tokens: [String], keyword: Keyword)] = {
        let spellings: [(String, String)] = [
            ("stop all", "stop all"), ("opt out", "opt out"), ("stopall", "stopall"), ("stop", "stop"),
            ("unsubscribe", "unsubscribe"), ("quit", "quit"), ("revoke", "revoke"), ("end", "end"),
            ("cancel", "cancel"), ("start", "start"), ("unstop", "unstop"), ("help", "help"), ("info", "info"),
            ("yes", "yes"), ("alto", "alto"), ("parar", "parar"), ("paren", "paren"), ("cancelar", "cancelar"),
            ("detener", "detener"), ("baja", "baja"), ("desuscribir", "desuscribir"), ("desuscribirme", "desuscribirme"),
            ("basta", "basta"), ("inicio", "inicio"), ("comenzar", "comenzar"), ("ayuda", "ayuda"), ("auxilio", "auxilio"),
            ("informacion", "informacion"),
        ]
        return spellings.map { (tokens: $0.0.split(separator: " ").map(String.init), keyword: keywords[$0.1]!) }
    }()

    /// Words that may come before a keyword in its clause without changing what it means.
    static let leadingFillers: [[String]] = [
        ["please"], ["just"], ["ok"], ["so"], ["now"], ["and"], ["but"], ["oh"], ["hey"], ["hi"],
        ["hello"], ["seriously"], ["i", "said"], ["again"], ["lol"], ["ugh"], ["omg"],
        ["por", "favor"], ["ya"], ["hola"], ["oiga"], ["oigan"], ["favor", "de"], ["dije"], ["ya", "les", "dije"],
    ]
    /// Only before strong keywords: "no stop", "no, unsubscribe".
    static let strongLeadingFillers: [[String]] = [["no"], ["nope"], ["nah"], ["thanks"], ["thank", "you"], ["kindly"], ["gracias"]]

    /// Words that may follow a keyword in its clause: politeness and emphasis.
    static let trailingFillers: [[String]] = [
        ["please"], ["now"], ["thanks"], ["thank", "you"], ["right", "now"], ["immediately"], ["asap"],
        ["already"], ["again"], ["ok"], ["seriously"], ["for", "real"], ["for", "good"], ["forever"],
        ["lol"], ["man"], ["dude"], ["bro"], ["sir"], ["maam"], ["thumbsup"],
        ["por", "favor"], ["ya"], ["gracias"], ["muchas", "gracias"], ["ahora"], ["ahora", "mismo"], ["ahorita"],
        ["inmediatamente"], ["de", "una", "vez"], ["ya", "mismo"], ["senor"], ["senora"], ["amigo"],
    ]
    /// Only after strong keywords: "stop it", "stop this", "unsubscribe me".
    static let strongTrailingFillers: [[String]] = [
        ["it"], ["this"], ["that"], ["them"], ["these"], ["those"], ["me"], ["all"], ["everything"], ["stop"],
        ["ya"], ["todo"],
    ]

    // MARK: Plain-language revocation

    struct Phrase: Sendable {
        let label: String
        let pattern: TextPattern
        init(_ label: String, _ pattern: String) {
            self.label = label
            self.pattern = TextPattern(pattern)
        }
    }

    /// Keywords that mean opt-out wherever they stand in a reply ("yes stop", "I want you to stop",
    /// "thanks, unsubscribe"), once the benign guards have renamed the harmless uses ("stop by",
    /// "won't stop", "bus stop"). The ambiguous keywords (end, cancel, quit) are not among them.
    static let anywhereKeywords: Set<String> = ["stop", "stopall", "unsubscribe", "revoke"]

    /// A whole reply that is an opt-out keyword spelled out or stretched: "S.T.O.P", "stoppp", "STOPPPP".
    static let stretchedStop = TextPattern(#"^s+\W*t+\W*o+\W*p+$"#)

    /// Any match revokes consent. Each row is a way people say "stop texting me".
    static let revocations: [Phrase] = [
        Phrase("stop + contacting verb (stop texting, quit calling)",
               #"\b(stop|quit|cease|end) (all |the |your |these |those |with the |with all the )?(texting|messaging|contacting|calling|emailing|bothering|harassing|spamming|pestering|hitting me up|reaching out)\b"#),
        Phrase("stop sending me",
               #"\b(stop|quit|cease) sending (me|us|these|those|this|them|any|anything|texts|messages|stuff|spam)\b"#),
        Phrase("stop/no more + our messages (no more texts, stop the texts, cancel my subscription)",
               #"\b(stop|quit|cease|end|cancel|block|no more|no further|enough) (all |the |your |these |those |this |my |with the |of the |of your |of these )?(texts?|text messages?|messages?|calls|spam|emails|notifications|alerts|solicitations|robocalls|marketing|messaging|texting|subscription|sms)\b"#),
        Phrase("cease contact",
               #"\b(cease|end|stop|no more|no further) (all |any )?(contact|communications?)\b"#),
        Phrase("do not / never contact me",
               #"\b(do not|never|did not ask you to) (ever )?(text|message|contact|call|email|sms|bother|harass|spam|pester|reach out to|send me|hit me up)( (me|us|this number|my number|here|again|anymore|any more|ever)\b| *\||$)"#),
        Phrase("take me off",
               #"\b(take|get|put) (me|us|my number|this number|my name|my info|my phone number|my cell|my contact) off\b(?! (of )?(hold|speaker|mute|(the|my|that|this) (schedule|calendar|waitlist|wait list|roster|rota|shift|job|case|project|reservation|appointment|booking|order|account|bill|invoice|work order|lease|policy)))"#),
        Phrase("remove me",
               #"\b(remove|delete|erase|purge) (me|us|my number|this number|my name|my info|my information|my phone number|my contact info|my details|my data)\b(?! from (the |my |your )?(schedule|calendar|appointment|waitlist|wait list|booking))"#),
        Phrase("off your list",
               #"\b(off|remove from|removed from) (of )?(your |the |this |ya )?(\w+ )?(list|lists|database|system|contacts|texts|messages)\b|\b(take|get|keep) (me|us) out of (your |the |this )?(\w+ )?(list|lists|database|system|contacts)\b"#),
        Phrase("unsubscribe", #"\bunsubscribe\b"#),
        Phrase("opt out", #"\bopt (me |us )?out\b"#),
        Phrase("go away (leave me alone, lose my number)",
               #"\b(leave (me|us) alone|go away|lose (my|this) number|forget (my|this) number|delete (my|this) number|get lost|back off|buzz off|piss off|fuck off|f off|screw off|shove off)\b"#),
        Phrase("never consented (I didn't sign up)",
               #"\b(did not|never) (sign up|signed up|subscribe|subscribed|opt in|opted in|consent|consented|agree to|agreed to|authorize|authorized)\b"#),
        Phrase("never gave permission",
               #"\b(did not|never) (give|gave) (you |anyone )?(permission|consent|my number|this number)\b"#),
        Phrase("don't want messages",
               #"\b(do not|no longer|never) want (to get |to receive |any |your |these |those |the |more |any more |anymore |these |further )*(texts?|text messages|messages|calls|contact|spam|notifications|alerts|to be (texted|contacted|messaged|called)|to hear from (you|your))\b"#),
        Phrase("no texts please",
               #"\b(no|not) (texts|texting|messages|text messages) (please|again|anymore|thanks)\b"#),
        Phrase("block or report this number",
               #"\b(block|blocking|report|reporting|reported) (you|this number|your number)\b|\bblocked (you|this number|your number)\b"#),
        Phrase("this is spam", #"\bthis is (spam|harassment|harrassment)\b"#),
        Phrase("withdraw consent", #"\b(revoke|revoking|withdraw|withdrawing|rescind|rescinding|retract) (my |all |any )?(consent|permission|authorization|opt in)\b"#),
        Phrase("do not text or call", #"\b(do not|never) (text|call|message|contact|email) or (text|call|message|contact|email)\b"#),
        Phrase("do not send me", #"\b(do not|never) send (me|us) (any|anything|more|any more|texts?|messages?|stuff|these|those|this)\b"#),
        Phrase("cease and desist", #"\b(cease|desist)\b"#),
        Phrase("did not ask for this", #"\b(did not|never) ask(ed)? (for|to get) (this|these|that|your|any|them)\b"#),
        Phrase("already unsubscribed or opted out",
               #"\b(i|we) (already |have already |already have )?(unsubscribed|opted out)\b|(^|\| )(already )?(unsubscribed|opted out)( already)?( \||$)"#),
        Phrase("do-not-call list", #"\b(do not call|dnc|do not text|do not contact) list\b"#),
        Phrase("do not wish to be contacted",
               #"\b(do not|no longer) (wish|want|care) to (be (texted|contacted|messaged|called)|receive|get|hear from)\b"#),
        Phrase("a whole clause of remove / no more",
               #"(^|\| )(please |just )?(remove|no more|no texting|no texts?|no messages|no more texts|no more messages)( please| thanks| thank you| now| me)?( \||$)"#),
    ]

    // MARK: Wrong number

    /// Run over ReplyText.wrongNumberText, where a capitalized word that is not a common word reads
    /// "zname" (a person's name: "no Jessica at this number" → "no zname at this number").
    static let wrongNumber: [Phrase] = [
        Phrase("wrong number", #"\bwrong (number|numbers|person|guy|girl|gal|lady|man|woman|phone|cell|contact|people|dude)\b"#),
        // "You got the wrong idea" is not a wrong number: the noun, or nothing, must follow.
        Phrase("got the wrong", #"\b(you have|you got|have got|you have got|got|you are texting|you are messaging) the wrong ((one|number|person|guy|girl|lady|man|woman|dude|zname)\b|(\||$))"#),
        Phrase("no one by that name",
               #"\b(no one|nobody|no body) (here |at this number )?(by|named|with|called) (that|this|the) (name)?\b|\b(no one|nobody) (here |at this number )?(named|called)\b"#),
        Phrase("not the person you want", #"\bnot (the person|who) you (think|are looking|want|meant|need)\b|\bnot (that|the right) (person|guy|girl|lady)\b"#),
        // "I don't know who this is" asks who is writing; "who that is" is about the name we used.
        Phrase("don't know you", #"\bi do not know (you|anyone named|anyone by|anybody named|anybody by|any zname|a zname|no zname|who that is|who you are (looking|talking|trying))\b"#),
        Phrase("no such person here",
               #"\bno zname (here|at this (number|phone|cell)|lives here|living here)\b|\b(there is|theres|there are) no zname\b|\bno (one|body|zname) (by that name|lives here)\b"#),
        Phrase("I am not that person", #"\b(i am|this is|it is|this|am) not zname\b|(^|\| )not zname( \||$)"#),
        Phrase("not their number",
               #"\b(this|that|it) (is not|was not|is no longer) (zname|his|her|their|zname s) (number|phone|cell)\b|\bnot (his|her|their|zname s|zname) (number|phone|cell)\b"#),
        Phrase("they do not live here / have this number",
               #"\b(he|she|they|zname|that person) (does not|do not|no longer|never) (live|lives|lived|work|works|worked|have|has|had|use|uses|used) (here|there|at this|this number|this phone)\b|\b(he|she|they|zname) (moved|changed (his|her|their) number)\b"#),
        Phrase("got a new number", #"\b(i|we) (just |recently |only )?(got|have had) this number\b|\bthis is (a new|my new) number\b|\b(this is|it is) (his|her|their|zname s) old number\b"#),
        Phrase("did not call anyone", #"\b(i|we) (did not|never) (call|text|contact|message|reach out to) (anyone|anybody|you|your company|any \w+)\b"#),
        Phrase("never heard of them", #"\bnever heard of (him|her|them|zname|that person)\b"#),
        // The person we meant has died: whoever has the phone now never consented.
        Phrase("they have passed away", #"\b(he|she|zname) (passed away|passed|died|is deceased|has passed|is no longer with us)\b"#),
        Phrase("wrong number, Spanish", #"\b(numero|#) (equivocado|incorrecto|errado|equivocada)\b|\bequivoc\w* de (numero|persona)\b|\b(persona|numero) equivocad[oa]\b|(^|\| )(esta |estan )?equivocad[oa]s?( \||$)"#),
        Phrase("nadie con ese nombre",
               #"\baqui no (vive|trabaja|se llama|es)\b|\baqui no hay (nadie|ningun\w*)( |$)|\bno (conozco|conocemos|se quien es) (a )?(ningun|ninguna|nadie|zname|esa persona)\b|\bno (hay|vive) (ningun |ninguna |nadie )?(zname )?(aqui|con ese nombre)\b|\bno soy (zname|yo|esa persona)\b|\bno es aqui\b|\b(este|ese) no es (el |su |mi )?numero de\b|\bya no es (su|el) numero\b"#),
    ]

    /// Words people capitalize that are not names (ReplyText.names): calendar words, titles, and
    /// the words that follow "not" or "no" in ordinary replies ("I'm not Sure", "No Problem").
    static let commonWords: Set<String> = [
        "im", "ive", "id", "ill", "ok", "okay", "stop", "mr", "mrs", "ms", "dr", "sir", "maam", "god", "lol", "omg",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "interested", "sure", "available", "home",
        "ready", "able", "free", "busy", "around", "aware", "sorry", "happy", "looking", "going", "done", "certain",
        "serious", "kidding", "joking", "correct", "true", "urgent", "necessary", "needed", "important", "working",
        "allowed", "responsible", "familiar", "anyone", "anybody", "someone", "somebody", "everyone", "nobody",
        "spam", "scam", "real", "legit", "alright", "bad", "mine", "yours", "his", "hers", "theirs", "interesting",
        "qualified", "eligible", "selling", "buying", "moving", "renting", "owner", "homeowner", "landlord",
        "tenant", "customer", "client", "company", "business", "office", "service", "problem", "problems",
        "worries", "way", "chance", "thing", "big", "deal", "rush", "hurry", "idea", "clue", "longer", "more",
        "one", "body", "thanks", "thank", "please", "yes", "no", "not", "hi", "hello", "hey", "good", "great",
        "morning", "afternoon", "evening", "night", "today", "tomorrow", "tonight", "wrong", "number", "who",
        "what", "this", "that", "here", "there", "bro", "dude", "man", "buddy", "hun", "honey", "dear", "mister",
        "miss", "senor", "senora", "senorita", "don", "dona", "usted", "nadie", "ninguno", "ninguna", "seguro",
        "segura", "interesado", "interesada", "disponible", "gracias", "hola", "buenas", "buenos", "perdon",
        "disculpe", "lo", "siento", "acme", "llc", "inc", "co", "us", "usa", "america", "texas", "tx", "ca", "ny",
        "fl", "insurance", "services", "solutions", "plumbing", "hvac", "roofing", "electric", "realty", "mortgage",
        "bank",
    ]

    // MARK: Other intents

    static let notInterested: [Phrase] = [
        Phrase("not interested", #"\bnot (interested|intrested|interseted|intersted|interested anymore)\b|\bno (interest|longer interested)\b|\blost interest\b"#),
        Phrase("no thanks", #"^(no|nope|nah|no sir|no maam|no no|nah man|nope sorry)( thanks| thank you| sorry| thanks anyway| thank you anyway| i am good| i am ok| i am fine| we are good| we are fine| we are ok| not now| not interested| i will pass| pass| all good| good| were good| im good| all set| i am all set| we are all set)*$|\bno (thanks|thank you|thx)\b|\bthumbsdown\b"#),
        Phrase("already found someone",
               #"\balready (found|hired|booked|got|have|bought|chose|picked|went with|signed with|scheduled with|took care|fixed|handled|used|contracted|had it|had someone|have someone)\b|\b(just|recently) (found|hired|booked|bought|chose|picked|went with|signed with|contracted)\b|\bfound (someone|somebody|another|a different|a cheaper|a better)\b|\b(went|going|go|decided to go) with (someone|somebody|another|a different|the other|other)\b|\bhired (someone|somebody|another|a different)\b|\b(went|going|go) (another|a different) (way|direction|route)\b"#),
        Phrase("no longer need", #"\bno longer (need|needed|interested|looking|necessary|required)\b|\b(do|does|did) not need (it|help|anything|your|the|a|any|this|that|you|service|services|them|anyone|someone|one)\b|\bno need\b|\bnot (needed|necessary)\b"#),
        Phrase("all set", #"\b(we are|i am|were|all) (all )?set\b|(^|\| )(no |nah |nope )?(i am|we are|were|im) (good|fine|ok|okay|alright|all good)( thanks| thank you| now| anyway| though)*( \||$)"#),
        Phrase("never mind", #"\bnever ?mind\b|\bchanged (my|our) minds?\b|\btoo (expensive|pricey|much money)\b|\b(can not|could not) afford\b|\bout of (my|our) (budget|price range)\b"#),
        Phrase("taken care of", #"\b(fixed|handled|solved|resolved|sorted) it (myself|ourselves|already)\b|\b(got it|it is|it was|its|all|everything|problem|issue) (already )?(fixed|handled|resolved|sorted|taken care of|solved)\b|\btaken care of\b"#),
        Phrase("I will pass", #"\b(i will|i would|i am going to|we will|we are going to|going to|gonna|i think i will|we ll) pass\b|(^|\| )pass( on (it|this|that))?( thanks| thank you)?( \||$)"#),
        Phrase("not looking anymore", #"\b(not|no longer|stopped) (looking|shopping|in the market)\b|\b(sold|selling) (the|my|our) (house|home|property|car|place)\b|\bnot anymore\b"#),
        Phrase("please don't bother", #"\b(do not|no need to) bother\b"#),
        Phrase("someone fixed it", #"\b(fixed|repaired|handled|solved|sorted|figured) it( out)?( (ourselves|myself|already|thanks|now|yesterday|last week|this morning))*( \||$)|\b(got|have) it (handled|covered|taken care of|sorted)\b"#),
        Phrase("doing it ourselves", #"\b(do|did|fix|fixed|install|installed|put|handle|handled|replace|replaced|paint|build|built|figure|repair|repaired|doing|fixing|installing)( it| one| them| this| that)?( in| out| up)? (ourselves|myself)\b|\b(diy|do it on (my|our) own)\b"#),
        Phrase("decided against", #"\bdecided (not to|to (wait|hold off|pass|keep|stay|buy|do it|go (another|a different|elsewhere|with (someone|another|a different|the other))|hire (someone|another)|use (someone|another)|just))\b"#),
        Phrase("bought one already",
               #"\b(bought|purchased|hired|found|replaced|fixed|installed|handled|sorted|booked|scheduled|got) (it|one|a new one|someone|somebody|another( one)?|a \w+|the \w+|them)( \w+)? already\b"#),
        Phrase("went with another company",
               #"\b(by|with|from|to) (another|a different|a local|a cheaper|some other) (company|contractor|plumber|electrician|roofer|guy|provider|agent|agency|lender|bank|business|insurer|insurance|practice|doctor|school|one)\b|\bthanks? anyway\b|\bthank you anyway\b|\bnot for (me|us)\b|\b(do not|dont) think (so|this is for)\b"#),
        Phrase("price too high", #"\b(price|quote|cost|estimate|it|that) (is|was|seems) (too|way too|a bit|kind of|kinda) (high|much|expensive|steep|pricey)\b|\btoo (high|steep)\b"#),
    ]

    /// A decline that leaves the door open ("not right now", "maybe next year"). It is
    /// not_interested unless the reply also names a time soon enough to act on ("not now, call me
    /// tomorrow at 5" proposes a time).
    static let softDecline: [Phrase] = [
        Phrase("not now", #"\bnot (right )?now\b|\bnot (at )?(this|the) (time|moment)\b|\bnot at the moment\b|\bnot (today|tonight|this (week|month|year|season|time))\b|\bmaybe (later|another time|some other time|next (year|month|season|spring|summer|fall|winter)|in the future|down the road|someday|one day|in the (spring|summer|fall|autumn|winter)|in a (few|couple) (months|weeks))\b|\b(some|another) other time\b|\bdown the road\b|\bin the future\b|\b(check|circle|get|touch) back (with me )?(later|in|next|another|some|after)\b|\breach out (again )?(later|in|next|another)\b"#),
    ]

    /// Times far enough off that naming them is a polite no, not a callback proposal.
    static let farOff = TextPattern(#"\bnext (year|month|season|spring|summer|fall|autumn|winter)\b|\bin the future\b|\bdown the road\b|\bsomeday\b|\bone day\b|\bafter the holidays\b|\bin (a|one|a few|a couple of|a couple|couple|few|\d+|some|several) months?\b|\bin the (spring|summer|fall|autumn|winter)\b"#)

    /// A whole reply asking to be (re)subscribed: opt_in, like START, though not a carrier keyword.
    static let optInRequest = TextPattern(
        #"^(please )?(i would like to |i want to )?(opt (me )?(back )?in|optin|resubscribe( me)?|subscribe( me)?( again| back)?|sign me (back )?up( again)?|add me (back )?(to the list)?|suscribirme|suscribeme)( please| thanks| again)?$"#)

    /// "Got it", "ok noted": the message was read, nothing more; not a yes to a callback.
    static let acknowledgment = TextPattern(
        #"^(ok |okay |k |alright )?(got it|noted|understood|copy|copy that|roger|roger that|10 4|will do|gotcha|ok noted|seen)( thanks| thank you| thx)?$"#)

    /// Asking for information to be sent, as a question: a question, not a yes ("can you text me a quote?").
    static let informationRequest = TextPattern(
        #"\b(can|could|would|will) (you|u|ya|someone) (just |please )?(text|send|email|message) (me|us) (a|the|your|some|an|more)? ?(quote|price|prices|pricing|estimate|info|information|details|rates?|cost|breakdown)\b"#)

    /// Words that open an affirmative reply.
    static let affirmativeOpeners: Set<String> = [
        "yes", "sure", "ok", "absolutely", "definitely", "certainly", "thumbsup", "correct", "affirmative",
        "yessir", "alright", "perfect", "great", "awesome", "cool", "yup", "totally", "interested", "please",
    ]

    static let affirmative: [Phrase] = [
        Phrase("call me", #"\b(call|ring|phone) (me|us)\b|\bgive (me|us) a (call|ring|buzz)\b|\bcall (back|anytime|any time|whenever)\b|\bplease call\b|\b(you can|feel free to) (call|reach|text)\b|\breach me\b"#),
        Phrase("text me", #"\b(text|message) (me|us)\b"#),
        Phrase("still interested", #"\b(still|really) (need|want|interested)\b|\bneed (help|it|this|someone|a quote|the quote|service|an estimate|a price|(a|an|the|my|our|some) (?!minute|second|moment|while|bit|break)\w+)\b|\b(please help|help me|help us)\b|\b(i am|very|am|we are|definitely|yes) interested\b|\b(i|we) (do |really |still |definitely )?(want|would like|need|would love) (help|service|someone|somebody|it|this|that|one|more|to (get|schedule|book|set up|have|fix|replace|install|know|talk to (you|someone|somebody)))\b"#),
        Phrase("I called about it", #"\b(i am|we are|just) (calling|texting|reaching out|getting back to you) (back )?(about|regarding|for|re)\b|\b(i|we) (called|was calling|were calling|reached out|inquired|requested|asked|filled out|submitted|put in) (about|for|regarding|earlier|yesterday|you|a request|the form|a form)\b|\bsend (me|us) (the |some |more )?(info|information|details|a quote|the quote|pricing|prices|an estimate|the estimate)\b"#),
        Phrase("call now", #"\b(now|right now) (is|works|would work|is good|is fine|is best|is great)\b|\b(available|free|here|home|ready) (now|right now)\b|\basap\b|\bas soon as (possible|you can)\b|\b(it is an|its an|this is an) emergency\b|\bplease hurry\b"#),
        Phrase("please come", #"\b(please|pls) (come|send|hurry)\b|\bsend (someone|somebody|a tech|a plumber|a technician|a guy)\b|\bcome (out|over|asap|quick|quickly|anytime|any time|today|now|whenever|take a look|look at)\b"#),
        Phrase("let's schedule", #"\b(let us|lets|i would like to|i want to|can we|we can|would like to|ready to) (schedule|book|set up|set something up|get (it|something|this) (scheduled|booked|on the calendar))\b"#),
        Phrase("any time works", #"\b(whenever|anytime|any time|whatever time)( works| is (good|fine|ok|okay|great)| you want| is best| for you)\b"#),
        Phrase("yes in so many words", #"^(y|ya|yah|yas)$|(?<!\b(not|if|say|said|says|saying) )\byes\b(?! (or|but) no\b)|\b(deal|sounds like a plan)\b"#),
        Phrase("go ahead", #"\b(go ahead|please do|sounds good|sounds great|that works|works for me|of course|all right|lets do it|let us do it|be great|go for it|for sure|sure thing|why not|lets talk|let us talk|lets chat|that would be (great|good|nice|awesome|perfect|helpful))\b"#),
    ]

    /// Openers of a question that asks for information ("how soon can someone come out?"): such a
    /// question stays a question even when it mentions coming out or calling.
    static let informationOpeners: Set<String> = ["how", "what", "when", "where", "why", "which", "who", "whats", "hows", "cuanto", "cuando", "donde", "quien", "cual", "como"]

    static let questionOpeners: Set<String> = [
        "how", "what", "when", "where", "why", "who", "which", "can", "could", "do", "does", "did",
        "is", "are", "will", "would", "should", "may", "whom", "whose", "hows", "wheres", "whys",
        // Spanish interrogatives (without accents, as normalized). Not "que" or "como", which
        // open plain sentences as often.
        "cuanto", "cuanta", "cuantos", "cuando", "donde", "quien", "quienes", "cual", "cuales",
    ]

    /// Questions written without a question mark or interrogative opener.
    static let indirectQuestion = TextPattern(
        #"\bwho (is this|dis|this|are you|is that|are yall|are you guys)\b|\b(wondering|want to know|wanted to know|curious|let me know (how|what|if|when|where|who|why)|tell me (more|how|what)|more (info|information|details)|how much|what is the (price|cost|rate)|what are (the|your) (prices|rates|hours))\b"#)

    /// Asking about the business's hours: a day in it is not a proposal ("Are you open Saturday?").
    static let hoursQuestion = TextPattern(
        #"\b(are|r) (you|yall|you all|you guys) (open|closed|working)\b|\b(what|when) (are )?(your|the) hours\b|\b(do|does) (you|your company|yall|you guys) (work|open)\b|\b(what time|when) do (you|yall|you guys) (open|close)\b|\b(estan|esta) (abiertos|abierto|cerrados|cerrado)\b|\b(trabajan|abren|cierran)\b"#)

    /// A request to be contacted; a time after it is the one proposed.
    static let callbackRequest = TextPattern(#"\b(call|text|reach|try|ring|contact|llamame|llameme|llamenme|marcame|marqueme|marquenme) (me|us|back)\b"#)

    /// Words that make a vague time a proposal in a longer reply (see ReplyClassifier).
    static let proposalContext = TextPattern(
        #"\b(works|work for|is good|is fine|is better|be better|would be|call|text|reach|contact|try|wait|then|til|till|until|after|before|around|maybe|how about|what about|can we|could we|let us|lets|sometime|free|available|better|best|prefer|llam\w*|marc\w*|mejor|puedo|podemos)\b"#)

    /// The restriction a time-limit guard marked ("_notyet text me _after 9pm"): not a proposal.
    static let timeRestriction = TextPattern(#"_notyet \S+ \S+ _\S+( now\b|( de| del)?( las| la)? \S+)?"#)

    /// Replies that cancel a booking of theirs with us: a time in them is not a proposal to call.
    /// Cancelling something else ("I had to cancel my plans", "cancel the other plumber") is
    /// only a story and does not count.
    static let cancelMention = TextPattern(
        #"\b_?(cancel|cancelar|cancela|cancele|cancelen|cancelo)( (my|the|our|this|that|your|an|a|mi|la|el|esa|esta|nuestra))?( \w+)?( \w+)? (appointment|appt|booking|visit|service|order|job|estimate|inspection|consultation|call|slot|reservation|meeting|time|install|installation|repair|request|quote|cita|reserva|visita|servicio|orden|pedido|trabajo|instalacion|reparacion)s?\b|\b_?(cancel|cancelar|cancela|cancele|cancelen|cancelo)( (it|that|this|lo|la|esa|eso))?( for| on| el| para el)? (today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|hoy|manana|lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b|\b_?(cancel|cancelar|cancela|cancele|cancelen|cancelo)( (it|that|this|lo|la|esa|eso))?( \||$)|\b_?cancel( my| the| our| mi| la)? \d{1,2}(:\d{2})? ?(am|pm)?\b|\b_?cancel and\b|\bneed to _?cancel\b|\bwant to _?cancel\b|\b_?cancel(ar)? (the |la |mi |my )?(\w+ )?(for|on|el|del) (today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b"#)

    /// A cancellation that moves the booking to a time the reply names: that time is a proposal.
    static let rebook = TextPattern(
        #"\b(and|then|to) (book|rebook|reschedule|move( it)?( to)?|switch( to)?|change( it)? to|put me (in|on|down for|down)|do|make it)\b|\binstead\b|\b(i meant|meant to say|make that|actually)\b|\b(reprogramar\w*|(cambiar|mover|pasar)\w* (para|a|al)|mejor el|en vez|en lugar)\b"#)
}
