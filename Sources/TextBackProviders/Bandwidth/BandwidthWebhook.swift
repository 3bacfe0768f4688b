// Bandwidth callbacks, normalized.
//
// Messaging (`/webhooks/bandwidth/messaging`): a JSON array of
//   {type, time, description, to, errorCode, message{id, owner, from, to[], text, tag, direction, ...}}
//   message-received → an inbound text; message-delivered / message-failed → receipts (the `tag` we
//   sent is our message id); message-sending (MMS progress) → ignored.
// Voice (`/webhooks/bandwidth/voice`): one JSON object per event; `disconnect` (eventType, callId,
//   direction, from, to, startTime, answerTime, endTime, cause) → a call event, others ignored.
//
// The `verified…` entry points check the callback's HTTP Basic credentials before reading the body.

import Foundation
import TextBackCore

public enum BandwidthWebhook {
    public static func verifiedMessagingEvents(body: Data, authorization: String?, username: String?, password: String?,
                                               receivedAt: Date) throws(WebhookError) -> [CarrierWebhookEvent] {
        try BandwidthSignature.verify(authorization: authorization, username: username, password: password)
        return try messagingEvents(from: body, receivedAt: receivedAt)
    }

    public static func verifiedVoiceEvent(body: Data, authorization: String?, username: String?, password: String?,
                                          receivedAt: Date) throws(WebhookError) -> CarrierWebhookEvent {
        try BandwidthSignature.verify(authorization: authorization, username: username, password: password)
        return try voiceEvent(from: body, receivedAt: receivedAt)
    }

    // MARK: messaging

    /// Parses a messaging callback whose credentials have been checked. Every event of the array is
    /// read; one that cannot be read refuses the whole callback (Bandwidth retries it).
    public static func messagingEvents(from body: Data, receivedAt: Date) throws(WebhookError) -> [CarrierWebhookEvent] {
        guard let list = JSON.array(body) else { throw .malformed("a Bandwidth messaging callback must be a JSON array of events") }
        var events: [CarrierWebhookEvent] = []
        for (index, item) in list.enumerated() {
            guard let event = item as? [String: Any] else { throw .invalidField("[\(index)]", "must be an object") }
            events.append(try messagingEvent(event, index: index, receivedAt: receivedAt))
        }
        return events
    }

    static func messagingEvent(_ event: [String: Any], index: Int, receivedAt: Date) throws(WebhookError) -> CarrierWebhookEvent {
        let path = "[\(index)]"
        guard let type = JSON.string(event["type"]) else { throw .missingField("\(path).type") }
        guard let message = event["message"] as? [String: Any] else { throw .missingField("\(path).message") }
        guard let id = JSON.string(message["id"]) else { throw .missingField("\(path).message.id") }
        let time = JSON.date(event["time"]) ?? JSON.date(message["time"]) ?? receivedAt
        switch type {
        case "message-received":
            let from = try WebhookError.phone(JSON.string(message["from"]), field: "\(path).message.from")
            let toRaw = JSON.string(event["to"]) ?? JSON.string(message["owner"]) ?? JSON.string((message["to"] as? [Any])?.first)
            let to = try WebhookError.phone(toRaw, field: "\(path).to")
            return .inboundText(InboundSMS(from: from, to: to, body: message["text"] as? String ?? "", carrier: "bandwidth",
                                           carrierMessageID: id, receivedAt: time))
        case "message-delivered":
            return .receipt(DeliveryReceipt(carrier: "bandwidth", carrierMessageID: id, messageID: tag(message),
                                            status: .delivered, at: time))
        case "message-failed":
            let code = BandwidthErrorCode(code: JSON.string(event["errorCode"]) ?? "unknown")
            let status: DeliveryReceipt.Status
            switch code {
            // "Does not indicate that the message was not received" (Bandwidth): sent, unconfirmed.
            case .deliveryReceiptExpired: status = .sent
            default: status = code.reachedCarrier ? .undelivered : .failed
            }
            return .receipt(DeliveryReceipt(carrier: "bandwidth", carrierMessageID: id, messageID: tag(message),
                                            status: status, error: code.detail(), at: time))
        default:
            return .ignored("Bandwidth messaging event \(type)")
        }
    }

    static func tag(_ message: [String: Any]) -> MessageID? {
        JSON.string(message["tag"]).map(MessageID.init)
    }

    // MARK: voice

    public static func voiceEvent(from body: Data, receivedAt: Date) throws(WebhookError) -> CarrierWebhookEvent {
        guard let event = JSON.object(body) else { throw .malformed("a Bandwidth voice callback must be a JSON object") }
        guard let type = JSON.string(event["eventType"]) else { throw .missingField("eventType") }
        guard type == "disconnect" else { return .ignored("Bandwidth voice event \(type)") }
        guard let callID = JSON.string(event["callId"]) else { throw .missingField("callId") }
        // A caller we cannot text (anonymous, a SIP address) is still a call to keep.
        guard let fromRaw = JSON.string(event["from"]) else { throw .missingField("from") }
        guard let toRaw = JSON.string(event["to"]) else { throw .missingField("to") }
        let from = PhoneNumber(callerID: fromRaw)
        let to = PhoneNumber(callerID: toRaw)
        let direction: CallDirection = JSON.string(event["direction"])?.lowercased() == "outbound" ? .outbound : .inbound
        let answered = JSON.date(event["answerTime"])
        let ended = JSON.date(event["endTime"])
        let outcome = outcome(cause: JSON.string(event["cause"]) ?? "unknown", answered: answered != nil)
        var duration = 0
        if let answered, let ended { duration = max(0, Int(ended.timeIntervalSince(answered))) }
        return .call(CallEvent(
            provider: "bandwidth", providerCallID: callID, stage: .ended,
            occurredAt: ended ?? JSON.date(event["eventTime"]) ?? receivedAt, direction: direction, outcome: outcome,
            durationSeconds: duration, from: from, to: to))
    }

    /// Bandwidth's disconnect causes. `hangup` means the call ended normally: a conversation when it
    /// was answered, the caller giving up while it rang when it was not.
    public static func outcome(cause: String, answered: Bool) -> CallOutcome {
        switch cause.lowercased() {
        case "hangup": answered ? .completed : .canceled
        case "timeout": .noAnswer
        case "busy", "rejected": .busy
        case "cancel": .canceled
        case "callback-error", "invalid-bxml", "application-error", "account-limit", "node-capacity-exceeded", "error": .failed
        default: .unknown
        }
    }
}
