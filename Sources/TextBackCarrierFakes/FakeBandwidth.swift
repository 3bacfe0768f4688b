// A fake of Bandwidth's Messaging API v2 (create and list messages), checked the way Bandwidth
// checks them: HTTP Basic username:password or 401 unauthorized; the account in the path must be
// the account's (403 forbidden); a JSON body (415) with applicationId (the configured application),
// to (a list of E.164 numbers), from and text (400 request-validation with fieldErrors). The list
// answers with metadata only, as Bandwidth does: no text, no tag.

import Foundation
import HTTPTypes
import Hummingbird

public struct FakeBandwidth: Sendable {
    public let baseURL: URL
    let core: FakeCore

    public static func run<R>(accountID: String, username: String, password: String, applicationID: String,
                              clock: @escaping @Sendable () -> Date = { Date() },
                              _ body: (FakeBandwidth) async throws -> R) async throws -> R {
        let core = FakeCore(idPrefix: "")
        let router = Router()
        let api = BandwidthAPI(accountID: accountID, username: username, password: password, applicationID: applicationID,
                               core: core, clock: clock)
        router.post("/api/v2/users/:account/messages") { request, context in
            try await api.create(request, account: context.parameters.get("account") ?? "")
        }
        router.get("/api/v2/users/:account/messages") { request, context in
            try await api.list(request, account: context.parameters.get("account") ?? "")
        }
        return try await FakeHTTPServer.run(router, core: core) { url in try await body(FakeBandwidth(baseURL: url, core: core)) }
    }

    public func script(_ replies: FakeReply..., for endpoint: FakeEndpoint = .send) { core.script(replies, for: endpoint) }
    public var requests: [RecordedRequest] { core.requests }
    public func requests(to endpoint: FakeEndpoint) -> [RecordedRequest] { core.requests.filter { $0.endpoint == endpoint } }
    public var messages: [FakeMessage] { core.messages }
    public func add(_ message: FakeMessage) { core.accept(message) }
}

struct BandwidthAPI: Sendable {
    let accountID: String
    let username: String
    let password: String
    let applicationID: String
    let core: FakeCore
    let clock: @Sendable () -> Date

    static let types: [String: (status: Int, description: String)] = [
        "request-validation": (400, "Your request could not be accepted"),
        "unauthorized": (401, "Authentication Failed"),
        "forbidden": (403, "Access Denied"),
        "invalid-media-type": (415, "Invalid media type"),
        "too-many-requests": (429, "Too many requests"),
        "internal-server-error": (500, "Internal server error"),
    ]

    func error(_ type: String, fieldErrors: [(String, String)] = [], headers: [(HTTPField.Name, String)] = []) -> Response {
        let (status, description) = Self.types[type] ?? (400, "Your request could not be accepted")
        var body: [String: Any] = ["type": type, "description": description]
        if !fieldErrors.isEmpty {
            body["fieldErrors"] = fieldErrors.map { ["fieldName": $0.0, "description": $0.1] }
        }
        return FakeHTTPServer.json(status, body, headers: headers)
    }

    func refusal(for reply: FakeReply) -> Response? {
        switch reply {
        case .success, .hang: nil
        case .refuse(let type): error(type)
        case .rateLimited(let seconds): error("too-many-requests", headers: [(.retryAfter, String(seconds))])
        case .serverError: error("internal-server-error")
        }
    }

    func unauthorized(_ record: RecordedRequest, account: String) -> Response? {
        let expected = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        guard record.header("authorization") == expected else { return error("unauthorized") }
        guard account == accountID else { return error("forbidden") }
        return nil
    }

