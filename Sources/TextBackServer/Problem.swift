// Errors at the HTTP edge: every refusal is an RFC 9457 problem document (application/problem+json).
// Typed errors from inside map to a status here, once; anything unexpected is a bare 500 that
// reveals nothing about the request.

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TextBackProviders
import TextBackStorage

public struct APIProblem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// The request field the problem is about, when there is one.
    public var field: String?
    /// Seconds the client should wait before retrying (503 under back-pressure).
    public var retryAfter: Int?
    /// WWW-Authenticate for a 401 (Bearer when not given).
    public var challenge: String?
    /// The methods a path does answer, sent as `Allow` with a 405.
    public var allow: String?

    public init(_ status: HTTPResponse.Status, title: String, detail: String, field: String? = nil, retryAfter: Int? = nil,
                challenge: String? = nil) {
        self.status = status; self.title = title; self.detail = detail; self.field = field; self.retryAfter = retryAfter
        self.challenge = challenge
    }

    public var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { fields[.wwwAuthenticate] = challenge ?? "Bearer" }
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        if let allow { fields[.allow] = allow }
        return fields
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var object: [String: Any] = [
            "type": "about:blank", "title": title, "status": Int(status.code), "detail": detail,
        ]
        if let field { object["field"] = field }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ detail: String, field: String? = nil) -> APIProblem {
        APIProblem(.badRequest, title: "Bad Request", detail: detail, field: field)
    }

    static func notFound(_ detail: String) -> APIProblem { APIProblem(.notFound, title: "Not Found", detail: detail) }

    /// Maps a webhook parsing or verification failure.
    static func webhook(_ error: WebhookError) -> APIProblem {
        switch error {
        case .badSignature(let why): APIProblem(.forbidden, title: "Forbidden", detail: why)
        case .notConfigured(let why): APIProblem(.forbidden, title: "Forbidden", detail: why)
        case .missingField(let name): badRequest("missing field '\(name)'", field: name)
        case .invalidField(let name, let why): badRequest("field '\(name)' \(why)", field: name)
        case .malformed(let why): badRequest(why)
        }
    }
}

/// Answers 405 with `Allow` when the path is one of ours but the method is not (RFC 9110 §15.5.6);
/// anything else falls through to the 404. Added after every route, so it wraps only the router's
/// not-found responder and costs nothing on a matched route.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: [(method: HTTPRequest.Method, path: RouterPath)]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [String] = []
        for route in routes where route.path.components.count == segments.count
            && zip(route.path.components, segments).allSatisfy({ $0 ~= $1 }) && !methods.contains(route.method.rawValue) {
            methods.append(route.method.rawValue)
        }
        guard !methods.isEmpty else { return try await next(request, context) }
        var problem = APIProblem(.methodNotAllowed, title: "Method Not Allowed",
                                 detail: "\(request.method) is not one of the methods this path answers: \(methods.sorted().joined(separator: ", "))")
        problem.allow = methods.sorted().joined(separator: ", ")
        throw problem
    }
}

/// Turns every error thrown below it into a problem document.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as APIProblem {
            return try problem.response(from: request, context: context)
        } catch StoreError.overloaded(let seconds) {
            // Back-pressure: nothing was stored; the sender retries (providers retry webhooks on 5xx).
            return try APIProblem(.serviceUnavailable, title: "Service Unavailable",
                                  detail: "too many writes are waiting; nothing was stored, retry in \(seconds) s", retryAfter: seconds)
                .response(from: request, context: context)
        } catch StoreError.invalidCursor {
            return try APIProblem.badRequest("query parameter 'after' is not a cursor this listing produced", field: "after")
                .response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIProblem(.contentTooLarge, title: "Content Too Large", detail: "the request body is larger than the \(context.maxUploadSize) bytes allowed")
                .response(from: request, context: context)
        } catch let error as HTTPError {
            let detail = error.body ?? (error.status == .notFound ? "no route for \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            return try APIProblem(error.status, title: error.status.reasonPhrase, detail: detail).response(from: request, context: context)
        } catch {
            // The route template, never the concrete path: paths can carry phone numbers.
            context.logger.error("request failed", metadata: ["route": "\(context.endpointPath ?? "unmatched")", "error": "\(type(of: error))"])
            return try APIProblem(.internalServerError, title: "Internal Server Error", detail: "the request could not be completed")
                .response(from: request, context: context)
        }
    }
}
