// The phrase tables behind ReplyClassifier. Data, not code: each row is one reason a reply is read
// a certain way, with a label that ends up in ExplainedReply.reason.
//
// Legal background (why opt-out is decided first and generously):
// - FCC 24-24 (47 CFR 64.1200(a)(10)/(a)(12), in force 2025-04-11): consent may be revoked "by any
//   reasonable means"; the words stop, quit, end, revoke, opt out, cancel and unsubscribe sent in
//   reply are per se revocation, and so is any wording a reasonable person would read as one.
// - CTIA Messaging Principles / carrier keyword handling: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END,
//   QUIT (opt-out), START, UNSTOP, YES (opt back in), HELP, INFO (help).
// Patterns run over ReplyText.normalized: lowercase words separated by single spaces, contractions
// expanded ("do not", "can not", "will not"), clauses separated by " | ".

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
        "u": "you", "ur": "your", "r": "are", "ya": "you",
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
        "yesss": "yes", "ye": "yes",
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
              pattern: TextPattern(#"\b(not|never) (ever )?(stop|quit|cancel|end)\b"#), template: "$1 $2_$3"),
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
              pattern: TextPattern(#"\bdo not call (me|us) (\| )?(just |please |only )?(text|message)"#),
              template: "_prefer $3$4"),
        Guard(label: "gave a wrong number (their own typo)",
              pattern: TextPattern(#"\b(gave|give|sent|typed|entered|put) (you |us )?(the |a )?wrong (number|one)\b"#),
              template: "$1 $2$3_wrong $4"),
        Guard(label: "stop as a place or a thing (bus stop, stop sign)",
              pattern: TextPattern(#"\b(bus|pit|truck|rest|last|next|first|one|non|full|train|final|quick) stop\b"#), template: "$1 _stop"),
        Guard(label: "something stopped working (did the texts stop working?)",
              pattern: TextPattern(#"\bstop (working|running|responding|loading|showing|coming through|going through)\b"#), template: "_stop $1"),
        Guard(label: "stop as a thing (stop sign, stop light)",
              pattern: TextPattern(#"\bstop (sign|signs|light|lights|watch|loss|gap|valve|motion)\b"#), template: "_stop $1"),
        Guard(label: "greeting (good morning)",
              pattern: TextPattern(#"\bgood (morning|afternoon|evening|night|day)\b"#), template: "_greeting"),
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
    ]

    /// Keyword spellings as token sequences for clause matching, longest first.
    static let clauseKeywords: [(tokens: [String], keyword: Keyword)] = {
        let spellings: [(String, String)] = [
            ("stop all", "stop all"), ("opt out", "opt out"), ("stopall", "stopall"), ("stop", "stop"),
            ("unsubscribe", "unsubscribe"), ("quit", "quit"), ("revoke", "revoke"), ("end", "end"),
            ("cancel", "cancel"), ("start", "start"), ("unstop", "unstop"), ("help", "help"), ("info", "info"),
            ("yes", "yes"),
        ]
        return spellings.map { (tokens: $0.0.split(separator: " ").map(String.init), keyword: keywords[$0.1]!) }
    }()

    /// Words that may come before a keyword in its clause without changing what it means.
    static let leadingFillers: [[String]] = [
        ["please"], ["just"], ["ok"], ["so"], ["now"], ["and"], ["but"], ["oh"], ["hey"], ["hi"],
        ["hello"], ["seriously"], ["i", "said"], ["again"], ["lol"], ["ugh"], ["omg"],
    ]
    /// Only before strong keywords: "no stop", "no, unsubscribe".
    static let strongLeadingFillers: [[String]] = [["no"], ["nope"], ["nah"]]

    /// Words that may follow a keyword in its clause: politeness and emphasis.
    static let trailingFillers: [[String]] = [
        ["please"], ["now"], ["thanks"], ["thank", "you"], ["right", "now"], ["immediately"], ["asap"],
        ["already"], ["again"], ["ok"], ["seriously"], ["for", "real"], ["for", "good"], ["forever"],
        ["lol"], ["man"], ["dude"], ["bro"], ["sir"], ["maam"], ["thumbsup"],
    ]
    /// Only after strong keywords: "stop it", "stop this", "unsubscribe me".
    static let strongTrailingFillers: [[String]] = [
        ["it"], ["this"], ["that"], ["them"], ["these"], ["those"], ["me"], ["all"], ["everything"],
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
               #"\b(take|get|put) (me|us|my number|this number|my name|my info|my phone number|my cell|my contact) off\b(?! (of )?(hold|speaker|mute|the (schedule|calendar|waitlist|wait list|roster|rota|shift|job|case|project)))"#),
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
        Phrase("a whole clause of remove / no more",
               #"(^|\| )(please |just )?(remove|no more|no texting|no texts?|no messages|no more texts|no more messages)( please| thanks| thank you| now| me)?( \||$)"#),
    ]

    // MARK: Wrong number

    static let wrongNumber: [Phrase] = [
        Phrase("wrong number", #"\bwrong (number|person|guy|girl|lady|man|woman|phone|cell|contact|people|name)\b"#),
        Phrase("got the wrong", #"\b(you have|you got|have got) the wrong\b"#),
        Phrase("no one by that name",
               #"\b(no one|nobody|no body) (here |at this number )?(by|named|with|called) (that|this|the) (name)?\b|\b(no one|nobody) (here |at this number )?(named|called)\b"#),
        Phrase("not the person you want", #"\bnot (the person|who) you (think|are looking|want|meant)\b"#),
        Phrase("don't know you", #"\bi do not know (you|anyone named|anyone by|anybody named|anybody by)\b"#),
    ]

    // MARK: Other intents

    static let notInterested: [Phrase] = [
        Phrase("not interested", #"\bnot (interested|intrested|interseted)\b"#),
        Phrase("no thanks", #"^(no|nope|nah|no sir|no maam)( thanks| thank you| sorry| thanks anyway| im good| i am good)?$|\bno (thanks|thank you)\b|\bthumbsdown\b"#),
        Phrase("already found someone",
               #"\b(already|just) (found|hired|booked|got|have|bought|chose|picked|went with|signed with|scheduled with|took care)\b|\bfound (someone|somebody|another|a different)\b|\bwent with (someone|somebody|another|a different)\b"#),
        Phrase("no longer need", #"\bno longer (need|needed|interested|looking|necessary)\b|\b(do|does|did) not need (it|help|anything|your|the|a|any|this|that|you|service|services)\b"#),
        Phrase("all set", #"\b(we are|i am|were|all) (all )?set\b|\b(i am|we are) (good|fine|ok)( thanks| thank you)?$"#),
        Phrase("never mind", #"\bnever ?mind\b|\bchanged (my|our) minds?\b|\btoo (expensive|pricey)\b"#),
    ]

    /// Words that open an affirmative reply.
    static let affirmativeOpeners: Set<String> = [
        "yes", "sure", "ok", "absolutely", "definitely", "certainly", "thumbsup", "correct", "affirmative",
        "yessir", "alright", "perfect", "great", "awesome", "cool",
    ]

    static let affirmative: [Phrase] = [
        Phrase("call me", #"\b(call|ring|phone) (me|us)\b|\bgive (me|us) a (call|ring)\b|\bcall (back|anytime|any time)\b|\bplease call\b"#),
        Phrase("text me", #"\b(text|message) (me|us)\b"#),
        Phrase("still interested", #"\b(still|really) (need|want|interested)\b|\bneed (help|it|this|someone|a quote|the quote|service)\b|\b(please help|help me|help us)\b|\b(i am|very|am|we are) interested\b|\b(i|we) (want|would like|need)\b"#),
        Phrase("go ahead", #"\b(go ahead|please do|sounds good|that works|works for me|of course|all right|lets do it|let us do it|be great)\b"#),
    ]

    static let questionOpeners: Set<String> = [
        "how", "what", "when", "where", "why", "who", "which", "can", "could", "do", "does", "did",
        "is", "are", "will", "would", "should", "may", "whom", "whose", "hows", "wheres", "whys",
    ]

    /// The restriction a time-limit guard marked ("_notyet text me _after 9pm"): not a proposal.
    static let timeRestriction = TextPattern(#"_notyet \S+ \S+ _\S+( now\b| \S+)?"#)

    /// Replies that mention cancelling something of theirs: a time in them is not a proposal to call.
    static let cancelMention = TextPattern(#"\b_?cancel\b"#)
}
