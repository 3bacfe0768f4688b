// What a reply to one of our texts means (DESIGN §1 "Replies", §5 `textback classify`).
//
// JSON shape: {"intent":"opt_out","revokes_consent":true,"keyword":"STOP","confidence":1,"language":"en"}
// with "time" (ISO 8601, UTC) before "language" for a resolved proposal. `keyword` is always present
// (null when the reply was not a bare carrier keyword) so that consumers see a stable set of keys;
// `time` is omitted when nil, as the CLI contract says. `language` came later than the other keys,
// so it goes last: a consumer that matched on the earlier prefix keeps working.

import Foundation

public enum ReplyIntent: String, Sendable, Codable, CaseIterable {
    case optOut = "opt_out"
    case optIn = "opt_in"
    case help
    case affirmative
    case proposeTime = "propose_time"
    case notInterested = "not_interested"
    case wrongNumber = "wrong_number"
    case question
    case other
}

/// The language a reply was written in, so that the agent answers in kind. Only the languages the
/// rule tables cover; anything else reads as English, the language of the texts we send.
public enum ReplyLanguage: String, Sendable, Codable, CaseIterable {
    case english = "en"
    case spanish = "es"
}

public struct ReplyClassification: Sendable, Codable, Hashable {
    public var intent: ReplyIntent
    /// True when the reply takes consent back: every opt-out, and a wrong-number reply (the person
    /// who answered never consented, so there is nothing to keep texting on).
    public var revokesConsent: Bool
    /// The canonical carrier keyword ("STOP", "STOPALL", "OPTOUT", "START", "HELP", ...) when the
    /// whole reply was exactly that keyword, as a carrier's own keyword handling would see it.
    public var keyword: String?
    /// How sure the rule that matched is, 0...1. Exact keywords are 1; loose wording is lower.
    public var confidence: Double
    /// For `propose_time` only, when a reference time and zone were given and the wording resolves.
    public var time: Date?
    /// The language the reply was written in (see ReplyLanguage.detect).
    public var language: ReplyLanguage

    public init(intent: ReplyIntent, revokesConsent: Bool, keyword: String? = nil, confidence: Double, time: Date? = nil,
                language: ReplyLanguage = .english) {
        self.intent = intent
        self.revokesConsent = revokesConsent
        self.keyword = keyword
        self.confidence = confidence
        self.time = time
        self.language = language
    }

    private enum CodingKeys: String, CodingKey {
        case intent
        case revokesConsent = "revokes_consent"
        case keyword, confidence, time, language
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(intent, forKey: .intent)
        try c.encode(revokesConsent, forKey: .revokesConsent)
        try c.encode(keyword, forKey: .keyword)
        try c.encode(confidence, forKey: .confidence)
        // A string, not the encoder's date strategy, so every caller prints the same ISO 8601 form.
        if let time { try c.encode(time.formatted(.iso8601), forKey: .time) }
        try c.encode(language, forKey: .language)
    }

    /// The documented one-line JSON with keys in the documented order (JSONEncoder does not keep
    /// order; use this for CLI output).
    public var json: String {
        var o = OrderedJSON()
        o.add("intent", .string(intent.rawValue))
        o.add("revokes_consent", .bool(revokesConsent))
        o.add("keyword", keyword.map { .string($0) } ?? .null)
        o.add("confidence", .double(confidence))
        if let time { o.add("time", .string(time.formatted(.iso8601))) }
        o.add("language", .string(language.rawValue))
        return o.text
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intent = try c.decode(ReplyIntent.self, forKey: .intent)
        revokesConsent = try c.decode(Bool.self, forKey: .revokesConsent)
        keyword = try c.decodeIfPresent(String.self, forKey: .keyword)
        confidence = try c.decode(Double.self, forKey: .confidence)
        if let text = try c.decodeIfPresent(String.self, forKey: .time) {
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw DecodingError.dataCorruptedError(forKey: .time, in: c, debugDescription: "time is not ISO 8601: \(text)")
            }
            time = date
        } else {
            time = nil
        }
        // Classifications stored before the language was detected were all read as English.
        language = try c.decodeIfPresent(ReplyLanguage.self, forKey: .language) ?? .english
    }
}

/// A classification with the rule that produced it, for timelines and debugging ("why did this
/// reply suppress the contact?").
public struct ExplainedReply: Sendable, Hashable {
    public var classification: ReplyClassification
    /// A short phrase naming the rule, e.g. `keyword STOP`, `revocation: remove me`,
    /// `benign: stop by (a visit)`.
    public var reason: String

    public init(classification: ReplyClassification, reason: String) {
        self.classification = classification
        self.reason = reason
    }
}
