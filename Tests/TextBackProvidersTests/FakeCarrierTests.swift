// The fakes themselves: they refuse what the real services refuse, in the real services' words,
// record what they received, follow their scripts in order, and answer their list endpoints from
// what they accepted. Requests here are written by hand, not by the clients under test.

import Foundation
import Testing
import TextBackCarrierFakes
import TextBackProviders

@Suite struct FakeCarrierTests {
    static func perform(_ request: ProviderRequest, _ base: URL) async throws -> (status: Int, json: [String: Any]) {
        let response = try await Fixture.transport.perform(request, baseURL: base.absoluteString, timeout: .seconds(5))
        return (response.status, (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:])
    }

    static func form(_ fields: [(String, String)], auth: String?, path: String, contentType: String = "application/x-www-form-urlencoded") -> ProviderRequest {
        var headers: [ProviderRequest.Field] = [.init("Content-Type", contentType)]
        if let auth { headers.append(.init("Authorization", auth)) }
        return ProviderRequest(method: .POST, path: path, headers: headers, body: Data(FormEncoding.encode(fields).utf8))
    }

    // MARK: Twilio

    static let twilioPath = "/2010-04-01/Accounts/AC1/Messages.json"
    static let twilioAuth = BasicAuth.header(username: "AC1", password: "tok")
    static let twilioFields = [("To", "+14155550123"), ("From", "+15125550100"), ("Body", "Hi")]

    @Test(arguments: [
        ("no credentials", twilioFields, String?.none, twilioPath, "application/x-www-form-urlencoded", 401, 20003),
        ("wrong token", twilioFields, BasicAuth.header(username: "AC1", password: "nope"), twilioPath, "application/x-www-form-urlencoded", 401, 20003),
        ("another account", twilioFields, twilioAuth, "/2010-04-01/Accounts/AC2/Messages.json", "application/x-www-form-urlencoded", 404, 20404),
        ("no To", [("From", "+15125550100"), ("Body", "Hi")], twilioAuth, twilioPath, "application/x-www-form-urlencoded", 400, 21604),
        ("no From", [("To", "+14155550123"), ("Body", "Hi")], twilioAuth, twilioPath, "application/x-www-form-urlencoded", 400, 21603),
        ("no Body", [("To", "+14155550123"), ("From", "+15125550100")], twilioAuth, twilioPath, "application/x-www-form-urlencoded", 400, 21602),
        ("bad To", [("To", "415-555"), ("From", "+15125550100"), ("Body", "Hi")], twilioAuth, twilioPath, "application/x-www-form-urlencoded", 400, 21211),
        ("JSON body", twilioFields, twilioAuth, twilioPath, "application/json", 400, 21604),
        ("relative callback", twilioFields + [("StatusCallback", "/status")], twilioAuth, twilioPath, "application/x-www-form-urlencoded", 400, 21609),
    ])
    func twilioRefusesWhatTwilioRefuses(_ name: String, fields: [(String, String)], auth: String?, path: String, contentType: String,
                                        status: Int, code: Int) async throws {
        try await FakeTwilio.run(accountSID: "AC1", authToken: "tok") { fake in
            let (gotStatus, json) = try await Self.perform(Self.form(fields, auth: auth, path: path, contentType: contentType), fake.baseURL)
            #expect(gotStatus == status, "\(name)")
            #expect(json["code"] as? Int == code, "\(name)")
            #expect(json["status"] as? Int == status)
            #expect(json["more_info"] as? String == "https://www.twilio.com/docs/errors/\(code)")
            #expect(fake.messages.isEmpty)
            #expect(fake.requests.count == 1)
        }
    }

    @Test func twilioFollowsItsScriptInOrderThenSucceeds() async throws {
        try await FakeTwilio.run(accountSID: "AC1", authToken: "tok") { fake in
            fake.script(.rateLimited(retryAfterSeconds: 9), .refuse(code: "21610"), .serverError)
            let request = Self.form(Self.twilioFields, auth: Self.twilioAuth, path: Self.twilioPath)
            let first = try await Fixture.transport.perform(request, baseURL: fake.baseURL.absoluteString, timeout: .seconds(5))
            #expect(first.status == 429)
            #expect(first.header("Retry-After") == "9")
            #expect(try await Self.perform(request, fake.baseURL).json["code"] as? Int == 21610)
            #expect(try await Self.perform(request, fake.baseURL).status == 500)
            let success = try await Self.perform(request, fake.baseURL)
            #expect(success.status == 201)
            #expect(success.json["status"] as? String == "queued")
            #expect(success.json["sid"] as? String == fake.messages.first?.id)
            #expect(fake.messages.count == 1)
            #expect(fake.requests.count == 4)
        }
    }

