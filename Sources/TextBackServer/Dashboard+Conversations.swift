// Conversations (needs-human first), one thread with its reply box, a contact's timeline with every
// decision's sentence, and the message list with delivery status and what an error means.
// A person's reply goes through `Engine.personReply`, the path `POST /v1/conversations/{id}/messages` takes.

import Foundation
import Hummingbird
import TextBackCore
import TextBackEngine
import TextBackStorage

extension Dashboard {
    func conversations(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let visit = try visit(request, context)
        let frame = self.frame(visit, section: .conversations)
        let scope = visit.access.scope
        let owners = visit.access.tenants.install
        let waiting = try await store.conversations(scope: scope, state: .needsHuman, phone: nil, limit: 200, after: nil).items
        let others = try await store.conversations(scope: scope, state: nil, phone: nil, limit: 200, after: nil).items
            .filter { $0.0.state != .needsHuman }
        func row(_ conversation: ConversationRecord, _ last: MessageRecord?) -> HTML {
            var preview = HTML.empty
            if let last {
                let who = last.direction == .inbound ? "them" : "us"
                preview = "<span class=\"muted small\">\(who):</span> \(String(last.body.prefix(120)))"
            }
            return """
                <tr><td>\(DashboardPages.badge(conversation.state.rawValue))</td><td>\(DashboardPages.contactLink(conversation.phone, frame, of: owners.owner(of: conversation.number)))</td>
                <td>\(conversation.number.e164)</td><td>\(preview)</td><td>\(frame.when(conversation.updatedAt))</td>
                <td><a href="\(frame.link("/conversations/" + HTML.pathSegment(conversation.id.rawValue)))">Open</a></td></tr>
                """
        }
        let headings = ["State", "Contact", "Our number", "Last message", "Updated", ""]
        let content: HTML = """
            <h2>Needs a person (\(waiting.count))</h2>
            \(DashboardPages.table(headings, waiting.map { row($0.0, $0.1) }, empty: "No conversation is waiting for a person."))
            <h2>Other conversations</h2>
            \(DashboardPages.table(headings, others.map { row($0.0, $0.1) }, empty: "No other conversations yet."))
            """
        return frame.page("Conversations", content)
    }

    func conversation(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let id = try api.conversationID(context)
        let visit = try visit(request, context)
        let frame = self.frame(visit, section: .conversations)
        guard let detail = try await store.conversation(id, scope: visit.access.scope) else { throw DashboardProblem(.notFound, "There is no conversation with that id.") }
        let c = detail.conversation
        let thread = detail.messages.map { m -> HTML in
            let who = m.direction == .inbound ? "Contact" : m.kind == .reply ? "Reply" : m.kind.rawValue.replacingOccurrences(of: "_", with: " ")
            let side = m.direction == .inbound ? "in" : "out"
            return """
                <p class="\(side)"><span class="muted small">\(who) · \(frame.when(m.sentAt ?? m.createdAt)) · \
                \(DashboardPages.delivery(m))</span><br>\(m.body)</p>
                """
        }
        let decisions = detail.decisions.map { d -> HTML in
            "<tr><td>\(frame.when(d.decidedAt))</td><td>\(DashboardPages.badge(d.action.rawValue))</td><td>\(d.sentence)</td><td><code>\(d.reasons.joined(separator: ", "))</code></td></tr>"
        }
        let callbacks = detail.callbacks.map { cb -> HTML in
            "<tr><td>\(frame.when(cb.at))</td><td>\(DashboardPages.badge(cb.status.rawValue))</td><td>until \(frame.when(cb.windowEnd))</td></tr>"
        }
        let release: HTML = c.state == .needsHuman ? """
            <form method="post" action="\(frame.link("/conversations/" + HTML.pathSegment(c.id.rawValue) + "/release"))" class="inline">\(frame.csrfField)\
            <button type="submit">Hand back to the agent</button></form>
            """ : .empty
        let content: HTML = """
            \(DashboardPages.notice(request.uri.queryParameters["notice"] == "sent" ? "Your reply is queued; it goes out through the carrier now." : nil))
            <p>\(DashboardPages.badge(c.state.rawValue)) \(DashboardPages.contactLink(c.phone, frame, of: visit.access.tenants.install.owner(of: c.number))) with our number \(c.number.e164) \(release)</p>
            <div class="thread">\(thread)</div>
            <h2>Reply</h2>
            <form method="post" action="\(frame.link("/conversations/" + HTML.pathSegment(c.id.rawValue) + "/reply"))">\(frame.csrfField)
            <label>Message <textarea name="body" maxlength="\(Handlers.maxReplyCharacters)" required></textarea></label>
            <button type="submit">Send reply</button></form>
            <h2>Decisions</h2>\(DashboardPages.table(["When", "Action", "Why", "Reasons"], decisions, empty: "No decisions on this thread."))
            <h2>Callbacks</h2>\(DashboardPages.table(["At", "Status", "Window"], callbacks, empty: "No callbacks booked."))
            """
        return frame.page("Conversation", content)
    }

