// Misspelt opt-out keywords: "stpo", "stopp", "unsubscibe". Someone who means STOP and fumbles the
// keyboard has still revoked consent, and a carrier will not catch it for us.
//
// Only the slips a thumb makes are forgiven, and each only where it cannot turn an everyday word
// into a keyword:
// - a letter doubled ("stopp", "sttop", "cancell"): the letters in order are the keyword's;
// - two neighbouring letters swapped ("stpo", "cancle", "unsubscirbe");
// - a letter dropped, only for keywords of 7 letters or more ("unsubscibe", "stopal"): dropping a
//   letter from STOP gives "top", and from QUIT gives "qui";
// - one letter replaced, only for keywords of 9 letters or more ("unsubscrive"): from STOP it
//   gives "shop", "step", "stomp"-like words, from UNSUBSCRIBE nothing anyone writes.
// A letter added that is not a double ("stops", "stomp") or letters moved further ("spot") are not
// slips of this kind and never match.
//
// Long keywords are corrected everywhere (ReplyText, always). Short ones are corrected only in the
// lenient reading, which the classifier consults for whole short replies and imperative phrases.

enum FuzzyKeyword {
    /// Corrected wherever they appear: long enough that no real word is one slip away.
    static let long: [String] = ["unsubscribe"]
    /// Corrected only in the lenient reading.
    static let short: [String] = ["stop", "stopall", "quit", "cancel", "revoke", "optout", "parar", "cancelar", "detener"]

    /// The keyword `token` is a slip of, or nil. Exact keywords are not "corrected" (nil).
    static func correct(_ token: String, lenient: Bool) -> String? {
        guard token.count >= 4, token.allSatisfy({ $0.isLetter }) else { return nil }
        for keyword in long where token != keyword && isSlip(token, of: keyword) {
            return keyword
        }
        guard lenient else { return nil }
        for keyword in short where token != keyword && isSlip(token, of: keyword) {
            return keyword
        }
        return nil
    }

    static func isSlip(_ token: String, of keyword: String) -> Bool {
        let t = Array(token), k = Array(keyword)
        if t.count > k.count, t.count <= k.count + 3, isStretched(t, of: k) { return true }
        if t.count == k.count, isAdjacentSwap(t, k) { return true }
        if k.count >= 7, t.count == k.count - 1, isDrop(t, of: k) { return true }
        if k.count >= 9, t.count == k.count, zip(t, k).filter({ $0 != $1 }).count == 1 { return true }
        return false
    }

    /// Letters held down: the same runs of letters in the same order, each at least as long
    /// ("sttopp" of "stop", "stoppall" of "stopall").
    static func isStretched(_ t: [Character], of k: [Character]) -> Bool {
        let a = runs(t), b = runs(k)
        return a.count == b.count && zip(a, b).allSatisfy { $0.letter == $1.letter && $0.count >= $1.count }
    }

    static func runs(_ s: [Character]) -> [(letter: Character, count: Int)] {
        var out: [(letter: Character, count: Int)] = []
        for c in s {
            if let last = out.last, last.letter == c { out[out.count - 1].count += 1 } else { out.append((c, 1)) }
        }
        return out
    }

    static func isAdjacentSwap(_ t: [Character], _ k: [Character]) -> Bool {
        let diffs = t.indices.filter { t[$0] != k[$0] }
        guard diffs.count == 2, diffs[1] == diffs[0] + 1 else { return false }
        return t[diffs[0]] == k[diffs[1]] && t[diffs[1]] == k[diffs[0]]
    }

    static func isDrop(_ t: [Character], of k: [Character]) -> Bool {
        // The first difference is where the letter went missing; the rest must line up shifted by one.
        var i = 0
        while i < t.count, t[i] == k[i] { i += 1 }
        return Array(t[i...]) == Array(k[(i + 1)...])
    }
}
