// Who may see what: every /v1 route reads its scope here. A business token sees its business only
// (`?business=` naming another is a 404, as is any object of another business: never a 403 that would
// confirm it exists); the admin token sees all, or one business with `?business=ID`. Also the business
// listing and the admin's reload.

import Foundation
import HTTPTypes
import Hummingbird
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackStorage

/// The set of businesses a request uses from start to end, and what it may see of them.
struct Access {
    let tenants: Tenants
    let scope: BusinessScope
}

extension Handlers {
    func access(_ request: Request, _ context: TextBackRequestContext) throws -> Access {
        let tenants = tenancy.current
        let asked = request.uri.queryParameters["business"].map(String.init)
        switch context.caller {
        case .business(let id)?:
            if let asked, asked != id.rawValue { throw APIProblem.notFound("no business with that id") }
            return Access(tenants: tenants, scope: .business(id))
        case .admin?:
            guard let asked else { return Access(tenants: tenants, scope: .all) }
            guard tenants.engine(for: BusinessID(asked)) != nil else { throw APIProblem.notFound("no business with that id") }
            return Access(tenants: tenants, scope: .business(BusinessID(asked)))
        case nil:
            throw APIProblem(.unauthorized, title: "Unauthorized", detail: "send the API token as 'Authorization: Bearer <token>'")
        }
    }

    /// The one business a request acts for: its scope's, else the only business the install serves.
    func requireBusiness(_ access: Access) throws -> Engine {
        if let id = access.scope.only, let engine = access.tenants.engine(for: id) { return engine }
        if access.tenants.engines.count == 1 { return access.tenants.primary }
        throw APIProblem.badRequest("this install serves several businesses: name one with ?business=ID", field: "business")
    }

    /// GET /v1/businesses: the businesses the caller may see, with their numbers.
    func listBusinesses(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let access = try access(request, context)
        let businesses = access.tenants.engines.filter { access.scope.includes($0.business) }.map { engine -> [String: Any] in
            let configuration = engine.configuration
            return ["id": engine.business.rawValue, "name": configuration.business.name, "timezone": configuration.business.timeZone,
                    "numbers": configuration.numbers.map { ["number": $0.number.e164, "carrier": $0.carrier.rawValue] }]
        }
        return try json(["businesses": businesses])
    }

    /// POST /v1/admin/reload: re-reads the configuration; every file valid, or nothing changes.
    func reload(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        guard context.caller == .admin else {
            throw APIProblem(.forbidden, title: "Forbidden", detail: "reloading the configuration needs the admin token")
        }
        guard let reload = settings.reload else { throw APIProblem.notFound("this server was not started from a configuration it can re-read") }
        switch await reload() {
        case .reloaded(let ids):
            return try json(["reloaded": true, "businesses": ids.map(\.rawValue)])
        case .refused(let diagnostics):
            throw APIProblem(.unprocessableContent, title: "Unprocessable Content",
                             detail: "the configuration was refused; the running one stays: "
                                + diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "; "))
        }
    }
}
