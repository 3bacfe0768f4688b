// Several businesses in one install, through the real router over one real SQLite file: each text
// leaves from its business's number with its business's template; a business token sees only its
// business (another's contact, timeline, thread and messages are 404s, and it cannot reply there);
// STOP to one business leaves the other's texts alone while a global do-not-contact entry stops both;
// a reload that adds a business serves it at once, and a broken one changes nothing.

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackServer
import TextBackStorage

let acmeNumber = "+15125550100"
let boltNumber = "+15125550200"
let cleanNumber = "+15125550300"
let acmeToken = "acme-token-0123456789"
let boltToken = "bolt-token-0123456789"
let cleanToken = "clean-token-0123456789"
let tenantEnvironment = ["ACME_TOKEN": acmeToken, "BOLT_TOKEN": boltToken, "CLEAN_TOKEN": cleanToken,
                         "ACME_TWILIO_TOKEN": "acme-twilio-auth", "BOLT_TWILIO_TOKEN": "bolt-twilio-auth", "CLEAN_TWILIO_TOKEN": "clean-twilio-auth",
                         "TWILIO_SID": "AC123"]

/// The demo configuration as business `name`, texting from `number` with `template`, with its own API
/// token and its own Twilio account (webhooks are checked with it; texts still go by the simulator).
func businessYAML(name: String, number: String, template: String, tokenVariable: String) -> String {
    let twilioToken = tokenVariable.replacingOccurrences(of: "_TOKEN", with: "_TWILIO_TOKEN")
    return ConfigurationLoader.demoYAML
        .replacingOccurrences(of: "Acme Home Services", with: name)
        .replacingOccurrences(of: "+15125550100", with: number)
        .replacingOccurrences(of: "send_sms: {template: home_services}", with: "send_sms: {template: \(template)}")
        + "\napi_tokens: [env:\(tokenVariable)]\ncarriers:\n  twilio: {account_sid: \"env:TWILIO_SID\", auth_token: \"env:\(twilioToken)\"}\n"
}

struct TenancyHarness: Sendable {
    let directory: URL
    let configDirectory: URL
    let clock: VirtualClock
    let store: SQLiteStore
    let tenancy: Tenancy
    let reload: @Sendable () async -> ReloadOutcome

    /// `boltTimeZone`: Bolt's business zone (both are in Chicago unless a test says otherwise).
    init(boltTimeZone: String = "America/Chicago") async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("textback-tenancy-\(UUID().uuidString)")
        configDirectory = directory.appendingPathComponent("businesses")
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
        try businessYAML(name: "Acme Home Services", number: acmeNumber, template: "home_services", tokenVariable: "ACME_TOKEN")
            .write(to: configDirectory.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        try businessYAML(name: "Bolt Insurance", number: boltNumber, template: "insurance", tokenVariable: "BOLT_TOKEN")
            .replacingOccurrences(of: "timezone: America/Chicago", with: "timezone: \(boltTimeZone)")
            .write(to: configDirectory.appendingPathComponent("bolt.yaml"), atomically: true, encoding: .utf8)
        clock = VirtualClock(morning)
        let store = try SQLiteStore(path: directory.appendingPathComponent("textback.db").path)
        try await store.migrate()
        self.store = store
        let ids = sequentialIDs()
        let clock = self.clock
        // As `serve` builds them: one engine per business over the same store, clock, ids and worker id.
        let build: @Sendable (TextBackInstall) -> Tenants = { install in
            Tenants(engines: install.businesses.map { configuration in
                Engine(store: store, configuration: configuration, clock: clock, ids: ids,
                       carriers: [SimulatorCarrier(outbox: store, ids: ids)], workerID: "test#1")
            })
        }
        let path = configDirectory.path
        let tenancy = Tenancy(build(try ConfigurationLoader.loadInstall(path: path, environment: tenantEnvironment)))
        self.tenancy = tenancy
        reload = {
            let (install, diagnostics) = ConfigurationLoader.lintInstall(path: path, environment: tenantEnvironment)
            guard let install else { return .refused(diagnostics) }
            tenancy.replace(with: build(install))
            return .reloaded(install.businesses.map(\.business.id))
        }
    }

