// The dashboard through the real router: sign-in and the session cookie, refusals of posts without a
// session, without the form's CSRF token or from another site, the overview's figures, conversations
// (needs-human first) and a person's reply reaching the store and the carrier, the timeline in the
// business's zone, escaping of attacker-controlled text, suppressions (add, remove, CSV import) and the
// dry run of a draft automation. Real SQLite file, virtual clock (DashboardTests never sleep).

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TextBackServer
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage

/// A browser's view of the dashboard for router tests: its cookies and the CSRF token of the last page.
struct DashboardVisitor {
    var cookies: [String: String] = [:]
    var csrf: String?

    var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    mutating func remember(_ result: HTTPResult) {
        for header in result.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
        }
        if let token = Self.csrf(in: result.body) { csrf = token }
    }

    static func csrf(in html: String) -> String? {
        guard let start = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    mutating func get(_ client: any TestClientProtocol, _ uri: String) async throws -> HTTPResult {
        let result = try await client.call(uri, headers: cookies.isEmpty ? [:] : [.cookie: cookieHeader], auth: false)
        remember(result)
        return result
    }

    /// Posts a form as the page would, with the page's CSRF token unless `fields` says otherwise.
    mutating func post(_ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)], withCSRF: Bool = true,
                       headers extra: HTTPFields = [:]) async throws -> HTTPResult {
        var pairs = fields
        if withCSRF, let csrf { pairs.append(("csrf", csrf)) }
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        let body = FormEncoding.encode(pairs)
        let result = try await client.call(uri, .post, raw: body, headers: headers, auth: false)
        remember(result)
        return result
    }

    mutating func signIn(_ client: any TestClientProtocol, token: String = apiToken) async throws -> HTTPResult {
        _ = try await get(client, "/login")
        return try await post(client, "/login", [("token", token)])
    }
}

/// Dana's missed call, its text, and her question (with markup in it) that hands the thread to a person;
/// Bo's call that connected. The clock is then Tuesday 2026-03-03 18:03 UTC (12:03 in Chicago).
let hostileQuestion = "who is this? <script>alert(1)</script>"

func seedDashboard(_ harness: Harness, _ client: any TestClientProtocol) async throws {
    #expect(try await client.postCall(callEvent()).status == .accepted)
    #expect(try await client.postCall(callEvent(id: "c-1002", outcome: "completed", contact: "+14155550124", duration: 95)).status == .accepted)
    try await harness.advance(120)
    try await harness.advance(60)
    try await client.reply(hostileQuestion)
    try await harness.advance(0)
}

func conversationID(_ harness: Harness) async throws -> String {
    let waiting = try await harness.store.conversations(scope: .all, state: .needsHuman, phone: nil, limit: 10, after: nil).items
    return try #require(waiting.first?.0.id.rawValue)
}

@Suite struct DashboardTests {
    @Test func signingInSetsAnHttpOnlyStrictCookieThatCarriesNoToken() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            var visitor = DashboardVisitor()
            let anonymous = try await visitor.get(client, "/")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login")

            let form = try await visitor.get(client, "/login")
            #expect(form.status == .ok)
            #expect(form.body.contains("name=\"token\""))
            #expect(visitor.cookies["tb_login"] != nil)

            let wrong = try await visitor.post(client, "/login", [("token", "not-the-token")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("not an API token"))
            #expect(visitor.cookies["tb_session"] == nil)

            var forger = visitor
            forger.csrf = "forged"
            #expect(try await forger.post(client, "/login", [("token", apiToken)]).status == .forbidden)

            let signedIn = try await visitor.post(client, "/login", [("token", apiToken)])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("tb_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains(apiToken))
            #expect(cookie.contains("Max-Age=43200"))

            let overview = try await visitor.get(client, "/")
            #expect(overview.status == .ok)
            #expect(overview.headers[.contentType] == "text/html; charset=utf-8")
            #expect(overview.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(overview.body.contains("<h1>Overview</h1>"))
            #expect(!overview.body.contains("<script"), "readable without JavaScript: there is none")

            let out = try await visitor.post(client, "/logout", [])
            #expect(out.status == .seeOther)
            #expect(visitor.cookies["tb_session"] == nil)
            #expect(try await visitor.get(client, "/").status == .seeOther)
        }
    }

