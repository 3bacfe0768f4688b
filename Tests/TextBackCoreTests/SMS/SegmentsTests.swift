// Segment counting against the cases published with Twilio's Message Segment Calculator
// (github.com/TwilioDevEd/message-segment-calculator, tests/index.test.js and segments.test.js),
// plus the boundary rules for escape pairs and surrogate pairs.

import Foundation
import Testing
@testable import TextBackCore

private func digits(_ n: Int) -> String {
    String((0..<n).map { Character(String(($0 + 1) % 10)) })
}

private let emoji = "😜"  // U+1F61C: one grapheme, two UTF-16 code units (a surrogate pair)

struct SegmentsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let text: String
        let encoding: SMSEncoding
        let segments: Int
        let characters: Int
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        // GSM-7: 160 septets fit one segment; beyond that, 153 per segment.
        Case(label: "160 digits", text: digits(160), encoding: .gsm7, segments: 1, characters: 160),
        Case(label: "161 digits", text: digits(161), encoding: .gsm7, segments: 2, characters: 161),
        Case(label: "306 digits = 2 × 153", text: digits(306), encoding: .gsm7, segments: 2, characters: 306),
        Case(label: "307 digits", text: digits(307), encoding: .gsm7, segments: 3, characters: 307),
        // UCS-2: the emoji is 2 code units. 2 + 68 = 70 fits one segment (Twilio: "UCS-2 message in one segment").
        Case(label: "emoji + 68 digits = 70 units", text: emoji + digits(68), encoding: .ucs2, segments: 1, characters: 69),
        // 2 + 69 = 71 > 70: split, 67 per part → 2 parts (Twilio: "UCS-2 message in two segments").
        Case(label: "emoji + 69 digits = 71 units", text: emoji + digits(69), encoding: .ucs2, segments: 2, characters: 70),
        // 2 + 132 = 134 = 2 × 67: exactly two parts.
        Case(label: "emoji + 132 digits = 134 units", text: emoji + digits(132), encoding: .ucs2, segments: 2, characters: 133),
        // 2 + 133 = 135 > 134: a third part holding one digit (Twilio segments.test.js: last segment has 1 character).
        Case(label: "emoji + 133 digits = 135 units", text: emoji + digits(133), encoding: .ucs2, segments: 3, characters: 134),
        // A surrogate pair never straddles a boundary: 66 digits fill part one to 66, the emoji (2)
        // would make 68 > 67, so it opens part two (2 + 65 = 67); the last digit needs part three,
        // although 134 units would fit two parts if the pair could be split.
        Case(label: "surrogate pair at the 67 boundary", text: digits(66) + emoji + digits(66), encoding: .ucs2, segments: 3, characters: 133),
        // Likewise an escape pair: 152 septets, then € (ESC + e) would straddle 153, so it moves;
        // 306 septets would otherwise fit in two parts.
        Case(label: "escape pair at the 153 boundary", text: digits(152) + "€" + digits(152), encoding: .gsm7, segments: 3, characters: 306),
        Case(label: "escape pair just inside the boundary", text: digits(151) + "€" + digits(153), encoding: .gsm7, segments: 2, characters: 306),
        Case(label: "form feed is an extension character", text: "\u{0C}" + digits(159), encoding: .gsm7, segments: 2, characters: 161),
        Case(label: "GSM accented letters stay GSM-7", text: "Café Ñoño £5 ¿Qué? Øre ß", encoding: .gsm7, segments: 1, characters: 24),
        Case(label: "lowercase ç is not GSM-7", text: "Façade", encoding: .ucs2, segments: 1, characters: 6),
        Case(label: "backtick is not GSM-7", text: "`code`", encoding: .ucs2, segments: 1, characters: 6),
        Case(label: "curly apostrophe forces UCS-2", text: "It’s Acme", encoding: .ucs2, segments: 1, characters: 9),
        Case(label: "CR LF counts 2 in UCS-2 as in the calculator", text: emoji + "\r\n", encoding: .ucs2, segments: 1, characters: 3),
        Case(label: "CR LF counts 2 septets in GSM-7", text: "a\r\nb", encoding: .gsm7, segments: 1, characters: 4),
        Case(label: "empty text is one empty segment", text: "", encoding: .gsm7, segments: 1, characters: 0),
        // A ZWJ family is one character but 11 code units (4 surrogate pairs + 3 joiners).
        Case(label: "ZWJ sequence", text: "👨‍👩‍👧‍👦", encoding: .ucs2, segments: 1, characters: 1),
    ]

    @Test("segment cases", arguments: cases)
    func segmentCase(_ c: Case) {
        let count = SMSSegments.count(c.text)
        #expect(count == SegmentCount(encoding: c.encoding, segments: c.segments, characters: c.characters))
    }

    static let extensionCharacters: [Character] = ["^", "{", "}", "\\", "[", "~", "]", "|", "€"]

    // Twilio: "GSM-7 with escape characters in one segment": 1 extension character (2 septets)
    // + 158 digits = 160 septets.
    @Test("extension character + 158 digits = 160 septets → 1 segment", arguments: extensionCharacters)
    func extensionFits(_ ch: Character) {
        let count = SMSSegments.count(String(ch) + digits(158))
        #expect(count == SegmentCount(encoding: .gsm7, segments: 1, characters: 160))
    }

    // Twilio: "GSM-7 with escape characters in two segments": 161 septets.
    @Test("extension character + 159 digits = 161 septets → 2 segments", arguments: extensionCharacters)
    func extensionSpills(_ ch: Character) {
        let count = SMSSegments.count(String(ch) + digits(159))
        #expect(count == SegmentCount(encoding: .gsm7, segments: 2, characters: 161))
    }

    @Test func jsonShapeIsExact() throws {
        #expect(SMSSegments.count(digits(161)).json == #"{"encoding":"GSM-7","segments":2,"characters":161}"#)
        #expect(SMSSegments.count(emoji).json == #"{"encoding":"UCS-2","segments":1,"characters":1}"#)
    }

    @Test func codableRoundTrip() throws {
        let count = SMSSegments.count(digits(161))
        let data = try JSONEncoder().encode(count)
        #expect(try JSONDecoder().decode(SegmentCount.self, from: data) == count)
        // Whatever order JSONEncoder picks, the keys and values are the documented ones.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["encoding"] as? String == "GSM-7")
        #expect(object["segments"] as? Int == 2)
        #expect(object["characters"] as? Int == 161)
        #expect(object.count == 3)
    }

    @Test func culpritsAreDistinctInOrder() {
        #expect(SMSSegments.ucs2Culprits("It’s done — it’s “fine” 😜") == ["’", "—", "“", "”", "😜"])
        #expect(SMSSegments.ucs2Culprits("All GSM here {ok} €5").isEmpty)
    }

    struct ReplacementCase: Sendable {
        let character: Character
        let replacement: String?
    }

    @Test("smart punctuation replacements", arguments: [
        ReplacementCase(character: "\u{2019}", replacement: "'"),
        ReplacementCase(character: "\u{2018}", replacement: "'"),
        ReplacementCase(character: "\u{201C}", replacement: "\""),
        ReplacementCase(character: "\u{201D}", replacement: "\""),
        ReplacementCase(character: "\u{2014}", replacement: "-"),
        ReplacementCase(character: "\u{2013}", replacement: "-"),
        ReplacementCase(character: "\u{2026}", replacement: "..."),
        ReplacementCase(character: "\u{00A0}", replacement: " "),
        ReplacementCase(character: "😜", replacement: nil),
        ReplacementCase(character: "a", replacement: nil),
    ])
    func replacement(_ c: ReplacementCase) {
        #expect(SMSSegments.gsmReplacement(for: c.character) == c.replacement)
        if let r = c.replacement {
            #expect(SMSSegments.count(r).encoding == .gsm7)
        }
    }

    @Test func warningNamesCulpritsAndCost() throws {
        // 100 GSM characters and one curly apostrophe: 101 code units as UCS-2 (2 parts), 101 septets as GSM-7 (1).
        let text = "We’re " + String(repeating: "a", count: 95)
        let warning = try #require(SMSSegments.ucs2Warning(text))
        #expect(warning.contains("U+2019"))
        #expect(warning.contains("segments as UCS-2: 2, as GSM-7 after replacing it: 1"))
    }

    @Test func warningForEmDashAndQuote() throws {
        let warning = try #require(SMSSegments.ucs2Warning("Hi — it’s Acme. Reply YES and we’ll call you."))
        #expect(warning.contains("U+2014 EM DASH"))
        #expect(warning.contains("U+2019"))
        #expect(warning.contains("segments as UCS-2: 1, as GSM-7 after replacing them: 1"))
    }

    @Test func warningForEmojiSaysRemoving() throws {
        let warning = try #require(SMSSegments.ucs2Warning(emoji + digits(69)))
        #expect(warning.contains("U+1F61C"))
        #expect(warning.contains("as GSM-7 after replacing or removing it: 1"))
    }

    @Test func warningForManyQuotesInALongText() throws {
        // 20 curly quotes in a ~400-character text are still "a few" (at most a tenth).
        let sentence = "We’re on it, it’s fine. "
        let text = String(repeating: sentence, count: 10) + String(repeating: "a", count: 160)
        let warning = try #require(SMSSegments.ucs2Warning(text))
        #expect(warning.contains("U+2019"))
        #expect(warning.contains("segments as UCS-2: 6, as GSM-7 after replacing it: 3"))
    }

    @Test func greekCapitalsAreGSMButLowercaseIsNot() {
        #expect(SMSSegments.count("ΔΦΓΛΩΠΨΣΘΞ").encoding == .gsm7)
        #expect(SMSSegments.count("αβγ").encoding == .ucs2)
    }

    @Test func noWarningForGSMOrAnotherScript() {
        #expect(SMSSegments.ucs2Warning("Plain GSM text {with} braces €") == nil)
        #expect(SMSSegments.ucs2Warning("Здравствуйте, это Акме. Мы пропустили ваш звонок.") == nil)
    }
}
