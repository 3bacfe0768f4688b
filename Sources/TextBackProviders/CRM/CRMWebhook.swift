// The generic CRM webhook: each event is POSTed as JSON and signed like the staff notification webhook
// (`X-TextBack-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, SignedWebhook).
// The body's `id` is the outbox entry's, the same on every retry, so a receiver can drop repeats.

import Foundation
import TextBackConfig
import TextBackCore

public struct CRMWebhook: CRMClient {
    public let provider = "webhook"

    let settings: CRMSettings.Webhook
    let transport: any ProviderTransport

    public init(settings: CRMSettings.Webhook, transport: any ProviderTransport) {
        self.settings = settings; self.transport = transport
    }

    public func deliver(_ activity: CRMActivity, progress: [String: String], now: Date) async -> CRMAttempt {
        let (request, base) = SignedWebhook.request(url: settings.url, body: Self.body(activity), secret: settings.secret.reveal(), now: now)
        let call = CRMCall(transport: transport, baseURL: base, title: "The CRM webhook", code: { _ in nil })
        do throws(CRMStop) {
            _ = try await call.perform(request, step: "the \(activity.event.rawValue) event", now: now)
            return .delivered(progress: progress)
        } catch {
            return error.attempt(progress: progress)
        }
    }

    /// The JSON body: fixed keys, sorted, so the signed bytes are the same on every retry.
    static func body(_ activity: CRMActivity) -> String {
        var object: [String: JSONValue] = [
            "id": .string(activity.entryID),
            "event": .string(activity.event.rawValue),
            "occurred_at": .string(ISO8601Timestamp.format(activity.occurredAt)),
            "phone": .string(activity.phone.e164),
            "contact_name": activity.contactName.map { .string($0) } ?? .null,
            "number": activity.number.map { .string($0.e164) } ?? .null,
            "properties": .object(activity.properties.mapValues { .string($0) }),
        ]
        object["message"] = activity.messageID.map { id in
            .object(["id": .string(id), "direction": .string(activity.event == .messageReceived ? "inbound" : "outbound"),
                     "body": .string(activity.body ?? ""), "automated": .bool(activity.automated)])
        } ?? .null
        return JSONValue.object(object).serialized
    }
}
