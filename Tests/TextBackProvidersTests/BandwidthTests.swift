// Bandwidth: the carrier against its fake, the messaging and voice callbacks (HTTP Basic checked
// first), every receipt type and disconnect cause.

import Foundation
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
@testable import TextBackProviders

@Suite struct BandwidthClientTests {
    static let account = "9900000"
    static let user = "api-user"
    static let password = "api-password"
    static let application = "93de2206-9669-4e07-948d-329f4b722ee2"

    func carrier(_ fake: FakeBandwidth, password: String = password, account: String = account, timeout: Duration = Fixture.deadline) -> BandwidthCarrier {
        BandwidthCarrier(settings: CarrierSettings.Bandwidth(accountID: account, username: Self.user, password: Fixture.secret(password),
                                                             applicationID: Self.application, baseURL: fake.baseURL),
                         transport: Fixture.transport, timeout: timeout)
    }

    func run(_ body: (FakeBandwidth) async throws -> Void) async throws {
        try await FakeBandwidth.run(accountID: Self.account, username: Self.user, password: Self.password, applicationID: Self.application, body)
    }

    @Test func aTextGoesOutAsBandwidthDocumentsIt() async throws {
        try await run { fake in
            let receipt = try await carrier(fake).submit(Fixture.sms(callback: nil), now: Date())
            let request = try #require(fake.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/api/v2/users/9900000/messages")
            #expect(request.header("authorization") == "Basic " + Data("\(Self.user):\(Self.password)".utf8).base64EncodedString())
            #expect(request.header("content-type") == "application/json")
            let json = try #require(request.jsonObject())
            #expect(json as NSDictionary == [
                "from": "+15125550100", "to": ["+14155550123"], "text": Fixture.body, "applicationId": Self.application, "tag": "msg_42",
            ] as NSDictionary)
            #expect(receipt.carrierMessageID == fake.messages.first?.id)
            #expect(receipt.segments == 1)
        }
    }

    @Test func aRefusedRequestIsPermanentAndNeverQuotesTheNumber() async throws {
        try await run { fake in
            // A number Bandwidth will not take: its refusal quotes it in fieldErrors.
            let sms = OutgoingSMS(idempotencyKey: "k", from: Fixture.business, to: PhoneNumber(trustedE164: "+0123456789"), body: "Hi")
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(sms, now: Date()) }
            #expect(failure?.kind == "permanent")
            #expect(failure?.detail?.code == "request-validation")
            #expect(failure?.detail?.meaning == "the request was refused as invalid (fields: to)")
            #expect(!String(describing: failure).contains("0123456789"))
        }
    }

    @Test(arguments: [("request-validation", "permanent"), ("unauthorized", "authenticationFailed"), ("forbidden", "authenticationFailed")])
    func scriptedRefusalsAreClassified(type: String, kind: String) async throws {
        try await run { fake in
            fake.script(.refuse(code: type))
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(Fixture.sms(), now: Date()) }
            #expect(failure?.kind == kind)
            #expect(failure?.detail?.code == type)
        }
    }

    @Test func wrongCredentialsOrAccountStopTheCarrier() async throws {
        try await run { fake in
            let badPassword = await failure { () async throws(CarrierFailure) in
                try await carrier(fake, password: "nope").submit(Fixture.sms(), now: Date())
            }
            #expect(badPassword?.kind == "authenticationFailed")
            #expect(badPassword?.detail?.httpStatus == 401)
            let otherAccount = await failure { () async throws(CarrierFailure) in
                try await carrier(fake, account: "1234").submit(Fixture.sms(), now: Date())
            }
            #expect(otherAccount?.kind == "authenticationFailed")
            #expect(otherAccount?.detail?.httpStatus == 403)
        }
    }

    @Test func rateLimitingCarriesTheDelay() async throws {
        try await run { fake in
            fake.script(.rateLimited(retryAfterSeconds: 30))
            let failure = await failure { () async throws(CarrierFailure) in try await carrier(fake).submit(Fixture.sms(), now: Date()) }
            #expect(failure?.isTransient == true)
            #expect(failure?.retryAfter == .seconds(30))
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
            let query = try #require(fake.requests(to: .query).first?.query)
            #expect(query["sourceTn"] == "+15125550100")
            #expect(query["destinationTn"] == "+14155550123")
            #expect(query["messageDirection"] == "OUTBOUND")
            #expect(query["fromDateTime"] != nil && query["toDateTime"] != nil)

            let missing = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(to: Fixture.other), attemptedAt: attempt, now: Date()))
            #expect(missing == .notFound)
        }
    }

    @Test func anotherTextInTheWindowLeavesTheQuestionOpen() async throws {
        try await run { fake in
            _ = try await carrier(fake).submit(Fixture.sms(body: "Reply STOP to opt out."), now: Date())
            let result = await carrier(fake).reconcile(ReconciliationQuery(sms: Fixture.sms(), attemptedAt: Date(), now: Date()))
            if case .cannotTell = result {} else { Issue.record("got \(result)") }
        }
    }
}

