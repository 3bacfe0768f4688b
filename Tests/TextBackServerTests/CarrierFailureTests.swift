// The same failures through each carrier: a permanent refusal is not retried, 429 and 500 are
// retried and the text goes out once, and a hang after the request arrived is settled by asking the
// carrier (Twilio by listing texts between the numbers, Bandwidth by its message list) or, where the
// carrier cannot be asked (Telnyx without its id), left `unknown` and never sent twice.

import Foundation
import Testing
import TextBackCarrierFakes
import TextBackCore
import TextBackStorage
import HummingbirdTesting

enum CarrierName: String, CaseIterable, Sendable { case twilio, telnyx, bandwidth }

/// One fake seen through what every test asks of it.
struct FakeUnderTest: Sendable {
    let number: String
    let permanentCode: String
    let script: @Sendable ([FakeReply]) -> Void
    let sends: @Sendable () -> Int
    let accepted: @Sendable () -> [FakeMessage]

    init(_ name: CarrierName, _ twilio: FakeTwilio, _ telnyx: FakeTelnyx, _ bandwidth: FakeBandwidth) {
        switch name {
        case .twilio:
            number = Carriers.twilioNumber; permanentCode = "21211"
            script = { replies in for reply in replies { twilio.script(reply) } }
            sends = { twilio.requests(to: .send).count }
            accepted = { twilio.messages }
        case .telnyx:
            number = Carriers.telnyxNumber; permanentCode = "40310"
            script = { replies in for reply in replies { telnyx.script(reply) } }
            sends = { telnyx.requests(to: .send).count }
            accepted = { telnyx.messages }
        case .bandwidth:
            number = Carriers.bandwidthNumber; permanentCode = "request-validation"
            script = { replies in for reply in replies { bandwidth.script(reply) } }
            sends = { bandwidth.requests(to: .send).count }
            accepted = { bandwidth.messages }
        }
    }
}

func withCarrier(_ name: CarrierName, timeout: Duration = .seconds(3),
                 _ body: (CarrierHarness, FakeUnderTest) async throws -> Void) async throws {
    let clock = VirtualClock(morning)
    try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
        let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                   bandwidth: bandwidth.baseURL), timeout: timeout)
        try await body(harness, FakeUnderTest(name, twilio, telnyx, bandwidth))
    }
}

@Suite(.serialized) struct CarrierFailureTests {
    @Test(arguments: CarrierName.allCases)
    func aPermanentRefusalIsRecordedWithItsCodeAndNotRetried(carrier: CarrierName) async throws {
        try await withCarrier(carrier) { harness, fake in
            fake.script([.refuse(code: fake.permanentCode)])
            try await harness.missedCall(to: fake.number)
            try await harness.advance(3600)
            #expect(fake.sends() == 1)
            #expect(fake.accepted().isEmpty)
            let message = try await harness.outbound().first
            #expect(message?.status == .failed)
            #expect(message?.errorCode == fake.permanentCode)
            #expect(message?.error?.contains("+1415") == false)
        }
    }

    @Test(arguments: CarrierName.allCases)
    func rateLimitedAndFailingRequestsAreRetriedAndSentOnce(carrier: CarrierName) async throws {
        try await withCarrier(carrier) { harness, fake in
            fake.script([.rateLimited(retryAfterSeconds: 3), .serverError])
            try await harness.missedCall(to: fake.number)
            #expect(fake.sends() == 1)
            #expect(try await harness.outbound().first?.status == .queued)
            for _ in 0..<30 { try await harness.advance(1) }
            #expect(fake.sends() == 3)
            try await harness.advance(3600)
            #expect(fake.sends() == 3)
            #expect(fake.accepted().count == 1)
            let message = try await harness.outbound().first
            #expect(message?.status == .sent)
            #expect(message?.carrierMessageID == fake.accepted().first?.id)
        }
    }

    @Test(arguments: CarrierName.allCases)
    func aHangAfterTheRequestArrivedIsNeverSentTwice(carrier: CarrierName) async throws {
        try await withCarrier(carrier, timeout: .seconds(2)) { harness, fake in
            fake.script([.hang])
            try await harness.missedCall(to: fake.number)
            try await harness.advance(3600)
            try await harness.advance(3600)
            #expect(fake.sends() == 1)
            #expect(fake.accepted().count == 1)
            let message = try await harness.outbound().first
            switch carrier {
            case .twilio, .bandwidth:
                // The carrier's list shows the text: it is recorded as sent, with the carrier's id.
                #expect(message?.status == .sent)
                #expect(message?.carrierMessageID == fake.accepted().first?.id)
            case .telnyx:
                // Telnyx can only be asked by its own id, which the lost answer carried: unknown, visible.
                #expect(message?.status == .unknown)
                let contact = try #require(try await harness.store.contact(phone: PhoneNumber(trustedE164: "+14155550123"), business: .default))
                let reasons = try await harness.store.timeline(contactID: contact.id, scope: .all).compactMap { entry -> [String]? in
                    if case .decision(let decision) = entry { return decision.reasons } else { return nil }
                }.flatMap { $0 }
                #expect(reasons.contains("ambiguous_outcome"))
            }
        }
    }
}

@Suite struct CarrierRoutesDocumentedTests {
    @Test func theOpenAPIDocumentNamesEveryCarrierRoute() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let result = try await client.call("/openapi.yaml", auth: false)
            #expect(result.status == .ok)
            for path in ["/webhooks/twilio/status", "/webhooks/telnyx", "/webhooks/bandwidth/messaging", "/webhooks/bandwidth/voice"] {
                #expect(result.body.contains("  \(path):"), "\(path)")
            }
            #expect(result.body.contains("error_code"))
            #expect(result.body.contains("carrier_message_id"))
        }
    }
}

@Suite(.serialized) struct UnknownThenReceiptTests {
    @Test func aTextLeftUnknownIsSettledByALaterReceiptAndNeverResent() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL), timeout: .seconds(2))
            telnyx.script(.hang)
            try await harness.missedCall(to: Carriers.telnyxNumber)
            let message = try #require(try await harness.outbound().first)
            #expect(message.status == .unknown)
            #expect(message.carrierMessageID == nil)
            let telnyxID = try #require(telnyx.messages.first?.id)
            let finalized: [String: Any] = [
                "data": ["event_type": "message.finalized", "id": "ev-late", "occurred_at": "2026-03-03T18:03:00Z",
                         "payload": ["id": telnyxID, "to": [["phone_number": "+14155550123", "status": "delivered"]],
                                     "from": ["phone_number": Carriers.telnyxNumber]] as [String: Any]] as [String: Any],
            ]
            let (body, headers) = try telnyxSigned(finalized, at: clock.now())
            try await harness.test { (client: any TestClientProtocol) async throws in
                #expect(try await client.call("/webhooks/telnyx?message_id=\(message.id.rawValue)", .post, raw: body, headers: headers,
                                              auth: false).status == .noContent)
            }
            let settled = try await harness.store.message(message.id, scope: .all)
            #expect(settled?.status == .delivered)
            #expect(settled?.carrierMessageID == telnyxID)
            try await harness.advance(3600)
            #expect(telnyx.requests(to: .send).count == 1)
        }
    }
}
