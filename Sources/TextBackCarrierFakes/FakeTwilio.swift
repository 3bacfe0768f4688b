// A fake of Twilio's REST API: Messages (create, list) and Lookup v2, checked the way Twilio checks
// them. HTTP Basic AccountSid:AuthToken or 401/20003; the AccountSid in the path must be the
// account's (404/20404); a form body with To (21604), From (21603) and Body (21602), To and From in
// E.164 (21211/21212), an absolute StatusCallback (21609). Errors use Twilio's body:
// {"code", "message", "more_info", "status"}.

import Foundation
import HTTPTypes
import Hummingbird

public struct FakeTwilio: Sendable {
    public let baseURL: URL
    public let accountSID: String
    let core: FakeCore

    /// Starts a fake for `accountSID` / `authToken` for the length of `body`. `clock` stamps what it accepts.
    public static func run<R>(accountSID: String, authToken: String, clock: @escaping @Sendable () -> Date = { Date() },
                              _ body: (FakeTwilio) async throws -> R) async throws -> R {
        let core = FakeCore(idPrefix: "SM")
        let router = Router()
        let api = TwilioAPI(accountSID: accountSID, authToken: authToken, core: core, clock: clock)
        router.post("/2010-04-01/Accounts/:sid/Messages.json") { request, context in
            try await api.create(request, sid: context.parameters.get("sid") ?? "")
        }
        router.get("/2010-04-01/Accounts/:sid/Messages.json") { request, context in
            try await api.list(request, sid: context.parameters.get("sid") ?? "")
        }
        router.get("/v2/PhoneNumbers/:number") { request, context in
            try await api.lookup(request, number: context.parameters.get("number") ?? "")
        }
        return try await FakeHTTPServer.run(router, core: core) { url in
            try await body(FakeTwilio(baseURL: url, accountSID: accountSID, core: core))
        }
    }

    /// Replies for the next requests to `endpoint`, in order; unscripted requests succeed.
    public func script(_ replies: FakeReply..., for endpoint: FakeEndpoint = .send) { core.script(replies, for: endpoint) }
    /// Every request received, refused ones included.
    public var requests: [RecordedRequest] { core.requests }
    public func requests(to endpoint: FakeEndpoint) -> [RecordedRequest] { core.requests.filter { $0.endpoint == endpoint } }
    /// The texts accepted (and any added with `add`), oldest first.
    public var messages: [FakeMessage] { core.messages }
    /// Puts a text in the account's history, as if sent earlier.
    public func add(_ message: FakeMessage) { core.accept(message) }
    /// While true, accepted texts stay "queued" with no DateSent, as Twilio's queue holds them.
    public func holdInQueue(_ hold: Bool) { core.holdInQueue = hold }
    /// Line Type Intelligence's `type` for a number ("mobile" when not set).
    public func setLineType(_ type: String, for number: String) { core.setLineType(type, for: number) }
}

struct TwilioAPI: Sendable {
    let accountSID: String
    let authToken: String
    let core: FakeCore
    let clock: @Sendable () -> Date

    static let messages: [String: (status: Int, message: String)] = [
        "20003": (401, "Authenticate"),
        "20404": (404, "The requested resource was not found"),
        "20429": (429, "Too Many Requests"),
        "20500": (500, "Internal Server Error"),
        "21211": (400, "The 'To' number is not a valid phone number."),
        "21212": (400, "The 'From' number is not a valid phone number."),
        "21408": (400, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
        "21602": (400, "Message body is required."),
        "21603": (400, "A 'From' phone number is required."),
        "21604": (400, "A 'To' phone number is required."),
        "21606": (400, "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account"),
        "21609": (400, "Invalid StatusCallback url"),
        "21610": (400, "Attempt to send to unsubscribed recipient"),
        "21614": (400, "'To' number is not a valid mobile number"),
        "30034": (400, "Message from an Unregistered Number"),
    ]

    /// Twilio's error body. Like Twilio, some messages quote the 'To' number.
    func error(_ code: String, to: String? = nil, headers: [(HTTPField.Name, String)] = []) -> Response {
        var (status, message) = Self.messages[code] ?? (400, "Error \(code)")
        if let to, ["21211", "21610", "21614"].contains(code) {
            message = message.replacingOccurrences(of: "'To' number", with: "'To' number \(to)")
                .replacingOccurrences(of: "recipient", with: "recipient \(to)")
        }
        return FakeHTTPServer.json(status, [
            "code": Int(code) ?? 0, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": status,
        ], headers: headers)
    }

    /// The checks every endpoint shares; nil when the request may proceed.
    func refusal(_ record: RecordedRequest, sid: String?) -> Response? {
        let expected = "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
        guard record.header("authorization") == expected else { return error("20003") }
        if let sid, sid != accountSID { return error("20404") }
        return nil
    }

    /// The scripted reply's refusal; nil for `.success` and `.hang` (the caller accepts first).
    func refusal(for reply: FakeReply, to: String? = nil) -> Response? {
        switch reply {
        case .success, .hang: nil
        case .refuse(let code): error(code, to: to)
        case .rateLimited(let seconds): error("20429", headers: [(.retryAfter, String(seconds))])
        case .serverError: error("20500")
        }
    }

    /// A query's scripted reply, when it is not `.success`; a hang never answers.
    func scripted(_ endpoint: FakeEndpoint) async -> Response? {
        let reply = core.nextReply(for: endpoint)
        if reply == .hang {
            await core.hang()
            return error("20500")
        }
        return refusal(for: reply)
    }

    func create(_ request: Request, sid: String) async throws -> Response {
        let record = try await FakeHTTPServer.record(request, endpoint: .send)
        core.record(record)
        if let refusal = refusal(record, sid: sid) { return refusal }
        // Twilio reads parameters from a form body only; anything else arrives as no parameters.
        let isForm = record.header("content-type")?.hasPrefix("application/x-www-form-urlencoded") == true
        let form = isForm ? record.form : [:]
        guard let to = form["To"], !to.isEmpty else { return error("21604") }
        guard let from = form["From"], !from.isEmpty else { return error("21603") }
        guard let body = form["Body"], !body.isEmpty else { return error("21602") }
        guard FakeE164.isValid(to) else { return error("21211", to: to) }
        guard FakeE164.isValid(from) else { return error("21212") }
        if let callback = form["StatusCallback"] {
            guard let url = URL(string: callback), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                return error("21609")
            }
        }
        let reply = core.nextReply(for: .send)
        if let refusal = refusal(for: reply, to: to) { return refusal }
        let now = clock()
        let held = core.holdInQueue
        let message = FakeMessage(id: core.newID(), from: from, to: to, body: body, status: held ? "queued" : "sent",
                                  createdAt: now, sentAt: held ? nil : now, callbackURL: form["StatusCallback"])
        core.accept(message)
        if reply == .hang {
            // Accepted, and the answer never comes: the ambiguous case reconciliation exists for.
            await core.hang()
            return error("20500")
        }
        var resource = resourceJSON(message)
        // The create answer always shows the text as just queued.
        resource["status"] = "queued"
        resource["date_sent"] = NSNull()
        return FakeHTTPServer.json(201, resource)
    }

