// The edge: authentication, problem documents, and that a refused request stores nothing.

import Foundation
import HTTPTypes
import Testing
import TextBackProviders
import TextBackConfig

@Suite struct APISafetyTests {
    @Test func v1RequiresTheBearerToken() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let missing = try await client.call("/v1/simulator/outbox", auth: false)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(missing.json["status"] as? Int == 401)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            let lowercase = try await client.call("/v1/simulator/outbox", headers: [.authorization: "bearer \(apiToken)"], auth: false)
            #expect(lowercase.status == .ok)
            let wrong = try await client.call("/v1/simulator/outbox", headers: [.authorization: "Bearer nope"], auth: false)
            #expect(wrong.status == .unauthorized)
            let refused = try await client.call("/v1/events/call-completed", .post, json: callEvent(), auth: false)
            #expect(refused.status == .unauthorized)
            #expect(try await harness.store.contact(phone: .init(parsing: "+14155550123"), business: .default) == nil)
        }
    }

    /// OpenAPI's maxLength counts code points, so the server does too: 60 letters each with a combining
    /// accent are 60 characters to Swift but 120 code points, over the id's 100 (found by schemathesis).
    @Test func anIDOverItsLengthInCodePointsIsA400SignedInOrNot() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let id = String(repeating: "e\u{301}", count: 60).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
            let api = try await client.call("/v1/conversations/\(id)")
            #expect(api.status == .badRequest)
            #expect(api.json["field"] as? String == "id")
            let page = try await client.call("/conversations/\(id)", auth: false)
            #expect(page.status == .badRequest)
            let short = String(repeating: "e\u{301}", count: 50).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
            #expect(try await client.call("/v1/conversations/\(short)").status == .notFound)
        }
    }

    @Test func malformedJSONIsA400AndStoresNothing() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let result = try await client.call("/v1/events/call-completed", .post, raw: "{\"call_id\": ", headers: [.contentType: "application/json"])
            #expect(result.status == .badRequest)
            #expect(result.headers[.contentType] == "application/problem+json")
            #expect((result.json["detail"] as? String)?.contains("malformed JSON") == true)
        }
    }

    @Test(arguments: ["call_id", "direction", "outcome", "from", "to"])
    func aMissingFieldIsNamed(field: String) async throws {
        let harness = try await Harness()
        var event = callEvent()
        event.removeValue(forKey: field)
        try await harness.test { [event] client in
            let result = try await client.postCall(event)
            #expect(result.status == .badRequest)
            #expect(result.json["field"] as? String == field)
            #expect((result.json["detail"] as? String)?.contains("'\(field)'") == true)
        }
        #expect(try await harness.store.pendingJobs(limit: 10_000).isEmpty)
    }

    /// A number we cannot text is still a missed call: it is stored and the timeline says why no text
    /// goes out, instead of a 400 that loses the call.
    @Test(arguments: [
        ("911-555-0123", "9115550123", "invalid_number"),
        ("Anonymous", "anonymous", "caller_id_withheld"),
        ("+44 20 7946 0000", "+442079460000", "international_number"),
    ])
    func aCallerWeCannotTextIsKeptWithTheReason(raw: String, stored: String, reason: String) async throws {
        let harness = try await Harness()
        var event = callEvent()
        event["from"] = raw
        try await harness.test { [event] client in
            let result = try await client.postCall(event)
            #expect(result.status == .accepted)
            #expect(result.json["runs_started"] as? Int == 0)
            let entries = try await client.timeline(stored.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? stored)
            #expect(entries.first?["type"] as? String == "call")
            let skip = entries.first { $0["type"] as? String == "decision" }
            #expect(skip?["action"] as? String == "skip")
            #expect(skip?["reasons"] as? [String] == [reason])
        }
        #expect(try await harness.store.pendingJobs(limit: 10_000).isEmpty)
    }

    @Test func anN11ExchangeIsAValidNumberAndGetsItsText() async throws {
        let harness = try await Harness()
        var event = callEvent()
        event["from"] = "+1 813 211 8852"
        try await harness.test { [event] client in
            #expect(try await client.postCall(event).json["runs_started"] as? Int == 1)
            try await harness.advance(120)
            #expect(try await client.outbox().first?["to"] as? String == "+18132118852")
        }
    }

    @Test func anOversizedBodyIs413() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let big = String(repeating: "x", count: 2 << 20)
            let result = try await client.call("/v1/events/call-completed", .post, raw: "{\"call_id\":\"\(big)\"}",
                                               headers: [.contentType: "application/json"])
            #expect(result.status == .contentTooLarge)
            #expect(result.headers[.contentType] == "application/problem+json")
        }
        #expect(try await harness.store.pendingJobs(limit: 10_000).isEmpty)
    }

    @Test func unknownRoutesAreProblemDocuments() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let result = try await client.call("/v1/contacts/+14155550123")
            #expect(result.status == .notFound)
            #expect(result.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func theOpenAPIDocumentIsServedAndNamesEveryRoute() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let result = try await client.call("/openapi.yaml", auth: false)
            #expect(result.status == .ok)
            for path in ["/v1/events/call-completed", "/webhooks/twilio/voice", "/v1/contacts/{phone}/timeline", "/v1/suppressions", "/v1/consents", "/v1/simulator/outbox"] {
                #expect(result.body.contains("  \(path):"), "\(path)")
            }
        }
    }

    @Test func anUnknownRouteIsAProblemDocument() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let result = try await client.call("/nowhere", auth: false)
            #expect(result.status == .notFound)
            #expect(result.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func healthz() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let result = try await client.call("/healthz", auth: false)
            #expect(result.status == .ok)
            #expect(result.json["status"] as? String == "ok")
        }
    }
}
