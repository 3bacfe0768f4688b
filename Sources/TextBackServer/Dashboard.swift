// The dashboard at `/`: server-rendered pages over the same store and engine as the /v1 API, readable
// without JavaScript. Sign-in with the API token gives a session cookie (DashboardSession.swift);
// pages are built with the typed HTML of DashboardHTML.swift (DashboardPages*.swift). Writes go through
// the same engine paths as the API: a person's reply is `Engine.personReply`, an import is
// `SuppressionImport`, the dry run is `DryRun`.
//
// Who sees what is decided as on /v1: the session carries its caller (the admin, or one business), put
// on the request context so `Handlers.access` reads `?business=` and scopes every read and write.
// GET pages without a session redirect to /login; a post without a session, without the form's CSRF
// token or from another site is refused with 403 and changes nothing.

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TextBackCore
import TextBackProviders
import TextBackEngine
import TextBackStorage

/// A refusal shown as an HTML page with its status.
struct DashboardProblem: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    init(_ status: HTTPResponse.Status, _ message: String) { self.status = status; self.message = message }
}

/// Ends a request with a redirect (303 See Other, so the browser follows with a GET).
struct DashboardRedirect: Error, Sendable {
    var location: String
    var setCookies: [String] = []
}

struct Dashboard: Sendable {
    let api: Handlers
    let sessions: DashboardSessions
    /// The shared store and clock (every business's engine uses the same).
    var engine: Engine { api.engine }
    var store: any Store { api.engine.store }
    var settings: ServerSettings { api.settings }

    /// Larger than an API body: a do-not-contact list of a few hundred thousand numbers.
    static let uploadLimit = 32 << 20

    init(api: Handlers) {
        self.api = api
        sessions = DashboardSessions(apiToken: api.settings.apiToken)
    }

    func register(on router: Router<TextBackRequestContext>) {
        let pages = router.group().add(middleware: DashboardMiddleware(dashboard: self))
        pages.get("/") { request, context in try await overview(request, context) }
        pages.get("/login") { request, _ in try loginPage(request) }
        pages.post("/login") { request, _ in try await signIn(request) }
        pages.post("/logout") { request, context in try await signOut(request, context) }
        pages.get("/conversations") { request, context in try await conversations(request, context) }
        pages.get("/conversations/:id") { request, context in try await conversation(request, context) }
        pages.post("/conversations/:id/reply") { request, context in try await reply(request, context) }
        pages.post("/conversations/:id/release") { request, context in try await release(request, context) }
        pages.get("/contacts/:phone") { request, context in try await contactTimeline(request, context) }
        pages.get("/messages") { request, context in try await messages(request, context) }
        pages.get("/automations") { request, context in try await automations(request, context) }
        pages.get("/automations/:id/dry-run") { request, context in try await dryRun(request, context) }
        pages.get("/suppressions") { request, context in try await suppressions(request, context) }
        pages.post("/suppressions") { request, context in try await addSuppression(request, context) }
        pages.post("/suppressions/remove") { request, context in try await removeSuppression(request, context) }
        pages.post("/suppressions/import") { request, context in try await importSuppressions(request, context) }
    }

    // MARK: Sessions

    /// A signed-in visitor: the session, the request context carrying its caller (for the API's own
    /// scope checks), and what it may see (`?business=` read as on /v1: another business is a 404).
    struct Visit {
        var session: DashboardSession
        var context: TextBackRequestContext
        var access: Access
    }

    /// The signed-in visit, else a redirect to the sign-in page.
    func visit(_ request: Request, _ context: TextBackRequestContext) throws -> Visit {
        guard let value = DashboardSessions.cookie(DashboardSessions.cookieName, in: request),
              let session = sessions.verify(value, now: engine.clock.now()) else {
            throw DashboardRedirect(location: "/login")
        }
        return try visit(session, request, context)
    }

    func visit(_ session: DashboardSession, _ request: Request, _ context: TextBackRequestContext) throws -> Visit {
        var scoped = context
        scoped.caller = session.caller
        return Visit(session: session, context: scoped, access: try api.access(request, scoped))
    }

    /// A state-changing post: from our own pages (same origin), signed in, with the form's CSRF token.
    /// Checked in that order, before the form is acted on.
    func post(_ request: Request, _ context: TextBackRequestContext, limit: Int = 1 << 20) async throws -> (Visit, DashboardForm) {
        try requireSameOrigin(request)
        guard let value = DashboardSessions.cookie(DashboardSessions.cookieName, in: request),
              let session = sessions.verify(value, now: engine.clock.now()) else {
            throw DashboardProblem(.forbidden, "You are not signed in, or your session has expired. Sign in again, then repeat this.")
        }
        let form = try await DashboardForm.read(request, limit: limit)
        guard sessions.csrfIsValid(form["csrf"], for: session.nonce) else {
            throw DashboardProblem(.forbidden, "This form is out of date or did not come from this dashboard (its CSRF token is missing or wrong). Reload the page and try again.")
        }
        return (try visit(session, request, context), form)
    }

    func requireSameOrigin(_ request: Request) throws {
        guard DashboardSessions.isSameOrigin(request, publicURL: settings.publicURL) else {
            throw DashboardProblem(.forbidden, "Refused: this request came from another site.")
        }
    }

    /// Cookies marked Secure when the browser reached us over https.
    func secure(_ request: Request) -> Bool {
        (request.headers[.forwardedProto] ?? request.head.scheme) == "https" || settings.publicURL?.hasPrefix("https://") == true
    }

