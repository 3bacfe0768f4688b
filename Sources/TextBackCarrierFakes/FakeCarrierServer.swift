// What every carrier fake shares: a Hummingbird server on 127.0.0.1, port 0, run for the length of
// a test's closure; the per-request script (success, a coded refusal, 429 with Retry-After, 500,
// or a hang); the record of every request received; and the store of accepted texts that the list
// and lookup endpoints answer from. State lives behind a `Mutex`.

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// What the next request to an endpoint gets.
public enum FakeReply: Sendable, Hashable {
    /// The real service's answer to a valid request.
    case success
    /// The carrier's coded refusal, with the HTTP status and body the real service uses for that code
    /// (Twilio "21211", Telnyx "40300", Bandwidth "request-validation").
    case refuse(code: String)
    /// 429 with `Retry-After: seconds`.
    case rateLimited(retryAfterSeconds: Int)
    /// 500 with the carrier's error body.
    case serverError
    /// Accept the request (a text is stored, as the carrier would), then never answer, until the fake
    /// stops: the client's deadline passes after the request may have been acted on.
    case hang
}

/// The endpoints a script can target.
public enum FakeEndpoint: String, Sendable, Hashable, CaseIterable {
    /// Creating a message.
    case send
    /// Listing or fetching messages (reconciliation).
    case query
    /// Number lookup.
    case lookup
}

/// One request as the fake received it.
public struct RecordedRequest: Sendable, Hashable {
    public var endpoint: FakeEndpoint?
    public var method: String
    /// The raw (percent-encoded) path.
    public var path: String
    /// Decoded query parameters (names too).
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
    /// The body as a form, when it is one.
    public var form: [String: String] { FakeForm.decode(bodyText) }
    /// The body as a JSON object, when it is one.
    public func jsonObject() -> [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
}

/// A text a fake accepted, which its list endpoints then report.
public struct FakeMessage: Sendable, Hashable {
    public var id: String
    public var from: String
    public var to: String
    public var body: String
    public var status: String
    public var createdAt: Date
    /// nil while the text is "queued" (Twilio gives it no DateSent until it leaves the queue).
    public var sentAt: Date?
    public var tag: String?
    public var callbackURL: String?

    public init(id: String, from: String, to: String, body: String, status: String, createdAt: Date, sentAt: Date?,
                tag: String? = nil, callbackURL: String? = nil) {
        self.id = id; self.from = from; self.to = to; self.body = body; self.status = status
        self.createdAt = createdAt; self.sentAt = sentAt; self.tag = tag; self.callbackURL = callbackURL
    }
}

public enum FakeServerError: Error {
    case didNotStart
}

/// The state one fake keeps: requests, scripts, accepted texts, line types, hung requests.
final class FakeCore: Sendable {
    private struct State {
        var requests: [RecordedRequest] = []
        var scripts: [FakeEndpoint: [FakeReply]] = [:]
        var messages: [FakeMessage] = []
        var lineTypes: [String: String] = [:]
        var nextID = 1
        var holdInQueue = false
        var hung: [CheckedContinuation<Void, Never>] = []
        var released = false
    }

    private let state = Mutex(State())
    let idPrefix: String

    init(idPrefix: String) { self.idPrefix = idPrefix }

    func record(_ request: RecordedRequest) { state.withLock { $0.requests.append(request) } }
    var requests: [RecordedRequest] { state.withLock { $0.requests } }

    func script(_ replies: [FakeReply], for endpoint: FakeEndpoint) {
        state.withLock { $0.scripts[endpoint, default: []].append(contentsOf: replies) }
    }

    /// The scripted reply for the next request to `endpoint`; `.success` when nothing is scripted.
    func nextReply(for endpoint: FakeEndpoint) -> FakeReply {
        state.withLock { state in
            guard var queue = state.scripts[endpoint], !queue.isEmpty else { return .success }
            let reply = queue.removeFirst()
            state.scripts[endpoint] = queue
            return reply
        }
    }

    func newID() -> String {
        state.withLock { state in
            defer { state.nextID += 1 }
            return "\(idPrefix)\(String(format: "%032d", state.nextID))"
        }
    }

    var holdInQueue: Bool {
        get { state.withLock { $0.holdInQueue } }
        set { state.withLock { $0.holdInQueue = newValue } }
    }

    func accept(_ message: FakeMessage) { state.withLock { $0.messages.append(message) } }
    var messages: [FakeMessage] { state.withLock { $0.messages } }

    func setLineType(_ type: String, for number: String) { state.withLock { $0.lineTypes[number] = type } }
    func lineType(for number: String) -> String? { state.withLock { $0.lineTypes[number] } }

    /// Suspends until the fake stops: the request was received and is never answered.
    func hang() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.released { return true }
                state.hung.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func releaseHangs() {
        let hung = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.released = true
            defer { state.hung = [] }
            return state.hung
        }
        for continuation in hung { continuation.resume() }
    }
}

public enum FakeHTTPServer {
    /// Not part of any carrier's API: answers 204 and is not recorded, so a test can open (and keep)
    /// a connection to the fake before a request whose timing matters.
    public static let readyPath = "/__fake/ready"

    /// Runs any test `router` (a chat-completions stand-in, a webhook receiver) the same way.
    public static func serve<R>(_ router: Router<BasicRequestContext>, _ body: (URL) async throws -> R) async throws -> R {
        try await run(router, core: nil, body)
    }

    /// Runs `router` on 127.0.0.1 with a port chosen by the system for the length of `body`, which
    /// receives the base URL. Hung requests are released and the server stopped when `body` ends.
    static func run<R>(_ router: Router<BasicRequestContext>, core: FakeCore?, _ body: (URL) async throws -> R) async throws -> R {
        router.get(RouterPath(stringLiteral: readyPath)) { _, _ in Response(status: .noContent) }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "textback.carrier-fake")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer {
                core?.releaseHangs()
                group.cancelAll()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0, let url = URL(string: "http://127.0.0.1:\(port)") else {
                throw FakeServerError.didNotStart
            }
            return try await body(url)
        }
    }

    /// Reads the request into a record (body up to 1 MiB).
    static func record(_ request: Request, endpoint: FakeEndpoint?) async throws -> RecordedRequest {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        return RecordedRequest(
            endpoint: endpoint, method: request.method.rawValue, path: request.uri.path,
            query: FakeForm.decode(request.uri.query ?? ""), headers: headers, body: Data(buffer.readableBytesView))
    }

    static func json(_ status: Int, _ object: Any, headers extra: [(HTTPField.Name, String)] = []) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        for (name, value) in extra { fields[name] = value }
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// application/x-www-form-urlencoded and query strings, decoded ("+" is a space, names decoded too).
enum FakeForm {
    static func decode(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = unescape(String(parts[0]))
            result[name] = parts.count > 1 ? unescape(String(parts[1])) : ""
        }
        return result
    }

    static func unescape(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

enum FakeE164 {
    /// "+" then 8 to 15 digits, the first not 0: what the carriers accept as a number.
    static func isValid(_ text: String) -> Bool {
        guard text.hasPrefix("+") else { return false }
        let digits = text.dropFirst()
        return (8...15).contains(digits.count) && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) && digits.first != "0"
    }
}

enum FakeDates {
    static func rfc2822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    static func iso8601(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    static func parseISO8601(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