    func advance(_ seconds: Double) async throws {
        clock.advance(seconds)
        try await tenancy.current.runDueJobs()
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var settings = ServerSettings(apiToken: apiToken, publicURL: "https://textback.example.com", simulatorOutbox: store)
        settings.reload = reload
        try await Application(router: TextBackHTTP.router(tenancy: tenancy, settings: settings)).test(.router, body)
    }
}

extension TestClientProtocol {
    func call(_ uri: String, _ method: HTTPRequest.Method = .get, token: String, json: (any Sendable)? = nil) async throws -> HTTPResult {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        return try await call(uri, method, json: json, headers: headers, auth: false)
    }
}

@Suite struct TenancyTests {
    @Test func eachBusinessTextsFromItsOwnNumberWithItsOwnTemplate() async throws {
        let harness = try await TenancyHarness()
        try await harness.test { client in
            #expect(try await client.postCall(callEvent(id: "a-1", business: acmeNumber)).status == .accepted)
            #expect(try await client.postCall(callEvent(id: "b-1", business: boltNumber)).status == .accepted)
            try await harness.advance(0)
            try await harness.advance(120)
            let outbox = try await client.outbox()
            #expect(outbox.count == 2)
            let acme = try #require(outbox.first { $0["from"] as? String == acmeNumber })
            let bolt = try #require(outbox.first { $0["from"] as? String == boltNumber })
            #expect(acme["body"] as? String
                == "Hey Dana, Acme Home Services here. Tried to reach you about your water heater repair request. Still need help? Reply YES and I'll call you right back. Reply STOP to opt out.")
            #expect(bolt["body"] as? String
                == "Hi Dana, this is Bolt Insurance - I just tried calling about your coverage quote. Want me to call back at a better time? Reply with when works. Reply STOP to opt out.")

            // The same person at two businesses is two contacts, each found in its own business.
            let atAcme = try await client.call("/v1/contacts/+14155550123?business=acme")
            let atBolt = try await client.call("/v1/contacts/+14155550123?business=bolt")
            #expect(atAcme.status == .ok && atBolt.status == .ok)
            #expect(atAcme.json["id"] as? String != atBolt.json["id"] as? String)
            // The admin must say which business a phone lookup is about.
            let ambiguous = try await client.call("/v1/contacts/+14155550123")
            #expect(ambiguous.status == .badRequest)
            #expect(ambiguous.json["field"] as? String == "business")

