// A delivery receipt changes only texts of a business whose carrier credentials verified it: a status
// callback signed with one business's Twilio token, naming another business's text (by our message id
// or by the carrier's), changes nothing there and suppresses no one there. Businesses that share one
// carrier account (the same Telnyx key) each still get their own receipts, and a receipt for a text to
// another business's number is the sender's.

import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackServer
import TextBackStorage

/// Bolt texts through the carrier fakes (Twilio, Telnyx, Bandwidth numbers); Acme has a Twilio account
/// of its own, another number, and `acmeCarriers` added under its `carriers:`.
struct ReceiptTenancy: Sendable {
    let store: SQLiteStore
    let tenancy: Tenancy
    let clock: VirtualClock

    init(clock: VirtualClock, twilio: URL, telnyx: URL, bandwidth: URL, acmeCarriers: String = "") async throws {
        self.clock = clock
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("textback-tenancy-receipts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("textback.db").path)
        try await store.migrate()
        let environment = tenantEnvironment.merging(Carriers.environment) { first, _ in first }
        var bolt = try ConfigurationLoader.load(yaml: Carriers.yaml(twilio: twilio, telnyx: telnyx, bandwidth: bandwidth),
                                                fileName: "bolt.yaml", environment: environment)
        bolt.business.id = BusinessID("bolt")
        var acme = try ConfigurationLoader.load(
            yaml: businessYAML(name: "Acme Home Services", number: cleanNumber, template: "home_services", tokenVariable: "ACME_TOKEN") + acmeCarriers,
            fileName: "acme.yaml", environment: environment)
        acme.business.id = BusinessID("acme")
        let ids = sequentialIDs()
        let carriers = CarrierFactory.carriers(bolt.carriers, transport: HTTPClientTransport(client: .shared), timeout: .seconds(3))
        tenancy = Tenancy(Tenants(engines: [
            Engine(store: store, configuration: acme, clock: clock, ids: ids, carriers: [SimulatorCarrier(outbox: store, ids: ids)],
                   workerID: "test#1"),
            Engine(store: store, configuration: bolt, clock: clock, ids: ids, carriers: carriers, workerID: "test#1",
                   delivery: DeliveryOptions(publicURL: URL(string: Carriers.publicURL))),
        ]))
    }

    /// A missed call from `contact` to Bolt's `number`, then the 2-minute delay: Bolt's text is handed to the carrier.
    func boltText(from number: String, to contact: String = "+14155550123") async throws -> MessageRecord {
        let bolt = try #require(tenancy.current.engine(for: BusinessID("bolt")))
        _ = try await bolt.ingest(CallEvent(provider: "native", providerCallID: "b-1", occurredAt: clock.now(), direction: .inbound,
                                            outcome: .noAnswer, from: try PhoneNumber(parsing: contact),
                                            to: try PhoneNumber(parsing: number), contact: ContactHint(name: "Dana Reyes"),
                                            variables: ["service": "water heater"]))
        try await tenancy.current.runDueJobs()
        clock.advance(120)
        try await tenancy.current.runDueJobs()
        let sent = try #require(try await store.messages(scope: .all, limit: 10, after: nil).items.first { $0.direction == .outbound })
        #expect(sent.business == BusinessID("bolt"))
        #expect(sent.status == .sent)
        return sent
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let settings = ServerSettings(apiToken: apiToken, publicURL: Carriers.publicURL)
        try await Application(router: TextBackHTTP.router(tenancy: tenancy, settings: settings)).test(.router, body)
    }
}

@Suite(.serialized) struct TenancyReceiptTests {
    @Test func aReceiptSignedWithOneBusinessesTokenCannotChangeAnothersText() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await ReceiptTenancy(clock: clock, twilio: twilio.baseURL, telnyx: telnyx.baseURL, bandwidth: bandwidth.baseURL)
            let sent = try await harness.boltText(from: Carriers.twilioNumber)
            let sid = try #require(sent.carrierMessageID)
            let store = harness.store
            try await harness.test { (client: any TestClientProtocol) async throws in
                func receipt(from number: String, token: String, messageID: Bool) async throws -> HTTPResult {
                    let path = messageID ? "/webhooks/twilio/status?message_id=\(sent.id.rawValue)" : "/webhooks/twilio/status"
                    let (body, headers) = signedForm([("AccountSid", "AC123"), ("From", number), ("MessageSid", sid),
                                                      ("MessageStatus", "undelivered"), ("ErrorCode", "21610"), ("To", "+14155550123")],
                                                     url: Carriers.publicURL + path, token: token)
                    return try await client.call(path, .post, raw: body, headers: headers, auth: false)
                }
                // Signed with Acme's token from Acme's number, naming Bolt's text by our id, then by Twilio's.
                #expect(try await receipt(from: cleanNumber, token: "acme-twilio-auth", messageID: true).status == .noContent)
                #expect(try await receipt(from: cleanNumber, token: "acme-twilio-auth", messageID: false).status == .noContent)
                let untouched = try #require(try await store.message(sent.id, scope: .all))
                #expect(untouched.status == .sent)
                #expect(untouched.errorCode == nil)
                #expect(try await store.suppression(phone: PhoneNumber(parsing: "+14155550123"), channel: "sms", for: BusinessID("bolt")) == nil)
                #expect(try await store.timeline(contactID: sent.contactID, scope: .all).allSatisfy {
                    if case .decision(let decision) = $0 { !decision.reasons.contains("carrier_opt_out") } else { true }
                })

