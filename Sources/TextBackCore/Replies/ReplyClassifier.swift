// Reply understanding: turns an inbound SMS into an intent, and above all decides whether it takes
// consent back. Pure: the reference time and zone are parameters. English and Spanish; the
// detected language is part of the result so the agent can answer in kind.
//
// Order of the rules (first match wins), and why:
//   1. Bare carrier keyword ("STOP", " stop. ", "Opt-Out", "ALTO") — exact, what the carrier
//      itself acts on.
//   2. Revocation: a clause that is a strong keyword with only politeness around it ("Stop please",
//      "I didn't sign up for this, stop"), or a plain-language phrase (ReplyRules.revocations,
//      ReplyRules.Spanish.revocations), or a strong keyword anywhere ("yes stop").
//      Opt-out comes before everything else: missing one is a TCPA violation, while reading a
//      benign reply as one costs a lead. Benign guards have already neutralized "stop by",
//      "won't stop", "cancel my appointment" and the like in normalization.
//   3. Misspelt keywords ("stpo", "stopp", the stop-sign emoji is already "stop"): the lenient
//      reading, but only where a slip cannot hide an ordinary word — a whole short reply that is
//      the keyword with politeness, or an imperative revocation phrase ("stpo texting me"). Never
//      "a keyword anywhere", so "stoop" in a sentence stays a stoop.
//   4. Wrong number — intent wrong_number, and it revokes: whoever answered never consented, and
//      the contact we meant is not at this number, so nothing may be sent here under that consent.
//   5. Opt-in/help keywords with politeness around them ("help please", "start thanks"), a request
//      to be subscribed ("opt in"), or a START clause after a slip ("hit stop by accident. START").
//   6. A reply that cancels a booking of theirs with us → other (a person should handle it; a day
//      named in it is not a callback proposal), unless it moves the booking to a time it names, or
//      also says yes or asks something. Cancelling anything else ("my plans") is only a story.
//   7. not_interested; a question about the business's hours; propose_time (the time after "call
//      me" first); a soft decline ("not right now") is not_interested unless a concrete time comes
//      with it; a bare acknowledgment ("got it") → other; a request for information or a
//      how/what/when question → question; affirmative; question; other.

import Foundation

public enum ReplyClassifier {
    public static func classify(_ text: String, afterOptOut: Bool = false, now: Date? = nil, timeZone: TimeZone? = nil) -> ReplyClassification {
        explain(text, afterOptOut: afterOptOut, now: now, timeZone: timeZone).classification
    }

    /// The classification with the name of the rule that decided it.
    public static func explain(_ text: String, afterOptOut: Bool = false, now: Date? = nil, timeZone: TimeZone? = nil) -> ExplainedReply {
        let reply = ReplyText(text)
        let language = ReplyLanguage.detect(raw: text, tokens: reply.tokens)
        var explained = decide(reply, afterOptOut: afterOptOut, now: now, timeZone: timeZone)
        explained.classification.language = language
        return explained
    }

