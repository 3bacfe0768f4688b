// SMS encoding and segment counting (DESIGN §2 "Encoding", §5 `textback sms segments`).
//
// Cost and deliverability follow segments, so this mirrors what Twilio bills and what its public
// Message Segment Calculator (github.com/TwilioDevEd/message-segment-calculator) shows:
// - GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2 for the whole message.
// - One GSM-7 segment holds 160 septets; once split, each part carries a 6-octet concatenation
//   header and holds 153. Extension characters (`^{}\[~]|€`, form feed) are ESC + char: 2 septets,
//   and the pair never straddles a boundary (the character moves to the next part).
// - UCS-2 holds 70 UTF-16 code units, 67 per part once split; a surrogate pair (most emoji) is never
//   split across parts. Longer grapheme clusters (flags, ZWJ families) may be split between scalars,
//   as handsets reassemble the parts anyway; Twilio's calculator keeps whole clusters together, so for
//   those rare texts it may show one segment more than we do.
// - `characters` is the calculator's "Characters" figure: for GSM-7 the septets used (an extension
//   character counts 2, since that is what fills the segment); for UCS-2 the user-perceived
//   characters (grapheme clusters, an emoji is 1), with CR LF counted as 2 as the calculator does.
// - An empty text counts as one (empty) segment, as the calculator shows.

import Foundation

public enum SMSEncoding: String, Sendable, Codable {
    case gsm7 = "GSM-7"
    case ucs2 = "UCS-2"
}

/// The result of `textback sms segments`: `{"encoding":"GSM-7","segments":2,"characters":161}`.
public struct SegmentCount: Sendable, Codable, Hashable {
    public var encoding: SMSEncoding
    public var segments: Int
    public var characters: Int

    public init(encoding: SMSEncoding, segments: Int, characters: Int) {
        self.encoding = encoding
        self.segments = segments
        self.characters = characters
    }

    /// The documented one-line JSON, keys in the documented order (JSONEncoder does not keep order;
    /// use this for CLI output).
    public var json: String {
        var o = OrderedJSON()
        o.add("encoding", .string(encoding.rawValue))
        o.add("segments", .int(segments))
        o.add("characters", .int(characters))
        return o.text
    }
}

public enum SMSSegments {
    public static let gsm7SingleCapacity = 160
    public static let gsm7MultipartCapacity = 153
    public static let ucs2SingleCapacity = 70
    public static let ucs2MultipartCapacity = 67

    public static func count(_ text: String) -> SegmentCount {
        let scalars = Array(text.unicodeScalars)
        if scalars.allSatisfy(GSM7Alphabet.isEncodable) {
            let units = scalars.map { GSM7Alphabet.septets($0) ?? 1 }
            let total = units.reduce(0, +)
            return SegmentCount(
                encoding: .gsm7,
                segments: segments(units: units, total: total, single: gsm7SingleCapacity, multipart: gsm7MultipartCapacity),
                characters: total
            )
        }
        let units = scalars.map { $0.utf16.count }
        let total = units.reduce(0, +)
        // Swift keeps CR LF as one Character; the calculator counts it as two.
        let crlf = text.reduce(0) { $0 + ($1 == "\r\n" ? 1 : 0) }
        return SegmentCount(
            encoding: .ucs2,
            segments: segments(units: units, total: total, single: ucs2SingleCapacity, multipart: ucs2MultipartCapacity),
            characters: text.count + crlf
        )
    }

    /// Packs indivisible units (an escape pair, a surrogate pair) into parts of `multipart` capacity.
    static func segments(units: [Int], total: Int, single: Int, multipart: Int) -> Int {
        if total <= single { return 1 }
        var parts = 1
        var used = 0
        for unit in units {
            if used + unit > multipart {
                parts += 1
                used = 0
            }
            used += unit
        }
        return parts
    }

    /// The distinct characters that force UCS-2, in order of first appearance.
    public static func ucs2Culprits(_ text: String) -> [Character] {
        var seen = Set<Character>()
        var result: [Character] = []
        for ch in text where !GSM7Alphabet.isEncodable(ch) && !seen.contains(ch) {
            seen.insert(ch)
            result.append(ch)
        }
        return result
    }

    /// A GSM-7 spelling for common "smart" punctuation that word processors and phones insert, so a
    /// single curly quote does not double the cost of a text. Nil when there is no usual substitute
    /// (or the character is already GSM-7).
    public static func gsmReplacement(for character: Character) -> String? {
        smartPunctuation[character]
    }

    // Only characters with one obvious plain spelling; letters with accents are left alone because
    // replacing them changes a name or a word.
    private static let smartPunctuation: [Character: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{201A}": "'", "\u{201B}": "'", "\u{2032}": "'", "\u{00B4}": "'",
        "`": "'",
        "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{201F}": "\"", "\u{2033}": "\"",
        "\u{00AB}": "\"", "\u{00BB}": "\"",
        "\u{2014}": "-", "\u{2013}": "-", "\u{2012}": "-", "\u{2015}": "-", "\u{2010}": "-", "\u{2011}": "-",
        "\u{2212}": "-", "\u{2022}": "-",
        "\u{2026}": "...",
        "\u{00A0}": " ", "\u{202F}": " ", "\u{2007}": " ", "\u{2009}": " ", "\u{200A}": " ",
        "\u{2002}": " ", "\u{2003}": " ", "\u{3000}": " ",
        "\u{200B}": "", "\u{FEFF}": "", "\u{2060}": "",
        "\t": " ",
    ]

    /// A sentence for a text that is UCS-2 only because of a few characters: names them by code
    /// point (they are often invisible or look like their GSM twins) and the cost in segments both
    /// ways. Nil when the text is GSM-7, or when non-GSM characters are the substance of the text
    /// (another script), where replacing them is not an option.
    public static func ucs2Warning(_ text: String) -> String? {
        let asIs = count(text)
        guard asIs.encoding == .ucs2 else { return nil }
        let culprits = ucs2Culprits(text)
        let occurrences = text.reduce(0) { $0 + (GSM7Alphabet.isEncodable($1) ? 0 : 1) }
        // "A few": up to 5, or up to a tenth of a long text (a 300-character text with 20 curly quotes).
        guard occurrences <= 5 || occurrences * 10 <= text.count else { return nil }

        var allReplaceable = true
        var replaced = ""
        for ch in text {
            if GSM7Alphabet.isEncodable(ch) {
                replaced.append(ch)
            } else if let r = gsmReplacement(for: ch) {
                replaced += r
            } else {
                allReplaceable = false
                replaced.unicodeScalars.append(contentsOf: ch.unicodeScalars.filter(GSM7Alphabet.isEncodable))
            }
        }
        let asGSM = count(replaced)
        let names = culprits.map(describe)
        let list = names.count == 1 ? names[0]
            : names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
        let verb = culprits.count == 1 ? "forces" : "force"
        let fix = allReplaceable ? "replacing" : "replacing or removing"
        let pronoun = culprits.count == 1 ? "it" : "them"
        return "\(list) \(verb) UCS-2 encoding; segments as UCS-2: \(asIs.segments), "
            + "as GSM-7 after \(fix) \(pronoun): \(asGSM.segments)."
    }

    /// "U+2014 EM DASH"; several code points for a multi-scalar character.
    static func describe(_ character: Character) -> String {
        let scalars = Array(character.unicodeScalars)
        let codes = scalars.map { "U+" + String(format: "%04X", $0.value) }.joined(separator: " ")
        if scalars.count == 1, let name = scalars[0].properties.name {
            return "\(codes) \(name)"
        }
        return codes
    }
}
