// The keys issue 7 adds: per-number throughput (mps, daily_cap), policy.landline_check, Twilio's
// lookup_base_url, Bandwidth's callback credentials and the Telnyx public key check. Each mistake
// is asserted with its exact file:line:column.

import Foundation
import Testing
import TextBackConfig
import TextBackCore

struct CarrierKeysTests {
    typealias F = ConfigFixtures

    static func numbers(_ line: String) -> String { F.minimal(replacingLine: 5, with: line) }

    @Test func throughputDefaultsByKindAndOverrides() throws {
        let yaml = Self.numbers("""
              - {number: "+15125550100", carrier: simulator, kind: toll_free, daily_cap: 2000}
              - {number: "+15125550101", carrier: simulator, kind: short_code, mps: 40}
              - {number: "+15125550102", carrier: simulator}
            """)
        let numbers = try ConfigurationLoader.load(yaml: yaml, fileName: "textback.yaml", environment: [:]).numbers
        #expect(numbers.map(\.messagesPerSecond) == [3, 40, 1])
        #expect(numbers.map(\.dailyCap) == [2000, nil, nil])
    }

    @Test(arguments: [
        ("daily_cap: 0", "textback.yaml:5:61: error: numbers[0].daily_cap must be a whole number of texts per day, at least 1, e.g. 2000"),
        ("daily_cap: 1.5", "textback.yaml:5:61: error: numbers[0].daily_cap must be a whole number of texts per day, at least 1, e.g. 2000"),
        ("daily_cap: lots", "textback.yaml:5:61: error: numbers[0].daily_cap must be a whole number of texts per day, at least 1, e.g. 2000"),
        ("mps: 0", "textback.yaml:5:55: error: numbers[0].mps must be a positive number of messages per second, e.g. 1 or 0.5"),
        ("mps: -2", "textback.yaml:5:55: error: numbers[0].mps must be a positive number of messages per second, e.g. 1 or 0.5"),
        ("mps: fast", "textback.yaml:5:55: error: numbers[0].mps must be a positive number of messages per second, e.g. 1 or 0.5"),
        ("dailycap: 5", "textback.yaml:5:50: error: unknown key 'dailycap' in numbers[0]; did you mean 'daily_cap'? allowed: number, carrier, kind, mps, daily_cap"),
    ])
    func throughputMistakes(field: String, expected: String) {
        #expect(F.errors(Self.numbers("  - {number: \"+15125550100\", carrier: simulator, \(field)}")) == [expected])
    }

