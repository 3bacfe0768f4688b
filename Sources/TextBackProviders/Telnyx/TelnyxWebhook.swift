// Telnyx webhooks, normalized. One envelope for everything:
// {"data": {"event_type": ..., "id": ..., "occurred_at": ..., "payload": {...}}, "meta": {...}}
//
// call.hangup       → a call event (hangup_cause → our outcome)
// message.received  → an inbound text (autoresponse_type: the keyword Telnyx itself acted on)
// message.sent      → a receipt (to[].status "sent")
// message.finalized → a receipt (delivered, delivery_failed, sending_failed, delivery_unconfirmed, ...)
// anything else     → `.ignored`, acknowledged.
//
// `verifiedEvent` checks the Ed25519 signature and the timestamp before the body is parsed.

import Foundation
import TextBackCore

public enum TelnyxWebhook {
    /// Verifies, then parses. `messageIDFromQuery` is the `message_id` of the URL the webhook was
    /// posted to (our per-message webhook_url); `businessNumbers` settle a call's direction when the
    /// event does not state it.
    public static func verifiedEvent(body: Data, signature: String?, timestamp: String?, publicKey: String, now: Date,
                                     messageIDFromQuery: MessageID? = nil,
                                     businessNumbers: Set<PhoneNumber> = []) throws(WebhookError) -> CarrierWebhookEvent {
        try TelnyxSignature.verify(body: body, signature: signature, timestamp: timestamp, publicKey: publicKey, now: now)
        return try event(from: body, receivedAt: now, messageIDFromQuery: messageIDFromQuery, businessNumbers: businessNumbers)
    }

    /// Parses a body whose signature has already been checked.
    public static func event(from body: Data, receivedAt: Date, messageIDFromQuery: MessageID? = nil,
                             businessNumbers: Set<PhoneNumber> = []) throws(WebhookError) -> CarrierWebhookEvent {
        guard let envelope = JSON.object(body) else { throw .malformed("the Telnyx webhook body is not a JSON object") }
        guard let data = envelope["data"] as? [String: Any] else { throw .missingField("data") }
        guard let eventType = JSON.string(data["event_type"]) else { throw .missingField("data.event_type") }
        guard let payload = data["payload"] as? [String: Any] else { throw .missingField("data.payload") }
        let occurredAt = JSON.date(data["occurred_at"]) ?? receivedAt
        switch eventType {
        case "call.hangup":
            return try callHangup(payload, occurredAt: occurredAt, businessNumbers: businessNumbers)
        case "message.received":
            return .inboundText(try inbound(payload, receivedAt: JSON.date(payload["received_at"]) ?? occurredAt))
        case "message.sent", "message.finalized":
            return try receipt(payload, at: occurredAt, messageIDFromQuery: messageIDFromQuery)
        default:
            return .ignored("Telnyx event \(eventType)")
        }
    }

    // MARK: voice

    static func callHangup(_ payload: [String: Any], occurredAt: Date, businessNumbers: Set<PhoneNumber>) throws(WebhookError) -> CarrierWebhookEvent {
        guard let callID = JSON.string(payload["call_leg_id"]) ?? JSON.string(payload["call_control_id"]) else {
            throw .missingField("data.payload.call_leg_id")
        }
        guard let fromRaw = JSON.string(payload["from"]) else { throw .missingField("data.payload.from") }
        guard let toRaw = JSON.string(payload["to"]) else { throw .missingField("data.payload.to") }
        // A caller we cannot text (anonymous, a SIP address) is still a call to keep; its reachability
        // gives the reason no text goes out.
        let from = PhoneNumber(callerID: fromRaw)
        let to = PhoneNumber(callerID: toRaw)
        let direction: CallDirection
        switch JSON.string(payload["direction"])?.lowercased() {
        case "incoming"?, "inbound"?: direction = .inbound
        case "outgoing"?, "outbound"?: direction = .outbound
        default: direction = !businessNumbers.contains(to) && businessNumbers.contains(from) ? .outbound : .inbound
        }
        let cause = JSON.string(payload["hangup_cause"]) ?? "unspecified"
        let outcome = outcome(hangupCause: cause)
        var duration = 0
        if outcome == .completed, let start = JSON.date(payload["start_time"]), let end = JSON.date(payload["end_time"]) {
            duration = max(0, Int(end.timeIntervalSince(start)))
        }
        return .call(CallEvent(
            provider: "telnyx", providerCallID: callID, stage: .ended,
            occurredAt: JSON.date(payload["end_time"]) ?? occurredAt, direction: direction, outcome: outcome,
            durationSeconds: duration, from: from, to: to))
    }

