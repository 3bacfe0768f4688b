// The Twilio carrier against its fake: the exact request, each kind of refusal, a hang, and
// reconciliation, including a text still in Twilio's queue.

import Foundation
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
@testable import TextBackProviders

@Suite struct TwilioClientTests {
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let token = "twilio-auth-token"

    func carrier(_ fake: FakeTwilio, token: String = token, timeout: Duration = Fixture.deadline) -> TwilioCarrier {
        TwilioCarrier(settings: CarrierSettings.Twilio(accountSID: Self.sid, authToken: Fixture.secret(token), baseURL: fake.baseURL),
                      transport: Fixture.transport, timeout: timeout)
    }

    func run(_ body: (FakeTwilio) async throws -> Void) async throws {
        try await FakeTwilio.run(accountSID: Self.sid, authToken: Self.token, body)
    }

    @Test func aTextGoesOutAsTwilioDocumentsIt() async throws {
        try await run { fake in
            let receipt = try await carrier(fake).submit(Fixture.sms(), now: Date())
            let request = try #require(fake.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/2010-04-01/Accounts/\(Self.sid)/Messages.json")
            #expect(request.header("authorization") == "Basic " + Data("\(Self.sid):\(Self.token)".utf8).base64EncodedString())
            #expect(request.header("content-type") == "application/x-www-form-urlencoded")
            #expect(request.form == [
                "To": "+14155550123", "From": "+15125550100", "Body": Fixture.body,
                "StatusCallback": "https://textback.example.com/webhooks/twilio/status?message_id=msg_42",
            ])
            #expect(receipt.carrierMessageID == fake.messages.first?.id)
            #expect(receipt.carrierMessageID.hasPrefix("SM"))
            #expect(receipt.carrierStatus == "queued")
            #expect(receipt.segments == 1)
        }
    }

    @Test func theRequestBuilderIsPure() {
        let request = TwilioRequest.send(Fixture.sms(callback: nil), accountSID: "AC1", authToken: "t")
        #expect(request.method == .POST)
        #expect(request.path == "/2010-04-01/Accounts/AC1/Messages.json")
        #expect(String(decoding: request.body ?? Data(), as: UTF8.self).hasPrefix("To=%2B14155550123&From=%2B15125550100&Body=Hey+Dana%2C"))
        #expect(request.header("Authorization") == "Basic QUMxOnQ=")
    }

    @Test(arguments: [
        ("21211", "permanent"), ("21614", "permanent"), ("30034", "permanent"),
        ("21610", "recipientOptedOut"), ("20003", "authenticationFailed"),
    ])
    func codedRefusalsAreClassified(code: String, kind: String) async throws {
        try await run { fake in
            fake.script(.refuse(code: code))
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(Fixture.sms(), now: Date()) }
            #expect(failure?.kind == kind)
            #expect(failure?.isTransient == false)
            #expect(failure?.detail?.code == code)
            #expect(failure?.detail?.meaning == TwilioErrorCode(code: code).meaning)
            // Twilio's own message quotes the number; ours never does.
            #expect(!String(describing: failure).contains("4155550123"))
        }
    }

    @Test func wrongCredentialsStopTheCarrier() async throws {
        try await run { fake in
            let failure = await failure { () async throws(CarrierFailure) in
                try await carrier(fake, token: "wrong").submit(Fixture.sms(), now: Date())
            }
            guard case .authenticationFailed(let detail)? = failure else { Issue.record("got \(String(describing: failure))"); return }
            #expect(detail.code == "20003")
            #expect(detail.httpStatus == 401)
            // The coarse vocabulary keeps the text for later rather than failing it.
            if case .transient = failure?.carrierError {} else { Issue.record("expected transient, got \(String(describing: failure?.carrierError))") }
        }
    }

    @Test func rateLimitingCarriesTheDelay() async throws {
        try await run { fake in
            fake.script(.rateLimited(retryAfterSeconds: 7))
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(Fixture.sms(), now: Date()) }
            #expect(failure?.isTransient == true)
            #expect(failure?.retryAfter == .seconds(7))
            #expect(failure?.detail?.code == "20429")
            #expect(fake.messages.isEmpty)
        }
    }

    @Test func aServerErrorIsTransient() async throws {
        try await run { fake in
            fake.script(.serverError)
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(Fixture.sms(), now: Date()) }
            #expect(failure?.isTransient == true)
            #expect(failure?.retryAfter == nil)
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
            if case .ambiguous = failure?.carrierError {} else { Issue.record("the coarse error must stay ambiguous") }
        }
    }

    @Test func reconciliationFindsTheAcceptedTextAndNotAnother() async throws {
        try await run { fake in
            let attempt = Date()
            try await Fixture.warmUp(fake.baseURL)
            fake.script(.hang)
            _ = await failure { () async throws(CarrierFailure) in
                try await carrier(fake, timeout: Fixture.hangDeadline).submit(Fixture.sms(), now: attempt)
            }
            let found = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: attempt, now: Date()))
            guard case .accepted(let receipt) = found else { Issue.record("got \(found)"); return }
            #expect(receipt.carrierMessageID == fake.messages.first?.id)
            // The first question is the documented one: To, From and DateSent.
            let query = try #require(fake.requests(to: .query).first?.query)
            #expect(query["To"] == "+14155550123")
            #expect(query["From"] == "+15125550100")
            #expect(query["DateSent>"] != nil)

            let missing = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(to: Fixture.other), attemptedAt: attempt, now: Date()))
            #expect(missing == .notFound)
            let otherBody = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(body: "Another text"), attemptedAt: attempt, now: Date()))
            #expect(otherBody == .notFound)
        }
    }

    @Test func aTextStillInTwilioQueueIsFoundWithoutDateSent() async throws {
        try await run { fake in
            fake.holdInQueue(true)
            let receipt = try await carrier(fake).submit(Fixture.sms(), now: Date())
            let found = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: Date(), now: Date()))
            guard case .accepted(let reconciled) = found else { Issue.record("got \(found)"); return }
            #expect(reconciled.carrierMessageID == receipt.carrierMessageID)
            #expect(reconciled.carrierStatus == "queued")
            // The DateSent question missed it; the second one, without a date, found it.
            #expect(fake.requests(to: .query).count == 2)
            #expect(fake.requests(to: .query).last?.query["DateSent>"] == nil)
        }
    }

    @Test func theSameBodySentDaysAgoIsNotThisText() async throws {
        try await run { fake in
            let old = Date().addingTimeInterval(-3 * 86400)
            fake.add(FakeMessage(id: "SMold", from: "+15125550100", to: "+14155550123", body: Fixture.body, status: "delivered",
                                 createdAt: old, sentAt: old))
            let result = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: Date(), now: Date()))
            #expect(result == .notFound)
        }
    }

    @Test func aListThatDoesNotFitOnePageCannotProveAbsence() async throws {
        try await run { fake in
            let now = Date()
            for index in 0..<60 {
                fake.add(FakeMessage(id: "SM\(index)", from: "+15125550100", to: "+14155550123", body: "text \(index)",
                                     status: "delivered", createdAt: now, sentAt: now))
            }
            let result = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: now, now: now))
            if case .cannotTell = result {} else { Issue.record("got \(result)") }
        }
    }

    @Test func aFailedQueryCannotTell() async throws {
        try await run { fake in
            fake.script(.serverError, for: .query)
            let result = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: Date(), now: Date()))
            if case .cannotTell = result {} else { Issue.record("got \(result)") }
        }
    }

    @Test(arguments: [("mobile", LineType.mobile), ("landline", .landline), ("fixedVoip", .voip), ("nonFixedVoip", .voip),
                      ("tollFree", .unknown), ("unknown", .unknown)])
    func lookupReportsTheLineType(twilioType: String, expected: LineType) async throws {
        try await run { fake in
            fake.setLineType(twilioType, for: "+14155550123")
            let lookup = TwilioLookupClient(
                settings: CarrierSettings.Twilio(accountSID: Self.sid, authToken: Fixture.secret(Self.token), lookupBaseURL: fake.baseURL),
                transport: Fixture.transport, timeout: Fixture.deadline)
            #expect(try await lookup.lineType(of: Fixture.contact, now: Date()) == expected)
            let request = try #require(fake.requests(to: .lookup).first)
            #expect(request.path == "/v2/PhoneNumbers/%2B14155550123")
            #expect(request.query == ["Fields": "line_type_intelligence"])
        }
    }
}