            let listed = try await client.call("/v1/businesses")
            let businesses = listed.json["businesses"] as? [[String: Any]] ?? []
            #expect(businesses.map { $0["id"] as? String } == ["acme", "bolt"])
            #expect((businesses.last?["numbers"] as? [[String: Any]])?.first?["number"] as? String == boltNumber)
            let own = try await client.call("/v1/businesses", token: boltToken)
            #expect((own.json["businesses"] as? [[String: Any]])?.map { $0["id"] as? String } == ["bolt"])
        }
    }

    @Test func aBusinessTokenGets404ForAnotherBusinessesContactTimelineThreadAndMessages() async throws {
        let harness = try await TenancyHarness()
        try await harness.test { client in
            try await client.postCall(callEvent(id: "b-1", contact: "+14155550199", business: boltNumber))
            try await harness.advance(0)
            try await harness.advance(120)
            let boltThreads = try await client.call("/v1/conversations", token: boltToken)
            let thread = try #require((boltThreads.json["conversations"] as? [[String: Any]])?.first?["id"] as? String)

            // Acme's token: Bolt's contact, timeline and thread do not exist for it.
            #expect(try await client.call("/v1/contacts/+14155550199", token: acmeToken).status == .notFound)
            #expect(try await client.call("/v1/contacts/+14155550199/timeline", token: acmeToken).status == .notFound)
            #expect(try await client.call("/v1/contacts/+14155550199?business=bolt", token: acmeToken).status == .notFound)
            #expect(try await client.call("/v1/conversations/\(thread)", token: acmeToken).status == .notFound)
            #expect(try await client.call("/v1/conversations/\(thread)/release", .post, token: acmeToken).status == .notFound)
            let intrusion = try await client.call("/v1/conversations/\(thread)/messages", .post, token: acmeToken, json: ["body": "hello from acme"])
            #expect(intrusion.status == .notFound)
            #expect((try await client.call("/v1/conversations", token: acmeToken).json["conversations"] as? [Any])?.isEmpty == true)
            #expect((try await client.call("/v1/messages", token: acmeToken).json["messages"] as? [Any])?.isEmpty == true)
            #expect((try await client.call("/v1/simulator/outbox", token: acmeToken).json["messages"] as? [Any])?.isEmpty == true)
            // Nothing was written by the refused reply: Bolt's thread still holds only Bolt's text.
            let boltMessages = try await client.call("/v1/messages", token: boltToken).json["messages"] as? [[String: Any]] ?? []
            #expect(boltMessages.count == 1)
            #expect(boltMessages.allSatisfy { $0["from"] as? String == boltNumber })
            // Bolt's own token sees its thread; a wrong token is 401.
            #expect(try await client.call("/v1/conversations/\(thread)", token: boltToken).status == .ok)
            #expect(try await client.call("/v1/contacts/+14155550199", token: boltToken).status == .ok)
            #expect(try await client.call("/v1/messages", token: "not-a-token-at-all").status == .unauthorized)
            // A business token cannot reload the configuration.
            #expect(try await client.call("/v1/admin/reload", .post, token: boltToken).status == .forbidden)
        }
    }

    @Test func stopToOneBusinessLeavesTheOthersTextsAloneAndAGlobalEntryStopsBoth() async throws {
        let harness = try await TenancyHarness()
        try await harness.test { client in
            // Dana texts STOP to Acme before either missed-call text goes out.
            try await client.postCall(callEvent(id: "a-1", business: acmeNumber))
            try await client.postCall(callEvent(id: "b-1", business: boltNumber))
            try await harness.advance(0)
            let stop = try await client.call("/v1/simulator/inbound", .post, json: ["from": "+14155550123", "to": acmeNumber, "body": "STOP"])
            #expect(stop.status == .accepted)
            try await harness.advance(120)
            let outbox = try await client.outbox()
            #expect(outbox.filter { $0["from"] as? String == boltNumber }.count == 1)
            // Acme sends only the opt-out confirmation, never the missed-call text.
            let fromAcme = outbox.filter { $0["from"] as? String == acmeNumber }
            #expect(fromAcme.count == 1)
            #expect((fromAcme.first?["body"] as? String)?.contains("Tried to reach you") == false)

            // A global do-not-contact entry (admin, no business) stops both businesses.
            let dnc = try await client.call("/v1/suppressions", .post, json: ["phone": "+14155550177", "reason": "dnc"])
            #expect(dnc.status == .created)
            #expect(dnc.json["business"] is NSNull)
            try await client.postCall(callEvent(id: "a-2", contact: "+14155550177", business: acmeNumber))
            try await client.postCall(callEvent(id: "b-2", contact: "+14155550177", business: boltNumber))
            try await harness.advance(0)
            try await harness.advance(120)
            #expect(try await client.outbox().filter { $0["to"] as? String == "+14155550177" }.isEmpty)
            // Bolt sees the global entry in its list but cannot remove it (its own list has no such entry).
            #expect(try await client.call("/v1/suppressions/+14155550177", .delete, token: boltToken).status == .notFound)
        }
    }

    @Test func carrierWebhooksGoToTheBusinessWhoseNumberWasTextedCheckedWithItsOwnCredentials() async throws {
        let harness = try await TenancyHarness()
        let sms: [(String, String)] = [("MessageSid", "SM0001"), ("From", "+14155550123"), ("To", boltNumber), ("Body", "hello"),
                                       ("AccountSid", "AC123")]
        let url = "https://textback.example.com/webhooks/twilio/sms"
        try await harness.test { client in
            // Signed with Acme's Twilio token but naming Bolt's number: refused, nothing stored anywhere.
            let (forgedBody, forgedHeaders) = signedForm(sms, url: url, token: "acme-twilio-auth")
            #expect(try await client.call("/webhooks/twilio/sms", .post, raw: forgedBody, headers: forgedHeaders, auth: false).status == .forbidden)
            #expect((try await client.call("/v1/messages").json["messages"] as? [Any])?.isEmpty == true)

            // Signed with Bolt's: stored as Bolt's, invisible to Acme.
            let (body, headers) = signedForm(sms, url: url, token: "bolt-twilio-auth")
            #expect(try await client.call("/webhooks/twilio/sms", .post, raw: body, headers: headers, auth: false).status == .ok)
            let bolt = try await client.call("/v1/messages", token: boltToken).json["messages"] as? [[String: Any]] ?? []
            #expect(bolt.map { $0["direction"] as? String } == ["inbound"])
            #expect((try await client.call("/v1/messages", token: acmeToken).json["messages"] as? [Any])?.isEmpty == true)
            #expect(try await client.call("/v1/contacts/+14155550123", token: acmeToken).status == .notFound)
            #expect(try await client.call("/v1/contacts/+14155550123", token: boltToken).status == .ok)
        }
    }

    @Test func aReloadThatAddsABusinessServesItAtOnceAndABrokenOneChangesNothing() async throws {
        let harness = try await TenancyHarness()
        try await harness.test { client in
            try businessYAML(name: "Clean Co", number: cleanNumber, template: "home_services", tokenVariable: "CLEAN_TOKEN")
                .write(to: harness.configDirectory.appendingPathComponent("clean.yaml"), atomically: true, encoding: .utf8)
            let reloaded = try await client.call("/v1/admin/reload", .post)
            #expect(reloaded.status == .ok, "\(reloaded.body)")
            #expect(reloaded.json["businesses"] as? [String] == ["acme", "bolt", "clean"])
            try await client.postCall(callEvent(id: "c-1", business: cleanNumber))
            try await harness.advance(0)
            try await harness.advance(120)
            #expect(try await client.outbox().first?["from"] as? String == cleanNumber)
            #expect(try await client.call("/v1/businesses", token: cleanToken).status == .ok)

            // A file claiming Acme's number: refused with its location, and the three stay.
            let duplicate = businessYAML(name: "Dup Co", number: acmeNumber, template: "home_services", tokenVariable: "CLEAN_TOKEN")
                .replacingOccurrences(of: "api_tokens: [env:CLEAN_TOKEN]", with: "")
            try duplicate.write(to: harness.configDirectory.appendingPathComponent("dup.yaml"), atomically: true, encoding: .utf8)
            // Where the number is written: its line, and the column of its opening quote.
            let lines = duplicate.components(separatedBy: "\n")
            let line = try #require(lines.firstIndex { $0.contains("- number: \"\(acmeNumber)\"") })
            let column = try #require(lines[line].firstIndex(of: "\"")).utf16Offset(in: lines[line]) + 1
            let refused = try await client.call("/v1/admin/reload", .post)
            #expect(refused.status == .unprocessableContent)
            #expect((refused.json["detail"] as? String)?
                .contains("dup.yaml:\(line + 1):\(column): error: number +15125550100 is already claimed by business 'acme'") == true,
                    "\(refused.body)")
            let listed = try await client.call("/v1/businesses").json["businesses"] as? [[String: Any]] ?? []
            #expect(listed.map { $0["id"] as? String } == ["acme", "bolt", "clean"])
            #expect(try await client.call("/v1/businesses", token: cleanToken).status == .ok)
        }
    }
}