    /// Every documented hangup_cause; anything else is `unknown` (no text).
    public static func outcome(hangupCause: String) -> CallOutcome {
        switch hangupCause.lowercased() {
        // They talked (time_limit: cut off by the maximum call length, after connecting).
        case "normal_clearing", "time_limit": .completed
        case "timeout", "no_answer": .noAnswer
        // Declined by the callee: carriers report a rejected call as busy, as Twilio does.
        case "user_busy", "call_rejected": .busy
        case "originator_cancel": .canceled
        // The number does not exist or cannot be reached.
        case "not_found": .failed
        default: .unknown
        }
    }

    // MARK: messaging

    static func inbound(_ payload: [String: Any], receivedAt: Date) throws(WebhookError) -> InboundSMS {
        guard let id = JSON.string(payload["id"]) else { throw .missingField("data.payload.id") }
        let from = try WebhookError.phone(JSON.string((payload["from"] as? [String: Any])?["phone_number"]),
                                          field: "data.payload.from.phone_number")
        let recipients = payload["to"] as? [[String: Any]] ?? []
        let to = try WebhookError.phone(JSON.string(recipients.first?["phone_number"]), field: "data.payload.to[0].phone_number")
        return InboundSMS(from: from, to: to, body: payload["text"] as? String ?? "", carrier: "telnyx", carrierMessageID: id,
                          carrierOptOutKeyword: JSON.string(payload["autoresponse_type"])?.uppercased(), receivedAt: receivedAt)
    }

    static func receipt(_ payload: [String: Any], at: Date, messageIDFromQuery: MessageID?) throws(WebhookError) -> CarrierWebhookEvent {
        guard let id = JSON.string(payload["id"]) else { throw .missingField("data.payload.id") }
        let recipients = payload["to"] as? [[String: Any]] ?? []
        guard let word = JSON.string(recipients.first?["status"]) else { throw .missingField("data.payload.to[0].status") }
        guard let status = receiptStatus(word) else { return .ignored("Telnyx message status \(word)") }
        let errors = payload["errors"] as? [[String: Any]] ?? []
        let error = JSON.string(errors.first?["code"]).map { TelnyxErrorCode(code: $0).detail() }
        let messageID = messageIDFromQuery ?? JSON.string(payload["webhook_url"]).flatMap(messageID(inCallbackURL:))
        let when = JSON.date(payload["completed_at"]) ?? JSON.date(payload["sent_at"]) ?? at
        return .receipt(DeliveryReceipt(carrier: "telnyx", carrierMessageID: id, messageID: messageID, status: status,
                                        error: error, at: when))
    }

    /// Telnyx's per-recipient status in our vocabulary; nil for progress reports (queued, sending).
    static func receiptStatus(_ word: String) -> DeliveryReceipt.Status? {
        switch word.lowercased() {
        case "sent": .sent
        // Handed to the destination network, which never confirmed delivery.
        case "delivery_unconfirmed": .sent
        case "delivered": .delivered
        case "delivery_failed": .undelivered
        case "sending_failed", "expired": .failed
        default: nil
        }
    }

    static func messageID(inCallbackURL url: String) -> MessageID? {
        URLComponents(string: url)?.queryItems?.first { $0.name == "message_id" }?.value
            .flatMap { $0.isEmpty ? nil : MessageID($0) }
    }
}