    func list(_ request: Request, sid: String) async throws -> Response {
        let record = try await FakeHTTPServer.record(request, endpoint: .query)
        core.record(record)
        if let refusal = refusal(record, sid: sid) { return refusal }
        if let reply = await scripted(.query) { return reply }
        let query = record.query
        let pageSize = Int(query["PageSize"] ?? "") ?? 50
        var messages = core.messages.filter { message in
            (query["To"].map { $0 == message.to } ?? true) && (query["From"].map { $0 == message.from } ?? true)
        }
        // DateSent filters compare the UTC day of DateSent; a text with no DateSent never matches one.
        if let day = query["DateSent"] {
            messages = messages.filter { $0.sentAt.map { Self.utcDay($0) == day } ?? false }
        }
        if let day = query["DateSent>"] {
            messages = messages.filter { $0.sentAt.map { Self.utcDay($0) >= day } ?? false }
        }
        if let day = query["DateSent<"] {
            messages = messages.filter { $0.sentAt.map { Self.utcDay($0) <= day } ?? false }
        }
        messages.sort { $0.createdAt > $1.createdAt }
        let page = Array(messages.prefix(pageSize))
        let path = "/2010-04-01/Accounts/\(accountSID)/Messages.json"
        return FakeHTTPServer.json(200, [
            "messages": page.map(resourceJSON), "page": 0, "page_size": pageSize, "start": 0, "end": max(0, page.count - 1),
            "uri": path, "first_page_uri": path,
            "next_page_uri": messages.count > pageSize ? path + "?Page=1&PageSize=\(pageSize)" as Any : NSNull(),
            "previous_page_uri": NSNull(),
        ])
    }

    func lookup(_ request: Request, number raw: String) async throws -> Response {
        let record = try await FakeHTTPServer.record(request, endpoint: .lookup)
        core.record(record)
        if let refusal = refusal(record, sid: nil) { return refusal }
        if let reply = await scripted(.lookup) { return reply }
        let number = raw.removingPercentEncoding ?? raw
        guard FakeE164.isValid(number) else {
            return FakeHTTPServer.json(200, ["phone_number": number, "valid": false, "validation_errors": ["INVALID_LENGTH"],
                                             "line_type_intelligence": NSNull()])
        }
        var intelligence: Any = NSNull()
        if record.query["Fields"]?.split(separator: ",").contains("line_type_intelligence") == true {
            intelligence = ["type": core.lineType(for: number) ?? "mobile", "carrier_name": "Fake Wireless",
                            "mobile_country_code": "310", "mobile_network_code": "456", "error_code": NSNull()]
        }
        return FakeHTTPServer.json(200, [
            "calling_country_code": "1", "country_code": "US", "phone_number": number, "valid": true,
            "validation_errors": [String](), "line_type_intelligence": intelligence,
            "url": "https://lookups.twilio.com/v2/PhoneNumbers/\(number)",
        ])
    }

    func resourceJSON(_ message: FakeMessage) -> [String: Any] {
        [
            "sid": message.id, "account_sid": accountSID, "api_version": "2010-04-01", "body": message.body,
            "date_created": FakeDates.rfc2822(message.createdAt), "date_updated": FakeDates.rfc2822(message.createdAt),
            "date_sent": message.sentAt.map { FakeDates.rfc2822($0) as Any } ?? NSNull(), "direction": "outbound-api",
            "error_code": NSNull(), "error_message": NSNull(), "from": message.from, "to": message.to,
            "messaging_service_sid": NSNull(), "num_media": "0", "num_segments": "1", "price": NSNull(), "price_unit": "USD",
            "status": message.status, "uri": "/2010-04-01/Accounts/\(accountSID)/Messages/\(message.id).json",
        ]
    }

    static func utcDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
