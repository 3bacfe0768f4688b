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
        let form = FormEncoding.dictionary(try await verifiedTwilioForm(request, context))
        let messageID = request.uri.queryParameters["message_id"].flatMap { $0.isEmpty ? nil : MessageID(String($0)) }
        let event: CarrierWebhookEvent
        do { event = try TwilioMessaging.statusCallback(from: form, messageID: messageID, receivedAt: engine.clock.now()) }
        catch { throw APIProblem.webhook(error) }
        try await engine.handle(event)
        return Response(status: .noContent)
    }

    /// POST /webhooks/telnyx: call.hangup, message.received, message.sent and message.finalized.
    func telnyx(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        guard let publicKey = engine.configuration.carriers.telnyx?.publicKey else {
            throw APIProblem.webhook(.notConfigured("Telnyx webhooks are not configured on this server: set carriers.telnyx.public_key"))
        }
        let body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let messageID = request.uri.queryParameters["message_id"].flatMap { $0.isEmpty ? nil : MessageID(String($0)) }
        let event: CarrierWebhookEvent
        do {
            event = try TelnyxWebhook.verifiedEvent(
                body: body, signature: request.headers[.telnyxSignature], timestamp: request.headers[.telnyxTimestamp],
                publicKey: publicKey, now: engine.clock.now(), messageIDFromQuery: messageID,
                businessNumbers: Set(engine.configuration.numbers.map(\.number)))
        } catch {
            throw APIProblem.webhook(error)
        }
        try await engine.handle(event)
        return Response(status: .noContent)
    }

    /// POST /webhooks/bandwidth/messaging: a JSON array of message-received, message-delivered and
    /// message-failed events.
    func bandwidthMessaging(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let credentials = try bandwidthCallbackCredentials(request)
        let body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let events: [CarrierWebhookEvent]
        do {
            events = try BandwidthWebhook.verifiedMessagingEvents(body: body, authorization: credentials.presented,
                                                                 username: credentials.username, password: credentials.password,
                                                                 receivedAt: engine.clock.now())
        } catch {
            throw APIProblem.webhook(error)
        }
        for event in events { try await engine.handle(event) }
        return Response(status: .noContent)
    }

    /// POST /webhooks/bandwidth/voice: `disconnect` becomes a call event; other voice events are acknowledged.
    func bandwidthVoice(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let credentials = try bandwidthCallbackCredentials(request)
        let body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let event: CarrierWebhookEvent
        do {
            event = try BandwidthWebhook.verifiedVoiceEvent(body: body, authorization: credentials.presented,
                                                           username: credentials.username, password: credentials.password,
                                                           receivedAt: engine.clock.now())
        } catch {
            throw APIProblem.webhook(error)
        }
        try await engine.handle(event)
        return Response(status: .noContent)
    }

    /// The configured callback credentials and the presented header. A request without credentials
    /// is answered 401 with a Basic challenge (before the body is read), a wrong one 403.
    private func bandwidthCallbackCredentials(_ request: Request) throws -> (presented: String?, username: String?, password: String?) {
        let settings = engine.configuration.carriers.bandwidth
        let username = settings?.callbackUsername
        let password = settings?.callbackPassword?.reveal()
        let presented = request.headers[.authorization]
        if username != nil, password != nil, presented == nil || presented?.isEmpty == true {
            throw APIProblem(.unauthorized, title: "Unauthorized", detail: "missing HTTP Basic Authorization header",
                             challenge: "Basic realm=\"textback\"")
        }
        return (presented, username, password)
    }

    /// GET /healthz: "ok", or "degraded" with the carriers paused for refusing our credentials.
    func health() throws -> Response {
        let pauses = engine.carrierHealth.current
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