    @Test func twilioListsWhatItAcceptedAndDateSentLeavesOutQueuedTexts() async throws {
        try await FakeTwilio.run(accountSID: "AC1", authToken: "tok") { fake in
            let request = Self.form(Self.twilioFields, auth: Self.twilioAuth, path: Self.twilioPath)
            _ = try await Self.perform(request, fake.baseURL)
            fake.holdInQueue(true)
            _ = try await Self.perform(request, fake.baseURL)
            let list = ProviderRequest(method: .GET, path: Self.twilioPath,
                                       query: [.init("To", "+14155550123"), .init("From", "+15125550100")],
                                       headers: [.init("Authorization", Self.twilioAuth)])
            let all = try await Self.perform(list, fake.baseURL).json["messages"] as? [[String: Any]]
            #expect(all?.count == 2)
            var dated = list
            dated.query.append(.init("DateSent>", "2000-01-01"))
            let sent = try await Self.perform(dated, fake.baseURL).json["messages"] as? [[String: Any]]
            #expect(sent?.count == 1)
            #expect(sent?.first?["status"] as? String == "sent")
        }
    }

    // MARK: Telnyx

    static func telnyxSend(_ json: String, key: String? = "KEY", contentType: String = "application/json") -> ProviderRequest {
        var headers: [ProviderRequest.Field] = [.init("Content-Type", contentType)]
        if let key { headers.append(.init("Authorization", "Bearer \(key)")) }
        return ProviderRequest(method: .POST, path: "/v2/messages", headers: headers, body: Data(json.utf8))
    }

