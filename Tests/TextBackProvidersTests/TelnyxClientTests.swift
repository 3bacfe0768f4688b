// The Telnyx carrier against its fake: the exact request, refusals (a STOP block answered with 403
// is an opt-out, not bad credentials), 429, 500, a hang, reconciliation by id, number lookup.

import Foundation
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
@testable import TextBackProviders

@Suite struct TelnyxClientTests {
    static let apiKey = "KEY0123456789ABCDEF"

    func carrier(_ fake: FakeTelnyx, apiKey: String = apiKey, timeout: Duration = Fixture.deadline) -> TelnyxCarrier {
        TelnyxCarrier(settings: CarrierSettings.Telnyx(apiKey: Fixture.secret(apiKey), publicKey: "", baseURL: fake.baseURL),
                      transport: Fixture.transport, timeout: timeout)
    }

    func run(_ body: (FakeTelnyx) async throws -> Void) async throws {
        try await FakeTelnyx.run(apiKey: Self.apiKey, body)
    }

    static let webhookURL = URL(string: "https://textback.example.com/webhooks/telnyx?message_id=msg_42")

    @Test func aTextGoesOutAsTelnyxDocumentsIt() async throws {
        try await run { fake in
            let receipt = try await carrier(fake).submit(Fixture.sms(callback: Self.webhookURL), now: Date())
            let request = try #require(fake.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/v2/messages")
            #expect(request.header("authorization") == "Bearer \(Self.apiKey)")
            #expect(request.header("content-type") == "application/json")
            let json = try #require(request.jsonObject())
            #expect(json as NSDictionary == [
                "from": "+15125550100", "to": "+14155550123", "text": Fixture.body,
                "webhook_url": "https://textback.example.com/webhooks/telnyx?message_id=msg_42",
            ] as NSDictionary)
            #expect(receipt.carrierMessageID == fake.messages.first?.id)
            #expect(receipt.carrierStatus == "queued")
            #expect(receipt.segments == 1)
        }
    }

    @Test(arguments: [
        ("40300", "recipientOptedOut", 403), ("40310", "permanent", 400), ("40010", "permanent", 400),
        ("10009", "authenticationFailed", 401), ("10010", "authenticationFailed", 403), ("40001", "permanent", 400),
    ])
    func codedRefusalsAreClassified(code: String, kind: String, status: Int) async throws {
        try await run { fake in
            fake.script(.refuse(code: code))
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(Fixture.sms(), now: Date()) }
            #expect(failure?.kind == kind)
            #expect(failure?.isTransient == false)
            #expect(failure?.detail?.code == code)
            #expect(failure?.detail?.httpStatus == status)
        }
    }

    @Test func aWrongKeyStopsTheCarrier() async throws {
        try await run { fake in
            let failure = await failure { () async throws(CarrierFailure) in
                try await carrier(fake, apiKey: "wrong").submit(Fixture.sms(), now: Date())
            }
            #expect(failure?.kind == "authenticationFailed")
            #expect(failure?.detail?.code == "10009")
        }
    }

    @Test func rateLimitingCarriesTheDelay() async throws {
        try await run { fake in
            fake.script(.rateLimited(retryAfterSeconds: 2))
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(Fixture.sms(), now: Date()) }
            #expect(failure?.isTransient == true)
            #expect(failure?.retryAfter == .seconds(2))
        }
    }

    @Test func aServerErrorIsTransient() async throws {
        try await run { fake in
            fake.script(.serverError)
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(Fixture.sms(), now: Date()) }
            #expect(failure?.isTransient == true)
        }
    }

    @Test func aHangAfterTheRequestArrivedIsAmbiguous() async throws {
        try await run { fake in
            try await Fixture.warmUp(fake.baseURL)
            fake.script(.hang)
            let failure = await failure { () async throws(CarrierFailure) in
                try await carrier(fake, timeout: Fixture.hangDeadline).submit(Fixture.sms(), now: Date())
            }
            #expect(failure?.kind == "ambiguous")
            #expect(fake.requests(to: .send).count == 1)
        }
    }

    @Test func reconciliationByIDFindsTheTextAndNotAnother() async throws {
        try await run { fake in
            try await Fixture.warmUp(fake.baseURL)
            fake.script(.hang)
            _ = await failure { () async throws(CarrierFailure) in
                try await carrier(fake, timeout: Fixture.hangDeadline).submit(Fixture.sms(), now: Date())
            }
            let id = try #require(fake.messages.first?.id)
            // The id reached us another way (the message.sent webhook): Telnyx can be asked.
            let found = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: Date(), carrierMessageID: id, now: Date()))
            guard case .accepted(let receipt) = found else { Issue.record("got \(found)"); return }
            #expect(receipt.carrierMessageID == id)
            #expect(fake.requests(to: .query).first?.path == "/v2/messages/\(id)")
            let missing = await carrier(fake).reconcile(ReconciliationQuery(
                sms: Fixture.sms(), attemptedAt: Date(), carrierMessageID: "40385f64-0000-0000-0000-000000000000", now: Date()))
            #expect(missing == .notFound)
        }
    }

    @Test func withoutAnIDTelnyxCannotTell() async throws {
        try await run { fake in
            let result = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: Date(), now: Date()))
            if case .cannotTell = result {} else { Issue.record("got \(result)") }
            #expect(fake.requests.isEmpty)
        }
    }

    @Test(arguments: [("mobile", LineType.mobile), ("fixed line", .landline), ("voip", .voip), ("toll free", .unknown),
                      ("fixed line or mobile", .unknown)])
    func lookupReportsTheLineType(telnyxType: String, expected: LineType) async throws {
        try await run { fake in
            fake.setLineType(telnyxType, for: "+14155550123")
            let lookup = TelnyxLookupClient(settings: CarrierSettings.Telnyx(apiKey: Fixture.secret(Self.apiKey), publicKey: "", baseURL: fake.baseURL),
                                            transport: Fixture.transport, timeout: Fixture.deadline)
            #expect(try await lookup.lineType(of: Fixture.contact, now: Date()) == expected)
            let request = try #require(fake.requests(to: .lookup).first)
            #expect(request.path == "/v2/number_lookup/%2B14155550123")
            #expect(request.query == ["type": "carrier"])
        }
    }
}