                // Bolt's own receipt applies, and the opt-out is Bolt's.
                #expect(try await receipt(from: Carriers.twilioNumber, token: Carriers.twilioToken, messageID: true).status == .noContent)
                #expect(try await store.message(sent.id, scope: .all)?.status == .undelivered)
                let suppression = try await store.suppression(phone: PhoneNumber(parsing: "+14155550123"), channel: "sms", for: BusinessID("bolt"))
                #expect(suppression?.business == BusinessID("bolt"))
            }
        }
    }

    @Test func businessesSharingOneTelnyxKeyEachGetTheirOwnReceipts() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            // Acme (tried first) verifies Telnyx webhooks with the very key Bolt does.
            let shared = "  telnyx: {api_key: \"env:TELNYX_API_KEY\", public_key: \"\(Carriers.telnyxSigningKey.publicKey.rawRepresentation.base64EncodedString())\"}\n"
            let harness = try await ReceiptTenancy(clock: clock, twilio: twilio.baseURL, telnyx: telnyx.baseURL, bandwidth: bandwidth.baseURL,
                                                   acmeCarriers: shared)
            let sent = try await harness.boltText(from: Carriers.telnyxNumber)
            let id = try #require(sent.carrierMessageID)
            try await harness.test { (client: any TestClientProtocol) async throws in
                let payload: [String: Any] = [
                    "id": id, "to": [["phone_number": "+14155550123", "status": "delivered"]], "from": ["phone_number": Carriers.telnyxNumber],
                ]
                let event: [String: Any] = ["data": ["event_type": "message.finalized", "id": "ev-1", "occurred_at": "2026-03-03T18:03:00Z",
                                                     "payload": payload], "meta": ["attempt": 1]]
                let (body, headers) = try telnyxSigned(event, at: clock.now())
                #expect(try await client.call("/webhooks/telnyx", .post, raw: body, headers: headers, auth: false).status == .noContent)
                #expect(try await harness.store.message(sent.id, scope: .all)?.status == .delivered)
            }
        }
    }

    @Test func aTwilioReceiptForATextToAnotherBusinessesNumberIsTheSendersReceipt() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await ReceiptTenancy(clock: clock, twilio: twilio.baseURL, telnyx: telnyx.baseURL, bandwidth: bandwidth.baseURL)
            // Acme's line called Bolt and missed it: Bolt texts Acme's number back.
            let sent = try await harness.boltText(from: Carriers.twilioNumber, to: cleanNumber)
            let sid = try #require(sent.carrierMessageID)
            try await harness.test { (client: any TestClientProtocol) async throws in
                let path = "/webhooks/twilio/status?message_id=\(sent.id.rawValue)"
                let (body, headers) = signedForm([("AccountSid", "AC123"), ("From", Carriers.twilioNumber), ("MessageSid", sid),
                                                  ("MessageStatus", "delivered"), ("To", cleanNumber)],
                                                 url: Carriers.publicURL + path, token: Carriers.twilioToken)
                #expect(try await client.call(path, .post, raw: body, headers: headers, auth: false).status == .noContent)
                #expect(try await harness.store.message(sent.id, scope: .all)?.status == .delivered)
            }
        }
    }
}
