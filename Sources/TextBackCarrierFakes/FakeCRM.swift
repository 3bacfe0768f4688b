// Fakes of the two CRM APIs TextBack logs to, checked the way the real services check them. Scripts use
// the shared endpoints: `.query` is a lookup (HubSpot's contact search, a Salesforce SOQL query), `.send`
// any write (create or update); a scripted 500 or 429 answers before anything is stored.
//
// HubSpot (CRM v3): Bearer token or 401 INVALID_AUTHENTICATION; contact search by a `phone` EQ filter;
// contact creation needs properties; a communication needs channel type SMS/WHATS_APP/LINKEDIN_MESSAGE,
// logged from CRM and hs_timestamp, and each association must name an existing contact with type 81
// (HUBSPOT_DEFINED), else 400 VALIDATION_ERROR; updating an unknown contact is 404 OBJECT_NOT_FOUND.
// Salesforce (REST): Bearer token or 401 INVALID_SESSION_ID; only the configured version's paths exist
// (404 NOT_FOUND); SOQL `SELECT Id FROM Contact|Lead WHERE (Phone = '…' OR MobilePhone = '…') …`; a Task
// needs Subject and Status, an ActivityDate of YYYY-MM-DD and a WhoId that exists (400 otherwise).

import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// What a CRM fake holds: records by id, with their type and fields.
final class FakeCRMRecords: Sendable {
    struct Record: Sendable, Hashable { var type: String; var fields: [String: String] }
    private let records = Mutex<[(id: String, record: Record)]>([])
    private let nextID = Mutex(1)

    func add(_ type: String, id: String? = nil, fields: [String: String]) -> String {
        let id = id ?? nextID.withLock { value in defer { value += 1 }; return "\(type.lowercased())\(1000 + value)" }
        records.withLock { $0.append((id, Record(type: type, fields: fields))) }
        return id
    }

    func update(_ id: String, fields: [String: String]) -> Bool {
        records.withLock { records in
            guard let index = records.firstIndex(where: { $0.id == id }) else { return false }
            records[index].record.fields.merge(fields) { _, new in new }
            return true
        }
    }

    func all(_ type: String) -> [(id: String, fields: [String: String])] {
        records.withLock { $0.filter { $0.record.type == type }.map { ($0.id, $0.record.fields) } }
    }

    func exists(_ id: String) -> Bool { records.withLock { $0.contains { $0.id == id } } }
}

/// Answers a scripted failure, if one is due, before the API does anything.
func scriptedFailure(_ core: FakeCore, _ endpoint: FakeEndpoint, body: Any) -> Response? {
    switch core.nextReply(for: endpoint) {
    case .success, .hang: return nil
    case .serverError: return FakeHTTPServer.json(500, body)
    case .rateLimited(let seconds): return FakeHTTPServer.json(429, body, headers: [(.retryAfter, "\(seconds)")])
    case .refuse: return FakeHTTPServer.json(400, body)
    }
}

func bodyFields(_ request: RecordedRequest) -> [String: Any] { request.jsonObject() ?? [:] }

// MARK: - HubSpot

public struct FakeHubSpot: Sendable {
    public let baseURL: URL
    let core: FakeCore
    let records: FakeCRMRecords

    public static func run<R>(token: String, _ body: (FakeHubSpot) async throws -> R) async throws -> R {
        let core = FakeCore(idPrefix: "")
        let records = FakeCRMRecords()
        let router = Router()
        let api = HubSpotAPI(token: token, core: core, records: records)
        router.post("/crm/v3/objects/contacts/search") { request, _ in try await api.handle(request, .query) { api.search($0) } }
        router.post("/crm/v3/objects/contacts") { request, _ in try await api.handle(request, .send) { api.createContact($0) } }
        router.patch("/crm/v3/objects/contacts/:id") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            return try await api.handle(request, .send) { api.updateContact(id, $0) }
        }
        router.post("/crm/v3/objects/communications") { request, _ in try await api.handle(request, .send) { api.communication($0) } }
        return try await FakeHTTPServer.run(router, core: core) { url in try await body(FakeHubSpot(baseURL: url, core: core, records: records)) }
    }

    public func script(_ replies: FakeReply..., for endpoint: FakeEndpoint = .send) { core.script(replies, for: endpoint) }
    public var requests: [RecordedRequest] { core.requests }
    /// Contacts by id with their properties.
    public var contacts: [(id: String, properties: [String: String])] { records.all("contact").map { ($0.id, $0.fields) } }
    /// Communications with their properties (`associated_contact` names the contact).
    public var communications: [(id: String, properties: [String: String])] { records.all("communication").map { ($0.id, $0.fields) } }
    @discardableResult
    public func addContact(phone: String, properties: [String: String] = [:]) -> String {
        records.add("contact", fields: properties.merging(["phone": phone]) { _, new in new })
    }
}

