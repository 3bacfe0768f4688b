// Operational metrics for Prometheus through swift-metrics and swift-prometheus: counters of calls by
// outcome, messages by status, decisions by action and reason (run cancellations by opt-out and reply
// included), webhooks by provider and result, CRM outbox attempts by provider and result; histograms of
// ingest latency and dispatch lateness; gauges of pending jobs, the oldest due job's age and pending CRM
// entries, read from the store when scraped; whether this process's runner is behind and how many call
// webhooks waited for it (`DispatchLag`). Each server owns its registry (no global bootstrap), so tests
// and several servers in one process never share counts.
//
// Labels are closed vocabularies (outcomes, statuses, actions, reason codes, provider names, result
// classes): never a phone number, a body or a free-form error text.

import CoreMetrics
import Foundation
import Hummingbird
import Metrics
import NIOCore
import Prometheus
import Synchronization
import TextBackEngine
import TextBackStorage

public final class TextBackMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    /// Call webhooks held for a late runner, as far as the counter has been told.
    private let heldReported = Mutex(0)

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Lateness spans seconds (a busy runner) to hours (a server that was down).
        factory.durationHistogramBuckets["textback_dispatch_lateness_seconds"] = [
            .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300),
            .seconds(900), .seconds(3600),
        ]
        self.factory = factory
    }

    // MARK: Recording

    func call(outcome: String) { count("textback_calls_total", [("outcome", outcome)]) }
    func message(status: String) { count("textback_messages_total", [("status", status)]) }
    /// Counted once, under its first (main) reason, as the figures count decisions.
    func decision(action: String, reasons: [String]) {
        count("textback_decisions_total", [("action", action), ("reason", Self.label(reasons.first ?? "none"))])
    }
    func webhook(provider: String, result: String) {
        count("textback_webhooks_total", [("provider", provider), ("result", result)])
    }
    /// One attempt of a CRM outbox entry: `delivered`, `retry` or `failed`.
    func crmDelivery(provider: String, result: String) {
        count("textback_crm_deliveries_total", [("provider", provider), ("result", result)])
    }
    func ingestLatency(provider: String, nanoseconds: Int64) {
        Metrics.Timer(label: "textback_ingest_duration_seconds", dimensions: [("provider", provider)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }
    func dispatchLateness(seconds: Double) {
        Metrics.Timer(label: "textback_dispatch_lateness_seconds", factory: factory)
            .recordNanoseconds(Int64(max(0, seconds) * 1_000_000_000))
    }

    private func count(_ name: String, _ labels: [(String, String)]) {
        Counter(label: name, dimensions: labels, factory: factory).increment()
    }

    /// Reason codes are snake_case words; anything else (a keyword a contact typed) becomes "other".
    static func label(_ reason: String) -> String {
        reason.count <= 64 && reason.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
            ? reason : "other"
    }

    // MARK: Scraping

    /// The exposition, after reading the job gauges from the store and, with a runner in this process, whether
    /// it is behind and how many call webhooks waited for it (`DispatchLag`).
    public func scrape(store: any Store, now: Date, dispatchLag: DispatchLag? = nil) async throws -> String {
        if let dispatchLag {
            Gauge(label: "textback_runner_behind", factory: factory).record(dispatchLag.isBehind ? 1 : 0)
            let held = dispatchLag.statistics.held
            let delta = heldReported.withLock { reported in defer { reported = max(reported, held) }; return held - reported }
            if delta > 0 { Counter(label: "textback_ingest_held_total", factory: factory).increment(by: delta) }
        }
        let pending = try await store.countPendingJobs()
        let oldest = try await store.nextAvailableAt().map { max(0, now.timeIntervalSince($0)) } ?? 0
        Gauge(label: "textback_jobs_pending", factory: factory).record(Double(pending))
        Gauge(label: "textback_oldest_due_job_age_seconds", factory: factory).record(oldest)
        Gauge(label: "textback_crm_pending", factory: factory).record(Double(try await store.countPendingCRMEntries()))
        return registry.emitToString()
    }
}

/// Counts webhooks (and native call events) by provider and result, and times the ones that ingest calls.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: TextBackMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let provider = Self.provider(path: request.uri.path) else { return try await next(request, context) }
        let started = ContinuousClock.now
        let response: Response
        do { response = try await next(request, context) } catch {
            metrics.webhook(provider: provider, result: "error")
            throw error
        }
        let elapsed = ContinuousClock.now - started
        let code = response.status.code
        metrics.webhook(provider: provider, result: code < 300 ? "accepted" : code < 500 ? "rejected" : "error")
        if code < 300 {
            metrics.ingestLatency(provider: provider,
                                  nanoseconds: elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        return response
    }

    /// The provider a route belongs to, from a fixed list; nil for routes that are not webhooks.
    static func provider(path: String) -> String? {
        if path == "/v1/events/call-completed" { return "native" }
        let parts = path.split(separator: "/")
        guard parts.count >= 2, parts[0] == "webhooks" else { return nil }
        let known = ["twilio", "telnyx", "bandwidth", "thoughtly"]
        return known.contains(String(parts[1])) ? String(parts[1]) : "other"
    }
}

extension TextBackMetrics {
    func scrapeResponse(store: any Store, now: Date, dispatchLag: DispatchLag?) async throws -> Response {
        let text = try await scrape(store: store, now: now, dispatchLag: dispatchLag)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
