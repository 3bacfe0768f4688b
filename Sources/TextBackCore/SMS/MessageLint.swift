// Lint for message templates (`textback lint`, configuration load): what would make a missed-call
// text cost more, get filtered by carriers, or fall short of what a first text must say (DESIGN §1
// "What", §2 "Encoding", "Restricted content").
//
// Severity: only what carriers reliably block is an error (public link shorteners). Everything
// else is a warning, so that a business's own wording still loads; the demo templates carry opt-out
// language and load with no warning at all (DemoConfigurationTests).
//
// Segment estimation: a placeholder such as {Name} or {Name|there} is counted as 10 GSM-7
// characters, a typical first name or service; sender placeholders ({Company}, {Agency}, ...) are
// replaced by the business name when one is given, since that text is known.

import Foundation

public struct LintFinding: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Codable {
        case warning, error
    }

    public var severity: Severity
    /// Stable identifier: segments, ucs2_forced, missing_sender, missing_reason, missing_next_step,
    /// missing_opt_out, public_link_shortener, shaft_content.
    public var code: String
    public var message: String

    public init(severity: Severity, code: String, message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }
}

public enum MessageLint {
    /// Characters a placeholder is assumed to expand to when estimating segments.
    public static let placeholderEstimate = 10
    /// More segments than this on one text is flagged: it costs more and reads as a wall of text.
    public static let maxSegments = 2

    public static func lint(template text: String, businessName: String?, isFirstMessage: Bool) -> [LintFinding] {
        var findings: [LintFinding] = []
        let expanded = estimateText(text, businessName: businessName)
        let lower = text.lowercased()
        // Placeholders are named words; their names must not satisfy content checks by accident
        // ({service} is not a reason), so content checks look at the text without them.
        let prose = Rules.placeholder.replacingAll(in: lower, with: " ")

        // Encoding and cost.
        let count = SMSSegments.count(expanded)
        if count.segments > maxSegments {
            findings.append(LintFinding(
                severity: .warning, code: "segments",
                message: "Estimated \(count.segments) segments (\(count.encoding.rawValue), \(count.characters) characters with placeholders counted as \(placeholderEstimate)); keep a text within \(maxSegments) segments."
            ))
        }
        if let warning = SMSSegments.ucs2Warning(expanded) {
            findings.append(LintFinding(severity: .warning, code: "ucs2_forced", message: warning))
        }

        // The four elements of a first text.
        if isFirstMessage {
            if !namesSender(lower: lower, businessName: businessName) {
                findings.append(LintFinding(
                    severity: .warning, code: "missing_sender",
                    message: "A first text should say who is writing: include the business name or a {Company} placeholder."
                ))
            }
            if !Rules.reason.matches(prose) {
                findings.append(LintFinding(
                    severity: .warning, code: "missing_reason",
                    message: "A first text should say why you are writing, e.g. \"we missed your call\" or \"about your request\"."
                ))
            }
            if !Rules.nextStep.matches(prose) && !containsOwnLink(lower) {
                findings.append(LintFinding(
                    severity: .warning, code: "missing_next_step",
                    message: "A first text should give one clear next step: \"Reply YES\", \"call us at {number}\" or a booking link on your own domain."
                ))
            }
            if !Rules.optOut.matches(prose) {
                findings.append(LintFinding(
                    severity: .warning, code: "missing_opt_out",
                    message: "A first text should say how to opt out, e.g. \"Reply STOP to opt out.\""
                ))
            }
        }

        // Carrier filtering.
        let shorteners = Rules.shortenerHosts.filter { host in linkHosts(lower).contains(host) }
        if !shorteners.isEmpty {
            findings.append(LintFinding(
                severity: .error, code: "public_link_shortener",
                message: "Public link shorteners (\(shorteners.joined(separator: ", "))) are filtered by carriers; link to your own domain instead."
            ))
        }
        let shaft = shaftTerms(in: lower)
        if !shaft.isEmpty {
            findings.append(LintFinding(
                severity: .warning, code: "shaft_content",
                message: "Restricted (SHAFT) content is filtered by carriers: \(shaft.joined(separator: ", "))."
            ))
        }
        return findings
    }

    /// The text used for segment estimation: placeholders replaced as documented above.
    public static func estimateText(_ text: String, businessName: String?) -> String {
        let filler = String(repeating: "x", count: placeholderEstimate)
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let inner = rest[rest.index(after: open)..<close]
            let name = inner.split(separator: "|", maxSplits: 1).first.map { String($0).lowercased() } ?? ""
            guard isPlaceholderName(name) else {
                // A literal brace (GSM-7 extension character) stays as written.
                result += rest[...open]
                rest = rest[rest.index(after: open)...]
                continue
            }
            result += rest[..<open]
            if let businessName, Rules.senderPlaceholders.contains(name) {
                result += businessName
            } else {
                result += filler
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }

    static func isPlaceholderName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    }