    @Test func landlineCheckIsOffUnlessAskedFor() throws {
        #expect(try ConfigurationLoader.load(yaml: F.minimal, fileName: "t.yaml", environment: [:]).policy.landlineCheck == false)
        let on = try ConfigurationLoader.load(yaml: F.minimal + "\npolicy:\n  landline_check: true", fileName: "t.yaml", environment: [:])
        #expect(on.policy.landlineCheck)
        #expect(F.errors(F.minimal + "\npolicy:\n  landline_check: maybe") == [
            "textback.yaml:18:19: error: policy.landline_check must be true or false",
        ])
    }

    static let twilio = numbers("  - {number: \"+15125550100\", carrier: twilio}")
    static let twilioEnvironment = ["TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok"]

    @Test func twilioLookupCanPointAtAFake() throws {
        let yaml = Self.twilio + "\ncarriers:\n  twilio: {account_sid: env:TWILIO_ACCOUNT_SID, auth_token: env:TWILIO_AUTH_TOKEN, lookup_base_url: \"http://127.0.0.1:9001\"}"
        let twilio = try #require(try ConfigurationLoader.load(yaml: yaml, fileName: "t.yaml", environment: Self.twilioEnvironment).carriers.twilio)
        #expect(twilio.lookupBaseURL == URL(string: "http://127.0.0.1:9001"))
        #expect(twilio.baseURL == nil)
        let bad = Self.twilio + "\ncarriers:\n  twilio: {account_sid: env:TWILIO_ACCOUNT_SID, auth_token: env:TWILIO_AUTH_TOKEN, lookup_base_url: lookups}"
        #expect(F.errors(bad, environment: Self.twilioEnvironment) == [
            "textback.yaml:18:101: error: carriers.twilio.lookup_base_url must be an http(s) URL such as https://api.example.com",
        ])
    }

    static let bandwidth = numbers("  - {number: \"+15125550100\", carrier: bandwidth}")
    static let bandwidthEnvironment = ["BW_PASSWORD": "pw", "BW_CALLBACK_PASSWORD": "cb"]

    static func bandwidthSection(_ extra: String, application: String = ", application_id: app-1") -> String {
        bandwidth + "\ncarriers:\n  bandwidth: {account_id: \"9900000\", username: api-user, password: env:BW_PASSWORD\(application)\(extra)}"
    }

    @Test func bandwidthCallbackCredentials() throws {
        let yaml = Self.bandwidthSection(", callback_username: textback, callback_password: env:BW_CALLBACK_PASSWORD")
        let loaded = try ConfigurationLoader.load(yaml: yaml, fileName: "t.yaml", environment: Self.bandwidthEnvironment)
        let bandwidth = try #require(loaded.carriers.bandwidth)
        #expect(bandwidth.callbackUsername == "textback")
        #expect(bandwidth.callbackPassword?.reveal() == "cb")
        #expect(bandwidth.callbackPassword?.environmentVariable == "BW_CALLBACK_PASSWORD")
        #expect(loaded.warnings.isEmpty)
    }

    @Test func bandwidthWithoutCallbacksIsWarnedAbout() throws {
        let loaded = try ConfigurationLoader.load(yaml: Self.bandwidthSection(""), fileName: "textback.yaml", environment: Self.bandwidthEnvironment)
        #expect(loaded.carriers.bandwidth != nil)
        #expect(loaded.warnings.map(\.description) == [
            "textback.yaml:18:3: warning: carriers.bandwidth has no callback_username and callback_password: Bandwidth's callbacks (replies, STOP, delivery receipts, calls) will be refused; set the same HTTP Basic credentials here and on the Bandwidth application",
        ])
    }

    @Test(arguments: [
        (", callback_username: textback, callback_password: hunter2",
         "textback.yaml:18:156: error: carriers.bandwidth.callback_password must not be written in the file; write secrets as env:NAME (e.g. callback_password: env:BANDWIDTH_CALLBACK_PASSWORD) and set NAME in the environment"),
        (", callback_username: textback",
         "textback.yaml:18:127: error: carriers.bandwidth.callback_username needs callback_password too, e.g. callback_password: env:BANDWIDTH_CALLBACK_PASSWORD"),
        (", callback_password: env:BW_CALLBACK_PASSWORD",
         "textback.yaml:18:127: error: carriers.bandwidth.callback_password needs callback_username too, e.g. callback_username: textback"),
    ])
    func bandwidthCallbackMistakes(extra: String, expected: String) {
        #expect(F.errors(Self.bandwidthSection(extra), environment: Self.bandwidthEnvironment) == [expected])
    }

    @Test func aBandwidthNumberNeedsAnApplication() {
        #expect(F.errors(Self.bandwidthSection("", application: ""), environment: Self.bandwidthEnvironment) == [
            "textback.yaml:18:3: error: carriers.bandwidth.application_id is required: Bandwidth refuses a message without the id of the application its number belongs to, e.g. application_id: 93de2206-9669-4e07-948d-329f4b722ee2",
        ])
    }

    static let telnyx = numbers("  - {number: \"+15125550100\", carrier: telnyx}")

    @Test(arguments: [
        ("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", false),
        ("MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", false),
        ("MCowBQYDK2VwAyEA", true),
        ("not-a-key", true),
    ])
    func theTelnyxKeyIsChecked(key: String, warned: Bool) throws {
        let yaml = Self.telnyx + "\ncarriers:\n  telnyx: {api_key: env:TELNYX_API_KEY, public_key: \"\(key)\"}"
        let loaded = try ConfigurationLoader.load(yaml: yaml, fileName: "textback.yaml", environment: ["TELNYX_API_KEY": "KEY"])
        #expect(loaded.carriers.telnyx?.publicKey == key)
        #expect(loaded.warnings.map(\.description) == (warned ? [
            "textback.yaml:18:53: warning: carriers.telnyx.public_key is not an Ed25519 public key (base64 of 32 bytes, as the Telnyx portal shows it); every Telnyx webhook will be refused until it is",
        ] : []))
    }
}
