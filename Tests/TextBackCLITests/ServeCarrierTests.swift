// `textback serve` with a real carrier configured: the composition root builds the Twilio adapter
// from the file (base URL pointed at a local fake), a signed inbound HELP is answered through it from
// the number that was texted, with the receipt URL under --public-url, and /v1/messages shows the
// carrier's id.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TextBackCarrierFakes
import TextBackProviders

@Suite struct ServeCarrierTests {
    @Test func serveSendsThroughTheConfiguredCarrierWithReceiptsUnderThePublicURL() async throws {
        try await FakeTwilio.run(accountSID: "AC123", authToken: "cli-twilio-token") { fake in
            let directory = try temporaryDirectory()
            let config = directory.appendingPathComponent("textback.yaml")
            try """
                business: {name: Acme Home Services, phone: "+15125550100", timezone: America/Chicago}
                numbers:
                  - {number: "+15125550100", carrier: twilio, kind: long_code}
                carriers:
                  twilio: {account_sid: "env:TWILIO_ACCOUNT_SID", auth_token: "env:TWILIO_AUTH_TOKEN", base_url: "\(fake.baseURL.absoluteString)"}
                """.write(to: config, atomically: true, encoding: .utf8)
            let port = freePort()
            let publicURL = "https://textback.example.com"
            let process = Process()
            process.executableURL = textbackBinary
            process.arguments = ["serve", "--port", "\(port)", "--config", config.path, "--public-url", publicURL,
                                 "--database", "sqlite:\(directory.path)/textback.db"]
            process.environment = ProcessInfo.processInfo.environment.merging([
                "TEXTBACK_API_TOKEN": "cli-test", "TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "cli-twilio-token",
            ]) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            defer { if process.isRunning { process.terminate() } }

            try #require(try await waitUntilHealthy(port: port))

            let params = [("MessageSid", "SMcli1"), ("From", "+14155550123"), ("To", "+15125550100"), ("Body", "HELP")]
            let signature = TwilioSignature.compute(authToken: "cli-twilio-token", url: "\(publicURL)/webhooks/twilio/sms",
                                                    parameters: params.map { (name: $0.0, value: $0.1) })
            var post = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/webhooks/twilio/sms")!)
            post.httpMethod = "POST"
            post.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            post.setValue(signature, forHTTPHeaderField: "X-Twilio-Signature")
            post.httpBody = Data(FormEncoding.encode(params).utf8)
            let (_, response) = try await URLSession.shared.data(for: post)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)

            // Wait for the event (the HELP answer reaching the fake), bounded at about 20 s.
            for _ in 0..<100 where fake.messages.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
            let send = try #require(fake.requests(to: .send).first)
            #expect(send.header("authorization") == "Basic " + Data("AC123:cli-twilio-token".utf8).base64EncodedString())
            #expect(send.form["From"] == "+15125550100")
            #expect(send.form["To"] == "+14155550123")
            #expect(send.form["StatusCallback"]?.hasPrefix("\(publicURL)/webhooks/twilio/status?message_id=") == true)

            var carrierID: String?
            for _ in 0..<50 where carrierID == nil {
                var list = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/messages")!)
                list.setValue("Bearer cli-test", forHTTPHeaderField: "Authorization")
                let (body, _) = try await URLSession.shared.data(for: list)
                let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
                let outbound = (object?["messages"] as? [[String: Any]])?.first { $0["direction"] as? String == "outbound" }
                carrierID = outbound?["carrier_message_id"] as? String
                if carrierID == nil { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(carrierID == fake.messages.first?.id)

            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!process.isRunning)
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(!stderr.contains("cli-twilio-token"), "secrets never reach the log")
        }
    }
}
