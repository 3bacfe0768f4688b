// The shared machinery: whether a failed request could have reached the carrier, the rules that
// classify a refusal, Retry-After, and the mapping down to the engine's current vocabulary.

import AsyncHTTPClient
import Foundation
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
@testable import TextBackProviders

@Suite struct TransportTests {
    @Test func aRefusedConnectionNeverSentTheRequest() async throws {
        // A port that was just listening and no longer is.
        let closed = try await FakeTwilio.run(accountSID: "AC1", authToken: "t") { fake in fake.baseURL }
        let request = TwilioRequest.send(Fixture.sms(), accountSID: "AC1", authToken: "t")
        let failure = await transportFailure { () async throws(TransportFailure) in
            try await Fixture.transport.perform(request, baseURL: closed.absoluteString, timeout: Fixture.hangDeadline)
        }
        guard case .notSent? = failure, let failure else { Issue.record("got \(String(describing: failure))"); return }
        #expect(FailureClassification.failure(failure).isTransient)
    }

    @Test func anAnswerTooLargeToReadMayHideAnAcceptedText() async throws {
        try await FakeTwilio.run(accountSID: "AC1", authToken: "t") { fake in
            let small = HTTPClientTransport(client: .shared, maxResponseBytes: 64)
            let failure = await transportFailure { () async throws(TransportFailure) in
                try await small.perform(TwilioRequest.send(Fixture.sms(), accountSID: "AC1", authToken: "t"),
                                        baseURL: fake.baseURL.absoluteString, timeout: Fixture.deadline)
            }
            guard case .mayHaveBeenSent? = failure, let failure else { Issue.record("got \(String(describing: failure))"); return }
            #expect(FailureClassification.failure(failure).kind == "ambiguous")
            #expect(fake.messages.count == 1)
        }
    }

    @Test func anUnusableBaseURLSendsNothing() async {
        let failure = await transportFailure { () async throws(TransportFailure) in
            try await Fixture.transport.perform(ProviderRequest(method: .GET, path: "/x"), baseURL: "not a url", timeout: Fixture.hangDeadline)
        }
        guard case .notSent? = failure else { Issue.record("got \(String(describing: failure))"); return }
    }

    static func detail(_ errorClass: CarrierErrorClass?) -> CarrierErrorDetail {
        CarrierErrorDetail(carrier: "test", code: "c", meaning: "m", errorClass: errorClass)
    }

