// Route handlers. Each reads and checks its input, calls the engine or the store, and shapes JSON.

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TextBackProviders
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackStorage

struct Handlers: Sendable {
    let tenancy: Tenancy
    let settings: ServerSettings
    /// The store, clock and ids every business shares (the primary engine's).
    var engine: Engine { tenancy.current.primary }
    var store: any Store { engine.store }
    var outboxStore: (any SimulatorOutbox)? { settings.simulatorOutbox }

    // MARK: - Webhooks

    func twilioVoice(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let (form, engine) = try await verifiedTwilioForm(request, context)
        if TwilioVoice.isForwardingLeg(form) { return twiml() }
        let event: CallEvent
        do { event = try TwilioVoice.callEvent(from: form, receivedAt: engine.clock.now()) }
        catch { throw APIProblem.webhook(error) }
        _ = try await engine.ingest(event)
        return twiml()
    }

    func twilioSMS(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let (form, engine) = try await verifiedTwilioForm(request, context)
        guard let fromRaw = form["From"] else { throw APIProblem.webhook(.missingField("From")) }
        guard let toRaw = form["To"] else { throw APIProblem.webhook(.missingField("To")) }
        let from = try phone(fromRaw, field: "From")
        let to = try phone(toRaw, field: "To")
        _ = try await engine.receive(InboundText(from: from, to: to, body: form["Body"] ?? "", carrier: "twilio",
                                                 carrierMessageID: form["MessageSid"], carrierOptOutType: form["OptOutType"]))
        return twiml()
    }

    /// Reads a form-encoded Twilio webhook, finds the business whose number it concerns (the first of
    /// `ours` that is a business's number: To, then Called, then From; a status callback names From first,
    /// since its To is the contact, who may be another business's number) and checks X-Twilio-Signature
    /// against that business's auth token.
    func verifiedTwilioForm(_ request: Request, _ context: TextBackRequestContext, ours: [String] = ["To", "Called", "From"]) async throws
        -> (form: [String: String], engine: Engine) {
        let body = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let form = FormEncoding.dictionary(body)
        let tenants = tenancy.current
        let engine = ours.lazy.compactMap { form[$0].flatMap { try? PhoneNumber(parsing: $0) } }
            .compactMap(tenants.engine(forNumber:)).first ?? tenants.primary
        guard let authToken = engine.configuration.twilioAuthToken else {
            throw APIProblem.webhook(.notConfigured("Twilio webhooks are not configured on this server: set carriers.twilio.auth_token"))
        }
        do {
            try TwilioSignature.verify(signature: request.headers[.twilioSignature], authToken: authToken,
                                       url: publicURL(of: request), parameters: FormEncoding.decode(body))
        } catch {
            throw APIProblem.webhook(error)
        }
        return (form, engine)
    }

    /// Verifies a webhook with the credentials of the business it concerns. Each business's credentials
    /// are tried in turn; an event that one business's credentials verify but that names another
    /// business's number is not taken (no business can post into another's data). An event naming no
    /// number of ours (a receipt) comes with every business whose credentials verify it (`verifiers`).
    /// With one business this is exactly the single check it always was, with the same errors.
    func verifiedEvent<T>(_ verify: (Engine) throws(WebhookError) -> T, routes: (T, Tenants) -> Engine?) throws
        -> (T, Engine, verifiers: [Engine]) {
        let tenants = tenancy.current
        // The most telling refusal wins: a body that passed a check but is unusable, then a wrong
        // credential, then "not configured".
        func rank(_ error: WebhookError) -> Int {
            switch error {
            case .notConfigured: 0
            case .badSignature: 1
            case .missingField, .invalidField, .malformed: 2
            }
        }
        var refusal: WebhookError?
        var unrouted: (value: T, verifiers: [Engine])?
        for engine in tenants.engines {
            do {
                let value = try verify(engine)
                let owner = routes(value, tenants)
                if owner === engine { return (value, engine, [engine]) }
                if owner == nil {
                    if unrouted == nil { unrouted = (value, [engine]) } else { unrouted?.verifiers.append(engine) }
                    continue
                }
                refusal = refusal ?? .badSignature("the webhook's credentials are not those of the business whose number it names")
            } catch {
                if refusal.map({ rank(error) > rank($0) }) ?? true { refusal = error }
            }
        }
        if let unrouted { return (unrouted.value, unrouted.verifiers[0], unrouted.verifiers) }
        throw APIProblem.webhook(refusal ?? .notConfigured("no business is configured"))
    }

