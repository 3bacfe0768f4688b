// Carrier webhooks beyond the original Twilio voice and SMS routes: Twilio message status, Telnyx
// (one route for calls, texts and receipts) and Bandwidth (messaging and voice). Each is verified
// before a byte of its body is read or stored — X-Twilio-Signature over the exact URL, Telnyx's
// Ed25519 signature with its 300 s timestamp window, Bandwidth's HTTP Basic credentials — and a
// refused webhook is answered 401/403 with nothing stored.

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage

extension Handlers {
    /// POST /webhooks/twilio/status: a message status callback for one of our texts. The URL's
    /// `message_id` (our StatusCallback) names the message; the signature covers it.
    func twilioStatus(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let (form, engine) = try await verifiedTwilioForm(request, context, ours: ["From", "To"])
        let messageID = request.uri.queryParameters["message_id"].flatMap { $0.isEmpty ? nil : MessageID(String($0)) }
        let event: CarrierWebhookEvent
        do { event = try TwilioMessaging.statusCallback(from: form, messageID: messageID, receivedAt: engine.clock.now()) }
        catch { throw APIProblem.webhook(error) }
        try await handle(event, engine, verifiedBy: [engine])
        return Response(status: .noContent)
    }

    /// POST /webhooks/telnyx: call.hangup, message.received, message.sent and message.finalized.
    func telnyx(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let messageID = request.uri.queryParameters["message_id"].flatMap { $0.isEmpty ? nil : MessageID(String($0)) }
        let (event, engine, verifiers) = try verifiedEvent({ engine throws(WebhookError) -> CarrierWebhookEvent in
            guard let publicKey = engine.configuration.carriers.telnyx?.publicKey else {
                throw .notConfigured("Telnyx webhooks are not configured on this server: set carriers.telnyx.public_key")
            }
            return try TelnyxWebhook.verifiedEvent(
                body: body, signature: request.headers[.telnyxSignature], timestamp: request.headers[.telnyxTimestamp],
                publicKey: publicKey, now: engine.clock.now(), messageIDFromQuery: messageID,
                businessNumbers: Set(engine.configuration.numbers.map(\.number)))
        }, routes: { event, tenants in tenants.engine(forEvent: event) })
        try await handle(event, engine, verifiedBy: verifiers)
        return Response(status: .noContent)
    }

    /// POST /webhooks/bandwidth/messaging: a JSON array of message-received, message-delivered and
    /// message-failed events.
    func bandwidthMessaging(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        try requireBandwidthCredentials(request)
        let body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        // One business's credentials verify the whole batch; every event in it must be that business's.
        let (events, engine, verifiers) = try verifiedEvent({ engine throws(WebhookError) -> [CarrierWebhookEvent] in
            let credentials = bandwidthCallbackCredentials(request, engine)
            return try BandwidthWebhook.verifiedMessagingEvents(body: body, authorization: credentials.presented,
                                                                username: credentials.username, password: credentials.password,
                                                                receivedAt: engine.clock.now())
        }, routes: { events, tenants in
            let owners = events.compactMap(tenants.engine(forEvent:))
            return owners.first.flatMap { first in owners.allSatisfy { $0 === first } ? first : nil }
        })
        for event in events { try await handle(event, engine, verifiedBy: verifiers) }
        return Response(status: .noContent)
    }

    /// POST /webhooks/bandwidth/voice: `disconnect` becomes a call event; other voice events are acknowledged.
    func bandwidthVoice(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        try requireBandwidthCredentials(request)
        let body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let (event, engine, _) = try verifiedEvent({ engine throws(WebhookError) -> CarrierWebhookEvent in
            let credentials = bandwidthCallbackCredentials(request, engine)
            return try BandwidthWebhook.verifiedVoiceEvent(body: body, authorization: credentials.presented,
                                                          username: credentials.username, password: credentials.password,
                                                          receivedAt: engine.clock.now())
        }, routes: { event, tenants in tenants.engine(forEvent: event) })
        try await engine.handle(event)
        return Response(status: .noContent)
    }

    /// Applies a verified carrier event. A receipt names our text, not a number: it changes only a text of
    /// a business whose credentials verified it (several when they share one carrier account), so no
    /// business can mark another's text delivered, failed or opted out. With one business, any text.
    func handle(_ event: CarrierWebhookEvent, _ engine: Engine, verifiedBy verifiers: [Engine]) async throws {
        guard case .receipt = event, tenancy.current.engines.count > 1 else {
            try await engine.handle(event)
            return
        }
        for verifier in verifiers {
            let outcome = try await verifier.handle(event, receiptScope: .business(verifier.business))
            if outcome != .receipt(.unknownMessage) { return }
        }
    }

    /// A request without credentials, when some business has Bandwidth callback credentials, is answered
    /// 401 with a Basic challenge before the body is read (a wrong one is 403 from the check).
    private func requireBandwidthCredentials(_ request: Request) throws {
        let presented = request.headers[.authorization]
        let anyConfigured = tenancy.current.engines.contains {
            $0.configuration.carriers.bandwidth?.callbackUsername != nil && $0.configuration.carriers.bandwidth?.callbackPassword != nil
        }
        if anyConfigured, presented == nil || presented?.isEmpty == true {
            throw APIProblem(.unauthorized, title: "Unauthorized", detail: "missing HTTP Basic Authorization header",
                             challenge: "Basic realm=\"textback\"")
        }
    }

    /// One business's callback credentials and the presented header.
    private func bandwidthCallbackCredentials(_ request: Request, _ engine: Engine) -> (presented: String?, username: String?, password: String?) {
        let settings = engine.configuration.carriers.bandwidth
        return (request.headers[.authorization], settings?.callbackUsername, settings?.callbackPassword?.reveal())
    }

    /// GET /healthz: "ok", or "degraded" with the carriers paused for refusing our credentials.
    func health() throws -> Response {
        let pauses = tenancy.current.engines.flatMap(\.carrierHealth.current)
        guard !pauses.isEmpty else { return try json(["status": "ok"]) }
        var carriers: [String: Any] = [:]
        for pause in pauses {
            carriers[pause.carrier] = [
                "status": "paused", "reason": "authentication_failed", "detail": pause.detail,
                "since": Self.iso(pause.since), "retry_at": Self.iso(pause.until),
                "fix": "check carriers.\(pause.carrier) credentials in the configuration and the environment, then restart",
            ] as [String: Any]
        }
        return try json(["status": "degraded", "carriers": carriers])
    }
}

extension HTTPField.Name {
    static let telnyxSignature = Self("telnyx-signature-ed25519") ?? .authorization
    static let telnyxTimestamp = Self("telnyx-timestamp") ?? .authorization
}