struct HubSpotAPI: Sendable {
    let token: String
    let core: FakeCore
    let records: FakeCRMRecords

    func error(_ status: Int, _ category: String, _ message: String) -> Response {
        FakeHTTPServer.json(status, ["status": "error", "category": category, "message": message, "correlationId": UUID().uuidString])
    }

    func handle(_ request: Request, _ endpoint: FakeEndpoint, _ body: (RecordedRequest) -> Response) async throws -> Response {
        let recorded = try await FakeHTTPServer.record(request, endpoint: endpoint)
        core.record(recorded)
        guard recorded.header("Authorization") == "Bearer \(token)" else {
            return error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.")
        }
        if let failure = scriptedFailure(core, endpoint, body: ["status": "error", "category": "INTERNAL_ERROR", "message": "scripted"]) {
            return failure
        }
        guard recorded.header("Content-Type")?.hasPrefix("application/json") == true, recorded.jsonObject() != nil else {
            return error(400, "VALIDATION_ERROR", "Invalid input JSON")
        }
        return body(recorded)
    }

    func search(_ request: RecordedRequest) -> Response {
        let groups = bodyFields(request)["filterGroups"] as? [[String: Any]] ?? []
        let filters = groups.flatMap { $0["filters"] as? [[String: Any]] ?? [] }
        guard !filters.isEmpty, filters.allSatisfy({ $0["propertyName"] is String && $0["operator"] as? String == "EQ" && $0["value"] is String })
        else { return error(400, "VALIDATION_ERROR", "filterGroups must hold EQ filters") }
        let matches = records.all("contact").filter { contact in
            filters.allSatisfy { contact.fields[$0["propertyName"] as? String ?? ""] == $0["value"] as? String }
        }
        let limit = bodyFields(request)["limit"] as? Int ?? 10
        return FakeHTTPServer.json(200, ["total": matches.count, "results": matches.prefix(limit).map { ["id": $0.id, "properties": $0.fields] }])
    }

    func createContact(_ request: RecordedRequest) -> Response {
        guard let properties = bodyFields(request)["properties"] as? [String: String], !properties.isEmpty else {
            return error(400, "VALIDATION_ERROR", "properties are required")
        }
        let id = records.add("contact", fields: properties)
        return FakeHTTPServer.json(201, ["id": id, "properties": properties])
    }

    func updateContact(_ id: String, _ request: RecordedRequest) -> Response {
        guard let properties = bodyFields(request)["properties"] as? [String: String], !properties.isEmpty else {
            return error(400, "VALIDATION_ERROR", "properties are required")
        }
        guard records.update(id, fields: properties) else { return error(404, "OBJECT_NOT_FOUND", "resource not found") }
        return FakeHTTPServer.json(200, ["id": id, "properties": properties])
    }

    func communication(_ request: RecordedRequest) -> Response {
        let body = bodyFields(request)
        guard let properties = body["properties"] as? [String: String],
              ["SMS", "WHATS_APP", "LINKEDIN_MESSAGE"].contains(properties["hs_communication_channel_type"] ?? ""),
              properties["hs_communication_logged_from"] == "CRM", properties["hs_timestamp"] != nil
        else { return error(400, "VALIDATION_ERROR", "hs_communication_channel_type, hs_communication_logged_from and hs_timestamp are required") }
        var fields = properties
        for association in body["associations"] as? [[String: Any]] ?? [] {
            let to = (association["to"] as? [String: Any])?["id"] as? String ?? ""
            let types = association["types"] as? [[String: Any]] ?? []
            guard records.exists(to), types.count == 1, types[0]["associationCategory"] as? String == "HUBSPOT_DEFINED",
                  types[0]["associationTypeId"] as? Int == 81
            else { return error(400, "VALIDATION_ERROR", "invalid association") }
            fields["associated_contact"] = to
        }
        let id = records.add("communication", fields: fields)
        return FakeHTTPServer.json(201, ["id": id, "properties": properties])
    }
}

// MARK: - Salesforce

public struct FakeSalesforce: Sendable {
    public let baseURL: URL
    let core: FakeCore
    let records: FakeCRMRecords

