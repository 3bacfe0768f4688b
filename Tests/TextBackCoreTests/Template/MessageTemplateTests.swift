// Templates: DESIGN §1's five texts rendered for Dana Reyes, case-insensitive names, defaults,
// brace escapes, parse errors with columns, and render failure when a value is missing.

import Foundation
import Testing
import TextBackCore

struct MessageTemplateTests {
    private func variables(
        business: BusinessProfile = Fixtures.acme, contact: Contact? = Fixtures.dana(),
        call: CallEvent? = Fixtures.call(), defaults: [String: String] = [:]
    ) -> TemplateVariables {
        TemplateVariables(business: business, contact: contact, call: call, now: Fixtures.now, timeZone: nil, defaults: defaults)
    }

    private func render(_ source: String, _ variables: TemplateVariables) throws -> Result<String, TemplateRenderError> {
        try MessageTemplate(parsing: source).render(variables.value(for:))
    }

    @Test("DESIGN §1 templates", arguments: [
        ("Hi {Name}, this is {Agency} — I just tried calling about your coverage quote. Want me to call back at a better time? Reply with when works.",
         "Hi Dana, this is Acme Home Services — I just tried calling about your coverage quote. Want me to call back at a better time? Reply with when works."),
        ("Hey {Name}, {Company} here. Tried to reach you about your {service} request. Still need help? Reply YES and I'll call you right back.",
         "Hey Dana, Acme Home Services here. Tried to reach you about your water heater repair request. Still need help? Reply YES and I'll call you right back."),
        ("Hi {Name}, this is {School}. I tried to connect about your enrollment inquiry. Text me a good time to call, or reply STOP to opt out.",
         "Hi Dana, this is Acme Home Services. I tried to connect about your enrollment inquiry. Text me a good time to call, or reply STOP to opt out."),
        ("Hi {Name}, {Lender} here. Just tried reaching you about your pre-qualification. Reply with a good time and I'll call you back.",
         "Hi Dana, Acme Home Services here. Just tried reaching you about your pre-qualification. Reply with a good time and I'll call you back."),
        ("Hi {Name}, this is {Practice}. We tried to reach you about your appointment request. Reply with a preferred time or call us at {number}.",
         "Hi Dana, this is Acme Home Services. We tried to reach you about your appointment request. Reply with a preferred time or call us at (512) 555-0100."),
    ])
    func designTemplates(source: String, expected: String) throws {
        #expect(try render(source, variables()) == .success(expected))
    }

    @Test("names resolve whatever their case", arguments: [
        ("{name}", "Dana"), ("{NAME}", "Dana"), ("{FirstName}", "Dana"), ("{first_name}", "Dana"),
        ("{LastName}", "Reyes"), ("{FullName}", "Dana Reyes"), ("{company}", "Acme Home Services"),
        ("{BUSINESS}", "Acme Home Services"), ("{phone}", "(512) 555-0100"), ("{BusinessPhone}", "(512) 555-0100"),
        ("{SERVICE}", "water heater repair"), ("{Lead_Source}", "web_form"), ("{agent}", "agent-1"),
        ("{Campaign}", "spring"), ("{now}", "2026-03-02T15:04:05Z"), ("{Greeting}", "Good morning"),
        ("{SCORE}", "42"),
    ])
    func caseInsensitive(source: String, expected: String) throws {
        #expect(try render(source, variables()) == .success(expected))
    }

    @Test("defaults fill missing values", arguments: [
        ("Hi {Name|there}!", nil as String?, "Hi there!"),
        ("Hi {Name|there}!", "Dana Reyes", "Hi Dana!"),
        ("Hi {Name|}!", nil, "Hi !"),
        ("Hi { Name | there }!", nil, "Hi there!"),
        ("Hi {Name|there}!", "   ", "Hi there!"),
        ("About your {service|project}", nil, "About your water heater repair"),
        ("Code {zip|unknown}", nil, "Code unknown"),
    ])
    func defaults(source: String, name: String?, expected: String) throws {
        let contact = Fixtures.dana(name: name)
        let call = Fixtures.call(contactName: nil)
        #expect(try render(source, variables(contact: contact, call: call)) == .success(expected))
    }

    @Test("doubled braces are literal braces", arguments: [
        ("Use {{braces}} for {Name}", "Use {braces} for Dana"),
        ("}}{{", "}{"),
        ("{{{Name}}}", "{Dana}"),
        ("no placeholders", "no placeholders"),
        ("", ""),
    ])
    func escapes(source: String, expected: String) throws {
        #expect(try render(source, variables()) == .success(expected))
    }