    @Test(arguments: [
        ("no key", telnyxSend(#"{"from":"+15125550100","to":"+14155550123","text":"Hi"}"#, key: nil), 401, "10009"),
        ("wrong key", telnyxSend(#"{"from":"+15125550100","to":"+14155550123","text":"Hi"}"#, key: "nope"), 401, "10009"),
        ("form body", telnyxSend("from=%2B15125550100", contentType: "application/x-www-form-urlencoded"), 400, "10015"),
        ("no to", telnyxSend(#"{"from":"+15125550100","text":"Hi"}"#), 400, "10004"),
        ("bad to", telnyxSend(#"{"from":"+15125550100","to":"4155550123","text":"Hi"}"#), 400, "40310"),
        ("bad from", telnyxSend(#"{"from":"5125550100","to":"+14155550123","text":"Hi"}"#), 400, "10016"),
        ("no text", telnyxSend(#"{"from":"+15125550100","to":"+14155550123"}"#), 400, "40316"),
    ])
    func telnyxRefusesWhatTelnyxRefuses(_ name: String, request: ProviderRequest, status: Int, code: String) async throws {
        try await FakeTelnyx.run(apiKey: "KEY") { fake in
            let (gotStatus, json) = try await Self.perform(request, fake.baseURL)
            #expect(gotStatus == status, "\(name)")
            let error = (json["errors"] as? [[String: Any]])?.first
            #expect(error?["code"] as? String == code, "\(name)")
            #expect(error?["title"] is String)
            #expect(fake.messages.isEmpty)
        }
    }

    @Test func telnyxRetrievesWhatItAccepted() async throws {
        try await FakeTelnyx.run(apiKey: "KEY") { fake in
            let sent = try await Self.perform(Self.telnyxSend(#"{"from":"+15125550100","to":"+14155550123","text":"Hi"}"#), fake.baseURL)
            let id = try #require((sent.json["data"] as? [String: Any])?["id"] as? String)
            let get = ProviderRequest(method: .GET, path: "/v2/messages/\(id)", headers: [.init("Authorization", "Bearer KEY")])
            let record = try await Self.perform(get, fake.baseURL)
            #expect(record.status == 200)
            #expect((record.json["data"] as? [String: Any])?["text"] as? String == "Hi")
            let missing = ProviderRequest(method: .GET, path: "/v2/messages/nope", headers: [.init("Authorization", "Bearer KEY")])
            #expect(try await Self.perform(missing, fake.baseURL).status == 404)
        }
    }

    // MARK: Bandwidth

    static let bandwidthAuth = BasicAuth.header(username: "u", password: "p")

    static func bandwidthSend(_ json: String, auth: String? = bandwidthAuth, account: String = "99", contentType: String = "application/json") -> ProviderRequest {
        var headers: [ProviderRequest.Field] = [.init("Content-Type", contentType)]
        if let auth { headers.append(.init("Authorization", auth)) }
        return ProviderRequest(method: .POST, path: "/api/v2/users/\(account)/messages", headers: headers, body: Data(json.utf8))
    }

    static let bandwidthBody = #"{"from":"+15125550100","to":["+14155550123"],"text":"Hi","applicationId":"app"}"#

    @Test(arguments: [
        ("no credentials", bandwidthSend(bandwidthBody, auth: nil), 401, "unauthorized", [String]()),
        ("wrong password", bandwidthSend(bandwidthBody, auth: BasicAuth.header(username: "u", password: "x")), 401, "unauthorized", []),
        ("another account", bandwidthSend(bandwidthBody, account: "98"), 403, "forbidden", []),
        ("form body", bandwidthSend(bandwidthBody, contentType: "text/plain"), 415, "invalid-media-type", []),
        ("no application", bandwidthSend(#"{"from":"+15125550100","to":["+14155550123"],"text":"Hi"}"#), 400, "request-validation", ["applicationId"]),
        ("to not a list", bandwidthSend(#"{"from":"+15125550100","to":"+14155550123","text":"Hi","applicationId":"app"}"#), 400, "request-validation", ["to"]),
        ("bad to", bandwidthSend(#"{"from":"+15125550100","to":["555"],"text":"Hi","applicationId":"app"}"#), 400, "request-validation", ["to"]),
        ("no text", bandwidthSend(#"{"from":"+15125550100","to":["+14155550123"],"applicationId":"app"}"#), 400, "request-validation", ["text"]),
    ])
    func bandwidthRefusesWhatBandwidthRefuses(_ name: String, request: ProviderRequest, status: Int, type: String, fields: [String]) async throws {
        try await FakeBandwidth.run(accountID: "99", username: "u", password: "p", applicationID: "app") { fake in
            let (gotStatus, json) = try await Self.perform(request, fake.baseURL)
            #expect(gotStatus == status, "\(name)")
            #expect(json["type"] as? String == type, "\(name)")
            #expect(json["description"] is String)
            let named = (json["fieldErrors"] as? [[String: Any]] ?? []).compactMap { $0["fieldName"] as? String }
            #expect(named == fields, "\(name)")
            #expect(fake.messages.isEmpty)
        }
    }

    @Test func bandwidthListsMetadataOnly() async throws {
        try await FakeBandwidth.run(accountID: "99", username: "u", password: "p", applicationID: "app") { fake in
            let sent = try await Self.perform(Self.bandwidthSend(Self.bandwidthBody), fake.baseURL)
            #expect(sent.status == 202)
            let list = ProviderRequest(method: .GET, path: "/api/v2/users/99/messages",
                                       query: [.init("sourceTn", "+15125550100"), .init("destinationTn", "+14155550123")],
                                       headers: [.init("Authorization", Self.bandwidthAuth)])
            let answer = try await Self.perform(list, fake.baseURL).json
            #expect(answer["totalCount"] as? Int == 1)
            let item = try #require((answer["messages"] as? [[String: Any]])?.first)
            #expect(item["messageId"] as? String == sent.json["id"] as? String)
            #expect(item["messageLength"] as? Int == 2)
            #expect(item["text"] == nil && item["tag"] == nil)
        }
    }

    @Test func aHangIsReleasedWhenTheFakeStops() async throws {
        // The run returns even though a request is still waiting for its answer.
        try await FakeBandwidth.run(accountID: "99", username: "u", password: "p", applicationID: "app") { fake in
            try await Fixture.warmUp(fake.baseURL)
            fake.script(.hang)
            let failure = await transportFailure { () async throws(TransportFailure) in
                try await Fixture.transport.perform(Self.bandwidthSend(Self.bandwidthBody), baseURL: fake.baseURL.absoluteString,
                                                    timeout: Fixture.hangDeadline)
            }
            guard case .mayHaveBeenSent? = failure else { Issue.record("got \(String(describing: failure))"); return }
            #expect(fake.messages.count == 1)
        }
    }
}