    func reply(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let (visit, form) = try await post(request, context)
        let id = try api.conversationID(context)
        let body = try form.required("body", label: "The message")
        guard body.unicodeScalars.count <= Handlers.maxReplyCharacters else {
            throw DashboardProblem(.badRequest, "The message is longer than \(Handlers.maxReplyCharacters) characters; shorten it.")
        }
        // The engine of the thread's business, after the same scope check as the API's.
        let (engine, scope) = try await api.conversationEngine(id, request, visit.context)
        switch try await engine.personReply(conversation: id, body: body, scope: scope) {
        case .queued:
            throw DashboardRedirect(location: self.frame(visit, section: .conversations).link("/conversations/\(HTML.pathSegment(id.rawValue))?notice=sent"))
        case .notFound:
            throw DashboardProblem(.notFound, "There is no conversation with that id.")
        case .refused(_, let sentence):
            throw DashboardProblem(.conflict, "The reply was not sent: \(sentence)")
        }
    }

    func release(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let (visit, _) = try await post(request, context)
        let id = try api.conversationID(context)
        let (engine, _) = try await api.conversationEngine(id, request, visit.context)
        switch try await engine.release(conversation: id) {
        case .changed:
            throw DashboardRedirect(location: self.frame(visit, section: .conversations).link("/conversations/\(HTML.pathSegment(id.rawValue))"))
        case .notFound:
            throw DashboardProblem(.notFound, "There is no conversation with that id.")
        case .conflict(let current):
            throw DashboardProblem(.conflict, "Only a conversation that needs a person can be handed back; this one is \(current.rawValue).")
        }
    }

    func contactTimeline(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let visit = try visit(request, context)
        let frame = self.frame(visit, section: .conversations)
        let contact = try await api.requireContact(request, visit.context)
        let suppression = try await store.suppression(phone: contact.phone, channel: "sms", for: contact.business)
        let rows = try await store.timeline(contactID: contact.id, scope: visit.access.scope).map { entry -> HTML in
            switch entry {
            case .call(let call):
                let e = call.event
                return "<tr><td>\(frame.when(e.occurredAt))</td><td>call</td><td>\(e.direction.rawValue) \(DashboardPages.badge(e.outcome.rawValue)) \(e.durationSeconds) s via \(e.provider)</td></tr>"
            case .decision(let d):
                let until: HTML = d.until.map { " until \(frame.when($0))" } ?? .empty
                return "<tr><td>\(frame.when(d.decidedAt))</td><td>\(DashboardPages.badge(d.action.rawValue))</td><td>\(d.sentence)\(until) <code class=\"small\">\(d.reasons.joined(separator: ", "))</code></td></tr>"
            case .message(let m):
                let what = m.direction == .inbound ? "text in" : "text out"
                return "<tr><td>\(frame.when(m.sentAt ?? m.createdAt))</td><td>\(what)</td><td>\(m.body)<br>\(DashboardPages.delivery(m))</td></tr>"
            }
        }
        let status: HTML = suppression.map { "<p>\(DashboardPages.badge("suppress")) on the suppression list (\($0.reason)) since \(frame.when($0.createdAt))</p>" } ?? .empty
        let content: HTML = """
            <p><strong>\(contact.name ?? "Unnamed contact")</strong> \(contact.phone.e164)</p>\(status)
            \(DashboardPages.table(["When", "What", "Detail"], rows, empty: "Nothing on this contact's timeline yet."))
            """
        return frame.page("Timeline", content)
    }

    func messages(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let after = request.uri.queryParameters["after"].map(String.init)
        if let after, Int(after).map({ $0 > 0 }) != true {
            throw DashboardProblem(.badRequest, "That page link is not valid (after must be a positive whole number); start from the first page.")
        }
        let visit = try visit(request, context)
        let frame = self.frame(visit, section: .messages)
        let page = try await store.messages(scope: visit.access.scope, limit: 100, after: after)
        let rows = page.items.map { m -> HTML in
            let contact = m.direction == .inbound ? m.from : m.to
            let way = m.direction == .inbound ? "in" : "out"
            return """
                <tr><td>\(frame.when(m.sentAt ?? m.createdAt))</td><td>\(way) · \(m.kind.rawValue)</td>
                <td>\(DashboardPages.contactLink(contact, frame, of: visit.access.tenants.install.owner(of: m.direction == .inbound ? m.to : m.from)))</td><td>\(m.body)</td><td>\(DashboardPages.delivery(m))</td></tr>
                """
        }
        let more: HTML = page.next.map { "<p><a href=\"\(frame.link("/messages?after=" + HTML.pathSegment($0)))\">Older messages</a></p>" } ?? .empty
        return frame.page("Messages", """
            \(DashboardPages.table(["When", "Kind", "Contact", "Body", "Delivery"], rows, empty: "No messages yet."))\(more)
            """)
    }
}
