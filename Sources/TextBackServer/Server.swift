// The HTTP surface: provider webhooks, the /v1 API, the simulator carrier's routes and health.
// Webhooks follow verify → normalize → persist → acknowledge; processing happens in the job runner.

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TextBackProviders
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackStorage

/// Requests carry at most 1 MiB: provider webhooks are a few kilobytes.
public struct TextBackRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by the /v1 authentication: the admin or one business.
    public var caller: APICaller?
    public init(source: Source) { coreContext = .init(source: source) }
    public var maxUploadSize: Int { 1 << 20 }
}

public struct ServerSettings: Sendable {
    /// The token /v1 requires as `Authorization: Bearer <token>`.
    public var apiToken: String
    /// The public base URL providers call (e.g. https://textback.example.com), used to check
    /// signatures that cover the URL. Without it the URL is rebuilt from Host and X-Forwarded-Proto.
    public var publicURL: String?
    /// The simulator carrier's outbox, served at /v1/simulator/outbox when the simulator is in use.
    public var simulatorOutbox: (any SimulatorOutbox)?
    /// Prometheus metrics, served at /metrics when set (the engine's store should then be a `MeteredStore`).
    public var metrics: TextBackMetrics?
    /// Re-reads the configuration and swaps it in (`POST /v1/admin/reload`, admin only); nil: no such route.
    public var reload: (@Sendable () async -> ReloadOutcome)?

    public init(apiToken: String, publicURL: String? = nil, simulatorOutbox: (any SimulatorOutbox)? = nil, metrics: TextBackMetrics? = nil) {
        self.apiToken = apiToken
        self.publicURL = publicURL
        self.simulatorOutbox = simulatorOutbox
        self.metrics = metrics
    }
}

/// What a reload did: the businesses now served, or the findings that refused it (nothing changed).
public enum ReloadOutcome: Sendable {
    case reloaded([BusinessID])
    case refused([ConfigDiagnostic])
}

public enum TextBackHTTP {
    /// One business (a configuration file, the demo).
    public static func router(engine: Engine, settings: ServerSettings) -> Router<TextBackRequestContext> {
        router(tenancy: Tenancy(engine: engine), settings: settings)
    }

    /// Every business of the install; a reload replaces `tenancy`'s set and the routes use the new one at once.
    public static func router(tenancy: Tenancy, settings: ServerSettings) -> Router<TextBackRequestContext> {
        let router = Router(context: TextBackRequestContext.self)
        if let metrics = settings.metrics { router.add(middleware: MetricsMiddleware(metrics: metrics)) }
        router.add(middleware: ProblemMiddleware())
        let handlers = Handlers(tenancy: tenancy, settings: settings)
        if let metrics = settings.metrics {
            // Unauthenticated, as Prometheus scrapes by default; it carries counts and reason codes only.
            router.get("/metrics") { _, _ in
                let engine = tenancy.current.primary
                return try await metrics.scrapeResponse(store: engine.store, now: engine.clock.now(), dispatchLag: engine.dispatchLag)
            }
        }

        router.get("/healthz") { _, _ in try handlers.health() }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }

        router.post("/webhooks/twilio/voice") { request, context in try await handlers.twilioVoice(request, context) }
        router.post("/webhooks/twilio/sms") { request, context in try await handlers.twilioSMS(request, context) }
        router.post("/webhooks/twilio/status") { request, context in try await handlers.twilioStatus(request, context) }
        router.post("/webhooks/telnyx") { request, context in try await handlers.telnyx(request, context) }
        router.post("/webhooks/bandwidth/messaging") { request, context in try await handlers.bandwidthMessaging(request, context) }
        router.post("/webhooks/bandwidth/voice") { request, context in try await handlers.bandwidthVoice(request, context) }
        router.post("/webhooks/thoughtly") { request, context in try await handlers.thoughtly(request, context) }

        let api = router.group("v1").add(middleware: BearerAuthMiddleware(adminToken: settings.apiToken, tenancy: tenancy))
        api.get("businesses") { request, context in try await handlers.listBusinesses(request, context) }
        api.post("admin/reload") { request, context in try await handlers.reload(request, context) }
        api.post("events/call-completed") { request, context in try await handlers.nativeEvent(request, context) }
        api.get("contacts/:phone") { request, context in try await handlers.contact(request, context) }
        api.get("contacts/:phone/timeline") { request, context in try await handlers.timeline(request, context) }
        api.get("messages") { request, context in try await handlers.messages(request, context) }
        api.get("simulator/outbox") { request, context in try await handlers.outbox(request, context) }
        api.post("simulator/inbound") { request, context in try await handlers.simulatorInbound(request, context) }
        api.get("suppressions") { request, context in try await handlers.listSuppressions(request, context) }
        api.post("suppressions") { request, context in try await handlers.addSuppression(request, context) }
        api.delete("suppressions/:phone") { request, context in try await handlers.deleteSuppression(request, context) }
        api.delete("suppressions") { request, context in try await handlers.deleteSuppression(request, context) }
        api.post("consents") { request, context in try await handlers.addConsent(request, context) }
        api.get("conversations") { request, context in try await handlers.listConversations(request, context) }
        api.get("conversations/:id") { request, context in try await handlers.getConversation(request, context) }
        api.post("conversations/:id/messages") { request, context in try await handlers.postConversationMessage(request, context) }
        api.post("conversations/:id/release") { request, context in try await handlers.releaseConversation(request, context) }
        api.get("callbacks") { request, context in try await handlers.listCallbacks(request, context) }
        api.get("metrics") { request, context in try await handlers.figures(request, context) }

        // The dashboard: `/` and its pages, signed in with the API token (Dashboard.swift).
        Dashboard(api: handlers).register(on: router)

        // Last: a known path asked with a method it does not answer is a 405 with Allow, not a 404.
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.method, $0.path) }))
        return router
    }
}
