// Template lint: one case per finding code, and the five DESIGN §1 templates (which must load:
// warnings only, never an error).

import Foundation
import Testing
@testable import TextBackCore

struct MessageLintTests {
    static let designTemplates: [(name: String, text: String)] = [
        ("insurance", "Hi {Name}, this is {Agency} — I just tried calling about your coverage quote. Want me to call back at a better time? Reply with when works."),
        ("home_services", "Hey {Name}, {Company} here. Tried to reach you about your {service} request. Still need help? Reply YES and I'll call you right back."),
        ("education", "Hi {Name}, this is {School}. I tried to connect about your enrollment inquiry. Text me a good time to call, or reply STOP to opt out."),
        ("mortgage", "Hi {Name}, {Lender} here. Just tried reaching you about your pre-qualification. Reply with a good time and I'll call you back."),
        ("healthcare", "Hi {Name}, this is {Practice}. We tried to reach you about your appointment request. Reply with a preferred time or call us at {number}."),
    ]

    private func codes(_ findings: [LintFinding]) -> Set<String> { Set(findings.map(\.code)) }

    @Test("DESIGN templates lint without errors", arguments: designTemplates.map(\.name))
    func designTemplate(_ name: String) {
        let text = Self.designTemplates.first { $0.name == name }!.text
        for business in [nil, "Acme Home Services"] as [String?] {
            let findings = MessageLint.lint(template: text, businessName: business, isFirstMessage: true)
            #expect(findings.allSatisfy { $0.severity == .warning }, "\(findings)")
            let found = codes(findings)
            #expect(!found.contains("missing_sender"))
            #expect(!found.contains("missing_reason"))
            #expect(!found.contains("missing_next_step"))
            #expect(!found.contains("shaft_content"))
            #expect(!found.contains("public_link_shortener"))
            // Only the education template tells people how to opt out.
            #expect(found.contains("missing_opt_out") == (name != "education"))
        }
    }

    @Test func insuranceTemplateEmDashIsFlagged() throws {
        let text = Self.designTemplates[0].text
        let findings = MessageLint.lint(template: text, businessName: "Acme Home Services", isFirstMessage: true)
        let ucs2 = try #require(findings.first { $0.code == "ucs2_forced" })
        #expect(ucs2.message.contains("U+2014"))
        #expect(ucs2.message.contains("as GSM-7 after replacing it: 1"))
    }

