// Test harness: a real SQLite file in a temporary folder, the real router, the real engine, and a
// virtual clock that only moves when a test says so. Jobs run when the test calls `advance`.

import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import TextBackProviders
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackServer
import TextBackStorage

final class VirtualClock: TimeSource {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

func sequentialIDs() -> IDSource {
    let counter = Counter()
    return IDSource { prefix in "\(prefix)_\(counter.next())" }
}

func iso(_ text: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad test date \(text)") }
    return date
}

/// Tuesday 2026-03-03 18:00 UTC: 10:00 in California, 13:00 in New York — inside every sending window.
let morning = iso("2026-03-03T18:00:00Z")

let apiToken = "test-token-123"

struct Harness: Sendable {
    let directory: URL
    let databasePath: String
    let clock: VirtualClock
    let store: SQLiteStore
    let engine: Engine
    let publicURL: String?

    init(configuration: TextBackConfiguration? = nil, databasePath: String? = nil, clock: VirtualClock? = nil,
         publicURL: String? = nil, transport: (any ProviderTransport)? = nil) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("textback-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.databasePath = databasePath ?? directory.appendingPathComponent("textback.db").path
        self.clock = clock ?? VirtualClock(morning)
        store = try SQLiteStore(path: self.databasePath)
        try await store.migrate()
        let ids = sequentialIDs()
        // IDs must not collide across a "restart" on the same file: prefix them per harness.
        let run = UUID().uuidString.prefix(8)
        let scoped = IDSource { prefix in "\(prefix)_\(run)_\(ids.next(""))" }
        engine = Engine(store: store, configuration: try configuration ?? ConfigurationLoader.demo(), clock: self.clock, ids: scoped,
                        carriers: [SimulatorCarrier(outbox: store, ids: scoped)], transport: transport)
        self.publicURL = publicURL
    }

    /// Moves the virtual clock and runs whatever fell due, as the job runner would.
    func advance(_ seconds: Double) async throws {
        clock.advance(seconds)
        try await engine.runDueJobs()
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: TextBackHTTP.router(engine: engine, settings: ServerSettings(apiToken: apiToken, publicURL: publicURL, simulatorOutbox: store)))
        try await app.test(.router, body)
    }
}

struct HTTPResult {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }
}

extension TestClientProtocol {
    func call(_ uri: String, _ method: HTTPRequest.Method = .get, json: (any Sendable)? = nil, raw: String? = nil,
              headers: HTTPFields = [:], auth: Bool = true) async throws -> HTTPResult {
        var fields = headers
        if auth { fields[.authorization] = "Bearer \(apiToken)" }
        var body: ByteBuffer?
        if let json {
            fields[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        return try await execute(uri: uri, method: method, headers: fields, body: body) { response in
            HTTPResult(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    func outbox() async throws -> [[String: Any]] {
        let result = try await call("/v1/simulator/outbox")
        #expect(result.status == .ok)
        return result.json["messages"] as? [[String: Any]] ?? []
    }

    func timeline(_ phone: String) async throws -> [[String: Any]] {
        let result = try await call("/v1/contacts/\(phone)/timeline")
        #expect(result.status == .ok)
        return result.json["entries"] as? [[String: Any]] ?? []
    }

    @discardableResult
    func postCall(_ event: [String: any Sendable]) async throws -> HTTPResult {
        try await call("/v1/events/call-completed", .post, json: event)
    }
}

/// A native call event with sensible defaults: an inbound missed call from Dana in California.
func callEvent(id: String = "c-1001", direction: String = "inbound", outcome: String = "no_answer",
               at: Date = morning, contact: String = "+14155550123", business: String = "+15125550100",
               voicemailLeft: Bool = false, duration: Int = 0) -> [String: any Sendable] {
    [
        "call_id": id, "occurred_at": ISO8601DateFormatter().string(from: at), "direction": direction, "outcome": outcome,
        "duration_s": duration, "from": direction == "inbound" ? contact : business, "to": direction == "inbound" ? business : contact,
        "agent_id": "agent-1", "voicemail": ["detected": voicemailLeft, "left": voicemailLeft],
        "contact": ["name": "Dana Reyes", "attributes": ["lead_source": "web_form"]] as [String: any Sendable],
        "variables": ["service": "water heater repair"], "campaign": "spring",
    ]
}

extension SimulatorOutbox {
    /// Every entry, oldest first.
    func outboxEntries() async throws -> [SimulatorOutboxEntry] {
        try await entries(limit: 1_000_000, after: nil).items
    }
}
