// The built-in demo: it loads through the same loader with no warnings at all, carries DESIGN §1's
// five templates (made lint-clean: opt-out wording, ASCII punctuation), and its automation takes
// the right action for each kind of call.

import Foundation
import Testing
import TextBackConfig
import TextBackCore

struct DemoConfigurationTests {
    typealias F = ConfigFixtures

    @Test func demoLoadsWithoutWarnings() throws {
        let demo = try ConfigurationLoader.demo()
        #expect(demo.business == BusinessProfile(name: "Acme Home Services", phone: F.businessNumber, timeZone: "America/Chicago"))
        #expect(demo.numbers == [NumberConfig(number: F.businessNumber, carrier: .simulator)])
        #expect(demo.policy == PolicySettings.defaults(business: demo.business))
        let variables: [String: String?] = ["service": "service"]
        #expect(demo.variables == variables)
        // The reference example passes its own lint: `textback serve` without --config prints no warnings.
        #expect(demo.warnings.isEmpty, "\(demo.warnings.map(\.description))")
        #expect(demo.automations.count == 1)
        #expect(demo.automations.first?.id == "missed-call-textback")
        #expect(demo.automations.first?.status == .live)
    }

    @Test func demoCarriesTheFiveDesignTemplates() throws {
        let demo = try ConfigurationLoader.demo()
        // DESIGN's wording with three changes: {Name|there} so a caller with no name on record still
        // gets the text; "Reply STOP to opt out." where the design's text gave no way out (a first text
        // must); an ASCII hyphen for the insurance text's em dash, which forced UCS-2.
        let design: [String: String] = [
            "insurance": "Hi {Name}, this is {Agency} — I just tried calling about your coverage quote. Want me to call back at a better time? Reply with when works.",
            "home_services": "Hey {Name}, {Company} here. Tried to reach you about your {service} request. Still need help? Reply YES and I'll call you right back.",
            "education": "Hi {Name}, this is {School}. I tried to connect about your enrollment inquiry. Text me a good time to call, or reply STOP to opt out.",
            "mortgage": "Hi {Name}, {Lender} here. Just tried reaching you about your pre-qualification. Reply with a good time and I'll call you back.",
            "healthcare": "Hi {Name}, this is {Practice}. We tried to reach you about your appointment request. Reply with a preferred time or call us at {number}.",
        ]
        let expected = design.mapValues { text in
            let ascii = text.replacingOccurrences(of: " — ", with: " - ")
            return ascii.contains("STOP") ? ascii : ascii + " Reply STOP to opt out."
        }
        #expect(demo.templates.mapValues { $0.source.replacingOccurrences(of: "{Name|there}", with: "{Name}") } == expected)
    }

    @Test("each demo template is GSM-7, within two segments and lint-clean", arguments: ["insurance", "home_services", "education", "mortgage", "healthcare"])
    func demoTemplateIsClean(name: String) throws {
        let demo = try ConfigurationLoader.demo()
        let template = try #require(demo.templates[name])
        #expect(MessageLint.lint(template: template.source, businessName: demo.business.name, isFirstMessage: true).isEmpty)
        let count = SMSSegments.count(MessageLint.estimateText(template.source, businessName: demo.business.name))
        #expect(count.encoding == .gsm7)
        #expect(count.segments <= 2)
    }

    @Test func demoHomeServicesTextRendersForALeadWithoutAService() throws {
        let demo = try ConfigurationLoader.demo()
        let call = CallEvent(
            provider: "native", providerCallID: "c-2", occurredAt: F.now, direction: .inbound, outcome: .noAnswer,
            from: F.caller, to: F.businessNumber, contact: ContactHint(name: "Dana Reyes"))
        let variables = TemplateVariables(
            business: demo.business, contact: nil, call: call, now: F.now, timeZone: nil, defaults: demo.variableDefaults)
        let text = try #require(demo.templates["home_services"]).render(variables.value(for:))
        #expect(text == .success("Hey Dana, Acme Home Services here. Tried to reach you about your service request. Still need help? Reply YES and I'll call you right back. Reply STOP to opt out."))
    }

    @Test("the demo automation's first action", arguments: [
        (CallOutcome.completed, CallDirection.inbound, ProgramAction.stop),
        (.transferred, .inbound, .stop),
        (.unknown, .outbound, .stop),
        (.noAnswer, .inbound, .delay(.minutes(2), resumeAt: 7)),
        (.noAnswer, .outbound, .delay(.minutes(3), resumeAt: 9)),
        (.busy, .inbound, .delay(.minutes(2), resumeAt: 7)),
        (.failed, .outbound, .delay(.minutes(3), resumeAt: 9)),
        (.canceled, .inbound, .delay(.minutes(2), resumeAt: 7)),
        (.leftVoicemail, .inbound, .delay(.minutes(20), resumeAt: 4)),
        (.leftVoicemail, .outbound, .delay(.minutes(20), resumeAt: 4)),
    ])
    func firstAction(outcome: CallOutcome, direction: CallDirection, expected: ProgramAction) throws {
        let program = try #require(try ConfigurationLoader.demo().automations.first).program
        let context = ExpressionContext(call: F.call(direction: direction, outcome: outcome), contact: nil, now: F.now)
        #expect(try program.next(from: 0, context: context) == expected)
    }

    @Test func afterTheDelayTheDemoSendsThenRecordsThenFinishes() throws {
        let program = try #require(try ConfigurationLoader.demo().automations.first).program
        let context = ExpressionContext(call: F.call(outcome: .noAnswer), contact: nil, now: F.now)
        guard case .delay(_, let afterDelay) = try program.next(from: 0, context: context) else {
            Issue.record("expected a delay")
            return
        }
        guard case .sendSMS("home_services", let afterSend) = try program.next(from: afterDelay, context: context) else {
            Issue.record("expected the home_services text")
            return
        }
        guard case .updateContact(let fields, let afterUpdate) = try program.next(from: afterSend, context: context) else {
            Issue.record("expected the contact update")
            return
        }
        #expect(fields.mapValues(\.source) == ["last_missed_call_sms_at": "{now}"])
        #expect(try program.next(from: afterUpdate, context: context) == .finished)
    }

    @Test func demoYAMLIsThePublishedSource() throws {
        #expect(ConfigurationLoader.demoYAML.contains("id: missed-call-textback"))
        let (configuration, diagnostics) = ConfigurationLoader.lint(yaml: ConfigurationLoader.demoYAML, fileName: "<demo>", environment: [:])
        #expect(configuration != nil)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
    }
}