@Suite struct BandwidthWebhookTests {
    static let now = Date(timeIntervalSince1970: 1_772_463_845)
    static let authorization = BasicAuth.header(username: "textback", password: "callback-secret")

    static func events(_ list: [[String: Any]]) -> Data { (try? JSONSerialization.data(withJSONObject: list)) ?? Data() }

    static func event(_ type: String, errorCode: Int? = nil, text: String = "Hi", tag: String? = "msg_42") -> [String: Any] {
        let outbound = type != "message-received"
        var message: [String: Any] = [
            "id": "1589228074636lm4k2je7j7jklbn2", "time": "2026-03-02T15:04:05.000Z",
            "to": [outbound ? "+14155550123" : "+15125550100"], "from": outbound ? "+15125550100" : "+14155550123",
            "text": text, "applicationId": "93de2206-9669-4e07-948d-329f4b722ee2",
            "owner": "+15125550100", "direction": outbound ? "out" : "in", "segmentCount": 1,
        ]
        message["tag"] = tag
        var event: [String: Any] = [
            "type": type, "time": "2026-03-02T15:05:05.000Z", "description": "ok",
            "to": outbound ? "+14155550123" : "+15125550100", "message": message,
        ]
        event["errorCode"] = errorCode
        return event
    }

    @Test func aReplyOfSTOPArrivesAsAnInboundText() throws {
        let events = try BandwidthWebhook.verifiedMessagingEvents(
            body: Self.events([Self.event("message-received", text: "STOP")]), authorization: Self.authorization,
            username: "textback", password: "callback-secret", receivedAt: Self.now)
        let receivedAt = try #require(ISO8601Timestamp.parse("2026-03-02T15:05:05Z"))
        #expect(events == [.inboundText(InboundSMS(
            from: Fixture.contact, to: Fixture.business, body: "STOP", carrier: "bandwidth", carrierMessageID: "1589228074636lm4k2je7j7jklbn2",
            carrierOptOutKeyword: nil, receivedAt: receivedAt))])
    }

    @Test(arguments: [
        ("message-delivered", Int?.none, DeliveryReceipt.Status?.some(.delivered)),
        ("message-failed", 4720, .undelivered), ("message-failed", 4775, .undelivered), ("message-failed", 4432, .failed),
        ("message-failed", 5100, .failed), ("message-failed", 5620, .undelivered), ("message-failed", 9902, .sent),
        ("message-failed", 9999, .undelivered), ("message-sending", nil, nil),
    ])
    func everyReceiptType(type: String, errorCode: Int?, expected: DeliveryReceipt.Status?) throws {
        let events = try BandwidthWebhook.messagingEvents(from: Self.events([Self.event(type, errorCode: errorCode)]), receivedAt: Self.now)
        let event = try #require(events.first)
        guard let expected else { #expect(event.isIgnored); return }
        let receipt = try #require(event.receipt)
        #expect(receipt.status == expected)
        #expect(receipt.messageID == "msg_42")
        #expect(receipt.carrierMessageID == "1589228074636lm4k2je7j7jklbn2")
        #expect(receipt.error?.code == errorCode.map(String.init))
    }

    @Test func anOptOutReceiptSaysSo() throws {
        let events = try BandwidthWebhook.messagingEvents(from: Self.events([Self.event("message-failed", errorCode: 4775)]), receivedAt: Self.now)
        #expect(events.first?.receipt?.error?.errorClass == .recipientOptedOut)
    }

    @Test func aBatchIsReadWhole() throws {
        let events = try BandwidthWebhook.messagingEvents(
            from: Self.events([Self.event("message-delivered"), Self.event("message-received", text: "yes")]), receivedAt: Self.now)
        #expect(events.count == 2)
        #expect(events[1].inbound?.body == "yes")
    }

    @Test(arguments: [
        (String?.none, "textback", "callback-secret"),
        (BasicAuth.header(username: "textback", password: "guess"), "textback", "callback-secret"),
        (BasicAuth.header(username: "someone", password: "callback-secret"), "textback", "callback-secret"),
        ("Bearer callback-secret", "textback", "callback-secret"),
        ("Basic !!!", "textback", "callback-secret"),
    ])
    func wrongOrMissingCredentialsAreRefused(authorization: String?, username: String, password: String) {
        #expect(throws: WebhookError.self) {
            try BandwidthWebhook.verifiedMessagingEvents(body: Self.events([Self.event("message-received")]), authorization: authorization,
                                                         username: username, password: password, receivedAt: Self.now)
        }
        #expect(throws: WebhookError.self) {
            try BandwidthWebhook.verifiedVoiceEvent(body: Data("{}".utf8), authorization: authorization,
                                                    username: username, password: password, receivedAt: Self.now)
        }
    }

    @Test func withoutConfiguredCredentialsEverythingIsRefused() {
        #expect(throws: WebhookError.notConfigured(
            "Bandwidth callbacks are not configured on this server: set carriers.bandwidth.callback_username and callback_password")) {
            try BandwidthWebhook.verifiedMessagingEvents(body: Data("[]".utf8), authorization: Self.authorization,
                                                         username: nil, password: nil, receivedAt: Self.now)
        }
    }

    @Test func theCredentialsAreCheckedBeforeTheBodyIsRead() {
        #expect(throws: WebhookError.badSignature("missing HTTP Basic Authorization header")) {
            try BandwidthWebhook.verifiedMessagingEvents(body: Data("not json".utf8), authorization: nil,
                                                         username: "textback", password: "callback-secret", receivedAt: Self.now)
        }
    }

    static func disconnect(cause: String, answered: Bool, direction: String = "inbound") -> Data {
        var event: [String: Any] = [
            "eventType": "disconnect", "eventTime": "2026-03-02T15:04:06.000Z", "accountId": "9900000",
            "applicationId": "04e88489-df02-4e34-a0ee-27a91849555f", "from": direction == "inbound" ? "+14155550123" : "+15125550100",
            "to": direction == "inbound" ? "+15125550100" : "+14155550123", "direction": direction,
            "callId": "c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85", "callUrl": "https://voice.bandwidth.com/api/v2/accounts/9900000/calls/c-1",
            "startTime": "2026-03-02T15:03:00.000Z", "endTime": "2026-03-02T15:04:05.000Z", "cause": cause,
        ]
        if answered { event["answerTime"] = "2026-03-02T15:03:05.000Z" }
        return (try? JSONSerialization.data(withJSONObject: event)) ?? Data()
    }

    @Test(arguments: [
        ("hangup", true, CallOutcome.completed), ("hangup", false, .canceled), ("timeout", false, .noAnswer), ("busy", false, .busy),
        ("cancel", false, .canceled), ("rejected", false, .busy), ("callback-error", false, .failed), ("invalid-bxml", true, .failed),
        ("application-error", true, .failed), ("account-limit", false, .failed), ("node-capacity-exceeded", false, .failed),
        ("error", false, .failed), ("unknown", false, .unknown), ("something-new", false, .unknown),
    ])
    func everyDisconnectCause(cause: String, answered: Bool, outcome: CallOutcome) throws {
        let call = try #require(try BandwidthWebhook.voiceEvent(from: Self.disconnect(cause: cause, answered: answered), receivedAt: Self.now).call)
        #expect(call.outcome == outcome)
        #expect(call.provider == "bandwidth")
        #expect(call.providerCallID == "c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85")
        #expect(call.direction == .inbound)
        #expect(call.contactPhone == Fixture.contact)
        #expect(call.durationSeconds == (answered ? 60 : 0))
    }

    @Test func anOutboundCallMakesTheCalleeTheContact() throws {
        let call = try #require(try BandwidthWebhook.voiceEvent(from: Self.disconnect(cause: "timeout", answered: false, direction: "outbound"),
                                                               receivedAt: Self.now).call)
        #expect(call.direction == .outbound)
        #expect(call.contactPhone == Fixture.contact)
    }

    @Test func aHiddenCallerIsStillACall() throws {
        var event = try #require(try JSONSerialization.jsonObject(with: Self.disconnect(cause: "cancel", answered: false)) as? [String: Any])
        event["from"] = "Anonymous"
        let call = try #require(try BandwidthWebhook.voiceEvent(from: try JSONSerialization.data(withJSONObject: event), receivedAt: Self.now).call)
        #expect(call.outcome == .canceled)
        #expect(call.contactPhone.reachability != .textable)
    }

    @Test func otherVoiceEventsAreAcknowledged() throws {
        #expect(try BandwidthWebhook.voiceEvent(from: Data(#"{"eventType":"initiate","callId":"c-1"}"#.utf8), receivedAt: Self.now).isIgnored)
    }
}
