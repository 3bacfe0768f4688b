// Normalization of an inbound reply into the plain form the rule tables are written against.
//
// People write "Pls dont txt me!!", "STOP.", "take me off ur list", "¡Bórrenme de la lista!": the
// rules should not have to. The steps, in order:
//   1. split into clauses at sentence punctuation (not inside "3:30" or "5.30"; Spanish opening
//      marks ¿ ¡ count too), so that "I didn't sign up for this, stop" yields a clause that is just
//      "stop";
//   2. lowercase, fold curly apostrophes and accents ("bórrenme" → "borrenme", "mañana" →
//      "manana": people drop accents when they type, so the tables are written without them), turn
//      everything but letters, digits, ' and : into spaces (a "7/3" date keeps its slash);
//   3. expand contractions and texting shorthand from a table ("dont" → "do not", "u" → "you",
//      "xfa" → "por favor"), and always correct near-misses of the long keyword UNSUBSCRIBE
//      ("unsubscibe"): at that length no ordinary word is one slip away;
//   4. join clauses with " | " (a non-word separator, so no phrase pattern matches across clauses);
//   5. apply benign guards (ReplyRules.guards): spans such as "won't stop" or "stop by" get their
//      keyword renamed to "_stop", which no keyword or revocation pattern matches.
// The `lenient` reading also corrects near-misses of the short keywords ("stpo", "stopp"); the
// classifier consults it only for whole short replies and imperative phrases (see ReplyClassifier).

import Foundation

struct ReplyText: Sendable {
    let raw: String
    /// Guarded normalized text: clauses joined by " | ".
    let normalized: String
    /// Guarded normalized clauses, each a list of tokens.
    let clauses: [[String]]
    /// The guarded text without clause separators, for intent patterns where "No, thanks" should
    /// read like "no thanks".
    let flat: String
    /// Labels of the benign guards that fired, for explanations.
    let guardsApplied: [String]
    /// `flat` with each word that looks like a person's name replaced by "zname" ("no Jessica
    /// here" → "no zname here"), for the wrong-number phrases.
    let wrongNumberText: String
    /// The whole reply as a carrier would compare it to a keyword: trimmed of whitespace and
    /// punctuation at both ends, lowercased, inner whitespace collapsed.
    let bare: String
    /// `bare` without accents: "Información" is the keyword INFORMACION.
    let bareFolded: String

    /// Whether short keywords were corrected (see the file header).
    let lenient: Bool

    init(_ raw: String, lenient: Bool = false) {
        self.raw = raw
        self.lenient = lenient
        bare = ReplyText.bareForm(raw)
        bareFolded = bare.folding(options: [.diacriticInsensitive], locale: nil)
        // "5 p.m." must survive clause splitting at full stops.
        let meridiemFixed = ReplyRules.dottedMeridiem.replacingAll(in: raw, with: "$1m ")
        let pieces = ReplyText.splitClauses(meridiemFixed).map { ReplyText.normalizeClause($0, lenient: lenient) }.filter { !$0.isEmpty }
        var joined = pieces.joined(separator: " | ")
        var applied: [String] = []
        for rule in ReplyRules.guards {
            let replaced = rule.pattern.replacingAll(in: joined, with: rule.template)
            if replaced != joined {
                applied.append(rule.label)
                joined = replaced
            }
        }
        normalized = joined
        clauses = joined.components(separatedBy: " | ").map { $0.split(separator: " ").map(String.init) }
        flat = clauses.map { $0.joined(separator: " ") }.filter { !$0.isEmpty }.joined(separator: " ")
        guardsApplied = applied
        let names = ReplyText.names(in: raw)
        wrongNumberText = clauses.map { clause in
            clause.map { token -> String in
                if names.contains(token) { return "zname" }
                if token.hasSuffix("s"), names.contains(String(token.dropLast())) { return "zname s" }  // "Mike's" → "mikes"
                return token
            }.joined(separator: " ")
        }.filter { !$0.isEmpty }.joined(separator: " | ")
    }

    var endsWithQuestionMark: Bool {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Spanish opens a question with ¿, and people often leave the closing mark off.
        return trimmed.hasSuffix("?") || trimmed.hasSuffix("？") || trimmed.hasPrefix("¿")
    }

