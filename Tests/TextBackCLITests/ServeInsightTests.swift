// `textback serve` with `--log-format json` over real HTTP: every log line is one JSON object (metadata as fields), a call's
// counters show up in the Prometheus scrape at /metrics (no token needed), and neither the logs nor the
// scrape carry the caller's number.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite struct ServeInsightTests {
    @Test func jsonLogsAndAPrometheusScrapeOverRealHTTP() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The simulator carrier: nothing may leave the machine.
        try InsightCLITests.config.replacingOccurrences(of: "carrier: twilio", with: "carrier: simulator")
            .write(to: directory.appendingPathComponent("textback.yaml"), atomically: true, encoding: .utf8)
        let port = freePort()
        let process = Process()
        process.executableURL = textbackBinary
        process.arguments = ["serve", "--port", "\(port)", "--database", "sqlite:\(directory.path)/textback.db",
                             "--config", directory.appendingPathComponent("textback.yaml").path, "--log-format", "json", "--log-level", "debug"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TEXTBACK_API_TOKEN": "cli-test"]) { _, new in new }
            .merging(InsightCLITests.environment) { _, new in new }
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        #expect(try await waitUntilHealthy(port: port))

        let posted = try await postNativeCall(port: port, #"{"call_id":"cli-1","direction":"inbound","outcome":"busy","from":"(415) 555-0123","to":"+15125550100"}"#)
        #expect(posted.status == 202)

        let (scrape, scraped) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        #expect((scraped as? HTTPURLResponse)?.statusCode == 200)
        let text = String(decoding: scrape, as: UTF8.self)
        #expect(text.split(separator: "\n").contains(#"textback_calls_total{outcome="busy"} 1"#), "\(text)")
        #expect(text.split(separator: "\n").contains(#"textback_webhooks_total{provider="native",result="accepted"} 1"#))
        #expect(!text.contains("4155550123"))

        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String && object?["message"] is String && object?["timestamp"] is String, "not a JSON log line: \(line)")
        }
        // Metadata travels as fields of the object.
        #expect(lines.contains { $0.contains(#""level":"debug""#) && $0.contains(#""message":"call ingested""#) && $0.contains(#""provider":"native""#) },
                "\(lines)")
        #expect(!lines.contains { $0.contains("4155550123") || $0.contains("555-0123") })
    }
}
