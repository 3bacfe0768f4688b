// Normalization of an inbound reply into the plain form the rule tables are written against.
//
// People write "Pls dont txt me!!", "STOP.", "take me off ur list": the rules should not have to.
// The steps, in order:
//   1. split into clauses at sentence punctuation (not inside "3:30" or "5.30"), so that
//      "I didn't sign up for this, stop" yields a clause that is just "stop";
//   2. lowercase, fold curly apostrophes, turn everything but letters, digits, ' and : into spaces;
//   3. expand contractions and texting shorthand from a table ("dont" → "do not", "u" → "you");
//   4. join clauses with " | " (a non-word separator, so no phrase pattern matches across clauses);
//   5. apply benign guards (ReplyRules.guards): spans such as "won't stop" or "stop by" get their
//      keyword renamed to "_stop", which no keyword or revocation pattern matches.

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
    /// The whole reply as a carrier would compare it to a keyword: trimmed of whitespace and
    /// punctuation at both ends, lowercased, inner whitespace collapsed.
    let bare: String

    init(_ raw: String) {
        self.raw = raw
        bare = ReplyText.bareForm(raw)
        // "5 p.m." must survive clause splitting at full stops.
        let meridiemFixed = ReplyRules.dottedMeridiem.replacingAll(in: raw, with: "$1m ")
        let pieces = ReplyText.splitClauses(meridiemFixed).map(ReplyText.normalizeClause).filter { !$0.isEmpty }
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
    }

    var endsWithQuestionMark: Bool {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("?")
            || raw.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("？")
    }

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
            var boundary = ".,;:!?\n\r—–…".contains(ch) || ch == "？" || ch == "！"
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

    static func normalizeClause(_ clause: String) -> String {
        var s = ""
        for ch in clause.lowercased() {
            switch ch {
            case "\u{2019}", "\u{2018}", "`", "\u{00B4}", "\u{02BC}": s.append("'")
            case "#": s += " number "
            case "&": s += " and "
            case "@": s += " at "
            case "+": s += " "
            case "👍", "👌": s += " thumbsup "
            case "👎": s += " thumbsdown "
            default:
                if ch.isLetter || ch.isNumber || ch == "'" || ch == ":" { s.append(ch) } else { s += " " }
            }
        }
        var tokens: [String] = []
        for raw in s.split(separator: " ") {
            var token = String(raw).trimmingCharacters(in: CharacterSet(charactersIn: "':"))
            if token.contains(":"), !ReplyText.isClockToken(token) {
                token = token.replacingOccurrences(of: ":", with: " ")
            }
            for piece in token.split(separator: " ") {
                let word = String(piece)
                if let expansion = ReplyRules.shorthand[word] {
                    tokens.append(contentsOf: expansion.split(separator: " ").map(String.init))
                } else {
                    tokens.append(word.replacingOccurrences(of: "'", with: ""))
                }
            }
        }
        var joined = tokens.filter { !$0.isEmpty }.joined(separator: " ")
        // "5 p.m." became "5 p m": glue the meridiem back to its number.
        joined = ReplyRules.meridiemGlue.replacingAll(in: joined, with: "$1$2m")
        return joined
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

    func replacingAll(in text: String, with template: String) -> String {
        regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}