    @Test(arguments: [
        (400, CarrierErrorClass?.some(.recipientOptedOut), "recipientOptedOut"),
        (403, .recipientOptedOut, "recipientOptedOut"),
        (401, .authentication, "authenticationFailed"),
        (400, .permanent, "permanent"),
        (400, .transient, "transient"),
        (401, nil, "authenticationFailed"),
        (403, nil, "authenticationFailed"),
        (429, nil, "transient"),
        (500, nil, "transient"),
        (502, nil, "transient"),
        (503, nil, "transient"),
        (504, nil, "ambiguous"),
        (400, nil, "permanent"),
        (302, nil, "unknown"),
    ])
    func refusalsAreClassified(status: Int, errorClass: CarrierErrorClass?, kind: String) {
        let failure = FailureClassification.failure(status: status, detail: Self.detail(errorClass), retryAfter: .seconds(3),
                                                    carrier: "test", requestID: "RQ1")
        #expect(failure.kind == kind)
        #expect(failure.detail?.httpStatus == (kind == "ambiguous" || kind == "unknown" ? nil : status))
        if kind == "transient" { #expect(failure.retryAfter == .seconds(3)) }
    }

    @Test func aRefusalWithoutACodeIsUnknownUnlessTheStatusSaysMore() {
        #expect(FailureClassification.failure(status: 400, detail: nil, retryAfter: nil, carrier: "t", requestID: nil).kind == "unknown")
        #expect(FailureClassification.failure(status: 401, detail: nil, retryAfter: nil, carrier: "t", requestID: nil).detail?.code == "http_401")
    }

    @Test(arguments: [
        ("7", Duration?.some(.seconds(7))), ("0", .seconds(0)), ("-3", nil), ("soon", nil), (" 12 ", .seconds(12)),
        ("Mon, 02 Mar 2026 15:04:35 GMT", .seconds(30)), ("Mon, 02 Mar 2026 15:03:05 GMT", .seconds(0)),
    ])
    func retryAfter(header: String, expected: Duration?) {
        let now = Date(timeIntervalSince1970: 1_772_463_845)  // 2026-03-02T15:04:05Z
        #expect(RetryAfter.parse(header, now: now) == expected)
    }

    @Test func theCoarseVocabularyKeepsWhatTheEngineMatches() {
        let optOut = CarrierErrorDetail(carrier: "twilio", code: "21610", meaning: "m", errorClass: .recipientOptedOut)
        #expect(CarrierFailure.recipientOptedOut(optOut).carrierError == .recipientOptedOut(code: "21610"))
        #expect(CarrierFailure.permanent(TwilioErrorCode.invalidToNumber.detail()).carrierError
            == .permanent(code: "21211", message: "invalid 'To' number"))
        #expect(CarrierFailure.ambiguous(reason: "r").carrierError == .ambiguous(message: "r"))
        #expect(CarrierFailure.unknown(reason: "r").carrierError == .unknown("r"))
        #expect(CarrierFailure.transient(reason: "r", retryAfter: .seconds(1), detail: nil).carrierError == .transient(message: "r"))
        #expect(CarrierFailure(.recipientOptedOut(code: "40300"), carrier: "telnyx").kind == "recipientOptedOut")
        #expect(CarrierFailure(.transient(message: "503"), carrier: "simulator").retryAfter == nil)
    }

    @Test func queryValuesAreEncodedStrictly() {
        let request = ProviderRequest(method: .GET, path: "/p", query: [.init("To", "+1 415"), .init("DateSent>", "2026-03-02")])
        #expect(request.url(relativeTo: "http://127.0.0.1:8080/") == "http://127.0.0.1:8080/p?To=%2B1%20415&DateSent%3E=2026-03-02")
    }

    @Test func basicAuthComparesBothParts() {
        let header = BasicAuth.header(username: "user", password: "pa:ss")
        #expect(BasicAuth.matches(header, username: "user", password: "pa:ss"))
        #expect(!BasicAuth.matches(header, username: "user", password: "pa:sS"))
        #expect(!BasicAuth.matches(header, username: "users", password: "pa:ss"))
        #expect(!BasicAuth.matches("basic", username: "user", password: "pa:ss"))
        #expect(!BasicAuth.matches(nil, username: "user", password: "pa:ss"))
    }
}

@Suite struct CarrierFactoryTests {
    @Test func eachConfiguredSectionBecomesACarrier() {
        let secret = Fixture.secret("s")
        let all = CarrierSettings(twilio: .init(accountSID: "AC1", authToken: secret), telnyx: .init(apiKey: secret, publicKey: ""),
                                  bandwidth: .init(accountID: "1", username: "u", password: secret, applicationID: "a"))
        #expect(CarrierFactory.carriers(all, transport: Fixture.transport).map(\.name) == ["twilio", "telnyx", "bandwidth"])
        #expect(CarrierFactory.lineTypeLookup(all, transport: Fixture.transport) is TwilioLookupClient)
        let telnyxOnly = CarrierSettings(telnyx: .init(apiKey: secret, publicKey: ""))
        #expect(CarrierFactory.lineTypeLookup(telnyxOnly, transport: Fixture.transport) is TelnyxLookupClient)
        #expect(CarrierFactory.carriers(CarrierSettings(), transport: Fixture.transport).isEmpty)
        #expect(CarrierFactory.lineTypeLookup(CarrierSettings(bandwidth: all.bandwidth), transport: Fixture.transport) == nil)
    }
}
