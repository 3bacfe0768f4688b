// The dashboard's frame (navigation, sign-out, the style sheet inline: no CDN, no script), the
// sign-in page, error pages, and the small pieces every page uses (status badges, links, forms).

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TextBackCore
import TextBackStorage

enum DashboardPages {
    enum Section: String, CaseIterable {
        case overview, conversations, messages, automations, suppressions

        var path: String { self == .overview ? "/" : "/\(rawValue)" }
        var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    /// What every signed-in page needs: the business, where we are, the session's CSRF token, the clock face.
    struct Frame {
        var business: String
        var section: Section
        var csrf: String
        var time: LocalTime
        /// The business an admin chose (`?business=`), carried on every link and form of the page.
        var selected: String? = nil
        /// For an admin of several businesses: every business (nil id: all of them) to switch to.
        var choices: [(id: String?, name: String)] = []

        /// A path of ours with the chosen business, if any.
        func link(_ path: String) -> String {
            guard let selected else { return path }
            return path + (path.contains("?") ? "&" : "?") + "business=" + HTML.pathSegment(selected)
        }

        /// For a GET form (its fields replace the action's query): the chosen business as a field.
        var businessField: HTML {
            selected.map { "<input type=\"hidden\" name=\"business\" value=\"\($0)\">" } ?? .empty
        }

        func page(_ title: String, _ content: HTML, status: HTTPResponse.Status = .ok) -> Response {
            let parts = pageParts(title)
            return DashboardPages.response(HTML(joining: [parts.head, content, parts.tail]), status: status)
        }

        /// The page before and after its content, for a page written while work goes on.
        func pageParts(_ title: String) -> (head: HTML, tail: HTML) {
            let links = Section.allCases.map { section -> HTML in
                section == self.section
                    ? "<a href=\"\(link(section.path))\" aria-current=\"page\">\(section.title)</a>"
                    : "<a href=\"\(link(section.path))\">\(section.title)</a>"
            }
            let picker = choices.map { choice -> HTML in
                let target = choice.id.map { "/?business=\(HTML.pathSegment($0))" } ?? "/"
                return choice.id == selected ? "<strong>\(choice.name)</strong> " : "<a href=\"\(target)\">\(choice.name)</a> "
            }
            let header: HTML = """
                <header><strong>TextBack</strong> <span class="muted">\(business)</span>
                <nav>\(links)</nav>
                <form method="post" action="/logout" class="inline">\(csrfField)<button type="submit">Sign out</button></form>
                </header>\(choices.isEmpty ? HTML.empty : "<nav class=\"businesses small\">Business: \(picker)</nav>")
                """
            let shell = DashboardPages.shell(title: title)
            return ("\(shell.head)\(header)<main><h1>\(title)</h1><p class=\"muted small\">Times in \(time.zone.identifier).</p>",
                    "</main>\(shell.tail)")
        }

        var csrfField: HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">" }

        func when(_ date: Date) -> HTML { "<time datetime=\"\(ISO8601Timestamp.format(date))\">\(time.format(date))</time>" }
    }

