// Staff notifications by signed webhook, delivered from the durable outbox to a real local HTTP
// server: the signature verifies over `t.body`, a failed delivery is retried on the virtual clock,
// and a delivered one is not sent again.

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing
import TextBackConfig
import TextBackCarrierFakes
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage

/// A webhook receiver on 127.0.0.1, port 0: records each request, answers 500 to the first
/// `failFirst` of them and 204 after.
final class WebhookReceiver: Sendable {
    struct Received: Sendable { var signature: String?; var body: String }
    let received = Mutex<[Received]>([])
    let failFirst: Int
    init(failFirst: Int) { self.failFirst = failFirst }

    func run<R: Sendable>(_ body: @Sendable (URL) async throws -> R) async throws -> R {
        let router = Router()
        router.post("/hooks/textback") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let count = self.received.withLock {
                $0.append(Received(signature: request.headers[HTTPField.Name("X-TextBack-Signature")!], body: String(buffer: buffer)))
                return $0.count
            }
            return Response(status: count <= self.failFirst ? .internalServerError : .noContent)
        }
        return try await FakeHTTPServer.serve(router) { base in
            try await body(base.appendingPathComponent("hooks/textback"))
        }
    }
}

@Suite struct NotificationWebhookTests {
    @Test func aHandOffIsPostedSignedAndRetriedUntilDelivered() async throws {
        let receiver = WebhookReceiver(failFirst: 1)
        let secret = "whsec-test-0123456789"
        try await receiver.run { url in
            var configuration = try ConfigurationLoader.demo()
            configuration.agent.webhook = .init(url: url, secret: CarrierSettings.Secret(environmentVariable: "TEXTBACK_WEBHOOK_SECRET", value: secret))
            let harness = try await Harness(configuration: configuration, transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                try await client.reply("who is this?")
                try await harness.advance(0)
                #expect(receiver.received.withLock { $0.count } == 1)
                let pending = try await harness.store.notifications(limit: 10)
                #expect(pending.map(\.status) == [.pending])
                #expect(pending.first?.lastError?.contains("500") == true)

                // Retried after its back-off (30 s), not before.
                try await harness.advance(10)
                #expect(receiver.received.withLock { $0.count } == 1)
                try await harness.advance(25)
                let received = receiver.received.withLock { $0 }
                #expect(received.count == 2)
                #expect(try await harness.store.notifications(limit: 10).map(\.status) == [.delivered])
                try await harness.advance(3600)
                #expect(receiver.received.withLock { $0.count } == 2)

                let last = try #require(received.last)
                let header = try #require(last.signature)
                #expect(header.hasPrefix("t=\(Int(harness.clock.now().addingTimeInterval(-3600).timeIntervalSince1970)),v1="))
                #expect(SignedWebhook.verify(header: header, secret: secret, body: last.body, now: harness.clock.now().addingTimeInterval(-3600)))
                #expect(!SignedWebhook.verify(header: header, secret: "another-secret", body: last.body, now: harness.clock.now().addingTimeInterval(-3600)))
                let json = try #require(try JSONSerialization.jsonObject(with: Data(last.body.utf8)) as? [String: Any])
                #expect(json["event"] as? String == "conversation.needs_human")
                #expect(json["phone"] as? String == dana)
                #expect(json["state"] as? String == "needs_human")
                let conversationID = try await client.conversations().first?["id"] as? String
                #expect(json["conversation_id"] as? String == conversationID)
            }
        }
    }
}