    @Test func segmentsWarning() throws {
        let text = "Hi {Name}, this is {Company}. We missed your call. " + String(repeating: "More details here. ", count: 20)
            + "Reply YES, or STOP to opt out."
        let findings = MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)
        let finding = try #require(findings.first { $0.code == "segments" })
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("GSM-7"))
    }

    @Test func twoSegmentsIsFine() {
        let text = "Hi {Name}, this is {Company}. We missed your call. " + String(repeating: "a", count: 150)
        #expect(!codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: false)).contains("segments"))
    }

    @Test func ucs2Forced() throws {
        let findings = MessageLint.lint(
            template: "Hi {Name}, it’s {Company}. We missed your call. Reply YES, or STOP to opt out.",
            businessName: nil, isFirstMessage: true)
        let finding = try #require(findings.first { $0.code == "ucs2_forced" })
        #expect(finding.message.contains("U+2019"))
        #expect(finding.message.contains("segments as UCS-2: 2, as GSM-7 after replacing it: 1"))
        #expect(codes(findings) == ["ucs2_forced"])
    }

    @Test func missingSender() {
        let text = "Hi {Name}, we missed your call. Reply YES, or STOP to opt out."
        #expect(codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)) == ["missing_sender"])
        #expect(codes(MessageLint.lint(template: text, businessName: "Acme Plumbing", isFirstMessage: true)) == ["missing_sender"])
        let named = "Hi {Name}, Acme Plumbing here. We missed your call. Reply YES, or STOP to opt out."
        #expect(codes(MessageLint.lint(template: named, businessName: "Acme Plumbing", isFirstMessage: true)).isEmpty)
    }

    @Test("every sender placeholder names the sender", arguments: ["{Company}", "{Agency}", "{School}", "{Lender}", "{Practice}", "{Business}", "{company}"])
    func senderPlaceholders(_ placeholder: String) {
        let text = "Hi {Name}, this is \(placeholder). We missed your call. Reply YES, or STOP to opt out."
        #expect(codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)).isEmpty)
    }

    @Test func missingReason() {
        let text = "Hi {Name}, this is {Company}. Reply YES, or reply STOP to opt out."
        #expect(codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)) == ["missing_reason"])
    }

    @Test func placeholderNamesDoNotCountAsContent() {
        // {request} is a placeholder, not the word "request".
        let text = "Hi {Name}, this is {Company}. {request}. Reply YES, or reply STOP to opt out."
        #expect(codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)) == ["missing_reason"])
    }

    @Test func missingNextStep() {
        let text = "Hi {Name}, this is {Company}. We missed your call. Text STOP to opt out."
        #expect(codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)) == ["missing_next_step"])
    }

    @Test func ownLinkIsANextStep() {
        let text = "Hi {Name}, this is {Company}. We missed your call: see https://acmeplumbing.com/slots. Text STOP to opt out."
        #expect(codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)).isEmpty)
    }

    @Test func missingOptOut() {
        let text = "Hi {Name}, this is {Company}. We missed your call. Reply YES and we'll call you back."
        let findings = MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)
        #expect(codes(findings) == ["missing_opt_out"])
        #expect(findings[0].severity == .warning)
    }

    @Test("opt-out wordings", arguments: ["Reply STOP to opt out.", "STOP to opt out", "Text STOP to end.", "Opt-out: reply STOP", "Reply STOP to unsubscribe."])
    func optOutWordings(_ wording: String) {
        let text = "Hi {Name}, this is {Company}. We missed your call. Reply YES for a callback. " + wording
        #expect(!codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)).contains("missing_opt_out"))
    }

    @Test func laterMessagesSkipTheFourElements() {
        #expect(MessageLint.lint(template: "Sounds good, see you at 3.", businessName: nil, isFirstMessage: false).isEmpty)
    }

    @Test("public link shorteners are errors", arguments: [
        "bit.ly/abc123", "https://bit.ly/abc123", "http://tinyurl.com/y7x", "t.co/xyz", "goo.gl/maps/1", "ow.ly/a",
        "is.gd/q", "buff.ly/2", "rebrand.ly/x", "cutt.ly/y", "shorturl.at/z", "tiny.cc/w", "www.bit.ly/abc",
    ])
    func shortener(_ link: String) throws {
        let text = "Hi {Name}, this is {Company}. We missed your call. Book here: \(link) or reply STOP to opt out."
        let findings = MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)
        let finding = try #require(findings.first { $0.code == "public_link_shortener" })
        #expect(finding.severity == .error)
    }

    @Test func ownDomainIsNotAShortener() {
        let text = "Hi {Name}, this is {Company}. We missed your call. Book at https://book.acme.com/x or reply STOP to opt out."
        #expect(codes(MessageLint.lint(template: text, businessName: nil, isFirstMessage: true)).isEmpty)
    }

    @Test("SHAFT terms", arguments: [
        "Free beer with every install", "Ask about our wine club", "Gun safes 20% off", "New rifle scopes",
        "Cigarette burns repaired", "Vape shop grand opening", "Cannabis delivery", "marijuana", "CBD oil", "THC gummies",
        "vodka tasting", "tobacco",
    ])
    func shaft(_ phrase: String) throws {
        let findings = MessageLint.lint(template: phrase, businessName: nil, isFirstMessage: false)
        let finding = try #require(findings.first { $0.code == "shaft_content" })
        #expect(finding.severity == .warning)
    }

    @Test("not SHAFT", arguments: [
        "Bring the caulk gun", "We use a nail gun", "The engine is fine", "Begin at 9", "I hate to bother you", "Winery Road",
        "Your quote is $420",
    ])
    func notShaft(_ phrase: String) {
        #expect(!codes(MessageLint.lint(template: phrase, businessName: nil, isFirstMessage: false)).contains("shaft_content"))
    }

    @Test func placeholderEstimate() {
        #expect(MessageLint.estimateText("Hi {Name}!", businessName: nil) == "Hi xxxxxxxxxx!")
        #expect(MessageLint.estimateText("Hi {Name|there}, {Company} here", businessName: "Acme") == "Hi xxxxxxxxxx, Acme here")
        #expect(MessageLint.estimateText("Use {} or { braces }", businessName: nil) == "Use {} or { braces }")
    }

    @Test func findingJSON() throws {
        let data = try JSONEncoder().encode(LintFinding(severity: .error, code: "public_link_shortener", message: "m"))
        let back = try JSONDecoder().decode(LintFinding.self, from: data)
        #expect(back.code == "public_link_shortener")
        #expect(String(decoding: data, as: UTF8.self).contains(#""severity":"error""#))
    }
}