    func loginPage(_ request: Request, status: HTTPResponse.Status = .ok, problem: String? = nil) throws -> Response {
        // The sign-in form is bound to a nonce of its own, kept in a short-lived cookie.
        let nonce = DashboardSessions.randomNonce()
        // Before sign-in, an install of several businesses (an agency's clients) names none of them.
        let engines = api.tenancy.current.engines
        let business = engines.count == 1 ? engines[0].configuration.business.name : "\(engines.count) businesses"
        var response = DashboardPages.login(csrf: sessions.csrfToken(for: "login.\(nonce)"), business: business,
                                            problem: problem, status: status)
        response.headers[values: .setCookie].append(DashboardSessions.setCookie(DashboardSessions.loginCookieName, nonce, maxAge: 3600,
                                                                                secure: secure(request)))
        return response
    }

    func signIn(_ request: Request) async throws -> Response {
        try requireSameOrigin(request)
        let form = try await DashboardForm.read(request, limit: 64 << 10)
        guard let nonce = DashboardSessions.cookie(DashboardSessions.loginCookieName, in: request),
              sessions.csrfIsValid(form["csrf"], for: "login.\(nonce)") else {
            return try loginPage(request, status: .forbidden, problem: "The sign-in form expired or did not come from this dashboard. Try again.")
        }
        // The admin token or a business's own, exactly as /v1 tells them apart.
        guard let token = form["token"], let caller = BearerAuthMiddleware.caller(presenting: Array(token.utf8), adminToken: settings.apiToken,
                                                                                   tenants: api.tenancy.current) else {
            return try loginPage(request, status: .unauthorized, problem: "That is not an API token of this server.")
        }
        let issued = sessions.issue(for: caller, now: engine.clock.now())
        throw DashboardRedirect(location: "/", setCookies: [
            DashboardSessions.setCookie(DashboardSessions.cookieName, issued.value, maxAge: Int(DashboardSessions.lifetime), secure: secure(request)),
            DashboardSessions.setCookie(DashboardSessions.loginCookieName, "", maxAge: 0, secure: secure(request)),
        ])
    }

    func signOut(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        _ = try await post(request, context)
        throw DashboardRedirect(location: "/login", setCookies: [
            DashboardSessions.setCookie(DashboardSessions.cookieName, "", maxAge: 0, secure: secure(request)),
        ])
    }

    /// The shared frame of every signed-in page: the business shown (one, or every business for the
    /// admin), its time zone (over every business, the first's, as /v1/metrics counts days), the
    /// business picker for an admin of several, and the session's CSRF token.
    func frame(_ visit: Visit, section: DashboardPages.Section) -> DashboardPages.Frame {
        let tenants = visit.access.tenants
        let shown = visit.access.scope.only.flatMap(tenants.engine(for:)) ?? tenants.primary
        let name = visit.access.scope.only != nil || tenants.engines.count == 1 ? shown.configuration.business.name : "All businesses"
        var choices: [(id: String?, name: String)] = []
        if visit.session.caller == .admin, tenants.engines.count > 1 {
            choices = [(nil, "All businesses")] + tenants.engines.map { ($0.business.rawValue, $0.configuration.business.name) }
        }
        return DashboardPages.Frame(business: name, section: section, csrf: sessions.csrfToken(for: visit.session.nonce),
                                    time: LocalTime(zone: shown.configuration.business.timeZone),
                                    selected: visit.session.caller == .admin ? visit.access.scope.only?.rawValue : nil, choices: choices)
    }

    /// The engine of the one business a page acts for (a 400 asking for `?business=` when the admin of
    /// several named none).
    func business(_ visit: Visit) throws -> Engine { try api.requireBusiness(visit.access) }
}

/// Renders refusals and redirects of the dashboard's routes as HTML, never as problem+json.
struct DashboardMiddleware: RouterMiddleware {
    let dashboard: Dashboard

    func handle(_ request: Request, context: TextBackRequestContext,
                next: (Request, TextBackRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as DashboardRedirect {
            var response = Response(status: .seeOther, headers: [.location: redirect.location])
            for cookie in redirect.setCookies { response.headers[values: .setCookie].append(cookie) }
            return response
        } catch let problem as DashboardProblem {
            return DashboardPages.problem(problem.status, problem.message)
        } catch let problem as APIProblem {
            return DashboardPages.problem(problem.status, problem.detail)
        } catch StoreError.invalidCursor {
            return DashboardPages.problem(.badRequest, "That page link is not valid any more; start from the first page.")
        } catch let error as HTTPError {
            return DashboardPages.problem(error.status, error.body ?? error.status.reasonPhrase)
        } catch is NIOTooManyBytesError {
            return DashboardPages.problem(.contentTooLarge, "The upload is larger than the \(Dashboard.uploadLimit >> 20) MiB allowed.")
        }
    }
}

/// Instants shown in one time zone (the business's), e.g. "Tue 3 Mar 12:00 CST".
struct LocalTime {
    let zone: TimeZone
    private let formatter: DateFormatter
    private let dayFormatter: DateFormatter

    init(zone identifier: String) {
        zone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0) ?? .current
        formatter = Self.formatter("EEE d MMM HH:mm zzz", zone)
        dayFormatter = Self.formatter("EEE d", zone)
    }

    private static func formatter(_ format: String, _ zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }

    func format(_ date: Date) -> String { formatter.string(from: date) }

    /// Midnight of the day `date` falls on, in this zone.
    func startOfDay(_ date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.startOfDay(for: date)
    }

    func adding(days: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(byAdding: .day, value: days, to: date) ?? date.addingTimeInterval(Double(days) * 86_400)
    }

    /// "Tue 3" for a chart's axis.
    func day(_ date: Date) -> String { dayFormatter.string(from: date) }
}
