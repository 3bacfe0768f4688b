// Twilio's published signature example, and the normalization of its voice callbacks.

import Foundation
import Testing
import TextBackProviders
import TextBackCore

@Suite struct TwilioSignatureTests {
    // From Twilio's security documentation.
    static let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    static let params: [(name: String, value: String)] = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
        ("From", "+12349013030"), ("To", "+18005551212"),
    ]

    @Test func publishedVectorIsAccepted() throws {
        #expect(TwilioSignature.compute(authToken: "12345", url: Self.url, parameters: Self.params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        try TwilioSignature.verify(signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", authToken: "12345", url: Self.url, parameters: Self.params)
    }

    // twilio-python's RequestValidator tests: the same URL with and without the default port.
    static let pythonParams: [(name: String, value: String)] = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
        ("From", "+14158675309"), ("To", "+18005551212"),
    ]

    @Test(arguments: [
        ("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        ("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w="),
    ])
    func twilioPythonVectors(url: String, signature: String) throws {
        #expect(TwilioSignature.compute(authToken: "12345", url: url, parameters: Self.pythonParams) == signature)
        try TwilioSignature.verify(signature: signature, authToken: "12345", url: url, parameters: Self.pythonParams)
    }

    /// Twilio may have signed the URL with or without ":443"; the server sees one of them.
    @Test(arguments: [
        ("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w="),
        ("https://mycompany.com:443/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
    ])
    func eitherSpellingOfTheDefaultPortIsAccepted(url: String, signature: String) throws {
        try TwilioSignature.verify(signature: signature, authToken: "12345", url: url, parameters: Self.pythonParams)
    }

    @Test func anotherPortIsNotTheSameURL() {
        #expect(throws: WebhookError.self) {
            try TwilioSignature.verify(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authToken: "12345",
                                       url: "https://mycompany.com:8443/myapp.php?foo=1&bar=2", parameters: Self.pythonParams)
        }
    }

    @Test func parameterOrderDoesNotMatter() throws {
        try TwilioSignature.verify(signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", authToken: "12345", url: Self.url, parameters: Self.params.reversed())
    }

    @Test(arguments: [("Digits", "1235"), ("To", "+18005551213"), ("CallSid", "CA1234567890ABCDF")])
    func aChangedParameterIsRefused(name: String, value: String) {
        let changed = Self.params.map { $0.name == name ? (name: name, value: value) : $0 }
        #expect(throws: WebhookError.self) {
            try TwilioSignature.verify(signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", authToken: "12345", url: Self.url, parameters: changed)
        }
    }

    @Test func aChangedURLOrTokenIsRefused() {
        #expect(throws: WebhookError.self) {
            try TwilioSignature.verify(signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", authToken: "12345",
                                       url: "https://mycompany.com/myapp.php?foo=1&bar=3", parameters: Self.params)
        }
        #expect(throws: WebhookError.self) {
            try TwilioSignature.verify(signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", authToken: "54321", url: Self.url, parameters: Self.params)
        }
        #expect(throws: WebhookError.self) {
            try TwilioSignature.verify(signature: nil, authToken: "12345", url: Self.url, parameters: Self.params)
        }
    }

    static let base = ["CallSid": "CA1", "From": "+14155550123", "To": "+15125550100", "Direction": "inbound"]

    @Test(arguments: [
        (["CallStatus": "no-answer"], CallStage.ended, CallOutcome.noAnswer),
        (["CallStatus": "busy"], .ended, .busy),
        (["CallStatus": "failed"], .ended, .failed),
        (["CallStatus": "canceled"], .ended, .canceled),
        (["CallStatus": "completed"], .ended, .completed),
        (["CallStatus": "ringing"], .ringing, .unknown),
        (["CallStatus": "in-progress"], .inProgress, .unknown),
        (["CallStatus": "in-progress", "DialCallStatus": "no-answer"], .ended, .noAnswer),
        (["CallStatus": "in-progress", "DialCallStatus": "answered"], .ended, .completed),
        (["CallStatus": "completed", "AnsweredBy": "machine_end_beep"], .ended, .leftVoicemail),
        (["CallStatus": "completed", "AnsweredBy": "machine_start"], .ended, .noAnswer),
        (["CallStatus": "gone-fishing"], .ended, .unknown),
    ])
    func voiceStatusesNormalize(extra: [String: String], stage: CallStage, outcome: CallOutcome) throws {
        let form = Self.base.merging(extra) { _, new in new }
        let event = try TwilioVoice.callEvent(from: form, receivedAt: Date(timeIntervalSince1970: 0))
        #expect(event.stage == stage)
        #expect(event.outcome == outcome)
        #expect(event.contactPhone.e164 == "+14155550123")
    }

    @Test func outboundDirectionsMakeTheCalleeTheContact() throws {
        var form = Self.base
        form["Direction"] = "outbound-api"
        form["CallStatus"] = "no-answer"
        form["From"] = "+15125550100"
        form["To"] = "(415) 555-0123"
        let event = try TwilioVoice.callEvent(from: form, receivedAt: Date(timeIntervalSince1970: 0))
        #expect(event.direction == .outbound)
        #expect(event.contactPhone.e164 == "+14155550123")
        #expect(event.businessPhone.e164 == "+15125550100")
    }

    @Test func missingFieldsAreNamed() {
        #expect(throws: WebhookError.missingField("CallSid")) { try TwilioVoice.callEvent(from: ["From": "+14155550123"], receivedAt: Date()) }
        #expect(throws: WebhookError.missingField("CallStatus")) {
            try TwilioVoice.callEvent(from: ["CallSid": "CA1", "From": "+14155550123", "To": "+15125550100"], receivedAt: Date())
        }
    }
}