    private static func decide(_ reply: ReplyText, afterOptOut: Bool, now: Date?, timeZone: TimeZone?) -> ExplainedReply {
        // 1. Bare keyword.
        if let keyword = ReplyRules.keywords[reply.bareFolded] {
            if keyword.canonical == "YES" && !afterOptOut {
                return result(.affirmative, confidence: 0.95, "yes (not after an opt-out, so not a keyword)")
            }
            return result(keyword.intent, keyword: keyword.canonical, confidence: 1.0, "keyword \(keyword.canonical)")
        }

        if ReplyRules.stretchedStop.matches(reply.bare) {
            return result(.optOut, keyword: "STOP", confidence: 0.95, "keyword STOP, spelled out or stretched")
        }

        // 2. Revocation.
        if let revocation = revocation(in: reply) { return revocation }

        // 3. Misspelt keywords.
        let lenient = ReplyText(reply.raw, lenient: true)
        if lenient.normalized != reply.normalized {
            let meaningful = lenient.clauses.filter { !$0.isEmpty }
            if meaningful.count <= 3, lenient.tokens.count <= 8 {
                for clause in meaningful {
                    if let keyword = clauseKeyword(clause), keyword.intent == .optOut {
                        return result(.optOut, confidence: 0.85, "misspelt keyword \(keyword.canonical)")
                    }
                }
            }
            if let phrase = (ReplyRules.revocations + ReplyRules.Spanish.revocations).first(where: { $0.pattern.matches(lenient.normalized) }) {
                return result(.optOut, confidence: 0.85, "revocation with a misspelt keyword: \(phrase.label)")
            }
        }

        // 4. Wrong number.
        if let phrase = ReplyRules.wrongNumber.first(where: { $0.pattern.matches(reply.wrongNumberText) }) {
            return result(.wrongNumber, confidence: 0.9, "wrong number: \(phrase.label)")
        }

        // 5. Opt-in and help keywords with politeness around them (whole reply only).
        let meaningful = reply.clauses.filter { !$0.isEmpty }
        if meaningful.count == 1, let keyword = clauseKeyword(meaningful[0]) {
            switch keyword.intent {
            case .optIn where keyword.canonical != "YES" || afterOptOut:
                return result(.optIn, confidence: 0.9, "\(keyword.canonical) with politeness")
            case .help:
                return result(.help, confidence: 0.9, "\(keyword.canonical) with politeness")
            default:
                break
            }
        }
        if ReplyRules.optInRequest.matches(reply.flat) {
            return result(.optIn, confidence: 0.85, "asks to be subscribed")
        }
        // "sorry, hit stop by accident. START": a START or UNSTOP clause anywhere, once no opt-out was found.
        if meaningful.count > 1, let keyword = meaningful.lazy.compactMap(clauseKeyword).first(where: { ["START", "UNSTOP"].contains($0.canonical) }) {
            return result(.optIn, confidence: 0.85, "\(keyword.canonical) in the reply")
        }
        // "Sí" after an opt-out answers the carrier's "reply YES to resubscribe" the same way.
        if afterOptOut, ["si", "si por favor", "si gracias"].contains(reply.flat) {
            return result(.optIn, confidence: 0.9, "sí after an opt-out")
        }

        let benign = reply.guardsApplied.isEmpty ? "" : " (benign: \(reply.guardsApplied.joined(separator: "; ")))"
        // "Don't text me after 9pm" restricts times; it does not propose one.
        let proposalText = ReplyRules.timeRestriction.replacingAll(in: reply.normalized, with: " ")
        // The time after "call me" is the proposal ("busy until Monday, call me Tuesday").
        var expression: TimeExpression?
        if let ask = ReplyRules.callbackRequest.firstRange(in: proposalText),
           let asked = TimeExpression.detect(in: String(proposalText[ask.upperBound...])), asked.isConcrete
        {
            expression = asked
        } else {
            expression = TimeExpression.detect(in: proposalText)
        }
        // A vague time in a longer reply is a proposal only with words that ask for one: "can we wait
        // till the end of the month?" proposes; "the lease ends at the end of the month" tells.
        if let vague = expression, vague.vague, reply.tokens.count > 6, !ReplyRules.proposalContext.matches(reply.flat) {
            expression = nil
        }
        func proposal(_ expression: TimeExpression, _ reason: String) -> ExplainedReply {
            var time: Date?
            if let now, let timeZone { time = expression.resolve(now: now, timeZone: timeZone) }
            return result(.proposeTime, confidence: expression.vague ? 0.6 : 0.8, time: time, reason + benign)
        }

        // 6. Their own booking.
        if ReplyRules.cancelMention.matches(reply.flat) {
            // The new time is the one after "and book" ("cancel Monday and book Wednesday"), or the
            // one outside the clause that cancels ("cancel my 2pm, can we do 4 instead?").
            if let rebook = ReplyRules.rebook.firstRange(in: reply.normalized) {
                let after = TimeExpression.detect(in: String(reply.normalized[rebook.upperBound...]))
                let others = reply.normalized.components(separatedBy: " | ").filter { !ReplyRules.cancelMention.matches($0) }
                if let moved = after ?? TimeExpression.detect(in: others.joined(separator: " | ")), moved.isConcrete {
                    return proposal(moved, "moves their booking to a time")
                }
            }
            // "I had to cancel my plans so I'm free now", "my husband will cancel the other plumber, so yes".
            if let affirmative = affirmative(reply) { return affirmative }
            if reply.endsWithQuestionMark || startsLikeQuestion(reply) {
                return result(.question, confidence: 0.6, "asks about cancelling something of theirs" + benign)
            }
            return result(.other, confidence: 0.5, "mentions cancelling something of theirs" + benign)
        }

        // 7. Everything else.
        if let phrase = (ReplyRules.notInterested + ReplyRules.Spanish.notInterested).first(where: { $0.pattern.matches(reply.flat) }) {
            return result(.notInterested, confidence: 0.8, "not interested: \(phrase.label)" + benign)
        }
        let softDecline = (ReplyRules.softDecline + ReplyRules.Spanish.softDecline).first(where: { $0.pattern.matches(reply.flat) })
        if ReplyRules.hoursQuestion.matches(reply.flat), reply.endsWithQuestionMark || startsLikeQuestion(reply) {
            return result(.question, confidence: 0.7, "asks about business hours" + benign)
        }
        if let expression, softDecline == nil || (expression.isConcrete && !ReplyRules.farOff.matches(reply.flat)) {
            return proposal(expression, "proposes a time")
        }
        if let softDecline {
            return result(.notInterested, confidence: 0.7, "not interested for now: \(softDecline.label)" + benign)
        }
        if ReplyRules.acknowledgment.matches(reply.flat) {
            return result(.other, confidence: 0.5, "acknowledges, no more" + benign)
        }
        if ReplyRules.informationRequest.matches(reply.flat), reply.endsWithQuestionMark || startsLikeQuestion(reply) {
            return result(.question, confidence: 0.7, "asks to be sent information" + benign)
        }
        // "How soon can someone come out?" asks; "Can you call me?" asks for a call, which is a yes.
        if reply.endsWithQuestionMark, let first = reply.firstToken, ReplyRules.informationOpeners.contains(first), reply.clauses.count == 1 {
            return result(.question, confidence: 0.7, "asks how, what, when or where" + benign)
        }
        if let affirmative = affirmative(reply) { return affirmative }
        if reply.endsWithQuestionMark || startsLikeQuestion(reply) || ReplyRules.indirectQuestion.matches(reply.flat) {
            return result(.question, confidence: 0.7, "question" + benign)
        }
        return result(.other, confidence: 0.3, "no rule matched" + benign)
    }

