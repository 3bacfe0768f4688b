// Bearer-token authentication for the /v1 API. The comparison takes the same time whatever the token.

import HTTPTypes
import Foundation
import Hummingbird
import TextBackProviders
import TextBackCore

struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The scheme name is case-insensitive (RFC 9110 §11.1); the token is not.
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIProblem(.unauthorized, title: "Unauthorized", detail: "send the API token as 'Authorization: Bearer <token>'")
        }
        let presented = Array(header.dropFirst("Bearer ".count).trimmingHorizontalWhitespace.utf8)
        guard constantTimeEqual(presented, Array(token.utf8)) else {
            throw APIProblem(.unauthorized, title: "Unauthorized", detail: "the API token is not valid")
        }
        return try await next(request, context)
    }
}