    /// The document around a page's body.
    static func shell(title: String) -> (head: HTML, tail: HTML) {
        let head: HTML = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · TextBack</title><style>\(style)</style></head><body>
            """
        return (head, "</body></html>")
    }

    static func document(title: String, body: HTML, status: HTTPResponse.Status) -> Response {
        let shell = shell(title: title)
        return response(HTML(joining: [shell.head, body, shell.tail]), status: status)
    }

    static var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        // No scripts, no frames, nothing from elsewhere; forms post only here.
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        return headers
    }

    static func response(_ page: HTML, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.markup)))
    }

    static func login(csrf: String, business: String, problem: String?, status: HTTPResponse.Status) -> Response {
        let notice: HTML = problem.map { "<p class=\"problem\" role=\"alert\">\($0)</p>" } ?? .empty
        return document(title: "Sign in", body: """
            <main class="narrow"><h1>TextBack</h1><p class="muted">\(business)</p>\(notice)
            <form method="post" action="/login">
            <input type="hidden" name="csrf" value="\(csrf)">
            <label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
            <button type="submit">Sign in</button></form>
            <p class="muted small">The token <code>textback serve</code> printed, or <code>TEXTBACK_API_TOKEN</code>.</p></main>
            """, status: status)
    }

    static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
        document(title: "\(status.code) \(status.reasonPhrase)", body: """
            <main class="narrow"><h1>\(status.code) \(status.reasonPhrase)</h1><p class="problem" role="alert">\(message)</p>
            <p><a href="/">Back to the dashboard</a></p></main>
            """, status: status)
    }

    // MARK: Pieces

    static func badge(_ word: String) -> HTML { "<span class=\"badge \(word)\">\(word.replacingOccurrences(of: "_", with: " "))</span>" }

    /// A contact's timeline. A contact belongs to one business: over every business, the link names
    /// `owner` (the business of our number in the exchange) so the page knows whose contact it is.
    static func contactLink(_ phone: PhoneNumber, _ frame: Frame, of owner: BusinessID? = nil) -> HTML {
        var path = "/contacts/" + HTML.pathSegment(phone.e164)
        if frame.selected == nil, !frame.choices.isEmpty, let owner { path += "?business=" + HTML.pathSegment(owner.rawValue) }
        return "<a href=\"\(frame.link(path))\">\(phone.e164)</a>"
    }

    static func table(_ headings: [String], _ rows: [HTML], empty: String) -> HTML {
        guard !rows.isEmpty else { return "<p class=\"muted\">\(empty)</p>" }
        let head = headings.map { heading -> HTML in "<th scope=\"col\">\(heading)</th>" }
        return "<table><thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table>"
    }

    static func notice(_ text: String?) -> HTML {
        text.map { "<p class=\"notice\" role=\"status\">\($0)</p>" } ?? .empty
    }

    /// A message's status, and when it failed, the carrier's code and what it means.
    static func delivery(_ message: MessageRecord) -> HTML {
        var parts: [HTML] = [badge(message.status.rawValue)]
        if let code = message.errorCode { parts.append(" <code>\(code)</code>") }
        if let meaning = message.error { parts.append(" <span class=\"small\">\(meaning)</span>") }
        return HTML(joining: parts)
    }

    static let style: HTML = """
        body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2530;background:#f6f7f9}
        header{display:flex;gap:1.2em;align-items:center;flex-wrap:wrap;padding:.6em 1.2em;background:#1d2530;color:#fff}
        header a{color:#cfe3ff;text-decoration:none;margin-right:.9em}header a[aria-current]{color:#fff;font-weight:600;text-decoration:underline}
        header .muted{color:#aab4c0}header form{margin-left:auto}
        main{padding:0 1.2em 2em;max-width:1100px}main.narrow{max-width:28em;margin:3em auto}
        h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
        table{border-collapse:collapse;width:100%;background:#fff;margin:.5em 0}
        th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #e3e6ea;vertical-align:top}
        th{background:#eef1f4;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .muted{color:#5f6b78}.small{font-size:.85em}.problem{color:#8a1c1c;background:#fdecec;padding:.6em;border-radius:4px}
        .notice{background:#e8f5e9;padding:.6em;border-radius:4px}nav.businesses{padding:.4em 1.2em;background:#e3e6ea}
        .badge{display:inline-block;padding:0 .45em;border-radius:3px;background:#e3e6ea;font-size:.85em}
        .badge.needs_human,.badge.failed,.badge.undelivered,.badge.suppress,.badge.unknown{background:#fde2e2}
        .badge.delivered,.badge.sent,.badge.send,.badge.open{background:#dff3e3}.badge.defer,.badge.queued{background:#fff3cd}
        .badge.draft,.badge.paused{background:#fff3cd}.badge.live{background:#dff3e3}
        form.inline{display:inline}label{display:block;margin:.4em 0}
        input,textarea,button,select{font:inherit}textarea{width:100%;min-height:5em}
        button{padding:.3em .9em;border:1px solid #8895a3;border-radius:4px;background:#fff;cursor:pointer}
        .cards{display:flex;flex-wrap:wrap;gap:.8em}.card{background:#fff;padding:.7em 1em;border-radius:6px;min-width:11em}
        .card b{display:block;font-size:1.5em}.thread p{background:#fff;padding:.5em .8em;border-radius:6px;max-width:40em;white-space:pre-wrap}
        .thread p.out{margin-left:4em;background:#e7f0fb}svg{background:#fff;max-width:100%}
        """
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy") ?? .cacheControl
}