    @Test func aForgedOrExpiredSessionIsNoSession() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            var visitor = DashboardVisitor()
            _ = try await visitor.signIn(client)
            let value = try #require(visitor.cookies["tb_session"])
            #expect(try await visitor.get(client, "/messages").status == .ok)

            // A later expiry with the old MAC.
            var forged = visitor
            let parts = value.split(separator: ".")
            forged.cookies["tb_session"] = "v1.\((Int(parts[1]) ?? 0) + 86_400).\(parts[2]).\(parts[3]).\(parts[4])"
            #expect(try await forged.get(client, "/messages").status == .seeOther)
            // Someone else's server (another token) signs differently.
            let other = DashboardSessions(apiToken: "another-token").issue(for: .admin, now: harness.clock.now()).value
            forged.cookies["tb_session"] = other
            #expect(try await forged.get(client, "/messages").status == .seeOther)

            harness.clock.advance(12 * 3600 - 1)
            #expect(try await visitor.get(client, "/messages").status == .ok)
            harness.clock.advance(1)
            let expired = try await visitor.get(client, "/messages")
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location] == "/login")
        }
    }

    @Test func theOverviewShowsTheFunnelWithDenominatorsAndADailyChart() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await seedDashboard(harness, client)
            var visitor = DashboardVisitor()
            _ = try await visitor.signIn(client)
            let page = try await visitor.get(client, "/")
            #expect(page.status == .ok)
            // The same rows `textback report` prints: two calls, one missed, eligible, texted, replied.
            #expect(page.body.contains("<th scope=\"row\">Calls</th><td>2</td>"))
            #expect(page.body.contains("<th scope=\"row\">Missed calls</th><td>1</td>"))
            #expect(page.body.contains("<th scope=\"row\">Eligible calls</th><td>1 / 1 missed calls (100.0%)</td>"))
            #expect(page.body.contains("<th scope=\"row\">Reply rate</th><td>1 / 1 texted contacts (100.0%)</td>"))
            #expect(page.body.contains("<th scope=\"row\">Opt-out rate</th><td>0 / 1 texted contacts (0.0%)</td>"))
            // Seven days ending today (Tuesday 3 March in Chicago), one group of bars each.
            #expect(page.body.contains("<svg role=\"img\""))
            #expect(page.body.contains("<title>Tue 3: Missed calls 1</title>"))
            #expect(page.body.contains("<title>Tue 3: Texts sent 1</title>"))
            #expect(page.body.contains("<title>Wed 25: Texts sent 0</title>"))
            #expect(page.body.components(separatedBy: "</title></rect>").count - 1 == 7 * 3)
            #expect(page.body.contains("<td>missed-call-textback</td>"))
            // The one text's template, written and sent once, replied to by its one texted contact.
            let byTemplate = try #require(page.body.range(of: "<h2>By template</h2>"))
            let templateSection = page.body[byTemplate.upperBound...]
            #expect(!templateSection.contains("No texts in this range."))
            #expect(templateSection.contains("<td class=\"num\">1</td><td class=\"num\">1</td>"))
            #expect(templateSection.contains("<td>1 / 1 (100.0%)</td></tr>"))

            let month = try await visitor.get(client, "/?days=30")
            #expect(month.body.components(separatedBy: "</title></rect>").count - 1 == 30 * 3)
            #expect(try await visitor.get(client, "/?days=0").status == .badRequest)
        }
    }

    @Test func needsHumanComesFirstAndAPersonsReplyGoesThroughTheEngine() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await seedDashboard(harness, client)
            let id = try await conversationID(harness)
            var visitor = DashboardVisitor()
            _ = try await visitor.signIn(client)

            let list = try await visitor.get(client, "/conversations")
            let needs = try #require(list.body.range(of: "Needs a person (1)"))
            let others = try #require(list.body.range(of: "Other conversations"))
            let link = try #require(list.body.range(of: "href=\"/conversations/\(id)\""))
            #expect(needs.upperBound < link.lowerBound && link.upperBound < others.lowerBound)
            // The contact's text is shown as text, never as markup.
            #expect(list.body.contains("who is this? &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!list.body.contains("<script>"))

            let thread = try await visitor.get(client, "/conversations/\(id)")
            #expect(thread.status == .ok)
            #expect(thread.body.contains("&lt;script&gt;"))
            #expect(thread.body.contains("name=\"body\""))

            let sent = try await visitor.post(client, "/conversations/\(id)/reply", [("body", "Hi Dana, this is Sam at Acme & Co. <b>Calling</b> now.")])
            #expect(sent.status == .seeOther)
            #expect(sent.headers[.location] == "/conversations/\(id)?notice=sent")
            let detail = try #require(try await harness.store.conversation(ConversationID(id), scope: .all))
            let reply = try #require(detail.messages.last)
            #expect(reply.kind == .reply)
            #expect(reply.body == "Hi Dana, this is Sam at Acme & Co. <b>Calling</b> now.")
            try await harness.advance(0)
            #expect(try await client.bodies(to: dana).last == "Hi Dana, this is Sam at Acme & Co. <b>Calling</b> now.")
            let after = try await visitor.get(client, "/conversations/\(id)?notice=sent")
            #expect(after.body.contains("Your reply is queued"))
            #expect(after.body.contains("Acme &amp; Co. &lt;b&gt;Calling&lt;/b&gt; now."))

            #expect(try await visitor.post(client, "/conversations/\(id)/reply", [("body", "   ")]).status == .badRequest)
            #expect(try await visitor.post(client, "/conversations/nope/reply", [("body", "hello")]).status == .notFound)

            let released = try await visitor.post(client, "/conversations/\(id)/release", [])
            #expect(released.status == .seeOther)
            #expect(try await harness.store.conversation(ConversationID(id), scope: .all)?.conversation.state == .open)
            #expect(try await visitor.post(client, "/conversations/\(id)/release", []).status == .conflict)
        }
    }

    @Test func postsWithoutASessionATokenOrFromAnotherSiteAreRefusedAndChangeNothing() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await seedDashboard(harness, client)
            let id = try await conversationID(harness)
            var visitor = DashboardVisitor()
            _ = try await visitor.signIn(client)
            _ = try await visitor.get(client, "/conversations/\(id)")
            let before = try await harness.store.conversation(ConversationID(id), scope: .all)?.messages.count
            let reply = [("body", "forged reply")]

            var anonymous = DashboardVisitor()
            anonymous.csrf = visitor.csrf
            let noSession = try await anonymous.post(client, "/conversations/\(id)/reply", reply)
            #expect(noSession.status == .forbidden)
            #expect(noSession.body.contains("not signed in"))
            let noToken = try await visitor.post(client, "/conversations/\(id)/reply", reply, withCSRF: false)
            #expect(noToken.status == .forbidden)
            #expect(noToken.body.contains("CSRF"))
            var wrongToken = visitor
            wrongToken.csrf = DashboardSessions(apiToken: apiToken).csrfToken(for: "another-session")
            #expect(try await wrongToken.post(client, "/conversations/\(id)/reply", reply).status == .forbidden)
            let foreign = try await visitor.post(client, "/conversations/\(id)/reply", reply, headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden)
            #expect(foreign.body.contains("another site"))
            let opaque = try await visitor.post(client, "/conversations/\(id)/reply", reply, headers: [.origin: "null"])
            #expect(opaque.status == .forbidden)
            let crossSite = try await visitor.post(client, "/suppressions", [("phone", "+14155550199")], headers: [.secFetchSite: "cross-site"])
            #expect(crossSite.status == .forbidden)
            var stranger = DashboardVisitor()
            _ = try await stranger.get(client, "/login")
            let foreignLogin = try await stranger.post(client, "/login", [("token", apiToken)], headers: [.origin: "https://evil.example"])
            #expect(foreignLogin.status == .forbidden)

            #expect(try await harness.store.conversation(ConversationID(id), scope: .all)?.messages.count == before)
            #expect(try await harness.store.suppression(phone: PhoneNumber(parsing: "+14155550199"), channel: "sms", for: nil) == nil)
            // Our own origin, as the browser names it behind a proxy, is accepted.
            let own = try await visitor.post(client, "/conversations/\(id)/reply", [("body", "from our page")],
                                             headers: [.origin: "https://dash.example", .forwardedHost: "dash.example"])
            #expect(own.status == .seeOther)
        }
    }

    @Test func theTimelineShowsEveryDecisionsSentenceInTheBusinessZone() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await seedDashboard(harness, client)
            var visitor = DashboardVisitor()
            _ = try await visitor.signIn(client)
            let page = try await visitor.get(client, "/contacts/\(dana)")
            #expect(page.status == .ok)
            let contact = try #require(try await harness.store.contact(phone: PhoneNumber(parsing: dana), business: .default))
            let decisions = try await harness.store.timeline(contactID: contact.id, scope: .all).compactMap { entry -> DecisionRecord? in
                if case .decision(let d) = entry { return d } else { return nil }
            }
            #expect(decisions.count >= 2)
            for decision in decisions { #expect(page.body.contains(HTML.escape(decision.sentence)), "\(decision.sentence)") }
            // The call at 18:00 UTC and the text at 18:02 UTC, shown in Chicago's time.
            #expect(page.body.contains(">Tue 3 Mar 12:00 CST</time>"))
            #expect(page.body.contains(">Tue 3 Mar 12:02 CST</time>"))
            #expect(page.body.contains("Times in America/Chicago"))
            #expect(try await visitor.get(client, "/contacts/+14155550999").status == .notFound)

            let messages = try await visitor.get(client, "/messages")
            #expect(messages.body.contains("Hey Dana, Acme Home Services here."))
            #expect(messages.body.contains("<span class=\"badge sent\">sent</span>"))
            #expect(messages.body.contains("&lt;script&gt;"))
        }
    }

    @Test func aFailedTextShowsItsCodeAndWhatItMeans() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await seedDashboard(harness, client)
            let message = try #require(try await harness.store.messages(scope: .all, limit: 10, after: nil).items.first { $0.kind == .automated })
            var failed = message
            failed.status = .failed
            failed.errorCode = "30007"
            failed.error = "the carrier filtered the message as spam"
            #expect(DashboardPages.delivery(failed).markup
                    == "<span class=\"badge failed\">failed</span> <code>30007</code> <span class=\"small\">the carrier filtered the message as spam</span>")
        }
    }

    @Test func suppressionsAreAddedRemovedAndImportedWithCounts() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            var visitor = DashboardVisitor()
            _ = try await visitor.signIn(client)
            _ = try await visitor.get(client, "/suppressions")
            let added = try await visitor.post(client, "/suppressions", [("phone", "(415) 555-0161"), ("reason", "asked by phone")])
            #expect(added.status == .seeOther)
            #expect(added.headers[.location] == "/suppressions?notice=added")
            let stored = try #require(try await harness.store.suppression(phone: PhoneNumber(parsing: "+14155550161"), channel: "sms", for: nil))
            #expect(stored.reason == "asked by phone")
            #expect(stored.source == "dashboard")
            #expect(try await visitor.post(client, "/suppressions", [("phone", "+14155550161")]).headers[.location] == "/suppressions?notice=present")
            let invalid = try await visitor.post(client, "/suppressions", [("phone", "12")])
            #expect(invalid.status == .badRequest)
            #expect(invalid.body.contains("not a valid phone number"))

            let csv = "phone,reason\n+14155550161,dnc\n+14155550162,dnc\n(415) 555-0163,\nnot a number,dnc\n"
            let boundary = "----textback-test-boundary"
            let body = [
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(visitor.csrf ?? "")\r\n",
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dnc.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n",
                "--\(boundary)--\r\n",
            ].joined()
            let imported = try await client.call("/suppressions/import", .post, raw: body, headers: [
                .contentType: "multipart/form-data; boundary=\(boundary)", .cookie: visitor.cookieHeader,
            ], auth: false)
            #expect(imported.status == .ok)
            #expect(imported.body.contains("<strong class=\"added\">2</strong> added"))
            #expect(imported.body.contains("<strong class=\"duplicate\">1</strong> already on the list"))
            #expect(imported.body.contains("<strong class=\"invalid\">1</strong> invalid, of 4 rows"))
            #expect(imported.body.contains("<li>line 5:"))
            #expect(imported.body.contains("4 rows read…"), "progress is written as the import goes")
            #expect(imported.body.hasSuffix("</html>"))
            #expect(try await harness.store.suppression(phone: PhoneNumber(parsing: "+14155550163"), channel: "sms", for: nil) != nil)

            let listed = try await visitor.get(client, "/suppressions")
            #expect(listed.body.contains("+14155550162"))
            let removed = try await visitor.post(client, "/suppressions/remove", [("phone", "+14155550162"), ("channel", "sms")])
            #expect(removed.status == .seeOther)
            #expect(try await harness.store.suppression(phone: PhoneNumber(parsing: "+14155550162"), channel: "sms", for: nil) == nil)
            #expect(try await visitor.post(client, "/suppressions/remove", [("phone", "+14155550162")]).status == .notFound)

            let unsigned = try await client.call("/suppressions/import", .post, raw: body.replacingOccurrences(of: visitor.csrf ?? "", with: "x"), headers: [
                .contentType: "multipart/form-data; boundary=\(boundary)", .cookie: visitor.cookieHeader,
            ], auth: false)
            #expect(unsigned.status == .forbidden)
        }
    }

    @Test func theDryRunShowsWhatADraftAutomationWouldHaveSentAndSendsNothing() async throws {
        var configuration = try ConfigurationLoader.demo()
        configuration.automations[0].status = .draft
        let harness = try await Harness(configuration: configuration)
        try await harness.test { client in
            #expect(try await client.postCall(callEvent()).status == .accepted)
            try await harness.advance(3600)
            #expect(try await client.outbox().isEmpty, "a draft never runs")
            var visitor = DashboardVisitor()
            _ = try await visitor.signIn(client)
            let list = try await visitor.get(client, "/automations")
            #expect(list.body.contains("<span class=\"badge draft\">draft</span>"))
            #expect(list.body.contains("action=\"/automations/missed-call-textback/dry-run\""))
            #expect(list.body.contains("send home_services"))

            let page = try await visitor.get(client, "/automations/missed-call-textback/dry-run?days=1")
            #expect(page.status == .ok)
            #expect(page.body.contains("would be texted: <strong>1</strong>"))
            // The text two minutes after the call, in Dana's own zone.
            #expect(page.body.contains("Tue 3 Mar 10:02 PST (America/Los_Angeles) from +15125550100"))
            #expect(page.body.contains("Hey Dana, Acme Home Services here."))
            #expect(try await client.outbox().isEmpty, "the dry run sent nothing")
            #expect(try await harness.store.messages(scope: .all, limit: 10, after: nil).items.isEmpty, "and wrote nothing")
            #expect(try await visitor.get(client, "/automations/nope/dry-run").status == .notFound)
        }
    }

    @Test func aBusinessSessionSeesOnlyItsBusinessAndTheAdminPicksOne() async throws {
        let harness = try await TenancyHarness(boltTimeZone: "America/New_York")
        try await harness.test { client in
            try await client.postCall(callEvent(id: "b-1", contact: "+14155550199", business: boltNumber))
            try await harness.advance(0)
            try await harness.advance(120)
            let thread = try #require(try await harness.store.conversations(scope: .all, state: nil, phone: nil, limit: 10, after: nil).items.first?.0.id.rawValue)

            var stranger = DashboardVisitor()
            let login = try await stranger.get(client, "/login")
            #expect(login.body.contains("2 businesses"), "before sign-in no client of the install is named")
            #expect(!login.body.contains("Bolt Insurance"))

            var acme = DashboardVisitor()
            #expect(try await acme.signIn(client, token: acmeToken).status == .seeOther)
            let acmeList = try await acme.get(client, "/conversations")
            #expect(acmeList.body.contains("Acme Home Services"))
            #expect(!acmeList.body.contains(thread))
            #expect(try await acme.get(client, "/conversations/\(thread)").status == .notFound)
            #expect(try await acme.get(client, "/contacts/+14155550199").status == .notFound)
            #expect(try await acme.get(client, "/?business=bolt").status == .notFound)
            _ = try await acme.get(client, "/conversations")
            #expect(try await acme.post(client, "/conversations/\(thread)/reply", [("body", "hello from acme")]).status == .notFound)
            #expect(try await harness.store.conversation(ConversationID(thread), scope: .all)?.messages.count == 1, "nothing written")

            var bolt = DashboardVisitor()
            _ = try await bolt.signIn(client, token: boltToken)
            let boltThread = try await bolt.get(client, "/conversations/\(thread)")
            #expect(boltThread.status == .ok)
            #expect(boltThread.body.contains("Bolt Insurance"))
            // Bolt's own zone: its text at 18:02 UTC is 13:02 in New York (Acme's pages would say 12:02 CST).
            #expect(boltThread.body.contains("Times in America/New_York"))
            #expect(boltThread.body.contains(">Tue 3 Mar 13:02 EST</time>"), "\(boltThread.body)")
            #expect(try await bolt.post(client, "/conversations/\(thread)/reply", [("body", "Bolt here, calling now")]).status == .seeOther)
            #expect(try await harness.store.conversation(ConversationID(thread), scope: .all)?.messages.last?.body == "Bolt here, calling now")

            var admin = DashboardVisitor()
            _ = try await admin.signIn(client)
            let all = try await admin.get(client, "/")
            #expect(all.body.contains("Business: <strong>All businesses</strong>"))
            #expect(all.body.contains("<a href=\"/?business=bolt\">Bolt Insurance</a>"))
            let everyone = try await admin.get(client, "/conversations")
            #expect(everyone.body.contains("href=\"/contacts/+14155550199?business=bolt\""), "over every business, a contact link names its business")
            #expect(try await admin.get(client, "/contacts/+14155550199?business=bolt").status == .ok)
            let one = try await admin.get(client, "/conversations?business=bolt")
            #expect(one.body.contains("<strong>Bolt Insurance</strong>"))
            #expect(one.body.contains("Times in America/New_York"))
            #expect(all.body.contains("Times in America/Chicago"), "over every business, the first business's zone")
            #expect(one.body.contains("href=\"/conversations/\(thread)?business=bolt\""), "links keep the chosen business")
            #expect(try await admin.get(client, "/?business=nope").status == .notFound)
        }
    }

    @Test func htmlEscapesTextAndKeepsMarkup() {
        let body = "<img src=x onerror=alert(1)> & \"quotes\" 'single'"
        let fragment: HTML = "<p title=\"\(body)\">\(body)</p>"
        #expect(fragment.markup == "<p title=\"&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;single&#39;\">"
                + "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;single&#39;</p>")
        let nested: HTML = "<div>\(fragment)</div>"
        #expect(nested.markup.hasPrefix("<div><p title="))
        #expect(HTML.pathSegment("../a b/+1?x#y") == "..%2Fa%20b%2F+1%3Fx%23y")
    }

    @Test func multipartBodiesAreReadAndMalformedOnesRefused() throws {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nt0k\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nphone\r\n+14155550123\r\n--b--\r\n".utf8)
        let form = try DashboardForm.multipart(body, boundary: "b")
        #expect(form["csrf"] == "t0k")
        #expect(form.files["file"] == Data("phone\r\n+14155550123".utf8))
        #expect(throws: DashboardProblem.self) { try DashboardForm.multipart(Array("--b\r\nno headers end".utf8), boundary: "b") }
        #expect(DashboardForm.boundary("multipart/form-data; boundary=\"x-y\"") == "x-y")
    }
}