    func thoughtly(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        var presented: String? = request.headers[.webhookToken]
        if presented == nil, let authorization = request.headers[.authorization] {
            presented = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : authorization
        }
        if presented == nil, let query = request.uri.queryParameters["token"] { presented = String(query) }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let (event, engine, _) = try verifiedEvent({ engine throws(WebhookError) -> CallEvent in
            guard let token = engine.configuration.thoughtlyWebhookToken else {
                throw .notConfigured("Thoughtly webhooks are not configured on this server: set integrations.thoughtly.webhook_token")
            }
            guard let presented, constantTimeEqual(Array(presented.utf8), Array(token.utf8)) else {
                throw .badSignature("missing or wrong webhook token (send it as X-Webhook-Token, a Bearer token or ?token=)")
            }
            return try ThoughtlyWebhook.callEvent(from: Data(buffer: body), receivedAt: engine.clock.now())
        }, routes: { event, tenants in tenants.engine(forNumber: event.businessPhone) })
        let outcome = try await engine.ingest(event)
        return try json(["event_id": outcome.callID.rawValue, "duplicate": outcome.disposition == .duplicate], status: .accepted)
    }

    func nativeEvent(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let access = try access(request, context)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let event: CallEvent
        do { event = try NativeCallEvent.callEvent(from: Data(buffer: body), receivedAt: engine.clock.now()) }
        catch { throw APIProblem.webhook(error) }
        // The business whose number was called; a business token only ever posts into its own business
        // (a number of another is then "not configured" there, and nothing reaches the other business).
        let engine = access.scope.only.flatMap(access.tenants.engine(for:))
            ?? access.tenants.engine(forNumber: event.businessPhone) ?? access.tenants.primary
        let outcome = try await engine.ingest(event)
        return try json([
            "event_id": outcome.callID.rawValue, "duplicate": outcome.disposition == .duplicate,
            "runs_started": outcome.startedRuns.count,
        ], status: .accepted)
    }

    // MARK: - Contacts and messages

    func contact(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let contact = try await requireContact(request, context)
        var object = Self.contactJSON(contact)
        let suppression = try await store.suppression(phone: contact.phone, channel: "sms", for: contact.business)
        object["suppressed"] = suppression != nil
        object["suppression"] = suppression.map(Self.suppressionJSON) ?? NSNull()
        object["consents"] = try await store.consents(phone: contact.phone, business: contact.business).map(Self.consentJSON)
        return try json(object)
    }

    func timeline(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let access = try access(request, context)
        let contact = try await requireContact(request, context)
        let entries = try await store.timeline(contactID: contact.id, scope: access.scope).map(Self.timelineJSON)
        return try json(["contact": Self.contactJSON(contact), "entries": entries])
    }

    func messages(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let access = try access(request, context)
        let limit = try intQuery(request, "limit", default: 100, range: 1...1000)
        let page = try await store.messages(scope: access.scope, limit: limit, after: request.uri.queryParameters["after"].map(String.init))
        return try json(["messages": page.items.map(Self.messageJSON), "next": page.next ?? NSNull()])
    }

    /// Oldest first, a page at a time (`?limit=&after=`); `next` continues the listing.
    func outbox(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let access = try access(request, context)
        guard let outbox = outboxStore else { throw APIProblem.notFound("this server has no simulator carrier") }
        let limit = try intQuery(request, "limit", default: 1000, range: 1...10_000)
        let page = try await outbox.entries(limit: limit, after: request.uri.queryParameters["after"].map(String.init))
        // A business sees the texts its own numbers sent.
        let visible = page.items.filter { access.scope.includes(access.tenants.install.owner(of: $0.from) ?? .default) }
        let messages = visible.map { entry -> [String: Any] in
            ["id": entry.id, "from": entry.from.e164, "to": entry.to.e164, "body": entry.body, "status": entry.status,
             "sent_at": Self.iso(entry.sentAt)]
        }
        return try json(["messages": messages, "next": page.next ?? NSNull()])
    }

