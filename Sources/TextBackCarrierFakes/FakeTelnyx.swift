// A fake of Telnyx's API v2: messages (send, retrieve) and number lookup, checked the way Telnyx
// checks them. Authorization: Bearer {api key} or 401/10009; a JSON body (400/10015) with from and
// to (10004), both in +E.164 (10016 for from, 40310 for to), and text (40316). Errors use Telnyx's
// body: {"errors": [{"code", "title", "detail", "meta": {"url"}}]}.

import Foundation
import HTTPTypes
import Hummingbird

public struct FakeTelnyx: Sendable {
    public let baseURL: URL
    let core: FakeCore

    public static func run<R>(apiKey: String, clock: @escaping @Sendable () -> Date = { Date() },
                              _ body: (FakeTelnyx) async throws -> R) async throws -> R {
        let core = FakeCore(idPrefix: "4038")
        let router = Router()
        let api = TelnyxAPI(apiKey: apiKey, core: core, clock: clock)
        router.post("/v2/messages") { request, _ in try await api.send(request) }
        router.get("/v2/messages/:id") { request, context in try await api.retrieve(request, id: context.parameters.get("id") ?? "") }
        router.get("/v2/number_lookup/:number") { request, context in
            try await api.lookup(request, number: context.parameters.get("number") ?? "")
        }
        return try await FakeHTTPServer.run(router, core: core) { url in try await body(FakeTelnyx(baseURL: url, core: core)) }
    }

    public func script(_ replies: FakeReply..., for endpoint: FakeEndpoint = .send) { core.script(replies, for: endpoint) }
    public var requests: [RecordedRequest] { core.requests }
    public func requests(to endpoint: FakeEndpoint) -> [RecordedRequest] { core.requests.filter { $0.endpoint == endpoint } }
    public var messages: [FakeMessage] { core.messages }
    public func add(_ message: FakeMessage) { core.accept(message) }
    /// Number Lookup's carrier `type` ("mobile" when not set): "fixed line", "voip", ...
    public func setLineType(_ type: String, for number: String) { core.setLineType(type, for: number) }
}

struct TelnyxAPI: Sendable {
    let apiKey: String
    let core: FakeCore
    let clock: @Sendable () -> Date

    static let errors: [String: (status: Int, title: String)] = [
        "10004": (400, "Missing required parameter"),
        "10005": (404, "Resource not found"),
        "10007": (500, "Unexpected error"),
        "10009": (401, "Authentication failed"),
        "10010": (403, "Authorization failed"),
        "10011": (429, "Too many requests"),
        "10015": (400, "Bad Request"),
        "10016": (400, "Phone number must be in +E.164 format"),
        // Telnyx answers a send to an opted-out number with 403 (not a credentials problem).
        "40300": (403, "Blocked due to STOP message"),
        "40305": (400, "Invalid 'from' address"),
        "40310": (400, "Invalid 'to' address"),
        "40316": (400, "No content provided for message"),
        "40010": (400, "Not 10DLC registered"),
    ]

    func error(_ code: String, pointer: String? = nil, headers: [(HTTPField.Name, String)] = []) -> Response {
        let (status, title) = Self.errors[code] ?? (400, "Error \(code)")
        var entry: [String: Any] = [
            "code": code, "title": title, "detail": title + ".",
            "meta": ["url": "https://developers.telnyx.com/docs/overview/errors/\(code)"],
        ]
        if let pointer { entry["source"] = ["pointer": pointer] }
        return FakeHTTPServer.json(status, ["errors": [entry]], headers: headers)
    }

    func refusal(for reply: FakeReply) -> Response? {
        switch reply {
        case .success, .hang: nil
        case .refuse(let code): error(code)
        case .rateLimited(let seconds): error("10011", headers: [(.retryAfter, String(seconds))])
        case .serverError: error("10007")
        }
    }

    func unauthorized(_ record: RecordedRequest) -> Response? {
        record.header("authorization") == "Bearer \(apiKey)" ? nil : error("10009")
    }

