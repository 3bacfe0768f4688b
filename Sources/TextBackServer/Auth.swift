// Bearer-token authentication for the /v1 API, and who the caller is: the admin token
// (TEXTBACK_API_TOKEN) sees every business, a business's own token (`api_tokens:`) only that business.
// Every comparison takes the same time whatever the token, every token is compared, and no token is
// ever logged.

import HTTPTypes
import Foundation
import Hummingbird
import TextBackProviders
import TextBackCore
import TextBackEngine

/// Who made an authenticated /v1 request.
public enum APICaller: Sendable, Hashable {
    case admin
    case business(BusinessID)
}

struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = TextBackRequestContext
    let adminToken: String
    let tenancy: Tenancy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The scheme name is case-insensitive (RFC 9110 §11.1); the token is not.
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIProblem(.unauthorized, title: "Unauthorized", detail: "send the API token as 'Authorization: Bearer <token>'")
        }
        let presented = Array(header.dropFirst("Bearer ".count).trimmingHorizontalWhitespace.utf8)
        guard let caller = Self.caller(presenting: presented, adminToken: adminToken, tenants: tenancy.current) else { throw APIProblem(.unauthorized, title: "Unauthorized", detail: "the API token is not valid") }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }

    /// Whose token this is: the admin's, a business's, or nobody's. Every token is compared (no early
    /// exit), so the time taken does not say which one matched. The dashboard's sign-in uses it too.
    static func caller(presenting presented: [UInt8], adminToken: String, tenants: Tenants) -> APICaller? {
        var caller: APICaller? = constantTimeEqual(presented, Array(adminToken.utf8)) ? .admin : nil
        for engine in tenants.engines {
            for token in engine.configuration.apiTokens where constantTimeEqual(presented, Array(token.reveal().utf8)) {
                if caller == nil { caller = .business(engine.business) }
            }
        }
        return caller
    }
}