    func simulatorInbound(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let object = try await jsonObject(request, context)
        let from = try phone(try string(object, "from"), field: "from")
        let to = try phone(try string(object, "to"), field: "to")
        let body = try string(object, "body", allowEmpty: true)
        let access = try access(request, context)
        // Texted to a business's number: that business's engine; a business token only reaches its own.
        let owner = access.tenants.engine(forNumber: to)
        if let only = access.scope.only, owner.map({ $0.business != only }) ?? (access.tenants.engines.count > 1) {
            throw APIProblem.badRequest("field 'to' is not one of this business's numbers", field: "to")
        }
        let engine = owner ?? access.tenants.primary
        let result = try await engine.receive(InboundText(from: from, to: to, body: body, carrier: "simulator"))
        return try json([
            "message_id": result.messageID.rawValue, "duplicate": result.duplicate,
            "intent": result.classification.intent.rawValue, "revokes_consent": result.classification.revokesConsent,
        ], status: .accepted)
    }

    // MARK: - Suppressions and consent

    func listSuppressions(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let limit = try intQuery(request, "limit", default: 100, range: 1...10_000)
        let offset = try intQuery(request, "offset", default: 0, range: 0...Int.max)
        let scope = try access(request, context).scope
        return try json(["suppressions": try await store.suppressions(scope: scope, limit: limit, offset: offset).map(Self.suppressionJSON)])
    }

    func addSuppression(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        // The admin's entry without ?business= is the global do-not-contact list; a business's is its own.
        let owner = try access(request, context).scope.only
        let object = try await jsonObject(request, context)
        let number = try phone(try string(object, "phone"), field: "phone")
        let entry = SuppressionRecord(phone: number, channel: try optionalString(object, "channel") ?? "sms",
                                      reason: try optionalString(object, "reason") ?? "manual",
                                      source: try optionalString(object, "source") ?? "api", createdAt: engine.clock.now(),
                                      business: owner)
        let added = try await store.addSuppression(entry)
        let stored = try await store.suppression(phone: number, channel: entry.channel, for: owner) ?? entry
        var result = Self.suppressionJSON(stored)
        result["created"] = added
        return try json(result, status: added ? .created : .ok)
    }

    func deleteSuppression(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let owner = try access(request, context).scope.only
        let number: PhoneNumber
        if let raw = context.parameters.get("phone") {
            number = try phone(raw.removingPercentEncoding ?? raw, field: "phone")
        } else if let fromQuery = try queryPhone(request, "phone") {
            number = fromQuery
        } else {
            throw APIProblem.badRequest("name the number to remove: DELETE /v1/suppressions/{phone}", field: "phone")
        }
        let channel = request.uri.queryParameters["channel"].map(String.init) ?? "sms"
        guard try await store.removeSuppression(phone: number, channel: channel, business: owner) else {
            throw APIProblem.notFound("that number is not on the suppression list")
        }
        return Response(status: .noContent)
    }

    func addConsent(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let business = try requireBusiness(try access(request, context)).business
        let object = try await jsonObject(request, context)
        let number = try phone(try string(object, "phone"), field: "phone")
        let scope = try optionalString(object, "scope") ?? "all"
        let source = try optionalString(object, "source") ?? "api"
        let now = engine.clock.now()
        let kindWord = try optionalString(object, "kind")
        let kind = try kindWord.map { word in
            guard let kind = ConsentKind(rawValue: word) else {
                throw APIProblem.badRequest("field 'kind' must be one of express_written, implied, none", field: "kind")
            }
            return kind
        }
        if try optionalBool(object, "revoke") {
            let count = try await store.revokeConsents(phone: number, business: business, scope: scope == "all" ? nil : scope, at: now,
                                                       source: source)
            return try json(["revoked": count])
        }
        guard let kind else { throw APIProblem.badRequest("missing field 'kind'", field: "kind") }
        let record = ConsentRecord(id: engine.ids.next("consent"), phone: number, kind: kind, scope: scope, source: source, recordedAt: now,
                                   business: business)
        try await store.addConsent(record)
        return try json(Self.consentJSON(record), status: .created)
    }

