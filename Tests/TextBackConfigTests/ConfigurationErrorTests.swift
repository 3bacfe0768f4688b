// Every kind of mistake gives its own file:line:column message, asserted exactly: a person reading
// the message should know where to look and what to write instead.

import Testing
import TextBackConfig

struct ConfigurationErrorTests {
    typealias F = ConfigFixtures

    @Test func minimalFixtureLoads() {
        #expect(F.errors(F.minimal) == [])
    }

    @Test func brokenYAMLSyntax() {
        let yaml = F.minimal(replacingLine: 2, with: "  name: Acme: Home Services")
        #expect(F.errors(yaml) == [
            "textback.yaml:2:13: error: invalid YAML: mapping values are not allowed in this context; quote a value that contains ': ', and indent nested keys under their parent",
        ])
    }

    @Test func unclosedQuote() {
        let yaml = F.minimal(replacingLine: 7, with: "  hello: \"Hi {Name}")
        // libyaml notices only where the runaway string ends; the context points back at its mapping.
        #expect(F.errors(yaml) == [
            "textback.yaml:13:31: error: invalid YAML: did not find expected key (while parsing a block mapping started on line 7, column 3); check this line's indentation against the lines above, and that every quote opened above is closed",
        ])
    }

    @Test func tabIndentation() {
        let yaml = F.minimal(replacingLine: 3, with: "\ttimezone: America/Chicago")
        #expect(F.errors(yaml) == [
            "textback.yaml:3:1: error: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar started on line 2, column 9); indent with spaces; YAML does not allow tabs for indentation",
        ])
    }

    @Test func duplicateKey() {
        let yaml = F.minimal(replacingLine: 3, with: "  name: Acme Two")
        #expect(F.errors(yaml) == [
            "textback.yaml:2:3: error: duplicate key 'name' in the same mapping; write each key once",
        ])
    }

    @Test func unknownTopLevelKey() {
        let yaml = F.minimal(replacingLine: 6, with: "templtes:")
        #expect(F.errors(yaml) == [
            "textback.yaml:6:1: error: unknown key 'templtes' at the top level; did you mean 'templates'? allowed: business, numbers, carriers, integrations, policy, templates, variables, automations, agent, api_tokens",
            // The template the automation names now lives under an unknown key.
            "textback.yaml:16:30: error: unknown template 'hello' in send_sms; no templates are defined; add one under templates:",
        ])
    }

    @Test func unknownNestedKey() {
        let yaml = F.minimal + "\npolicy:\n  quiet_hour: {start: \"21:00\", end: \"08:00\"}"
        #expect(F.errors(yaml) == [
            "textback.yaml:18:3: error: unknown key 'quiet_hour' in policy; did you mean 'quiet_hours'? allowed: frequency_cap, quiet_hours, business_hours, stale_after, consent_mode, help_text, opt_out_confirmation, state_rules, landline_check",
        ])
    }

    @Test func unknownKeyInAnAutomation() {
        let yaml = F.minimal(replacingLine: 10, with: "    stauts: live")
        #expect(F.errors(yaml) == [
            "textback.yaml:9:5: error: automation 'textback' needs a status: draft, live or paused",
            "textback.yaml:10:5: error: unknown key 'stauts' in automations[0]; did you mean 'status'? allowed: id, status, description, trigger, requires_consent, message_type, steps",
        ])
    }

    @Test("bad conditions point into the condition", arguments: [
        ("      - if: 'call.outcome == '", "textback.yaml:13:30: error: unexpected end of condition; expected a value"),
        ("      - if: 'cal.outcome == \"completed\"'", "textback.yaml:13:14: error: unknown name 'cal.outcome'; did you mean 'call.outcome'?"),
        ("      - if: call.outcome == \"no-answer\"", "textback.yaml:13:29: error: 'no-answer' is not a call outcome; did you mean 'no_answer'? allowed: completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown"),
        ("      - if: \"call.outcome == \\\"missed\\\"\"", "textback.yaml:13:30: error: 'missed' is not a call outcome; allowed: completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown"),
        ("      - if: 'call.outcome == ''missed'''", "textback.yaml:13:30: error: 'missed' is not a call outcome; allowed: completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown"),
    ])
    func badCondition(line: String, expected: String) {
        #expect(F.errors(F.minimal(replacingLine: 13, with: line)) == [expected])
    }

    @Test func conditionInALiteralBlock() {
        let yaml = F.minimal(replacingLine: 13, with: "      - if: |\n          call.direction == \"inbound\" &&\n          call.outcome == \"nope\"")
        #expect(F.errors(yaml) == [
            "textback.yaml:15:27: error: 'nope' is not a call outcome; allowed: completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown",
        ])
    }

    @Test func unclosedFlowMapping() {
        let yaml = F.minimal(replacingLine: 5, with: "  - {number: \"+15125550100\", carrier: simulator")
        #expect(F.errors(yaml) == [
            "textback.yaml:6:10: error: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping started on line 5, column 5); a [list] or {mapping} written on one line is not closed, or a value in it needs quotes",
        ])
    }

    @Test func unknownTemplateInSendSMS() {
        let yaml = F.minimal(replacingLine: 16, with: "      - send_sms: {template: helo}")
        #expect(F.errors(yaml) == [
            "textback.yaml:16:30: error: unknown template 'helo' in send_sms; did you mean 'hello'? templates: hello",
        ])
    }

    @Test func unresolvablePlaceholderWithSuggestion() {
        let yaml = F.minimal(replacingLine: 7, with: "  hello: \"Hi {Nmae}, it's {Company}.\"")
        #expect(F.errors(yaml) == [
            "textback.yaml:7:14: error: unknown placeholder {Nmae} in template 'hello'; did you mean {Name}?",
        ])
    }

    @Test func unresolvablePlaceholderWithoutSuggestion() {
        let yaml = F.minimal(replacingLine: 7, with: "  hello: Hi {Name}, your {appointment_kind} is due.")
        #expect(F.errors(yaml) == [
            "textback.yaml:7:26: error: unknown placeholder {appointment_kind} in template 'hello'; declare it under `variables:` or give a default like {appointment_kind|...}",
        ])
    }

    @Test func declaredVariablesAndDefaultsResolve() {
        let declared = F.minimal(replacingLine: 7, with: "  hello: Hi {Name}, your {appointment_kind} is due {when|soon}.") + "\nvariables:\n  appointment_kind: null"
        #expect(F.errors(declared) == [])
    }

    @Test func placeholderInUpdateContact() {
        let yaml = F.minimal + "\n      - update_contact: {last_missed_call_sms_at: \"{nwo}\"}"
        #expect(F.errors(yaml) == [
            "textback.yaml:17:52: error: unknown placeholder {nwo} in update_contact.last_missed_call_sms_at; did you mean {now}?",
        ])
    }

    @Test func badTemplateSyntax() {
        let yaml = F.minimal(replacingLine: 7, with: "  hello: 'Hi {Name, it''s {Company}.'")
        #expect(F.errors(yaml) == [
            "textback.yaml:7:27: error: invalid template 'hello': '{' inside a placeholder; placeholders cannot nest",
        ])
    }

    @Test("bad durations", arguments: [
        ("      - delay: 2 min", "textback.yaml:15:16: error: invalid duration '2 min' for delay; write a whole number followed by s, m, h or d, e.g. 90s, 2m, 12h, 1d"),
        ("      - delay: 0m", "textback.yaml:15:16: error: delay must be longer than zero, e.g. 2m"),
        ("      - delay: 120", "textback.yaml:15:16: error: invalid duration '120' for delay; write a whole number followed by s, m, h or d, e.g. 90s, 2m, 12h, 1d"),
    ])
    func badDuration(line: String, expected: String) {
        #expect(F.errors(F.minimal(replacingLine: 15, with: line)) == [expected])
    }

    @Test func badPolicyDuration() {
        let yaml = F.minimal + "\npolicy:\n  stale_after: twelve hours"
        #expect(F.errors(yaml) == [
            "textback.yaml:18:16: error: invalid duration 'twelve hours' for policy.stale_after; write a whole number followed by s, m, h or d, e.g. 90s, 2m, 12h, 1d",
        ])
    }

    @Test func badPhoneNumber() {
        let yaml = F.minimal(replacingLine: 5, with: "  - {number: \"+1 512 555 010\", carrier: simulator}")
        #expect(F.errors(yaml) == [
            "textback.yaml:5:14: error: numbers[0].number is not a valid phone number: the phone number has 9 digits; a US number has 10 (or 11 starting with 1) and an international E.164 number 8 to 15 after +; write it as E.164, e.g. \"+15125550100\"",
        ])
    }

    @Test func badTimeZone() {
        let yaml = F.minimal(replacingLine: 3, with: "  timezone: America/Chicgo")
        #expect(F.errors(yaml) == [
            "textback.yaml:3:13: error: unknown time zone 'America/Chicgo' in business.timezone; did you mean 'America/Chicago'? use an IANA name such as America/Chicago or America/New_York",
        ])
    }

    @Test func literalSecret() {
        let yaml = F.minimal + "\ncarriers:\n  twilio: {account_sid: AC123, auth_token: 0123456789abcdef}"
        let errors = F.errors(yaml)
        #expect(errors == [
            "textback.yaml:18:44: error: carriers.twilio.auth_token must not be written in the file; write secrets as env:NAME (e.g. auth_token: env:TWILIO_AUTH_TOKEN) and set NAME in the environment",
        ])
        #expect(!errors.joined().contains("0123456789abcdef"))
    }

    @Test func missingEnvironmentVariableForAUsedCarrier() {
        let yaml = F.minimal(replacingLine: 5, with: "  - {number: \"+15125550100\", carrier: twilio}")
            + "\ncarriers:\n  twilio:\n    account_sid: env:TWILIO_ACCOUNT_SID\n    auth_token: env:TWILIO_AUTH_TOKEN"
        #expect(F.errors(yaml, environment: ["TWILIO_ACCOUNT_SID": "AC123"]) == [
            "textback.yaml:20:17: error: environment variable TWILIO_AUTH_TOKEN is not set; carriers.twilio.auth_token needs it because a configured number uses twilio",
        ])
    }

    @Test func usedCarrierWithoutASection() {
        let yaml = F.minimal(replacingLine: 5, with: "  - {number: \"+15125550100\", carrier: telnyx}")
        #expect(F.errors(yaml) == [
            "textback.yaml:5:39: error: this number uses telnyx, but carriers.telnyx is not configured; add carriers: {telnyx: {api_key: env:TELNYX_API_KEY, public_key: ...}}",
        ])
    }

    @Test func duplicateAutomationID() {
        let yaml = F.minimal + "\n  - id: textback\n    status: draft\n    trigger: {event: call.completed}\n    steps: [stop]"
        #expect(F.errors(yaml) == [
            "textback.yaml:17:9: error: duplicate automation id 'textback' (first used on line 9); ids must be unique",
        ])
    }

    @Test func badStatus() {
        let yaml = F.minimal(replacingLine: 10, with: "    status: enabled")
        #expect(F.errors(yaml) == [
            "textback.yaml:10:13: error: unknown status 'enabled' in automation 'textback' status; allowed: draft, live, paused",
        ])
    }

    @Test func badStep() {
        let yaml = F.minimal(replacingLine: 15, with: "      - wait: 2m")
        #expect(F.errors(yaml) == [
            "textback.yaml:15:9: error: unknown step 'wait'; a step is one of: if (with then/else), delay, send_sms, update_contact, stop",
        ])
    }

    @Test func misspeltStop() {
        let yaml = F.minimal(replacingLine: 14, with: "        then: [stpo]")
        #expect(F.errors(yaml) == [
            "textback.yaml:14:16: error: unknown step 'stpo'; did you mean 'stop'? a step is one of: if (with then/else), delay, send_sms, update_contact, stop",
        ])
    }

    @Test func twoActionsInOneStep() {
        let yaml = F.minimal(replacingLine: 15, with: "      - {delay: 2m, send_sms: {template: hello}}")
        #expect(F.errors(yaml) == [
            "textback.yaml:15:21: error: a step does one thing; put 'send_sms' in its own list item (- send_sms: ...)",
        ])
    }

    @Test("step shapes", arguments: [
        (15, "      - [stop]", "textback.yaml:15:9: error: a step must be one of: if (with then/else), delay, send_sms, update_contact, stop; a list inside the steps list is not a step"),
        (16, "      - send_sms: hello", "textback.yaml:16:19: error: send_sms takes the template to send, e.g. send_sms: {template: home_services}"),
        (14, "        than: [stop]", "textback.yaml:14:9: error: unknown key 'than' in an if step; did you mean 'then'? allowed: if, then, else"),
        (15, "      - else: [stop]", "textback.yaml:15:9: error: 'else' needs an 'if' in the same step: - if: <condition>"),
        (15, "      - update_contact: {}", "textback.yaml:15:25: error: update_contact needs at least one attribute, e.g. update_contact: {last_missed_call_sms_at: \"{now}\"}"),
        (15, "      - {}", "textback.yaml:15:9: error: an empty step; a step is one of: if (with then/else), delay, send_sms, update_contact, stop"),
        (10, "    status: live\n    requires_consent: written", "textback.yaml:11:23: error: unknown consent requirement 'written' in automation 'textback' requires_consent; allowed: none, implied, express_written"),
    ])
    func stepShapes(line: Int, text: String, expected: String) {
        #expect(F.errors(F.minimal(replacingLine: line, with: text)) == [expected])
    }

    @Test func ifWithoutThen() {
        let yaml = F.minimal(replacingLine: 14, with: "")
        #expect(F.errors(yaml) == [
            "textback.yaml:13:9: error: an if step needs then: with the steps to run when the condition holds, e.g. then: [stop]",
        ])
    }

    @Test func badTrigger() {
        let yaml = F.minimal(replacingLine: 11, with: "    trigger: {event: call.complete, agents: agent-1, numbers: [\"+15125550199\"]}")
        #expect(F.errors(yaml) == [
            "textback.yaml:11:22: error: unknown trigger event 'call.complete'; did you mean 'call.completed'? the events are call.completed and callback.requested",
            "textback.yaml:11:45: error: automation 'textback' trigger agents must be all or a list, e.g. [agent-1, agent-2]",
            "textback.yaml:11:64: error: automation 'textback' trigger numbers[0] lists a number that is not under numbers:; add it there or list a configured number",
        ])
    }

    @Test func severalErrorsAreReportedTogetherInFileOrder() {
        var yaml = F.minimal(replacingLine: 3, with: "  timezone: Mars/Olympus")
        yaml = yaml.replacingOccurrences(of: "status: live", with: "status: on")
        yaml = yaml.replacingOccurrences(of: "delay: 2m", with: "delay: soon")
        #expect(F.errors(yaml) == [
            "textback.yaml:3:13: error: unknown time zone 'Mars/Olympus' in business.timezone; use an IANA name such as America/Chicago or America/New_York",
            "textback.yaml:10:13: error: unknown status 'on' in automation 'textback' status; allowed: draft, live, paused",
            "textback.yaml:15:16: error: invalid duration 'soon' for delay; write a whole number followed by s, m, h or d, e.g. 90s, 2m, 12h, 1d",
        ])
    }

    @Test func missingRequiredSections() {
        #expect(F.errors("templates: {}") == [
            "textback.yaml:1:1: error: the business: section is required: name, phone and timezone of the business texting",
            "textback.yaml:1:1: error: at least one number is required under numbers:, e.g. numbers: [{number: \"+15125550100\", carrier: simulator}]",
        ])
        #expect(F.errors("") == ["textback.yaml:1:1: error: the configuration is empty; it needs at least business: and numbers:"])
        #expect(F.errors("- a\n- b") == ["textback.yaml:1:1: error: the top level of the file must be a mapping of key: value pairs, not a list"])
    }

    @Test func unreadableFile() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: "/nonexistent/textback.yaml", environment: [:])
        }
        let (configuration, diagnostics) = ConfigurationLoader.lint(path: "/nonexistent/textback.yaml", environment: [:])
        #expect(configuration == nil)
        #expect(diagnostics.map(\.description) == ["/nonexistent/textback.yaml: error: the configuration file does not exist"])
    }
}