    /// Words that look like a person's name: capitalized ("Jessica", not "STOP"), not a common
    /// word, and in a reply that does not capitalize every word ("Not Interested"). Lowercase and
    /// without accents, as normalized.
    static func names(in raw: String) -> Set<String> {
        var words: [(word: String, sentenceStart: Bool)] = []
        var current = ""
        var sentenceStart = true
        var pendingStart = true
        for ch in raw + " " {
            if ch.isLetter {
                if current.isEmpty { pendingStart = sentenceStart }
                current.append(ch)
                sentenceStart = false
            } else {
                if !current.isEmpty { words.append((current, pendingStart)) }
                current = ""
                if ".!?¿¡\n".contains(ch) { sentenceStart = true }
            }
        }
        let isCapitalized: (String) -> Bool = { w in
            guard let first = w.first, first.isUppercase, w.count >= 2 else { return false }
            return !w.allSatisfy { $0.isUppercase }
        }
        let inner = words.filter { !$0.sentenceStart && $0.word != "I" }
        if inner.count >= 2, inner.filter({ isCapitalized($0.word) }).count * 2 > inner.count { return [] }
        var names: Set<String> = []
        for (word, _) in words where isCapitalized(word) {
            let plain = word.lowercased().folding(options: [.diacriticInsensitive], locale: nil)
            if !ReplyRules.commonWords.contains(plain), !ReplyLanguage.englishWords.contains(plain),
               !ReplyLanguage.spanishWords.contains(plain)
            {
                names.insert(plain)
            }
        }
        return names
    }

    /// All tokens of all clauses, in order.
    var tokens: [String] { clauses.flatMap { $0 } }

    var firstToken: String? { clauses.first?.first }