    private static func affirmative(_ reply: ReplyText) -> ExplainedReply? {
        let benign = reply.guardsApplied.isEmpty ? "" : " (benign: \(reply.guardsApplied.joined(separator: "; ")))"
        if let first = reply.firstToken,
           ReplyRules.affirmativeOpeners.contains(first) || ReplyRules.Spanish.affirmativeOpeners.contains(first)
        {
            return result(.affirmative, confidence: 0.8, "opens with \(first)" + benign)
        }
        if let phrase = (ReplyRules.affirmative + ReplyRules.Spanish.affirmative).first(where: { $0.pattern.matches(reply.flat) }) {
            return result(.affirmative, confidence: 0.7, "affirmative: \(phrase.label)" + benign)
        }
        return nil
    }

    /// Step 2: an exact keyword clause, a plain-language phrase, or a strong keyword anywhere.
    private static func revocation(in reply: ReplyText) -> ExplainedReply? {
        for clause in reply.clauses {
            if let keyword = clauseKeyword(clause), keyword.intent == .optOut, keyword.strength == .strong {
                return result(.optOut, confidence: 0.95, "clause is the keyword \(keyword.canonical)")
            }
        }
        for clause in reply.clauses {
            // Ambiguous keywords count only when the clause is the keyword and nothing but politeness.
            if let keyword = clauseKeyword(clause), keyword.intent == .optOut {
                return result(.optOut, confidence: 0.9, "clause is the keyword \(keyword.canonical)")
            }
        }
        if let phrase = ReplyRules.revocations.first(where: { $0.pattern.matches(reply.normalized) }) {
            return result(.optOut, confidence: 0.9, "revocation: \(phrase.label)")
        }
        if let phrase = ReplyRules.Spanish.revocations.first(where: { $0.pattern.matches(reply.normalized) }) {
            return result(.optOut, confidence: 0.9, "revocation (Spanish): \(phrase.label)")
        }
        let tokens = reply.tokens
        if let keyword = tokens.first(where: { ReplyRules.anywhereKeywords.contains($0) })
            ?? zip(tokens, tokens.dropFirst()).first(where: { $0 == ("opt", "out") }).map({ _ in "opt out" })
        {
            return result(.optOut, confidence: 0.85, "the keyword \(keyword) in the reply")
        }
        return nil
    }

    private static func result(_ intent: ReplyIntent, keyword: String? = nil, confidence: Double, time: Date? = nil, _ reason: String) -> ExplainedReply {
        let revokes = intent == .optOut || intent == .wrongNumber
        return ExplainedReply(
            classification: ReplyClassification(intent: intent, revokesConsent: revokes, keyword: keyword, confidence: confidence, time: time),
            reason: reason
        )
    }

    private static func startsLikeQuestion(_ reply: ReplyText) -> Bool {
        guard let tokens = reply.clauses.first, let first = tokens.first, ReplyRules.questionOpeners.contains(first) else { return false }
        // "Do not worry about it" opens with "do" but asks nothing.
        return tokens.count < 2 || tokens[1] != "not"
    }

    /// The keyword a clause consists of, allowing fillers before and after it (ReplyRules).
    static func clauseKeyword(_ clause: [String]) -> ReplyRules.Keyword? {
        guard !clause.isEmpty else { return nil }
        for candidate in ReplyRules.clauseKeywords {
            let strong = candidate.keyword.strength == .strong
            let leading = ReplyRules.leadingFillers + (strong ? ReplyRules.strongLeadingFillers : [])
            let trailing = ReplyRules.trailingFillers + (strong ? ReplyRules.strongTrailingFillers : [])
            var start = 0
            // Strip leading fillers.
            var progressed = true
            while progressed {
                progressed = false
                for filler in leading where clause.count - start >= filler.count && Array(clause[start..<start + filler.count]) == filler {
                    start += filler.count
                    progressed = true
                    break
                }
            }
            let k = candidate.tokens
            guard clause.count - start >= k.count, Array(clause[start..<start + k.count]) == k else { continue }
            var index = start + k.count
            // Everything after must be fillers (or the keyword repeated: "stop stop stop").
            let allowed = trailing + [k]
            var ok = true
            while index < clause.count {
                guard let filler = allowed.first(where: { f in
                    clause.count - index >= f.count && Array(clause[index..<index + f.count]) == f
                }) else {
                    ok = false
                    break
                }
                index += filler.count
            }
            if ok { return candidate.keyword }
        }
        return nil
    }
}