    @Test func renderFailsWithoutAValueAndNamesOnlyThePlaceholders() throws {
        let template = try MessageTemplate(parsing: "Hi {Name}, about {foo} and {bar} and {foo}")
        let result = template.render(variables(contact: Fixtures.dana(name: nil), call: Fixtures.call(contactName: nil)).value(for:))
        let expected = TemplateRenderError(placeholder: "Name", missing: ["Name", "foo", "bar"])
        #expect(result == .failure(expected))
        #expect(expected.description == "no value for {Name}, {foo}, {bar} and no default")
    }

    @Test func resolutionOrderIsBuiltInsThenAttributesThenVariablesThenDefaults() throws {
        let contact = Fixtures.dana(attributes: ["service": "roof repair", "Name": "not used"])
        #expect(try render("{service} {Name}", variables(contact: contact)) == .success("roof repair Dana"))
        let call = Fixtures.call(variables: ["service": "gutter cleaning"])
        #expect(try render("{service}", variables(call: call)) == .success("gutter cleaning"))
        let bare = Fixtures.call(variables: [:])
        #expect(try render("{service}", variables(call: bare, defaults: ["service": "service"])) == .success("service"))
        #expect(try render("{service}", variables(call: bare)) == .failure(TemplateRenderError(placeholder: "service", missing: ["service"])))
    }

    @Test func businessPhoneFallsBackToTheNumberCalledAndFormatsInternationalAsE164() throws {
        let noPhone = BusinessProfile(name: "Acme", timeZone: "America/Chicago")
        #expect(try render("{number}", variables(business: noPhone)) == .success("(512) 555-0100"))
        let london = BusinessProfile(name: "Acme", phone: PhoneNumber(trustedE164: "+442079460000"), timeZone: "Europe/London")
        #expect(try render("{number}", variables(business: london)) == .success("+442079460000"))
    }

    @Test func greetingFollowsTheRecipientsZone() throws {
        // 15:04 UTC is 20:34 in Kolkata.
        let kolkata = TimeZone(identifier: "Asia/Kolkata")
        let vars = TemplateVariables(business: Fixtures.acme, contact: nil, call: nil, now: Fixtures.now, timeZone: kolkata)
        #expect(try render("{Greeting}", vars) == .success("Good evening"))
    }

    @Test("parse errors point at the brace", arguments: [
        ("Hi {Name", 3, "'{' is never closed; close the placeholder with } or write {{ for a literal brace"),
        ("a } b", 2, "a lone '}'; write }} for a literal brace"),
        ("x {} y", 2, "empty placeholder; write a name such as {Name}, or {{}} for literal braces"),
        ("{Hi there}", 0, "'{Hi there}' is not a placeholder: a name uses letters, digits, _ . or -, as in {Name} or {Name|there}; write {{ and }} for literal braces"),
        ("{a{b}}", 2, "'{' inside a placeholder; placeholders cannot nest"),
    ])
    func parseErrors(source: String, offset: Int, message: String) {
        #expect(throws: TemplateError(message, offset: offset)) {
            try MessageTemplate(parsing: source)
        }
    }

    @Test func placeholdersCarryNameDefaultAndOffset() throws {
        let template = try MessageTemplate(parsing: "Hey {Name|there}, {{x}} {Company}")
        #expect(template.placeholders == [
            MessageTemplate.Placeholder(name: "Name", defaultValue: "there", offset: 4),
            MessageTemplate.Placeholder(name: "Company", defaultValue: nil, offset: 24),
        ])
    }

    @Test func literalTextTemplatesRenderVerbatim() throws {
        let template = MessageTemplate(text: "Acme {Plumbing}")
        #expect(template.source == "Acme {{Plumbing}}")
        #expect(template.placeholders.isEmpty)
        #expect(template.render { _ in nil } == .success("Acme {Plumbing}"))
        #expect(try MessageTemplate(parsing: template.source) == template)
    }

    @Test func builtInNamesAreLowercased() {
        #expect(TemplateVariables.builtInNames.contains("firstname"))
        #expect(TemplateVariables.builtInNames.allSatisfy { $0 == $0.lowercased() })
        #expect(["company", "agency", "school", "lender", "practice", "number", "now"].allSatisfy(TemplateVariables.builtInNames.contains))
    }
}