    static func bareForm(_ raw: String) -> String {
        // Trim anything that is not a letter or digit (spaces, punctuation, emoji) from both ends.
        let isWordy: (Character) -> Bool = { $0.isLetter || $0.isNumber }
        guard let first = raw.firstIndex(where: isWordy), let last = raw.lastIndex(where: isWordy) else { return "" }
        let trimmed = raw[first...last].lowercased()
        return trimmed.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func splitClauses(_ raw: String) -> [String] {
        let chars = Array(raw)
        var clauses: [String] = []
        var current = ""
        for (i, ch) in chars.enumerated() {
            var boundary = ".,;:!?\n\r—–…¿¡".contains(ch) || ch == "？" || ch == "！"
            if boundary, ".,:".contains(ch), i > 0, i + 1 < chars.count,
               chars[i - 1].isNumber, chars[i + 1].isNumber
            {
                boundary = false  // 3:30, 5.30, 1,000
            }
            if ch == "-", i > 0, i + 1 < chars.count, chars[i - 1] == " ", chars[i + 1] == " " {
                boundary = true  // "wrong number - stop"
            }
            if boundary {
                clauses.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        clauses.append(current)
        return clauses
    }

    static func normalizeClause(_ clause: String, lenient: Bool = false) -> String {
        var s = ""
        let folded = clause.lowercased().folding(options: [.diacriticInsensitive], locale: nil)
        for original in folded {
            // "👍🏼" is one character with a skin-tone modifier: read it as its base emoji.
            let ch = original.unicodeScalars.count > 1 && original.unicodeScalars.first.map({ $0.properties.isEmojiPresentation }) == true
                ? Character(original.unicodeScalars.first!) : original
            switch ch {
            case "\u{2019}", "\u{2018}", "`", "\u{00B4}", "\u{02BC}": s.append("'")
            case "#": s += " number "
            case "&": s += " and "
            case "@": s += " at "
            case "+": s += " "
            case "👍", "👌": s += " thumbsup "
            case "👎": s += " thumbsdown "
            // The stop sign and no-entry emoji are how some people write STOP.
            case "🛑", "⛔": s += " stop "
            default:
                if ch.isLetter || ch.isNumber || ch == "'" || ch == ":" || ch == "/" { s.append(ch) } else { s += " " }
            }
        }
        var tokens: [String] = []
        for raw in s.split(separator: " ") {
            var token = String(raw).trimmingCharacters(in: CharacterSet(charactersIn: "':/"))
            if token.contains(":"), !ReplyText.isClockToken(token) {
                token = token.replacingOccurrences(of: ":", with: " ")
            }
            // Only a numeric date ("7/3", "07/03/26") keeps its slash; "call/text" is two words.
            if token.contains("/"), !ReplyText.isSlashDate(token) {
                token = token.replacingOccurrences(of: "/", with: " ")
            }
            for piece in token.split(separator: " ") {
                let word = ReplyText.spokenTime(String(piece))
                if let expansion = ReplyRules.shorthand[word] {
                    tokens.append(contentsOf: expansion.split(separator: " ").map(String.init))
                } else {
                    let plain = word.replacingOccurrences(of: "'", with: "")
                    tokens.append(FuzzyKeyword.correct(plain, lenient: lenient) ?? plain)
                }
            }
        }
        var joined = tokens.filter { !$0.isEmpty }.joined(separator: " ")
        // "5 p.m." became "5 p m": glue the meridiem back to its number.
        joined = ReplyRules.meridiemGlue.replacingAll(in: joined, with: "$1$2m")
        return joined
    }

    /// "7/3", "7/3/26", "07/03/2026": month/day as written in the US, optionally with a year.
    static func isSlashDate(_ token: String) -> Bool {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return false }
        guard parts[0].count <= 2, parts[1].count <= 2 else { return false }
        return parts.count == 2 || parts[2].count == 2 || parts[2].count == 4
    }

    /// Texting forms of a clock time, rewritten to the form the time rules read: "4p" → "4pm",
    /// "3ish" → "3", "noonish" → "noon", "4:30p" → "4:30pm".
    static func spokenTime(_ word: String) -> String {
        var w = word
        if w.hasSuffix("ish") {
            let head = String(w.dropLast(3))
            if head == "noon" || isClockWord(head) { w = head }
        }
        // "4p" is common; "4a" could be an apartment, so only "10:30a" reads as morning.
        if w.hasSuffix("p"), w.count >= 2, w.dropLast().allSatisfy(\.isNumber) || isClockToken(String(w.dropLast())) {
            w = w.dropLast() + "pm"
        } else if w.hasSuffix("a"), isClockToken(String(w.dropLast())) {
            w = w.dropLast() + "am"
        }
        return w
    }

    /// "4", "4:30", "4pm", "4:30pm".
    static func isClockWord(_ word: String) -> Bool {
        var w = Substring(word)
        if w.hasSuffix("am") || w.hasSuffix("pm") { w = w.dropLast(2) }
        guard !w.isEmpty else { return false }
        return (w.count <= 2 && w.allSatisfy(\.isNumber)) || isClockToken(String(w))
    }

    static func isClockToken(_ token: String) -> Bool {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = parts.first, !first.isEmpty, first.allSatisfy(\.isNumber) else { return false }
        let rest = parts[1]
        return rest.prefix(2).count == 2 && rest.prefix(2).allSatisfy(\.isNumber)
    }
}

/// A compiled pattern over normalized text. NSRegularExpression is thread-safe and Sendable, and
/// (unlike Swift's Regex) supports look-behind, which the guards need.
struct TextPattern: Sendable {
    let source: String
    let regex: NSRegularExpression

    init(_ source: String) {
        self.source = source
        // The tables are literals in this module; a bad one is a programming error that every test run
        // hits at once (the tables load with the first classification).
        do {
            self.regex = try NSRegularExpression(pattern: source, options: [])
        } catch {
            preconditionFailure("built-in reply pattern does not compile: \(source)")
        }
    }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The first match's capture groups (index 0 is the whole match); nil for groups that did not take part.
    func firstGroups(in text: String) -> [String?]? {
        guard let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            Range(m.range(at: i), in: text).map { String(text[$0]) }
        }
    }

    func allGroups(in text: String) -> [[String?]] {
        regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: text).map { String(text[$0]) } }
        }
    }

    /// Where the first match is, if any.
    func firstRange(in text: String) -> Range<String.Index>? {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)).flatMap { Range($0.range, in: text) }
    }

    func replacingAll(in text: String, with template: String) -> String {
        regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}
