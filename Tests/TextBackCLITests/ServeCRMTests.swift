// `textback serve` with `integrations.crm` over real HTTP: an inbound text reaches a local HubSpot fake
// through the worker's outbox sweep, with the token from the environment, and the Prometheus scrape
// counts the delivery by provider and result. An inbound text is used because it is logged whatever
// the hour (an outbound text waits for the recipient's sending window on the real clock).

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TextBackCarrierFakes

@Suite struct ServeCRMTests {
    @Test func anInboundTextIsLoggedToHubSpotByTheRunningServer() async throws {
        try await FakeHubSpot.run(token: "pat-cli-test") { hubspot in
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = InsightCLITests.config.replacingOccurrences(of: "carrier: twilio", with: "carrier: simulator") + """

                integrations:
                  crm:
                    hubspot: {token: env:TEXTBACK_TEST_HUBSPOT_TOKEN, base_url: "\(hubspot.baseURL.absoluteString)"}
                """
            try config.write(to: directory.appendingPathComponent("textback.yaml"), atomically: true, encoding: .utf8)
            let port = freePort()
            let process = Process()
            process.executableURL = textbackBinary
            process.arguments = ["serve", "--port", "\(port)", "--database", "sqlite:\(directory.path)/textback.db",
                                 "--config", directory.appendingPathComponent("textback.yaml").path]
            process.environment = ProcessInfo.processInfo.environment
                .merging(["TEXTBACK_API_TOKEN": "cli-test", "TEXTBACK_TEST_HUBSPOT_TOKEN": "pat-cli-test"]) { _, new in new }
                .merging(InsightCLITests.environment) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            #expect(try await waitUntilHealthy(port: port))

            var post = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/simulator/inbound")!)
            post.httpMethod = "POST"
            post.setValue("Bearer cli-test", forHTTPHeaderField: "Authorization")
            post.setValue("application/json", forHTTPHeaderField: "Content-Type")
            post.httpBody = Data(#"{"from":"+14155550123","to":"+15125550100","body":"Is the plumber still coming?"}"#.utf8)
            let (_, response) = try await URLSession.shared.data(for: post)
            #expect((response as? HTTPURLResponse)?.statusCode == 202)

            // The sweep runs every 5 s.
            for _ in 0..<150 where hubspot.communications.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            let communication = try #require(hubspot.communications.first)
            #expect(communication.properties["hs_communication_body"] == "Is the plumber still coming?")
            #expect(communication.properties["hs_communication_channel_type"] == "SMS")
            #expect(hubspot.contacts.map(\.properties["phone"]) == ["+14155550123"])
            #expect(hubspot.requests.allSatisfy { $0.header("Authorization") == "Bearer pat-cli-test" })

            // The outcome is recorded just after HubSpot answered: scrape until it is.
            let delivered = #"textback_crm_deliveries_total{provider="hubspot",result="delivered"} 1"#
            var lines: [Substring] = []
            for _ in 0..<50 {
                let (scrape, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
                lines = String(decoding: scrape, as: UTF8.self).split(separator: "\n")
                if lines.contains(Substring(delivered)) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(lines.contains(Substring(delivered)), "\(lines)")
            #expect(lines.contains("textback_crm_pending 0.0"))
        }
    }
}
