// The thin transport under every provider client: a pure request value in, a bounded response out,
// and a failure that says whether the request could have reached the provider.
//
// That last distinction is the whole point of this file. A connection refused before the request
// was handed to the socket is safe to retry; a deadline or a dropped connection after it was handed
// over may hide an accepted text, so the send is ambiguous and must be reconciled. AsyncHTTPClient's
// delegate API reports the moment the request head is handed to the channel, which is what
// `HTTPClientTransport` keys on.

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// An HTTP request as a provider's `…Request` builder describes it: no I/O, no base URL.
public struct ProviderRequest: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable { case GET, POST, PATCH }

    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    public var method: Method
    /// Percent-encoded path below the base URL, starting with "/".
    public var path: String
    /// Query parameters, encoded when the URL is built (a "+" in a phone number becomes %2B).
    public var query: [Field]
    public var headers: [Field]
    public var body: Data?

    public init(method: Method, path: String, query: [Field] = [], headers: [Field] = [], body: Data? = nil) {
        self.method = method; self.path = path; self.query = query; self.headers = headers; self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The query string, each name and value percent-encoded (RFC 3986 unreserved characters kept).
    public var queryString: String {
        query.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// The absolute URL below `baseURL` (which may carry a path prefix of its own).
    public func url(relativeTo baseURL: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path + (query.isEmpty ? "" : "?" + queryString)
    }
}

public struct ProviderResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [ProviderRequest.Field]
    public var body: Data

    public init(status: Int, headers: [ProviderRequest.Field] = [], body: Data = Data()) {
        self.status = status; self.headers = headers; self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// A request that produced no HTTP answer.
public enum TransportFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request was never handed to a connection (refused, DNS, no connection before the
    /// deadline): the provider cannot have acted on it.
    case notSent(reason: String)
    /// The request was handed over and then the answer was lost (deadline, connection dropped, an
    /// answer too large to read): the provider may have acted on it.
    case mayHaveBeenSent(reason: String)

    public var description: String {
        switch self {
        case .notSent(let reason): "request not sent: \(reason)"
        case .mayHaveBeenSent(let reason): "request may have been sent: \(reason)"
        }
    }
}

/// Carries provider requests. `HTTPClientTransport` is the real one; tests run it against the fakes.
public protocol ProviderTransport: Sendable {
    /// Performs `request` below `baseURL`, giving up after `timeout` (an explicit deadline, always).
    func perform(_ request: ProviderRequest, baseURL: String, timeout: Duration) async throws(TransportFailure) -> ProviderResponse
}

/// AsyncHTTPClient with an explicit deadline and a bounded response body.
public struct HTTPClientTransport: ProviderTransport {
    /// Provider answers are small JSON documents; anything larger is not one.
    public static let defaultMaxResponseBytes = 64 * 1024

    let client: HTTPClient
    let maxResponseBytes: Int

    /// `client` is shared and owned by the caller (the composition root shuts it down). Configure it
    /// with `retryConnectionEstablishment = false` so a refused connection fails at once instead of
    /// using up the deadline; either way it is reported as `.notSent`.
    /// Over AsyncHTTPClient's process-wide shared client (no shutdown to manage): the composition root's choice.
    public static var shared: HTTPClientTransport { HTTPClientTransport(client: .shared) }

    public init(client: HTTPClient, maxResponseBytes: Int = HTTPClientTransport.defaultMaxResponseBytes) {
        self.client = client
        self.maxResponseBytes = maxResponseBytes
    }

    public func perform(_ request: ProviderRequest, baseURL: String, timeout: Duration) async throws(TransportFailure) -> ProviderResponse {
        var headers = HTTPHeaders()
        for field in request.headers { headers.add(name: field.name, value: field.value) }
        let httpRequest: HTTPClient.Request
        do {
            httpRequest = try HTTPClient.Request(
                url: request.url(relativeTo: baseURL), method: HTTPMethod(rawValue: request.method.rawValue),
                headers: headers, body: request.body.map { .bytes(Array($0)) })
        } catch {
            throw .notSent(reason: "the provider URL is not usable (\(error))")
        }
        let delegate = BoundedResponseDelegate(limit: maxResponseBytes)
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        let task = client.execute(request: httpRequest, delegate: delegate, deadline: deadline)
        do {
            return try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            let reason = Self.describe(error)
            throw delegate.requestHandedOver ? .mayHaveBeenSent(reason: reason) : .notSent(reason: reason)
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Short, fixed words: error descriptions of lower layers can carry URLs with query strings.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded: return "no answer before the deadline"
            case .connectTimeout: return "connection timed out"
            case .remoteConnectionClosed: return "the connection was closed by the provider"
            case .cancelled: return "cancelled"
            case .readTimeout: return "read timed out"
            default: return "HTTP client error"
            }
        }
        if error is ResponseTooLarge { return "the answer was larger than expected" }
        if error is CancellationError { return "cancelled" }
        return "connection failed (\(type(of: error)))"
    }
}

struct ResponseTooLarge: Error {}

/// Collects the response up to a limit and remembers whether the request head was handed to the
/// connection (AsyncHTTPClient calls `didSendRequestHead` right after writing it to the channel).
final class BoundedResponseDelegate: HTTPClientResponseDelegate {
    typealias Response = ProviderResponse

    private struct State {
        var handedOver = false
        var head: HTTPResponseHead?
        var body = ByteBuffer()
    }

    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    var requestHandedOver: Bool { state.withLock { $0.handedOver } }

    func didSendRequestHead(task: HTTPClient.Task<ProviderResponse>, _ head: HTTPRequestHead) {
        state.withLock { $0.handedOver = true }
    }

    func didReceiveHead(task: HTTPClient.Task<ProviderResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock {
            // An answer proves the request arrived, whatever happens next.
            $0.handedOver = true
            $0.head = head
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<ProviderResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        var part = buffer
        let tooLarge = state.withLock { state -> Bool in
            guard state.body.readableBytes + part.readableBytes <= limit else { return true }
            state.body.writeBuffer(&part)
            return false
        }
        return tooLarge ? task.eventLoop.makeFailedFuture(ResponseTooLarge()) : task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<ProviderResponse>, _ error: any Error) {}

    func didFinishRequest(task: HTTPClient.Task<ProviderResponse>) throws -> ProviderResponse {
        try state.withLock { state in
            guard let head = state.head else { throw HTTPClientError.remoteConnectionClosed }
            let headers = head.headers.map { ProviderRequest.Field($0.name, $0.value) }
            let body = Data(state.body.readableBytesView)
            return ProviderResponse(status: Int(head.status.code), headers: headers, body: body)
        }
    }
}

enum PercentEncoding {
    /// RFC 3986 unreserved characters stay; everything else, "+" included, is percent-encoded.
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.append(Character(Unicode.Scalar(byte)))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
