// `textback report` and `textback simulate` on PostgreSQL, opened by the same factory as `serve`: a
// server on the test cluster takes missed calls, texts them and hears a STOP; the report then prints the
// figures counted by hand (and the very totals the running server's GET /v1/metrics gives), and the dry
// run replays the same calls. Neither logs PostgresNIO's warning about a connection asked for before its
// pool ran. Runs when scripts/test started a PostgreSQL cluster (TEXTBACK_TEST_POSTGRES_URL).

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TextBackPostgres

@Suite(.enabled(if: ProcessInfo.processInfo.environment["TEXTBACK_TEST_POSTGRES_URL"] != nil, "needs TEXTBACK_TEST_POSTGRES_URL"),
       .timeLimit(.minutes(2)))
struct PostgresInsightCLITests {
    static let config = acmeConfiguration(numberKind: "short_code", automations: """
          - id: missed-call
            status: live
            trigger: {event: call.completed, agents: all}
            steps:
              - if: 'call.outcome == "completed"'
                then: [stop]
              - {delay: 1s}
              - send_sms: {template: missed}

        """)

    /// GETs a `/v1` route of the running server with the test token; its JSON object.
    static func get(port: Int, _ path: String) async throws -> [String: Any]? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.setValue("Bearer cli-test", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        return try JSONSerialization.jsonObject(with: body) as? [String: Any]
    }

    static let leaseWarning = "hasn't been called yet"

    @Test func reportAndSimulateReadAPostgreSQLDatabase() async throws {
        let database = try await TestPostgresDatabase.create("textback_report")
        let url = database.url
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("textback.yaml")
        try Self.config.write(to: config, atomically: true, encoding: .utf8)
        let migrated = try textback(["migrate", "--database", url])
        try #require(migrated.status == 0, "\(migrated.stderr)")
        #expect(!migrated.stderr.contains(Self.leaseWarning), "\(migrated.stderr)")

        let port = freePort()
        let errors = directory.appendingPathComponent("serve.err")
        let process = try launchTextback(["serve", "--port", "\(port)", "--config", config.path, "--database", url, "--database-pool-size", "4"],
                                         stderr: errors)
        defer { if process.isRunning { process.terminate() } }
        try #require(try await waitUntilHealthy(port: port))

        // Three missed calls (texted a second later) and one answered; then the first caller texts STOP.
        let zone = ScaleOutTests.afternoonZone()
        for (i, outcome) in ["no_answer", "no_answer", "busy", "completed"].enumerated() {
            let body = #"{"call_id":"report-\#(i)","direction":"inbound","outcome":"\#(outcome)","from":"+1415555\#(3_000 + i)","to":"+15125550100","contact":{"attributes":{"timezone":"\#(zone)"}}}"#
            #expect(try await postNativeCall(port: port, body).status == 202)
        }
        func outbox() async throws -> Int { (try await Self.get(port: port, "/v1/simulator/outbox")?["messages"] as? [Any])?.count ?? 0 }
        let deadline = ContinuousClock.now + .seconds(30)
        while try await outbox() < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        try #require(try await outbox() == 3)
        var stop = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/simulator/inbound")!)
        stop.httpMethod = "POST"
        stop.setValue("Bearer cli-test", forHTTPHeaderField: "Authorization")
        stop.setValue("application/json", forHTTPHeaderField: "Content-Type")
        stop.httpBody = Data(#"{"from":"+14155553000","to":"+15125550100","body":"STOP"}"#.utf8)
        #expect((try await URLSession.shared.data(for: stop).1 as? HTTPURLResponse)?.statusCode == 202)
        // The confirmation went out: nothing is left to change the figures.
        while try await outbox() < 4, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let served = try #require(try await Self.get(port: port, "/v1/metrics")?["totals"] as? [String: Any])

        let json = try textback(["report", "--database", url, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(!json.stderr.contains(Self.leaseWarning), "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["calls"] as? Double == 4)
        #expect(totals["missed_calls"] as? Double == 3)
        #expect(totals["texted_contacts"] as? Double == 3)
        #expect((totals["texts"] as? [String: Any])?["sent"] as? Double == 3)
        #expect(totals["replies"] as? Double == 1)
        #expect(totals["opt_outs"] as? Double == 1)
        #expect((totals["opt_out_rate"] as? [String: Any])?["denominator"] as? Double == 3)
        // The same figures the running server reports.
        #expect(NSDictionary(dictionary: totals).isEqual(to: served), "report \(totals)\nserver \(served)")
        let table = try textback(["report", "--database", url])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("1 / 3 texted contacts"), "\(table.stdout)")

        // The dry run replays the four calls from the database: three texts, the answered call stopped.
        let simulated = try textback(["simulate", "--config", config.path, "--database", url, "--json"])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        #expect(!simulated.stderr.contains(Self.leaseWarning), "\(simulated.stderr)")
        let replay = try #require(try JSONSerialization.jsonObject(with: Data(simulated.stdout.utf8)) as? [String: Any])
        let replayed = try #require(replay["totals"] as? [String: Any])
        #expect(replayed["calls"] as? Double == 4)
        #expect(replayed["texted_calls"] as? Double == 3)
        #expect(replayed["not_texted"] as? [String: Double] == ["automation_stop": 1])

        process.terminate()
        process.waitUntilExit()
        let serveErrors = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        #expect(!serveErrors.contains(Self.leaseWarning), "\(serveErrors)")
        await database.drop()
    }
}
