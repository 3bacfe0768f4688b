// Telnyx's one envelope for everything: call.hangup (every hangup_cause), message.received (STOP
// included) and message.sent / message.finalized (every status), verified before they are read.

import Crypto
import Foundation
import Testing
import TextBackCore
import TextBackProviders

@Suite struct TelnyxWebhookTests {
    static let now = Date(timeIntervalSince1970: 1_772_463_845)

    static func envelope(_ type: String, _ payload: [String: Any]) -> Data {
        let object: [String: Any] = [
            "data": ["record_type": "event", "event_type": type, "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
                     "occurred_at": "2026-03-02T15:04:05.000Z", "payload": payload],
            "meta": ["attempt": 1, "delivered_to": "https://textback.example.com/webhooks/telnyx"],
        ]
        return (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    }

    static func hangup(cause: String, direction: String? = "incoming", from: String = "+14155550123", to: String = "+15125550100") -> Data {
        var payload: [String: Any] = [
            "call_control_id": "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg", "connection_id": "7267xxxxxxxxxxxxxx",
            "call_leg_id": "428c31b6-7af4-4bcb-b7f5-5013ef9657c1", "call_session_id": "428c31b6-7af4-4bcb-b7f5-5013ef9657c1",
            "from": from, "to": to, "start_time": "2026-03-02T15:03:05.000Z", "end_time": "2026-03-02T15:04:05.000Z",
            "state": "hangup", "hangup_cause": cause, "hangup_source": "caller", "sip_hangup_cause": "603",
        ]
        payload["direction"] = direction
        return envelope("call.hangup", payload)
    }

    @Test(arguments: [
        ("call_rejected", CallOutcome.busy), ("normal_clearing", .completed), ("originator_cancel", .canceled),
        ("timeout", .noAnswer), ("no_answer", .noAnswer), ("time_limit", .completed), ("user_busy", .busy),
        ("not_found", .failed), ("unspecified", .unknown), ("something_new", .unknown),
    ])
    func everyHangupCause(cause: String, outcome: CallOutcome) throws {
        let call = try #require(try TelnyxWebhook.event(from: Self.hangup(cause: cause), receivedAt: Self.now).call)
        #expect(call.outcome == outcome)
        #expect(call.stage == .ended)
        #expect(call.provider == "telnyx")
        #expect(call.providerCallID == "428c31b6-7af4-4bcb-b7f5-5013ef9657c1")
        #expect(call.direction == .inbound)
        #expect(call.contactPhone == Fixture.contact)
        #expect(call.businessPhone == Fixture.business)
        #expect(call.durationSeconds == (outcome == .completed ? 60 : 0))
        #expect(call.occurredAt == ISO8601Timestamp.parse("2026-03-02T15:04:05Z"))
    }

    @Test func anOutgoingCallMakesTheCalleeTheContact() throws {
        let call = try #require(try TelnyxWebhook.event(
            from: Self.hangup(cause: "timeout", direction: "outgoing", from: "+15125550100", to: "+14155550123"), receivedAt: Self.now).call)
        #expect(call.direction == .outbound)
        #expect(call.contactPhone == Fixture.contact)
    }

    @Test func withoutADirectionOurNumbersDecide() throws {
        let outbound = try #require(try TelnyxWebhook.event(
            from: Self.hangup(cause: "timeout", direction: nil, from: "+15125550100", to: "+14155550123"), receivedAt: Self.now,
            businessNumbers: [Fixture.business]).call)
        #expect(outbound.direction == .outbound)
        let inbound = try #require(try TelnyxWebhook.event(
            from: Self.hangup(cause: "timeout", direction: nil), receivedAt: Self.now, businessNumbers: [Fixture.business]).call)
        #expect(inbound.direction == .inbound)
    }

    @Test(arguments: ["sip:agent@example.sip.telnyx.com", "anonymous", "+266696687"])
    func aCallerWeCannotTextIsStillACall(from: String) throws {
        let call = try #require(try TelnyxWebhook.event(from: Self.hangup(cause: "timeout", from: from), receivedAt: Self.now).call)
        #expect(call.outcome == .noAnswer)
        #expect(call.contactPhone.reachability != .textable)
        #expect(call.businessPhone == Fixture.business)
    }

    static func inbound(text: String, autoresponse: String?) -> Data {
        var payload: [String: Any] = [
            "record_type": "message", "direction": "inbound", "id": "7ee4241c-f127-47e5-9c34-3aac291f8058", "type": "SMS",
            "from": ["phone_number": "+14155550123", "carrier": "T-MOBILE USA, INC.", "line_type": "Wireless"],
            "to": [["phone_number": "+15125550100", "status": "delivered", "carrier": "TELNYX LLC", "line_type": "VoIP"]],
            "text": text, "received_at": "2026-03-02T15:04:05.000Z", "errors": [Any](),
        ]
        payload["autoresponse_type"] = autoresponse ?? NSNull()
        return envelope("message.received", payload)
    }

    @Test(arguments: [("STOP", "STOP"), ("stop please", "STOP"), ("START", "start"), ("HELP", "HELP")])
    func keywordsTelnyxActedOnComeThrough(text: String, autoresponse: String) throws {
        let inbound = try #require(try TelnyxWebhook.event(from: Self.inbound(text: text, autoresponse: autoresponse), receivedAt: Self.now).inbound)
        let receivedAt = try #require(ISO8601Timestamp.parse("2026-03-02T15:04:05Z"))
        #expect(inbound == InboundSMS(from: Fixture.contact, to: Fixture.business, body: text, carrier: "telnyx",
                                      carrierMessageID: "7ee4241c-f127-47e5-9c34-3aac291f8058",
                                      carrierOptOutKeyword: autoresponse.uppercased(), receivedAt: receivedAt))
    }

    @Test func anOrdinaryReplyHasNoKeyword() throws {
        let inbound = try #require(try TelnyxWebhook.event(from: Self.inbound(text: "yes call me", autoresponse: nil), receivedAt: Self.now).inbound)
        #expect(inbound.carrierOptOutKeyword == nil)
        #expect(inbound.body == "yes call me")
    }

    static func receipt(_ type: String, status: String, errors: [[String: Any]] = [], webhookURL: String? = nil) -> Data {
        var payload: [String: Any] = [
            "record_type": "message", "direction": "outbound", "id": "40385f64-5717-4562-b3fc-2c963f66afa6", "type": "SMS",
            "from": ["phone_number": "+15125550100"], "to": [["phone_number": "+14155550123", "status": status]],
            "text": "Hey", "errors": errors, "completed_at": "2026-03-02T15:05:05.000Z",
        ]
        payload["webhook_url"] = webhookURL
        return envelope(type, payload)
    }

    @Test(arguments: [
        ("message.sent", "sent", DeliveryReceipt.Status?.some(.sent)), ("message.finalized", "delivered", .delivered),
        ("message.finalized", "delivery_failed", .undelivered), ("message.finalized", "sending_failed", .failed),
        ("message.finalized", "delivery_unconfirmed", .sent), ("message.finalized", "expired", .failed),
        ("message.sent", "queued", nil), ("message.sent", "sending", nil),
    ])
    func everyReceiptStatus(type: String, status: String, expected: DeliveryReceipt.Status?) throws {
        let event = try TelnyxWebhook.event(from: Self.receipt(type, status: status), receivedAt: Self.now, messageIDFromQuery: "msg_42")
        if let expected {
            let receipt = try #require(event.receipt)
            #expect(receipt.status == expected)
            #expect(receipt.carrierMessageID == "40385f64-5717-4562-b3fc-2c963f66afa6")
            #expect(receipt.messageID == "msg_42")
        } else {
            #expect(event.isIgnored)
        }
    }

    @Test func aFailedReceiptCarriesTheCodeWithItsMeaning() throws {
        let data = Self.receipt("message.finalized", status: "delivery_failed",
                                errors: [["code": "40300", "title": "Blocked due to STOP message", "detail": "+14155550123 opted out"]],
                                webhookURL: "https://textback.example.com/webhooks/telnyx?message_id=msg_7")
        let receipt = try #require(try TelnyxWebhook.event(from: data, receivedAt: Self.now).receipt)
        #expect(receipt.error?.code == "40300")
        #expect(receipt.error?.errorClass == .recipientOptedOut)
        #expect(receipt.error?.meaning.contains("4155550123") == false)
        // No message_id in the posted URL: the payload's own webhook_url names it.
        #expect(receipt.messageID == "msg_7")
    }

    @Test func otherEventsAreAcknowledged() throws {
        #expect(try TelnyxWebhook.event(from: Self.envelope("call.initiated", ["call_leg_id": "x"]), receivedAt: Self.now).isIgnored)
    }

    @Test(arguments: [
        (Data("not json".utf8), WebhookError.malformed("the Telnyx webhook body is not a JSON object")),
        (Data(#"{"meta":{}}"#.utf8), .missingField("data")),
        (Data(#"{"data":{"payload":{}}}"#.utf8), .missingField("data.event_type")),
    ])
    func malformedBodiesAreNamed(body: Data, expected: WebhookError) {
        #expect(throws: expected) { try TelnyxWebhook.event(from: body, receivedAt: Self.now) }
    }

    @Test func theVerifiedEntryChecksBeforeReading() throws {
        let key = Curve25519.Signing.PrivateKey()
        let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        let body = Self.inbound(text: "STOP", autoresponse: "STOP")
        let timestamp = String(Int(Self.now.timeIntervalSince1970))
        let signature = try key.signature(for: Data("\(timestamp)|".utf8) + body).base64EncodedString()
        let event = try TelnyxWebhook.verifiedEvent(body: body, signature: signature, timestamp: timestamp, publicKey: publicKey, now: Self.now)
        #expect(event.inbound?.carrierOptOutKeyword == "STOP")
        // The same bytes, unsigned or signed by another key, are refused, not parsed.
        #expect(throws: WebhookError.self) {
            try TelnyxWebhook.verifiedEvent(body: body, signature: nil, timestamp: timestamp, publicKey: publicKey, now: Self.now)
        }
        let stale = Self.now.addingTimeInterval(301)
        #expect(throws: WebhookError.self) {
            try TelnyxWebhook.verifiedEvent(body: body, signature: signature, timestamp: timestamp, publicKey: publicKey, now: stale)
        }
        // Even a body that is not JSON is refused for its signature first.
        #expect(throws: WebhookError.badSignature("missing telnyx-signature-ed25519 header")) {
            try TelnyxWebhook.verifiedEvent(body: Data("not json".utf8), signature: nil, timestamp: timestamp, publicKey: publicKey, now: Self.now)
        }
    }
}
