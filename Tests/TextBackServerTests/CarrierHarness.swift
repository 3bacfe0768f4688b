// A harness for the real carriers: the three carrier fakes on loopback ports, a configuration whose
// numbers use them (with base URLs pointing at the fakes), the real adapters over AsyncHTTPClient,
// the real router and engine on a real SQLite file, and the virtual clock.

import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackServer
import TextBackStorage

enum Carriers {
    static let twilioNumber = "+15125550100"
    static let telnyxNumber = "+15125550101"
    static let bandwidthNumber = "+15125550102"
    static let secondTwilioNumber = "+15125550103"
    static let publicURL = "https://textback.example.com"
    static let twilioToken = "tw-auth-token"
    static let telnyxKey = "KEY_telnyx_test"
    static let bandwidthCallbackUser = "textback-cb"
    static let bandwidthCallbackPassword = "cb-secret"
    static let telnyxSigningKey = Curve25519.Signing.PrivateKey()

    static var environment: [String: String] {
        ["TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": twilioToken, "TELNYX_API_KEY": telnyxKey,
         "BANDWIDTH_PASSWORD": "bw-pass", "BANDWIDTH_CALLBACK_PASSWORD": bandwidthCallbackPassword]
    }

    /// The demo configuration with four numbers on the real carriers, pointing at the fakes.
    static func yaml(twilio: URL, telnyx: URL, bandwidth: URL, policyExtra: String = "", secondKind: String = "long_code",
                     secondExtra: String = "") -> String {
        let numbers = """
            numbers:
              - {number: "\(twilioNumber)", carrier: twilio, kind: long_code}
              - {number: "\(telnyxNumber)", carrier: telnyx, kind: long_code}
              - {number: "\(bandwidthNumber)", carrier: bandwidth, kind: long_code}
              - {number: "\(secondTwilioNumber)", carrier: twilio, kind: \(secondKind)\(secondExtra)}

            carriers:
              twilio: {account_sid: "env:TWILIO_ACCOUNT_SID", auth_token: "env:TWILIO_AUTH_TOKEN", base_url: "\(twilio.absoluteString)", lookup_base_url: "\(twilio.absoluteString)"}
              telnyx: {api_key: "env:TELNYX_API_KEY", public_key: "\(telnyxSigningKey.publicKey.rawRepresentation.base64EncodedString())", base_url: "\(telnyx.absoluteString)"}
              bandwidth:
                account_id: "9900001"
                username: bw-user
                password: "env:BANDWIDTH_PASSWORD"
                application_id: app-1
                base_url: "\(bandwidth.absoluteString)"
                callback_username: \(bandwidthCallbackUser)
                callback_password: "env:BANDWIDTH_CALLBACK_PASSWORD"

            """
        var yaml = ConfigurationLoader.demoYAML
        guard let start = yaml.range(of: "numbers:"), let end = yaml.range(of: "policy:") else { return yaml }
        yaml.replaceSubrange(start.lowerBound..<end.lowerBound, with: numbers)
        if !policyExtra.isEmpty, let policy = yaml.range(of: "policy:\n") {
            yaml.replaceSubrange(policy, with: "policy:\n" + policyExtra)
        }
        return yaml
    }

    /// Runs the three fakes for the length of `body`.
    static func withFakes<R>(clock: VirtualClock, _ body: (FakeTwilio, FakeTelnyx, FakeBandwidth) async throws -> R) async throws -> R {
        let now: @Sendable () -> Date = { clock.now() }
        return try await FakeTwilio.run(accountSID: "AC123", authToken: twilioToken, clock: now) { twilio in
            try await FakeTelnyx.run(apiKey: telnyxKey, clock: now) { telnyx in
                try await FakeBandwidth.run(accountID: "9900001", username: "bw-user", password: "bw-pass", applicationID: "app-1",
                                            clock: now) { bandwidth in
                    try await body(twilio, telnyx, bandwidth)
                }
            }
        }
    }
}

struct CarrierHarness: Sendable {
    let clock: VirtualClock
    let store: SQLiteStore
    let engine: Engine
    let configuration: TextBackConfiguration

