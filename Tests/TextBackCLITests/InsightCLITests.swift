// `textback report` and `textback simulate` run as a user runs them: the report over a real database
// file (and its refusals), and a dry run that prints each call's fate and leaves every file as it was.

import Foundation
import Testing

@Suite struct InsightCLITests {
    static let config = #"""
        business: {name: Acme Home Services, phone: "+15125550100", timezone: America/Chicago}
        numbers:
          - {number: "+15125550100", carrier: twilio}
        carriers:
          twilio: {account_sid: "AC00000000000000000000000000000000", auth_token: "env:TEXTBACK_TEST_TWILIO_TOKEN"}
        templates:
          hello: "Hi {Name|there}, {Company} here about your missed call. Reply YES for a call back or STOP to opt out."
        automations:
          - id: draft-textback
            status: draft
            trigger: {event: call.completed}
            steps:
              - if: 'call.outcome == "completed"'
                then: [stop]
              - delay: 2m
              - send_sms: {template: hello}
        """#

    static let calls = """
        occurred_at,from,to,outcome,direction,name
        2026-03-03T18:00:00Z,+14155550123,+15125550100,no_answer,inbound,Dana Reyes
        2026-03-03T18:30:00Z,+14155550126,+15125550100,completed,inbound,Di

        """

    /// Every file in the folder with its bytes.
    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    static let environment = ["TEXTBACK_TEST_TWILIO_TOKEN": "not-a-real-token"]

    @Test func simulatePrintsEachCallAndWritesNothing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.config.write(to: directory.appendingPathComponent("textback.yaml"), atomically: true, encoding: .utf8)
        try Self.calls.write(to: directory.appendingPathComponent("calls.csv"), atomically: true, encoding: .utf8)
        #expect(try textback(["migrate", "--database", "sqlite:existing.db"], directory: directory).status == 0)
        let before = try Self.snapshot(directory)

        let run = try textback(["simulate", "--config", "textback.yaml", "--calls", "calls.csv", "--json"], environment: Self.environment, directory: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let calls = try #require(object["calls"] as? [[String: Any]])
        #expect(calls.count == 2)
        // The draft runs as if live; the twilio number sends through the simulator, so nothing leaves.
        let text = try #require((calls[0]["texts"] as? [[String: Any]])?.first)
        #expect(text["at"] as? String == "2026-03-03T18:02:00Z")
        #expect(text["local_time"] as? String == "Tue 2026-03-03 10:02 PST")
        #expect(text["from"] as? String == "+15125550100")
        #expect(text["body"] as? String == "Hi Dana, Acme Home Services here about your missed call. Reply YES for a call back or STOP to opt out.")
        #expect(text["segments"] as? Double == 1)
        #expect((calls[1]["texts"] as? [Any])?.isEmpty == true)
        #expect((calls[1]["decisions"] as? [[String: Any]])?.first?["action"] as? String == "stop")
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["texted_calls"] as? Double == 1)
        #expect(totals["not_texted"] as? [String: Double] == ["automation_stop": 1])
        #expect(try Self.snapshot(directory) == before, "the dry run changed a file")

        let table = try textback(["simulate", "--config", "textback.yaml", "--calls", "calls.csv"], environment: Self.environment, directory: directory)
        #expect(table.status == 0)
        #expect(table.stdout.contains("line 2: inbound no_answer at 2026-03-03T18:00:00Z\n  would text at Tue 2026-03-03 10:02 PST (America/Los_Angeles) from +15125550100, 1 segment GSM-7: Hi Dana,"), "\(table.stdout)")
        #expect(table.stdout.contains("line 3: inbound completed at 2026-03-03T18:30:00Z\n  stop: No text: the call was answered and completed"))
        #expect(table.stdout.contains("2 calls: 1 texted (1 texts, 1 segments), 1 not texted"))
        #expect(try Self.snapshot(directory) == before)
    }

    @Test func simulateReadsADatabaseWithoutChangingIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.config.write(to: directory.appendingPathComponent("textback.yaml"), atomically: true, encoding: .utf8)
        #expect(try textback(["migrate", "--database", "sqlite:past.db"], directory: directory).status == 0)
        let before = try Data(contentsOf: directory.appendingPathComponent("past.db"))
        let run = try textback(["simulate", "--config", "textback.yaml", "--database", "sqlite:past.db", "--from", "2026-03-01", "--to", "2026-03-08"],
                               environment: Self.environment, directory: directory)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("0 calls: 0 texted"))
        #expect(try Data(contentsOf: directory.appendingPathComponent("past.db")) == before)
        let neither = try textback(["simulate", "--config", "textback.yaml"], environment: Self.environment, directory: directory)
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("--calls FILE.csv or --database sqlite:PATH"))
    }

    @Test func simulateNamesTheBadRowsLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.config.write(to: directory.appendingPathComponent("textback.yaml"), atomically: true, encoding: .utf8)
        try (Self.calls + "2026-03-04T18:00:00Z,+14155550123,+15125550100,no_answer,sideways\n")
            .write(to: directory.appendingPathComponent("calls.csv"), atomically: true, encoding: .utf8)
        let run = try textback(["simulate", "--config", "textback.yaml", "--calls", "calls.csv"], environment: Self.environment, directory: directory)
        #expect(run.status != 0)
        #expect(run.stderr.contains("calls.csv:4: direction must be inbound or outbound"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func reportPrintsTheFiguresAndRefusesWhatItCannotRead() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try textback(["migrate", "--database", "sqlite:t.db"], directory: directory).status == 0)
        let json = try textback(["report", "--database", "sqlite:t.db", "--from", "2026-03-01", "--to", "2026-03-08", "--json"], directory: directory)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["calls"] as? Double == 0)
        #expect((totals["reply_rate"] as? [String: Any])?["rate"] is NSNull)
        #expect((object["by_template"] as? [String: Any])?.isEmpty == true)
        let before = try Data(contentsOf: directory.appendingPathComponent("t.db"))
        let table = try textback(["report", "--database", "sqlite:t.db", "--from", "2026-03-01", "--to", "2026-03-08"], directory: directory)
        #expect(try Data(contentsOf: directory.appendingPathComponent("t.db")) == before, "the report changed the database")
        #expect(table.status == 0)
        #expect(table.stdout.contains("Reply rate"))
        #expect(table.stdout.contains("0 / 0 texted contacts (—)"))

        let badDate = try textback(["report", "--database", "sqlite:t.db", "--from", "last week"], directory: directory)
        #expect(badDate.status != 0)
        #expect(badDate.stderr.contains("--from: 'from' must be an ISO 8601 timestamp"), "\(badDate.stderr)")
        let missing = try textback(["report", "--database", "sqlite:nowhere.db"], directory: directory)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no database at nowhere.db"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("nowhere.db").path))
    }
}