    static func namesSender(lower: String, businessName: String?) -> Bool {
        for name in Rules.senderPlaceholders where lower.contains("{" + name + "}") || lower.contains("{" + name + "|") {
            return true
        }
        if let businessName, !businessName.trimmingCharacters(in: .whitespaces).isEmpty {
            return lower.contains(businessName.lowercased())
        }
        return false
    }

    /// Hosts of links in the text ("bit.ly", "acme.com"), lowercased, without "www.".
    static func linkHosts(_ lower: String) -> [String] {
        Rules.link.allGroups(in: lower).compactMap { groups in
            guard var host = groups[1] else { return nil }
            if host.hasPrefix("www.") { host.removeFirst(4) }
            return host
        }
    }

    static func containsOwnLink(_ lower: String) -> Bool {
        linkHosts(lower).contains { !Rules.shortenerHosts.contains($0) }
    }

    static func shaftTerms(in lower: String) -> [String] {
        // Tools whose names contain "gun" are common in home services ("caulk gun").
        let cleaned = Rules.shaftExceptions.replacingAll(in: lower, with: " ")
        var found: [String] = []
        for (term, pattern) in Rules.shaft where pattern.matches(cleaned) && !found.contains(term) {
            found.append(term)
        }
        return found
    }

    enum Rules {
        static let placeholder = TextPattern(#"\{[a-z][a-z0-9_.]*(\|[^{}]*)?\}"#)

        /// Placeholders the business name fills (DESIGN §6).
        static let senderPlaceholders: Set<String> = ["company", "agency", "school", "lender", "practice", "business"]

        static let reason = TextPattern(
            #"\b(call|called|calling|missed|tried to reach|tried reaching|tried to connect|tried to call|trying to reach|about your|regarding|re your|request|requested|inquiry|enquiry|quote|appointment|follow(ing)? up|voicemail|reached out)\b"#)

        static let nextStep = TextPattern(
            #"\b(reply|respond|call us|call me|call back|call you|call at|text us|text me|text back|book|schedule|click|visit|tap)\b"#)

        static let optOut = TextPattern(
            #"\b(reply|text|send|respond with) (stop|end|quit|unsubscribe)\b|\bstop to (opt out|end|cancel|unsubscribe|quit|stop)\b|\bopt[ -]?out\b|\bunsubscribe\b"#)

        /// A URL or bare domain: optional scheme, then host with a dot and a letter TLD.
        static let link = TextPattern(#"(?:https?://)?\b((?:[a-z0-9-]+\.)+[a-z]{2,})(?=[/?#:]|\s|$|[).,!])"#)

        /// Public shorteners carriers filter (and that phishing uses): a link must show whose it is.
        static let shortenerHosts: [String] = [
            "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
            "cutt.ly", "shorturl.at", "tiny.cc", "bl.ink", "t.ly", "rb.gy", "s.id",
        ]

        static let shaftExceptions = TextPattern(#"\b(nail|caulk|caulking|glue|heat|spray|grease|staple|paint|grout|foam) guns?\b"#)

        /// SHAFT: sex, hate, alcohol, firearms, tobacco, plus cannabis and vaping (CTIA Messaging
        /// Principles and Best Practices, "Content Restrictions"). Hate speech is not listed: a word
        /// list of slurs is not something to ship, and words like "hate" are everyday ("hate to bother you").
        static let shaft: [(String, TextPattern)] = [
            ("sex", #"\b(sex|sexy|sexual|porn|porno|nude|nudes|xxx|escort|escorts)\b"#),
            ("alcohol", #"\b(alcohol|alcoholic|beer|beers|wine|wines|vodka|whiskey|whisky|tequila|liquor|rum|gin|booze|brewery|happy hour)\b"#),
            ("firearms", #"\b(gun|guns|firearm|firearms|rifle|rifles|pistol|pistols|handgun|handguns|ammo|ammunition|shotgun|shotguns)\b"#),
            ("tobacco", #"\b(tobacco|cigarette|cigarettes|cigar|cigars|nicotine|smokes|hookah)\b"#),
            ("vaping", #"\b(vape|vapes|vaping|vaper|e-cig|e-cigs|e-cigarette|e-cigarettes|juul)\b"#),
            ("cannabis", #"\b(cannabis|marijuana|cbd|thc|dispensary|edibles)\b"#),
        ].map { ($0.0, TextPattern($0.1)) }
    }
}