    func create(_ request: Request, account: String) async throws -> Response {
        let record = try await FakeHTTPServer.record(request, endpoint: .send)
        core.record(record)
        if let refusal = unauthorized(record, account: account) { return refusal }
        guard record.header("content-type")?.hasPrefix("application/json") == true else { return error("invalid-media-type") }
        guard let object = record.jsonObject() else { return error("request-validation") }
        var problems: [(String, String)] = []
        if (object["applicationId"] as? String) != applicationID {
            problems.append(("applicationId", "must be the id of an application on this account"))
        }
        let to = object["to"] as? [String] ?? []
        if to.isEmpty {
            problems.append(("to", "must not be empty"))
        }
        for number in to where !FakeE164.isValid(number) {
            // Bandwidth quotes the number here; a client must not pass this description on.
            problems.append(("to", "'\(number)' must be replaced with a valid E164 formatted telephone number"))
        }
        let from = object["from"] as? String ?? ""
        if !FakeE164.isValid(from) { problems.append(("from", "'\(from)' must be a valid E164 formatted telephone number")) }
        let text = object["text"] as? String ?? ""
        if text.isEmpty { problems.append(("text", "must not be empty when no media is sent")) }
        if !problems.isEmpty { return error("request-validation", fieldErrors: problems) }
        let reply = core.nextReply(for: .send)
        if let refusal = refusal(for: reply) { return refusal }
        let now = clock()
        let id = String(Int(now.timeIntervalSince1970 * 1000)) + core.newID().suffix(15)
        let message = FakeMessage(id: id, from: from, to: to[0], body: text, status: "SENT", createdAt: now, sentAt: now,
                                  tag: object["tag"] as? String)
        core.accept(message)
        if reply == .hang {
            await core.hang()
            return error("internal-server-error")
        }
        var answer: [String: Any] = [
            "id": id, "owner": from, "applicationId": applicationID, "time": FakeDates.iso8601(now), "segmentCount": 1,
            "direction": "out", "to": to, "from": from, "text": text, "priority": "default",
        ]
        if let tag = message.tag { answer["tag"] = tag }
        return FakeHTTPServer.json(202, answer)
    }

    func list(_ request: Request, account: String) async throws -> Response {
        let record = try await FakeHTTPServer.record(request, endpoint: .query)
        core.record(record)
        if let refusal = unauthorized(record, account: account) { return refusal }
        let reply = core.nextReply(for: .query)
        if reply == .hang {
            await core.hang()
            return error("internal-server-error")
        }
        if let refusal = refusal(for: reply) { return refusal }
        let query = record.query
        let start = query["fromDateTime"].flatMap(FakeDates.parseISO8601)
        let end = query["toDateTime"].flatMap(FakeDates.parseISO8601)
        let limit = Int(query["limit"] ?? "") ?? 100
        // Every message here is outbound: asking for INBOUND finds none.
        let direction = query["messageDirection"] ?? "OUTBOUND"
        let matches = core.messages.filter { message in
            direction == "OUTBOUND"
                && (query["sourceTn"].map { $0 == message.from } ?? true)
                && (query["destinationTn"].map { $0 == message.to } ?? true)
                && (start.map { message.createdAt >= $0 } ?? true)
                && (end.map { message.createdAt <= $0 } ?? true)
        }.sorted { $0.createdAt > $1.createdAt }
        let page = matches.prefix(limit).map { message -> [String: Any] in
            [
                "messageId": message.id, "accountId": accountID, "sourceTn": message.from, "destinationTn": message.to,
                "messageStatus": message.status, "messageDirection": "OUTBOUND", "messageType": "sms", "segmentCount": 1,
                "errorCode": 0, "receiveTime": FakeDates.iso8601(message.createdAt), "carrierName": "FAKE WIRELESS",
                "messageSize": message.body.utf8.count + 20, "messageLength": message.body.count, "attachmentCount": 0,
                "recipientCount": 1,
            ]
        }
        var pageInfo: [String: Any] = [:]
        if matches.count > limit { pageInfo["nextPageToken"] = "page2" }
        return FakeHTTPServer.json(200, ["totalCount": matches.count, "pageInfo": pageInfo, "messages": Array(page)])
    }
}
