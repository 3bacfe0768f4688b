// Valid configurations load into the typed model: DESIGN §6's example (with an empty environment,
// since no number uses twilio), defaults, carriers with secrets from the environment, policy
// settings, warnings, and reading from a file.

import Foundation
import Testing
import TextBackConfig
import TextBackCore

struct ConfigurationLoadingTests {
    typealias F = ConfigFixtures

    @Test func designExampleLoadsWithAnEmptyEnvironment() throws {
        let config = try ConfigurationLoader.load(yaml: F.designExample, fileName: "textback.yaml", environment: [:])
        #expect(config.business == BusinessProfile(name: "Acme Home Services", phone: F.businessNumber, timeZone: "America/Chicago"))
        #expect(config.numbers == [NumberConfig(number: F.businessNumber, carrier: .simulator, kind: .longCode, messagesPerSecond: 1)])
        #expect(config.carriers == CarrierSettings())
        #expect(config.templates.keys.sorted() == ["home_services"])
        #expect(config.automations.map(\.id) == ["missed-call-textback"])
        #expect(config.automations.first?.status == .live)
        #expect(config.automations.first?.trigger == Trigger(event: "call.completed", agents: .all, numbers: .all))
        #expect(config.warnings.map(\.description) == [
            "textback.yaml:10:3: warning: carriers.twilio is ignored: no configured number uses twilio and TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN are not set",
            "textback.yaml:16:18: warning: template 'home_services': A first text should say how to opt out, e.g. \"Reply STOP to opt out.\" [missing_opt_out]",
        ])
    }

    @Test func designExampleAutomationMatchesTheHandWrittenProgram() throws {
        let config = try ConfigurationLoader.load(yaml: F.designExample, fileName: "textback.yaml", environment: [:])
        let steps: [Step] = [
            .branch(condition: try Expression(parsing: "call.outcome == \"completed\""), then: [.stop], otherwise: []),
            .branch(
                condition: try Expression(parsing: "call.outcome == \"left_voicemail\""),
                then: [.delay(.minutes(20))],
                otherwise: [
                    .branch(
                        condition: try Expression(parsing: "call.direction == \"inbound\""),
                        then: [.delay(.minutes(2))], otherwise: [.delay(.minutes(3))]),
                ]),
            .sendSMS(template: "home_services"),
            .updateContact(["last_missed_call_sms_at": try MessageTemplate(parsing: "{now}")]),
        ]
        #expect(config.automations.first?.steps == steps)
        #expect(config.automations.first?.program.fingerprint == AutomationProgram(steps: steps).fingerprint)
    }

    @Test func policyDefaults() throws {
        let config = try ConfigurationLoader.load(yaml: F.minimal, fileName: "textback.yaml", environment: [:])
        let policy = config.policy
        #expect(policy.frequencyCap == FrequencyCap(max: 1, per: .hours(24)))
        #expect(policy.quietHours.start.description == "21:00")
        #expect(policy.quietHours.end.description == "08:00")
        #expect(policy.businessHours == nil)
        #expect(policy.staleAfter == .hours(18))
        #expect(policy.consentMode == .universal)
        #expect(policy.stateRules)
        #expect(policy.optOutConfirmation.source == PolicySettings.defaultOptOutConfirmationText)
        #expect(policy.helpText.source
            == "Acme: missed-call follow-up texts. Call us at (512) 555-0100 or reply here. Msg frequency varies. Msg&data rates may apply. Reply STOP to opt out.")
        #expect(config.automations.first?.requiresConsent == ConsentRequirement.none)
        #expect(config.automations.first?.messageType == "missed_call")
    }

    @Test func everyPolicySetting() throws {
        let yaml = F.minimal + #"""

            policy:
              frequency_cap: {max: 2, per: 7d}
              quiet_hours: {start: "20:30", end: "9:00"}
              business_hours: {weekdays: "08:00-18:00", fri: "08:00-12:00", sat: closed}
              stale_after: 6h
              consent_mode: granular
              help_text: "{Company}: reply STOP to opt out, or call {number}."
              opt_out_confirmation: "Done. No more texts from {Company}."
              state_rules: false
            """#
        let policy = try ConfigurationLoader.load(yaml: yaml, fileName: "textback.yaml", environment: [:]).policy
        #expect(policy.frequencyCap == FrequencyCap(max: 2, per: .days(7)))
        #expect(policy.quietHours.start.description == "20:30")
        #expect(policy.quietHours.end.description == "09:00")
        let hours = try #require(policy.businessHours)
        #expect(hours.days[.monday] == [try #require(DailyWindow(start: "08:00", end: "18:00"))])
        #expect(hours.days[.friday] == [try #require(DailyWindow(start: "08:00", end: "12:00"))])
        #expect(hours.days[.saturday] == [])
        #expect(hours.days[.sunday] == nil)
        #expect(hours.timeZone == "America/Chicago", "opening hours are the business's own")
        #expect(!hours.allows(.sunday, minuteOfDay: 10 * 60))
        #expect(hours.allows(.friday, minuteOfDay: 11 * 60 + 59))
        #expect(!hours.allows(.friday, minuteOfDay: 12 * 60))
        #expect(policy.staleAfter == .hours(6))
        #expect(policy.consentMode == .granular)
        #expect(policy.helpText.source == "{Company}: reply STOP to opt out, or call {number}.")
        #expect(policy.optOutConfirmation.source == "Done. No more texts from {Company}.")
        #expect(!policy.stateRules)
    }

    @Test func quietHoursWrapPastMidnight() throws {
        let quiet = PolicySettings.defaultQuietHours.span
        #expect(quiet.wrapsMidnight)
        #expect(quiet.contains(minuteOfDay: 22 * 60 + 15))
        #expect(quiet.contains(minuteOfDay: 7 * 60 + 59))
        #expect(!quiet.contains(minuteOfDay: 8 * 60))
        #expect(!quiet.contains(minuteOfDay: 20 * 60 + 59))
    }

    @Test("policy mistakes", arguments: [
        ("  frequency_cap: {max: 0}", "textback.yaml:18:24: error: policy.frequency_cap.max must be a whole number of texts, at least 1"),
        ("  quiet_hours: {start: \"9pm\"}", "textback.yaml:18:24: error: invalid time '9pm' for policy.quiet_hours.start; write HH:MM on a 24-hour clock, e.g. \"21:00\""),
        ("  quiet_hours: {start: \"08:00\", end: \"08:00\"}", "textback.yaml:18:16: error: policy.quiet_hours start and end are the same time; give a window such as {start: \"21:00\", end: \"08:00\"}"),
        ("  business_hours: {mon: \"17:00-09:00\"}", "textback.yaml:18:25: error: policy.business_hours.mon opens at 17:00 but closes at 09:00; the opening time must come first"),
        ("  business_hours: {munday: closed}", "textback.yaml:18:20: error: unknown key 'munday' in policy.business_hours; did you mean 'monday'? allowed: mon, tue, wed, thu, fri, sat, sun, weekdays, weekends"),
        ("  consent_mode: strict", "textback.yaml:18:17: error: unknown consent mode 'strict' in policy.consent_mode; allowed: universal, granular"),
        ("  state_rules: yes", "textback.yaml:18:16: error: policy.state_rules must be true or false"),
        ("  help_text: \"Call {nmber}\"", "textback.yaml:18:20: error: unknown placeholder {nmber} in policy.help_text; did you mean {number}?"),
        ("  quiet_hours: {start: \"08:00\", end: \"21:00\"}", "textback.yaml:18:16: error: policy.quiet_hours 08:00–21:00 covers the whole federal window 08:00–21:00, so no text could ever go out; quiet hours are when NOT to text, e.g. {start: \"21:00\", end: \"08:00\"}"),
        ("  business_hours: {weekdays: closed, weekends: closed}", "textback.yaml:18:19: error: policy.business_hours leaves every day closed, so no text could ever go out; give opening hours such as {weekdays: \"09:00-17:00\"}, or remove business_hours"),
    ])
    func policyMistakes(line: String, expected: String) {
        #expect(F.errors(F.minimal + "\npolicy:\n" + line) == [expected])
    }

    @Test func twilioCredentialsComeFromTheEnvironment() throws {
        let yaml = F.minimal(replacingLine: 5, with: "  - {number: \"+15125550100\", carrier: twilio, kind: toll_free}")
            + "\ncarriers:\n  twilio: {account_sid: env:TWILIO_ACCOUNT_SID, auth_token: env:TWILIO_AUTH_TOKEN, base_url: \"http://127.0.0.1:9000\"}"
        let config = try ConfigurationLoader.load(
            yaml: yaml, fileName: "textback.yaml",
            environment: ["TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "s3cr3t-token"])
        let twilio = try #require(config.carriers.twilio)
        #expect(twilio.accountSID == "AC123")
        #expect(twilio.authToken.reveal() == "s3cr3t-token")
        #expect(twilio.authToken.environmentVariable == "TWILIO_AUTH_TOKEN")
        #expect(twilio.baseURL == URL(string: "http://127.0.0.1:9000"))
        #expect(config.numbers.first?.kind == .tollFree)
        #expect(config.numbers.first?.messagesPerSecond == 3)
        #expect(config.warnings.isEmpty)
    }

    @Test func telnyxAndBandwidthSections() throws {
        let yaml = F.minimal(replacingLine: 5, with: "  - {number: \"+15125550100\", carrier: telnyx}\n  - {number: \"+15125550101\", carrier: bandwidth, kind: short_code, mps: 50}")
            + #"""

            carriers:
              telnyx: {api_key: env:TELNYX_API_KEY, public_key: "MCowBQYDK2VwAyEA"}
              bandwidth: {account_id: "9900000", username: api-user, password: env:BW_PASSWORD, application_id: app-1}
            """#
        let config = try ConfigurationLoader.load(
            yaml: yaml, fileName: "textback.yaml", environment: ["TELNYX_API_KEY": "KEY", "BW_PASSWORD": "pw"])
        #expect(config.carriers.telnyx?.apiKey.reveal() == "KEY")
        #expect(config.carriers.telnyx?.publicKey == "MCowBQYDK2VwAyEA")
        #expect(config.carriers.bandwidth?.password.reveal() == "pw")
        #expect(config.carriers.bandwidth?.applicationID == "app-1")
        #expect(config.numbers.map(\.messagesPerSecond) == [1, 50])
        #expect(config.numbers.map(\.kind) == [.longCode, .shortCode])
    }

    @Test func secretsNeverPrint() {
        let secret = CarrierSettings.Secret(environmentVariable: "TWILIO_AUTH_TOKEN", value: "s3cr3t-token")
        let settings = CarrierSettings(twilio: CarrierSettings.Twilio(accountSID: "AC1", authToken: secret))
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(settings, to: &dumped)
        #expect(!dumped.contains("s3cr3t"))
        #expect(!"\(settings)".contains("s3cr3t"))
        #expect(!String(reflecting: settings).contains("s3cr3t"))
    }

    @Test func automationOptionsAndScopes() throws {
        let yaml = F.minimal(replacingLine: 11, with: "    trigger: {event: call.completed, agents: [agent-1, agent-2], numbers: [\"(512) 555-0100\"]}\n    requires_consent: express_written\n    message_type: follow_up\n    description: Testing")
        let automation = try #require(try ConfigurationLoader.load(yaml: yaml, fileName: "t.yaml", environment: [:]).automations.first)
        #expect(automation.trigger.agents == .only(["agent-1", "agent-2"]))
        #expect(automation.trigger.numbers == .only([F.businessNumber]))
        #expect(automation.requiresConsent == .expressWritten)
        #expect(automation.messageType == "follow_up")
        #expect(automation.summary == "Testing")
    }

    @Test func unreachableStepsAreWarnedAbout() throws {
        let yaml = F.minimal(replacingLine: 14, with: "        then: [stop, {delay: 1m}]")
        let config = try ConfigurationLoader.load(yaml: yaml, fileName: "t.yaml", environment: [:])
        #expect(config.warnings.map(\.description) == [
            "t.yaml:14:22: warning: this step is never reached: the step before it stops the automation",
        ])
    }

    @Test func variablesAreDeclaredWithOrWithoutDefaults() throws {
        let yaml = F.minimal + "\nvariables:\n  service: service\n  appointment: null\n  Name: Friend"
        let config = try ConfigurationLoader.load(yaml: yaml, fileName: "t.yaml", environment: [:])
        let expected: [String: String?] = ["service": "service", "appointment": nil, "Name": "Friend"]
        #expect(config.variables == expected)
        #expect(config.variableDefaults == ["service": "service", "Name": "Friend"])
        #expect(config.warnings.map(\.description) == [
            "t.yaml:20:3: warning: variables.Name has the name of a built-in placeholder; the built-in value is used",
        ])
    }

    @Test func loadsFromAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("textback-config-\(getpid()).yaml").path
        try F.designExample.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ConfigurationLoader.load(path: path, environment: [:])
        #expect(config.business.name == "Acme Home Services")
        let (linted, diagnostics) = ConfigurationLoader.lint(path: path, environment: [:])
        #expect(linted != nil)
        #expect(diagnostics.map(\.severity) == [.warning, .warning])
        #expect(diagnostics.first?.file == path)
    }

    @Test func lintReportsEverythingWithoutThrowing() {
        let yaml = F.minimal(replacingLine: 10, with: "    status: on") + "\nfoo: 1"
        let (configuration, diagnostics) = ConfigurationLoader.lint(yaml: yaml, fileName: "t.yaml", environment: [:])
        #expect(configuration == nil)
        #expect(diagnostics.map(\.description) == [
            "t.yaml:10:13: error: unknown status 'on' in automation 'textback' status; allowed: draft, live, paused",
            "t.yaml:17:1: error: unknown key 'foo' at the top level; allowed: business, numbers, carriers, integrations, policy, templates, variables, automations, agent, api_tokens",
        ])
    }
}