    /// `timeout` is the carriers' deadline: short, because tests that make a fake hang wait it out.
    init(clock: VirtualClock, yaml: String, timeout: Duration = .seconds(3), carriers extra: [any Carrier]? = nil,
         landlineCheck: Bool = false) async throws {
        self.clock = clock
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("textback-carriers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("textback.db").path)
        try await store.migrate()
        configuration = try ConfigurationLoader.load(yaml: yaml, fileName: "carriers.yaml", environment: Carriers.environment)
        let ids = sequentialIDs()
        let transport = HTTPClientTransport(client: .shared)
        let carriers = extra ?? CarrierFactory.carriers(configuration.carriers, transport: transport, timeout: timeout)
        let lookup = landlineCheck ? CarrierFactory.lineTypeLookup(configuration.carriers, transport: transport, timeout: timeout) : nil
        engine = Engine(store: store, configuration: configuration, clock: clock, ids: ids, carriers: carriers,
                        delivery: DeliveryOptions(publicURL: URL(string: Carriers.publicURL), lineTypeLookup: lookup))
    }

    func advance(_ seconds: Double) async throws {
        clock.advance(seconds)
        try await engine.runDueJobs()
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: TextBackHTTP.router(engine: engine, settings: ServerSettings(apiToken: apiToken, publicURL: Carriers.publicURL)))
        try await app.test(.router, body)
    }

    /// A missed call to `business` from `contact`, then the 2-minute delay: the text is handed over.
    func missedCall(to business: String, from contact: String = "+14155550123", id: String = "c-1") async throws {
        _ = try await engine.ingest(CallEvent(provider: "native", providerCallID: id, occurredAt: clock.now(), direction: .inbound,
                                              outcome: .noAnswer, from: try PhoneNumber(parsing: contact),
                                              to: try PhoneNumber(parsing: business), contact: ContactHint(name: "Dana Reyes"),
                                              variables: ["service": "water heater"]))
        try await advance(0)
        try await advance(120)
    }

    /// Missed calls from each contact to `business`, all at the current instant (no jobs run).
    func ingestMissedCalls(from contacts: [String], to business: String, idPrefix: String) async throws {
        for (index, contact) in contacts.enumerated() {
            _ = try await engine.ingest(CallEvent(provider: "native", providerCallID: "\(idPrefix)-\(index)", occurredAt: clock.now(),
                                                  direction: .inbound, outcome: .noAnswer, from: PhoneNumber(trustedE164: contact),
                                                  to: PhoneNumber(trustedE164: business), contact: ContactHint(name: "Dana Reyes"),
                                                  variables: ["service": "water heater"]))
        }
    }

    func messages() async throws -> [MessageRecord] {
        try await store.messages(scope: .all, limit: 100_000, after: nil).items
    }

    func outbound() async throws -> [MessageRecord] {
        try await messages().filter { $0.direction == .outbound }
    }
}

// MARK: - Signing what carriers send

func twilioSigned(_ params: [(String, String)], url: String) -> (String, HTTPFields) {
    signedForm(params, url: url, token: Carriers.twilioToken)
}

func telnyxSigned(_ object: [String: Any], at date: Date, key: Curve25519.Signing.PrivateKey = Carriers.telnyxSigningKey) throws -> (String, HTTPFields) {
    let body = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    let timestamp = String(Int(date.timeIntervalSince1970))
    let signature = try key.signature(for: Data("\(timestamp)|\(body)".utf8)).base64EncodedString()
    var headers: HTTPFields = [.contentType: "application/json"]
    headers[HTTPField.Name("telnyx-signature-ed25519")!] = signature
    headers[HTTPField.Name("telnyx-timestamp")!] = timestamp
    return (body, headers)
}

func bandwidthAuthorized(user: String = Carriers.bandwidthCallbackUser, password: String = Carriers.bandwidthCallbackPassword) -> HTTPFields {
    var headers: HTTPFields = [.contentType: "application/json"]
    headers[.authorization] = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    return headers
}

func jsonText(_ object: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

/// Records what a carrier was asked to send and when (virtual clock), for throughput tests.
final class RecordingCarrier: Carrier, Sendable {
    let name: String
    let clock: VirtualClock
    private let log = Mutex<[(from: String, at: Date)]>([])

    init(name: String, clock: VirtualClock) { self.name = name; self.clock = clock }

    var sends: [(from: String, at: Date)] { log.withLock { $0 } }

    func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        let count = log.withLock { log in
            log.append((sms.from.e164, clock.now()))
            return log.count
        }
        return CarrierReceipt(carrierMessageID: "REC\(count)", acceptedAt: now)
    }

    func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? { nil }
}
