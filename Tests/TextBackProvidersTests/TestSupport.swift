// What the provider tests share: numbers, a text, the transport over AsyncHTTPClient's shared
// client, the short deadline used against hanging fakes, and readable views of failures.

import AsyncHTTPClient
import Foundation
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
import TextBackProviders

enum Fixture {
    static let business = PhoneNumber(trustedE164: "+15125550100")
    static let contact = PhoneNumber(trustedE164: "+14155550123")
    static let other = PhoneNumber(trustedE164: "+14155550199")
    static let body = "Hey Dana, Acme Home Services here. Tried to reach you about your water heater request. Reply YES and I'll call you right back."
    static let messageID = MessageID("msg_42")
    static let callback = URL(string: "https://textback.example.com/webhooks/twilio/status?message_id=msg_42")
    /// The deadline of clients that are expected to get an answer: generous, because the tests share
    /// two busy cores and a deadline that passes is itself a finding (ambiguous).
    static let deadline: Duration = .seconds(10)
    /// The deadline of clients talking to a fake told to hang: short, since the test waits it out, but
    /// long enough for the request to reach the fake on a loaded machine (see `warmUp`).
    static let hangDeadline: Duration = .seconds(2)

    /// Opens a connection to the fake (the shared client keeps it) so that a request sent with the
    /// short deadline does not spend it on connecting to a server that has only just started.
    static func warmUp(_ base: URL) async throws {
        _ = try await transport.perform(ProviderRequest(method: .GET, path: FakeHTTPServer.readyPath), baseURL: base.absoluteString,
                                        timeout: deadline)
    }
    static let transport = HTTPClientTransport(client: .shared)

    static func sms(to: PhoneNumber = contact, body: String = body, callback: URL? = callback) -> OutgoingSMS {
        OutgoingSMS(idempotencyKey: "run:r1:3", from: business, to: to, body: body, messageID: messageID, statusCallbackURL: callback)
    }

    static func secret(_ value: String, _ name: String = "TEST_SECRET") -> CarrierSettings.Secret {
        CarrierSettings.Secret(environmentVariable: name, value: value)
    }
}

extension CarrierFailure {
    /// The case's name, for table-driven expectations.
    var kind: String {
        switch self {
        case .transient: "transient"
        case .permanent: "permanent"
        case .recipientOptedOut: "recipientOptedOut"
        case .authenticationFailed: "authenticationFailed"
        case .ambiguous: "ambiguous"
        case .unknown: "unknown"
        }
    }

    var isTransient: Bool { kind == "transient" }
}

extension CarrierWebhookEvent {
    var receipt: DeliveryReceipt? { if case .receipt(let receipt) = self { receipt } else { nil } }
    var inbound: InboundSMS? { if case .inboundText(let text) = self { text } else { nil } }
    var call: CallEvent? { if case .call(let call) = self { call } else { nil } }
    var isIgnored: Bool { if case .ignored = self { true } else { false } }
}

/// Runs `operation` and returns the `CarrierFailure` it threw; records an issue when it did not throw.
func failure(of operation: () async throws(CarrierFailure) -> CarrierReceipt, sourceLocation: SourceLocation = #_sourceLocation) async -> CarrierFailure? {
    do {
        let receipt = try await operation()
        Issue.record("expected a failure, got a receipt for \(receipt.carrierMessageID)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Runs `operation` and returns the `TransportFailure` it threw; records an issue when it answered.
func transportFailure(of operation: () async throws(TransportFailure) -> ProviderResponse,
                      sourceLocation: SourceLocation = #_sourceLocation) async -> TransportFailure? {
    do {
        let response = try await operation()
        Issue.record("expected no answer, got HTTP \(response.status)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