    public static func run<R>(token: String, version: String = "62.0", _ body: (FakeSalesforce) async throws -> R) async throws -> R {
        let core = FakeCore(idPrefix: "")
        let records = FakeCRMRecords()
        let router = Router()
        let api = SalesforceAPI(token: token, version: version, core: core, records: records)
        router.get("/services/data/:version/query") { request, context in
            try await api.handle(request, context, .query) { api.query($0) }
        }
        router.post("/services/data/:version/sobjects/Task") { request, context in
            try await api.handle(request, context, .send) { api.createTask($0) }
        }
        router.patch("/services/data/:version/sobjects/:type/:id") { request, context -> Response in
            let type = context.parameters.get("type") ?? "", id = context.parameters.get("id") ?? ""
            return try await api.handle(request, context, .send) { api.update(type, id, $0) }
        }
        return try await FakeHTTPServer.run(router, core: core) { url in
            try await body(FakeSalesforce(baseURL: url, core: core, records: records))
        }
    }

    public func script(_ replies: FakeReply..., for endpoint: FakeEndpoint = .send) { core.script(replies, for: endpoint) }
    public var requests: [RecordedRequest] { core.requests }
    /// Records of `type` (Contact, Lead, Task) by id with their fields.
    public func records(_ type: String) -> [(id: String, fields: [String: String])] { records.all(type) }
    /// A Contact or Lead with this phone.
    public func addPerson(_ type: String, id: String, phone: String) { _ = records.add(type, id: id, fields: ["Phone": phone]) }
}

struct SalesforceAPI: Sendable {
    let token: String
    let version: String
    let core: FakeCore
    let records: FakeCRMRecords

    func error(_ status: Int, _ code: String, _ message: String) -> Response {
        FakeHTTPServer.json(status, [["message": message, "errorCode": code]])
    }

    func handle(_ request: Request, _ context: BasicRequestContext, _ endpoint: FakeEndpoint,
                _ body: (RecordedRequest) -> Response) async throws -> Response {
        let recorded = try await FakeHTTPServer.record(request, endpoint: endpoint)
        core.record(recorded)
        guard recorded.header("Authorization") == "Bearer \(token)" else {
            return error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        }
        guard context.parameters.get("version") == "v\(version)" else {
            return error(404, "NOT_FOUND", "The requested resource does not exist")
        }
        if let failure = scriptedFailure(core, endpoint, body: [["message": "scripted", "errorCode": "SERVER_UNAVAILABLE"]]) { return failure }
        if recorded.method != "GET", recorded.jsonObject() == nil { return error(400, "JSON_PARSER_ERROR", "The body is not JSON") }
        return body(recorded)
    }

    /// Understands the one statement shape TextBack sends.
    func query(_ request: RecordedRequest) -> Response {
        let soql = request.query["q"] ?? ""
        let pattern = #/^SELECT Id FROM (Contact|Lead) WHERE \(Phone = '([^']*)' OR MobilePhone = '([^']*)'\)( AND IsConverted = false)? ORDER BY LastModifiedDate DESC LIMIT 1$/#
        guard let match = soql.wholeMatch(of: pattern), match.2 == match.3 else {
            return error(400, "MALFORMED_QUERY", "unexpected token")
        }
        let type = String(match.1), phone = String(match.2)
        let found = records.all(type).filter { $0.fields["Phone"] == phone || $0.fields["MobilePhone"] == phone }.prefix(1)
        return FakeHTTPServer.json(200, ["totalSize": found.count, "done": true, "records": found.map {
            ["attributes": ["type": type, "url": "/services/data/v\(version)/sobjects/\(type)/\($0.id)"], "Id": $0.id]
        }])
    }

    func createTask(_ request: RecordedRequest) -> Response {
        guard let fields = request.jsonObject() as? [String: String] else { return error(400, "JSON_PARSER_ERROR", "fields must be strings") }
        guard let subject = fields["Subject"], !subject.isEmpty, fields["Status"] != nil else {
            return error(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Subject, Status]")
        }
        if let date = fields["ActivityDate"], date.wholeMatch(of: #/[0-9]{4}-[0-9]{2}-[0-9]{2}/#) == nil {
            return error(400, "INVALID_TYPE_ON_FIELD_IN_RECORD", "ActivityDate: value not of required type")
        }
        if let who = fields["WhoId"], !records.exists(who) {
            return error(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
        }
        let id = records.add("Task", fields: fields)
        return FakeHTTPServer.json(201, ["id": id, "success": true, "errors": [String]()])
    }

    func update(_ type: String, _ id: String, _ request: RecordedRequest) -> Response {
        guard let fields = request.jsonObject() as? [String: String] else { return error(400, "JSON_PARSER_ERROR", "fields must be strings") }
        guard ["Contact", "Lead"].contains(type), records.all(type).contains(where: { $0.id == id }) else {
            return error(404, "NOT_FOUND", "The requested resource does not exist")
        }
        _ = records.update(id, fields: fields)
        return Response(status: .noContent)
    }
}