    func send(_ request: Request) async throws -> Response {
        let record = try await FakeHTTPServer.record(request, endpoint: .send)
        core.record(record)
        if let refusal = unauthorized(record) { return refusal }
        guard record.header("content-type")?.hasPrefix("application/json") == true, let object = record.jsonObject() else {
            return error("10015")
        }
        guard let from = object["from"] as? String else { return error("10004", pointer: "/from") }
        guard let to = object["to"] as? String else { return error("10004", pointer: "/to") }
        guard FakeE164.isValid(from) else { return error("10016", pointer: "/from") }
        guard FakeE164.isValid(to) else { return error("40310", pointer: "/to") }
        guard let text = object["text"] as? String, !text.isEmpty else { return error("40316", pointer: "/text") }
        let reply = core.nextReply(for: .send)
        if let refusal = refusal(for: reply) { return refusal }
        let now = clock()
        let message = FakeMessage(id: newUUID(), from: from, to: to, body: text, status: "queued", createdAt: now, sentAt: nil,
                                  callbackURL: object["webhook_url"] as? String)
        core.accept(message)
        if reply == .hang {
            await core.hang()
            return error("10007")
        }
        return FakeHTTPServer.json(200, ["data": recordJSON(message)])
    }

    func retrieve(_ request: Request, id: String) async throws -> Response {
        let record = try await FakeHTTPServer.record(request, endpoint: .query)
        core.record(record)
        if let refusal = unauthorized(record) { return refusal }
        let reply = core.nextReply(for: .query)
        if reply == .hang {
            await core.hang()
            return error("10007")
        }
        if let refusal = refusal(for: reply) { return refusal }
        let wanted = id.removingPercentEncoding ?? id
        guard let message = core.messages.first(where: { $0.id == wanted }) else { return error("10005") }
        return FakeHTTPServer.json(200, ["data": recordJSON(message)])
    }

    func lookup(_ request: Request, number raw: String) async throws -> Response {
        let record = try await FakeHTTPServer.record(request, endpoint: .lookup)
        core.record(record)
        if let refusal = unauthorized(record) { return refusal }
        let reply = core.nextReply(for: .lookup)
        if reply == .hang {
            await core.hang()
            return error("10007")
        }
        if let refusal = refusal(for: reply) { return refusal }
        let number = raw.removingPercentEncoding ?? raw
        guard FakeE164.isValid(number) else { return error("10016") }
        var data: [String: Any] = [
            "record_type": "number_lookup", "phone_number": number, "country_code": "US", "valid_number": true,
            "portability": ["line_type": NSNull(), "ported_status": "N"],
        ]
        if record.query["type"] == "carrier" {
            data["carrier"] = ["type": core.lineType(for: number) ?? "mobile", "name": "FAKE WIRELESS", "error_code": NSNull()]
        }
        return FakeHTTPServer.json(200, ["data": data])
    }

    func recordJSON(_ message: FakeMessage) -> [String: Any] {
        [
            "record_type": "message", "direction": "outbound", "id": message.id, "type": "SMS",
            "from": ["phone_number": message.from, "carrier": "Telnyx", "line_type": "VoIP"],
            "to": [["phone_number": message.to, "status": message.status, "carrier": "FAKE WIRELESS", "line_type": "Wireless"]],
            "text": message.body, "webhook_url": message.callbackURL.map { $0 as Any } ?? NSNull(), "encoding": "GSM-7", "parts": 1,
            "tags": [String](), "errors": [Any](), "received_at": FakeDates.iso8601(message.createdAt),
            "sent_at": NSNull(), "completed_at": NSNull(),
        ]
    }

    /// Telnyx ids are UUIDs; these count up so tests can predict them.
    func newUUID() -> String {
        let digits = core.newID().suffix(12)
        return "40385f64-5717-4562-b3fc-\(digits)"
    }
}