    // MARK: - Helpers

    /// The contact of the path's phone at the request's business.
    func requireContact(_ request: Request, _ context: TextBackRequestContext) async throws -> Contact {
        let business = try requireBusiness(try access(request, context)).business
        let raw = try context.parameters.require("phone")
        // Contacts are looked up the way their calls stored them, so a caller we could not text (kept
        // as the provider reported it) can still be found.
        let number = PhoneNumber(callerID: raw.removingPercentEncoding ?? raw)
        guard let contact = try await store.contact(phone: number, business: business) else {
            throw APIProblem.notFound("no contact with that phone number")
        }
        return contact
    }

    func phone(_ raw: String, field: String) throws -> PhoneNumber {
        do { return try PhoneNumber(parsing: raw) } catch {
            throw APIProblem.badRequest("field '\(field)' is not a valid phone number: \(error)", field: field)
        }
    }

    /// The body as a JSON object. Parsed with the strict JSONValue reader, so `true` is a boolean and
    /// never the number 1 (Foundation's reader on Linux lets `1 as? Bool` through).
    func jsonObject(_ request: Request, _ context: TextBackRequestContext) async throws -> [String: JSONValue] {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(Array(buffer: body)) } catch {
            throw APIProblem.badRequest("malformed JSON: the body is not valid JSON")
        }
        guard case .object(let object) = parsed else { throw APIProblem.badRequest("the body must be a JSON object") }
        return object
    }

    func string(_ object: [String: JSONValue], _ key: String, allowEmpty: Bool = false) throws -> String {
        guard let value = object[key], !value.isNull else { throw APIProblem.badRequest("missing field '\(key)'", field: key) }
        guard let text = value.stringValue else { throw APIProblem.badRequest("field '\(key)' must be a string", field: key) }
        if !allowEmpty, text.isBlank {
            throw APIProblem.badRequest("field '\(key)' must not be empty", field: key)
        }
        return text
    }

    func optionalString(_ object: [String: JSONValue], _ key: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        return try string(object, key)
    }

    /// A JSON boolean, false when absent or null; anything else is refused rather than guessed at.
    func optionalBool(_ object: [String: JSONValue], _ key: String) throws -> Bool {
        guard let value = object[key], !value.isNull else { return false }
        guard case .bool(let flag) = value else { throw APIProblem.badRequest("field '\(key)' must be true or false", field: key) }
        return flag
    }

    /// A phone number from the query string. In a query `+` may stand for a space (form encoding), yet a
    /// raw leading `+` is how people type E.164 there: the value is tried as sent, then form-decoded.
    func queryPhone(_ request: Request, _ name: String) throws -> PhoneNumber? {
        guard let value = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        if let number = try? PhoneNumber(parsing: value) { return number }
        if value.contains("+"), let decoded = formDecodedQueryValue(request, name), let number = try? PhoneNumber(parsing: decoded) {
            return number
        }
        return try phone(value, field: name)
    }

    /// The query value with `+` read as a space before percent-decoding (application/x-www-form-urlencoded).
    func formDecodedQueryValue(_ request: Request, _ name: String) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            let spaced = parts[1].replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return nil
    }

    /// An optional filter naming one case of `T`; absent or empty means no filter.
    func enumQuery<T: RawRepresentable & CaseIterable>(_ request: Request, _ name: String, _ type: T.Type) throws -> T?
    where T.RawValue == String {
        guard let raw = request.uri.queryParameters[Substring(name)].map(String.init), !raw.isEmpty else { return nil }
        guard let value = T(rawValue: raw) else {
            let cases = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIProblem.badRequest("query parameter '\(name)' must be one of \(cases)", field: name)
        }
        return value
    }

    func intQuery(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int(raw), range.contains(number) else {
            throw APIProblem.badRequest("query parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return number
    }

    func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        // Our own writer (sorted keys, like JSONSerialization's .sortedKeys): profiling the ingest route
        // showed Foundation's serializer costing as much as the database unit. Anything it does not know
        // (there should be nothing) still goes through JSONSerialization.
        let body: ByteBuffer
        if let value = JSONValue(foundation: object) {
            body = ByteBuffer(string: value.serialized)
        } else {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
        }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    func twiml() -> Response {
        Response(status: .ok, headers: [.contentType: "text/xml"],
                 body: .init(byteBuffer: ByteBuffer(string: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>")))
    }

    /// The URL the provider called, as it signed it.
    func publicURL(of request: Request) -> String {
        let pathAndQuery = request.uri.description
        if let base = settings.publicURL {
            return base.hasSuffix("/") ? String(base.dropLast()) + pathAndQuery : base + pathAndQuery
        }
        let scheme = request.headers[.forwardedProto] ?? request.head.scheme ?? "http"
        let host = request.headers[.forwardedHost] ?? request.head.authority ?? "localhost"
        return "\(scheme)://\(host)\(pathAndQuery)"
    }

    // MARK: - JSON shapes

    static func iso(_ date: Date) -> String { ISO8601Timestamp.formatWithMilliseconds(date) }

    static func contactJSON(_ c: Contact) -> [String: Any] {
        ["id": c.id.rawValue, "phone": c.phone.e164, "name": c.name ?? NSNull(), "attributes": c.attributes, "created_at": iso(c.createdAt)]
    }

    static func messageJSON(_ m: MessageRecord) -> [String: Any] {
        ["id": m.id.rawValue, "direction": m.direction.rawValue, "kind": m.kind.rawValue, "from": m.from.e164, "to": m.to.e164,
         "body": m.body, "status": m.status.rawValue, "carrier": m.carrier, "carrier_message_id": m.carrierMessageID ?? NSNull(),
         "error": m.error ?? NSNull(), "error_code": m.errorCode ?? NSNull(), "created_at": iso(m.createdAt), "sent_at": m.sentAt.map(iso) ?? NSNull()]
    }

    static func suppressionJSON(_ s: SuppressionRecord) -> [String: Any] {
        ["phone": s.phone.e164, "channel": s.channel, "reason": s.reason, "source": s.source, "created_at": iso(s.createdAt),
         "business": s.business?.rawValue ?? NSNull()]
    }

    static func consentJSON(_ c: ConsentRecord) -> [String: Any] {
        ["id": c.id, "phone": c.phone.e164, "kind": c.kind.rawValue, "scope": c.scope, "source": c.source,
         "recorded_at": iso(c.recordedAt), "revoked_at": c.revokedAt.map(iso) ?? NSNull()]
    }

    static func timelineJSON(_ entry: TimelineEntry) -> [String: Any] {
        switch entry {
        case .call(let call):
            let e = call.event
            return ["type": "call", "at": iso(e.occurredAt), "call_id": call.id.rawValue, "provider": e.provider,
                    "provider_call_id": e.providerCallID, "direction": e.direction.rawValue, "outcome": e.outcome.rawValue,
                    "stage": e.stage.rawValue, "duration_s": e.durationSeconds]
        case .decision(let d):
            return ["type": "decision", "at": iso(d.decidedAt), "action": d.action.rawValue, "reasons": d.reasons,
                    "sentence": d.sentence, "until": d.until.map(iso) ?? NSNull(), "run_id": d.runID?.rawValue ?? NSNull(),
                    "message_id": d.messageID?.rawValue ?? NSNull()]
        case .message(let m):
            var object = messageJSON(m)
            object["type"] = "message"
            object["at"] = iso(m.sentAt ?? m.createdAt)
            return object
        }
    }
}

extension HTTPField.Name {
    // Literal, valid header names: the initializer only fails for names with illegal characters.
    static let twilioSignature = Self("X-Twilio-Signature") ?? .authorization
    static let webhookToken = Self("X-Webhook-Token") ?? .authorization
    static let forwardedProto = Self("X-Forwarded-Proto") ?? .via
    static let forwardedHost = Self("X-Forwarded-Host") ?? .via
}
