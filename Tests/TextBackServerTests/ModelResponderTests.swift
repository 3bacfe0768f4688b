// The optional language-model responder against a local HTTP server that speaks the
// chat-completions protocol: a tool call books a callback, a server that does not answer in time
// leaves the reply to the deterministic agent, and opt-outs and wrong numbers never reach the model.

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

/// A chat-completions endpoint on 127.0.0.1, port 0, at /v1/chat/completions. It records each
/// request and answers with `answer` (a JSON body), or never answers when `answer` is nil.
final class FakeChatServer: Sendable {
    struct Received: Sendable { var authorization: String?; var body: String }
    let received = Mutex<[Received]>([])
    let answer: String?
    init(answer: String?) { self.answer = answer }

    static func toolCall(_ name: String, _ arguments: String, content: String? = nil) -> String {
        let escaped = arguments.replacingOccurrences(of: "\"", with: "\\\"")
        return """
            {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
            "content":\(content.map { "\"\($0)\"" } ?? "null"),
            "tool_calls":[{"id":"call_1","type":"function","function":{"name":"\(name)","arguments":"\(escaped)"}}]}}]}
            """
    }

    func run<R: Sendable>(_ body: @Sendable (URL) async throws -> R) async throws -> R {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            self.received.withLock {
                $0.append(Received(authorization: request.headers[.authorization], body: String(buffer: buffer)))
            }
            guard let answer = self.answer else {
                // A server that hangs: it answers only after the client has long given up.
                try await Task.sleep(for: .seconds(30))
                return Response(status: .gatewayTimeout)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        return try await FakeHTTPServer.serve(router) { base in
            try await body(base.appendingPathComponent("v1"))
        }
    }
}

func modelConfiguration(_ url: URL) throws -> TextBackConfiguration {
    var configuration = try ConfigurationLoader.demo()
    configuration.agent.languageModel = .init(baseURL: url, model: "test-model",
                                              apiKey: CarrierSettings.Secret(environmentVariable: "OPENAI_API_KEY", value: "sk-test"),
                                              timeout: TimeSpan(seconds: 1))
    return configuration
}

@Suite struct ModelResponderTests {
    @Test func aToolCallBooksTheCallbackWithTheModelsWords() async throws {
        let server = FakeChatServer(answer: FakeChatServer.toolCall(
            "book_callback", #"{"at":"2026-03-04T17:00:00-08:00","reply":"Sounds good, we'll call you tomorrow at 5 PM."}"#))
        try await server.run { url in
            let harness = try await Harness(configuration: try modelConfiguration(url), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                try await client.reply("my husband is home when the news starts, call then")
                try await harness.advance(0)
                #expect(try await client.bodies(to: dana).last == "Sounds good, we'll call you tomorrow at 5 PM.")
                let callbacks = try await client.callbacks()
                #expect((callbacks.first?["at"] as? String)?.hasPrefix("2026-03-05T01:00:00") == true)
                let decisions = try await client.timeline(dana).compactMap { $0["reasons"] as? [String] }
                #expect(decisions.contains { $0.contains("model") && $0.contains("callback_booked") })

                let requests = server.received.withLock { $0 }
                #expect(requests.count == 1)
                #expect(requests.first?.authorization == "Bearer sk-test")
                let sent = try #require(try JSONSerialization.jsonObject(with: Data((requests.first?.body ?? "").utf8)) as? [String: Any])
                #expect(sent["model"] as? String == "test-model")
                let tools = (sent["tools"] as? [[String: Any]] ?? []).compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
                #expect(tools == ["book_callback", "hand_off", "mark_wrong_number"])
                let messages = sent["messages"] as? [[String: Any]] ?? []
                #expect(messages.first?["role"] as? String == "system")
                #expect((messages.first?["content"] as? String)?.contains("Acme Home Services") == true)
                #expect(messages.last?["content"] as? String == "my husband is home when the news starts, call then")
                #expect(messages.dropFirst().first?["role"] as? String == "assistant", "the missed-call text is in the thread")
            }
        }
    }

    @Test func aModelThatDoesNotAnswerInTimeLeavesTheReplyToTheAgent() async throws {
        let server = FakeChatServer(answer: nil)
        try await server.run { url in
            let harness = try await Harness(configuration: try modelConfiguration(url), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                try await client.reply("yes")
                try await harness.advance(0)
                #expect(server.received.withLock { $0.count } == 1)
                #expect(try await client.bodies(to: dana).last == "Thanks! Acme Home Services will call you in the next few minutes.")
                let decisions = try await client.timeline(dana).filter { ($0["reasons"] as? [String] ?? []).contains("model") }
                #expect(decisions.isEmpty)
                #expect(try await client.callbacks().count == 1)
            }
        }
    }

    @Test func optOutsAndWrongNumbersNeverReachTheModel() async throws {
        let server = FakeChatServer(answer: FakeChatServer.toolCall("book_callback", #"{"at":"2026-03-04T17:00:00-08:00"}"#))
        try await server.run { url in
            let harness = try await Harness(configuration: try modelConfiguration(url), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                try await client.reply("please stop texting me")
                try await client.reply("wrong number", from: "+14155550177")
                try await harness.advance(0)
                #expect(server.received.withLock { $0.count } == 0)
                #expect(try await client.callbacks().isEmpty)
            }
        }
    }

    @Test func aModelMarkingAWrongNumberSuppressesIt() async throws {
        let server = FakeChatServer(answer: FakeChatServer.toolCall("mark_wrong_number", "{}"))
        try await server.run { url in
            let harness = try await Harness(configuration: try modelConfiguration(url), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                try await client.reply("this is Bob's Tacos, nobody here called anyone")
                try await harness.advance(0)
                let contact = try await client.call("/v1/contacts/\(dana)")
                #expect((contact.json["suppression"] as? [String: Any])?["reason"] as? String == "wrong_number")
                #expect(try await client.bodies(to: dana).last?.hasPrefix("Sorry about that!") == true)
            }
        }
    }
}
