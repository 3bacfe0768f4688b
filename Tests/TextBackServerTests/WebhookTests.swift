// Provider webhooks through the router: Twilio's signed form posts and Thoughtly's JSON.

import Foundation
import HTTPTypes
import Testing
import TextBackProviders
import TextBackConfig
import TextBackCore

let twilioYAML = ConfigurationLoader.demoYAML + """

    carriers:
      twilio: {account_sid: "env:TWILIO_ACCOUNT_SID", auth_token: "env:TWILIO_AUTH_TOKEN"}
    integrations:
      thoughtly: {webhook_token: "env:THOUGHTLY_TOKEN"}

    """

func twilioConfiguration() throws -> TextBackConfiguration {
    try ConfigurationLoader.load(yaml: twilioYAML, fileName: "twilio.yaml",
                                 environment: ["TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "12345", "THOUGHTLY_TOKEN": "th-secret"])
}

func signedForm(_ params: [(String, String)], url: String, token: String = "12345") -> (String, HTTPFields) {
    let signature = TwilioSignature.compute(authToken: token, url: url, parameters: params.map { (name: $0.0, value: $0.1) })
    var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    headers[HTTPField.Name("X-Twilio-Signature")!] = signature
    return (FormEncoding.encode(params), headers)
}

@Suite struct WebhookTests {
    static let dialAction: [(String, String)] = [
        ("AccountSid", "AC123"), ("CallSid", "CA0001"), ("CallStatus", "in-progress"), ("DialCallStatus", "no-answer"),
        ("Direction", "inbound"), ("From", "+14155550123"), ("To", "+15125550100"), ("DialCallDuration", "0"),
    ]

    @Test func signedTwilioDialActionIsIngestedAndTexts() async throws {
        let harness = try await Harness(configuration: try twilioConfiguration(), publicURL: "https://textback.example.com")
        let (body, headers) = signedForm(Self.dialAction, url: "https://textback.example.com/webhooks/twilio/voice")
        try await harness.test { client in
            let result = try await client.call("/webhooks/twilio/voice", .post, raw: body, headers: headers, auth: false)
            #expect(result.status == .ok)
            #expect(result.body.contains("<Response>"))
            try await harness.advance(0)
            try await harness.advance(120)
            #expect(try await client.outbox().count == 1)
        }
    }

    @Test func aChangedParameterIsRefusedAndNothingIsStored() async throws {
        let harness = try await Harness(configuration: try twilioConfiguration(), publicURL: "https://textback.example.com")
        let (body, headers) = signedForm(Self.dialAction, url: "https://textback.example.com/webhooks/twilio/voice")
        let tampered = body.replacingOccurrences(of: "no-answer", with: "busy")
        try await harness.test { client in
            let result = try await client.call("/webhooks/twilio/voice", .post, raw: tampered, headers: headers, auth: false)
            #expect(result.status == .forbidden)
            #expect(result.headers[.contentType] == "application/problem+json")
            var unsigned = headers
            unsigned[HTTPField.Name("X-Twilio-Signature")!] = nil
            #expect(try await client.call("/webhooks/twilio/voice", .post, raw: body, headers: unsigned, auth: false).status == .forbidden)
        }
        #expect(try await harness.store.contact(phone: .init(parsing: "+14155550123"), business: .default) == nil)
        #expect(try await harness.store.pendingJobs(limit: 10_000).isEmpty)
    }

    @Test func twilioRetriesAndLateStatusesChangeNothing() async throws {
        let harness = try await Harness(configuration: try twilioConfiguration(), publicURL: "https://textback.example.com")
        let url = "https://textback.example.com/webhooks/twilio/voice"
        let (body, headers) = signedForm(Self.dialAction, url: url)
        let ringing = Self.dialAction.filter { $0.0 != "DialCallStatus" }.map { $0.0 == "CallStatus" ? ($0.0, "ringing") : $0 }
        let (lateBody, lateHeaders) = signedForm(ringing, url: url)
        try await harness.test { client in
            #expect(try await client.call("/webhooks/twilio/voice", .post, raw: body, headers: headers, auth: false).status == .ok)
            #expect(try await client.call("/webhooks/twilio/voice", .post, raw: body, headers: headers, auth: false).status == .ok)
            #expect(try await client.call("/webhooks/twilio/voice", .post, raw: lateBody, headers: lateHeaders, auth: false).status == .ok)
            try await harness.advance(0)
            try await harness.advance(600)
            #expect(try await client.outbox().count == 1)
            let calls = try await client.timeline("+14155550123").filter { $0["type"] as? String == "call" }
            #expect(calls.count == 1)
            #expect(calls.first?["outcome"] as? String == "no_answer")
        }
    }

    @Test func forwardingLegsAreAcknowledgedButNeverText() async throws {
        let harness = try await Harness(configuration: try twilioConfiguration(), publicURL: "https://textback.example.com")
        let leg: [(String, String)] = [("CallSid", "CA0002"), ("CallStatus", "no-answer"), ("Direction", "outbound-dial"),
                                       ("From", "+15125550100"), ("To", "+14155550999")]
        let (body, headers) = signedForm(leg, url: "https://textback.example.com/webhooks/twilio/voice")
        try await harness.test { client in
            #expect(try await client.call("/webhooks/twilio/voice", .post, raw: body, headers: headers, auth: false).status == .ok)
            try await harness.advance(0)
            try await harness.advance(600)
            #expect(try await client.outbox().isEmpty)
        }
        #expect(try await harness.store.contact(phone: .init(parsing: "+14155550999"), business: .default) == nil)
    }

    @Test func twilioInboundStopIsHonouredWithoutASecondConfirmation() async throws {
        let harness = try await Harness(configuration: try twilioConfiguration(), publicURL: "https://textback.example.com")
        let sms: [(String, String)] = [("MessageSid", "SM0001"), ("From", "+14155550123"), ("To", "+15125550100"),
                                       ("Body", "STOP"), ("OptOutType", "STOP"), ("AccountSid", "AC123")]
        let (body, headers) = signedForm(sms, url: "https://textback.example.com/webhooks/twilio/sms")
        try await harness.test { client in
            #expect(try await client.call("/webhooks/twilio/sms", .post, raw: body, headers: headers, auth: false).status == .ok)
            // Twilio retries the same MessageSid: still one suppression, no confirmation from us (Twilio sent its own).
            #expect(try await client.call("/webhooks/twilio/sms", .post, raw: body, headers: headers, auth: false).status == .ok)
            try await harness.advance(0)
            #expect(try await client.outbox().isEmpty)
            let suppressions = try await client.call("/v1/suppressions").json["suppressions"] as? [[String: Any]] ?? []
            #expect(suppressions.count == 1)
            #expect(suppressions.first?["reason"] as? String == "opt_out")
            let inbound = try await client.timeline("+14155550123").filter { $0["type"] as? String == "message" }
            #expect(inbound.count == 1)
        }
    }

    @Test func twilioWebhookWithoutConfiguredTokenIsRefused() async throws {
        let harness = try await Harness()
        let (body, headers) = signedForm(Self.dialAction, url: "http://localhost/webhooks/twilio/voice")
        try await harness.test { client in
            let result = try await client.call("/webhooks/twilio/voice", .post, raw: body, headers: headers, auth: false)
            #expect(result.status == .forbidden)
        }
    }

    @Test func thoughtlyNoAnswerIsIngestedAsAnOutboundMissedCall() async throws {
        let harness = try await Harness(configuration: try twilioConfiguration())
        let payload: [String: any Sendable] = [
            "id": "th-77", "status": "NO_ANSWER", "duration_ms": "0", "phone_number": "+15125550100",
            "contact": ["phone_number": "(415) 555-0123", "name": "Dana Reyes", "attributes": ["lead_source": "ads"], "tags": ["hot"]] as [String: any Sendable],
            "start_time": "2026-03-03T18:00:00Z", "end_time": "2026-03-03T18:00:30Z", "transcript": "", "metadata": ["service": "roof repair"],
        ]
        try await harness.test { client in
            let refused = try await client.call("/webhooks/thoughtly", .post, json: payload, auth: false)
            #expect(refused.status == .forbidden)
            let result = try await client.call("/webhooks/thoughtly", .post, json: payload, headers: [HTTPField.Name("X-Webhook-Token")!: "th-secret"], auth: false)
            #expect(result.status == .accepted)
            try await harness.advance(0)
            try await harness.advance(180)
            let outbox = try await client.outbox()
            #expect(outbox.count == 1)
            #expect((outbox.first?["body"] as? String)?.contains("roof repair") == true)
            #expect(outbox.first?["to"] as? String == "+14155550123")
        }
    }
}
