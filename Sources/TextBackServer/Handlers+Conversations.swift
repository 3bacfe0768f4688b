// Conversation and callback routes: list and read threads, a person's reply, release to the agent,
// and the callback list. Phone numbers and bodies never appear in problem details.

import Foundation
import HTTPTypes
import Hummingbird
import TextBackCore
import TextBackEngine
import TextBackStorage

extension Handlers {
    /// Longest text a person may send through the API (ten GSM-7 segments).
    static let maxReplyCharacters = 1530

    func listConversations(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let limit = try intQuery(request, "limit", default: 50, range: 1...500)
        let state = try enumQuery(request, "state", ConversationState.self)
        let phone = try queryPhone(request, "phone")
        let scope = try access(request, context).scope
        // A cursor this listing did not produce is a 400 from ProblemMiddleware (StoreError.invalidCursor).
        let page = try await store.conversations(scope: scope, state: state, phone: phone, limit: limit,
                                                 after: request.uri.queryParameters["after"].map(String.init))
        let items = page.items.map { conversation, last -> [String: Any] in
            var object = Self.conversationJSON(conversation)
            object["last_message"] = last.map(Self.messageJSON) ?? NSNull()
            return object
        }
        return try json(["conversations": items, "next": page.next ?? NSNull()])
    }

    func getConversation(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let id = try conversationID(context)
        let scope = try access(request, context).scope
        guard let detail = try await store.conversation(id, scope: scope) else { throw APIProblem.notFound("no conversation with that id") }
        var object = Self.conversationJSON(detail.conversation)
        object["messages"] = detail.messages.map(Self.messageJSON)
        object["decisions"] = detail.decisions.map { decision -> [String: Any] in
            var entry = Self.timelineJSON(.decision(decision))
            entry.removeValue(forKey: "type")
            return entry
        }
        object["callbacks"] = detail.callbacks.map(Self.callbackJSON)
        return try json(object)
    }

    func postConversationMessage(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let id = try conversationID(context)
        let object = try await jsonObject(request, context)
        let body = try string(object, "body")
        guard body.unicodeScalars.count <= Self.maxReplyCharacters else {
            throw APIProblem.badRequest("field 'body' is longer than \(Self.maxReplyCharacters) characters", field: "body")
        }
        let (engine, scope) = try await conversationEngine(id, request, context)
        switch try await engine.personReply(conversation: id, body: body, scope: scope) {
        case .queued(let messageID):
            return try json(["message_id": messageID.rawValue], status: .accepted)
        case .notFound:
            throw APIProblem.notFound("no conversation with that id")
        case .refused(let reasons, let sentence):
            throw APIProblem(.conflict, title: "Conflict",
                             detail: "the text was refused by the compliance check (\(reasons.joined(separator: ", "))): \(sentence)")
        }
    }

    func releaseConversation(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let id = try conversationID(context)
        let (engine, scope) = try await conversationEngine(id, request, context)
        switch try await engine.release(conversation: id) {
        case .changed:
            guard let detail = try await store.conversation(id, scope: scope) else { throw APIProblem.notFound("no conversation with that id") }
            return try json(Self.conversationJSON(detail.conversation))
        case .notFound:
            throw APIProblem.notFound("no conversation with that id")
        case .conflict(let current):
            throw APIProblem(.conflict, title: "Conflict",
                             detail: "only a needs_human conversation can be released; this one is \(current.rawValue)")
        }
    }

    func listCallbacks(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let limit = try intQuery(request, "limit", default: 100, range: 1...1000)
        let status = try enumQuery(request, "status", CallbackStatus.self)
        let phone = try queryPhone(request, "phone")
        let scope = try access(request, context).scope
        let callbacks = try await store.callbacks(scope: scope, status: status, phone: phone, limit: limit)
        return try json(["callbacks": callbacks.map(Self.callbackJSON)])
    }

    /// The engine of the conversation's business (by its number), after checking the caller may see it:
    /// another business's thread is a 404 and nothing is written.
    func conversationEngine(_ id: ConversationID, _ request: Request, _ context: TextBackRequestContext) async throws
        -> (Engine, BusinessScope) {
        let access = try access(request, context)
        guard let detail = try await store.conversation(id, scope: access.scope) else {
            throw APIProblem.notFound("no conversation with that id")
        }
        return (access.tenants.engine(forNumber: detail.conversation.number) ?? access.tenants.primary, access.scope)
    }

    func conversationID(_ context: TextBackRequestContext) throws -> ConversationID {
        let encoded = try context.parameters.require("id")
        let raw = encoded.removingPercentEncoding ?? encoded
        guard !raw.isEmpty, raw.unicodeScalars.count <= 100 else { throw APIProblem.badRequest("the conversation id is not valid", field: "id") }
        return ConversationID(raw)
    }

    static func conversationJSON(_ c: ConversationRecord) -> [String: Any] {
        ["id": c.id.rawValue, "phone": c.phone.e164, "number": c.number.e164, "state": c.state.rawValue,
         "created_at": iso(c.createdAt), "updated_at": iso(c.updatedAt)]
    }

    static func callbackJSON(_ c: CallbackRecord) -> [String: Any] {
        ["id": c.id.rawValue, "conversation_id": c.conversationID.rawValue, "phone": c.phone.e164, "number": c.number.e164,
         "at": iso(c.at), "window_end": iso(c.windowEnd), "status": c.status.rawValue,
         "source_message_id": c.sourceMessageID?.rawValue ?? NSNull(), "created_at": iso(c.createdAt)]
    }
}
