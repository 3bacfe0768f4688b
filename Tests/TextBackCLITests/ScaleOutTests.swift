// Scale-out on PostgreSQL, with the built executable: three `textback serve` processes on one database
// take a few hundred missed calls whose texts fall due within seconds; one process is SIGKILLed while
// the texts are going out. Every text reaches the simulator carrier's outbox exactly once, and the
// dead process's claims are taken over by the others. Runs when scripts/test started a PostgreSQL
// cluster (TEXTBACK_TEST_POSTGRES_URL); otherwise scripts/test reports it as not run.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TextBackPostgres
import TextBackStorage

@Suite(.enabled(if: ProcessInfo.processInfo.environment["TEXTBACK_TEST_POSTGRES_URL"] != nil, "needs TEXTBACK_TEST_POSTGRES_URL"),
       .timeLimit(.minutes(5)))
struct ScaleOutTests {
    static let calls = 300

    /// A zone where it is early afternoon now, so the sending window allows every text whenever this runs.
    static func afternoonZone(now: Date = Date()) -> String {
        let candidates = ["Pacific/Kiritimati", "Pacific/Auckland", "Asia/Tokyo", "Asia/Shanghai", "Asia/Bangkok", "Asia/Dhaka",
                          "Asia/Karachi", "Asia/Dubai", "Europe/Moscow", "Europe/Athens", "Africa/Lagos", "Africa/Abidjan",
                          "Atlantic/Cape_Verde", "America/Noronha", "America/Sao_Paulo", "America/Halifax", "America/New_York",
                          "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
                          "Pacific/Pago_Pago", "Pacific/Tongatapu"]
        return candidates.first { name in
            guard let zone = TimeZone(identifier: name) else { return false }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return (11...15).contains(calendar.component(.hour, from: now))
        } ?? "Asia/Tokyo"
    }

    @Test func threeProcessesSendEveryTextExactlyOnceWhileOneIsKilledMidDispatch() async throws {
        let server = try PostgresOptions(url: try #require(ProcessInfo.processInfo.environment["TEXTBACK_TEST_POSTGRES_URL"]))
        let name = "textback_e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: server)
        var database = server
        database.database = name
        let url = "postgres://\(server.username)@\(server.host):\(server.port)/\(name)"
        let directory = try temporaryDirectory()
        let config = directory.appendingPathComponent("textback.yaml")
        try """
            business: {name: Acme Home Services, phone: "+15125550100", timezone: America/Chicago}
            numbers:
              - {number: "+15125550100", carrier: simulator, kind: long_code}
            policy:
              quiet_hours: {start: "23:00", end: "06:00"}
              state_rules: false
            templates:
              missed: "Hi {Name|there}, Acme here. Sorry we missed your call; reply with a good time. Reply STOP to opt out."
            automations:
              - id: missed-call
                status: live
                trigger: {event: call.completed, agents: all}
                steps:
                  - {delay: 3s}
                  - send_sms: {template: missed}
            """.write(to: config, atomically: true, encoding: .utf8)

        let migrated = try textback(["migrate", "--database", url])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("schema up to date: \(url)"))

        let ports = (0..<3).map { 21_000 + $0 * 1_000 + Int.random(in: 0..<1_000) }
        var processes: [Process] = []
        defer { for process in processes where process.isRunning { process.terminate() } }
        for (i, port) in ports.enumerated() {
            let process = Process()
            process.executableURL = textbackBinary
            process.arguments = ["serve", "--port", "\(port)", "--config", config.path, "--database", url, "--node", "node\(i)",
                                 "--database-pool-size", "12", "--log-level", "error"]
            process.environment = ProcessInfo.processInfo.environment.merging(["TEXTBACK_API_TOKEN": "cli-test"]) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append(process)
        }
        for port in ports { try #require(try await waitUntilHealthy(port: port)) }

        let zone = Self.afternoonZone()
        for i in 0..<Self.calls {
            let from = String(format: "+1415555%04d", 1_000 + i)
            let body = #"{"call_id":"e2e-\#(i)","direction":"inbound","outcome":"no_answer","from":"\#(from)","to":"+15125550100","contact":{"attributes":{"timezone":"\#(zone)"}}}"#
            let posted = try await postNativeCall(port: ports[i % ports.count], body)
            #expect(posted.status == 202)
        }

        let store = PostgresStore(options: database)
        let (sent, counts) = try await store.whileRunning {
            // Kill one process once the texts are going out, mid-dispatch.
            for _ in 0..<200 where try await Self.outbox(store).count < Self.calls / 10 { try await Task.sleep(for: .milliseconds(50)) }
            kill(processes[1].processIdentifier, SIGKILL)
            // Its claims resume on the others once their leases lapse (15 s): bounded at about 90 s.
            var entries = try await Self.outbox(store)
            for _ in 0..<450 where entries.count < Self.calls {
                try await Task.sleep(for: .milliseconds(200))
                entries = try await Self.outbox(store)
            }
            try await Task.sleep(for: .seconds(1))
            entries = try await Self.outbox(store)
            let perRecipient = Dictionary(grouping: entries, by: \.to.e164).mapValues(\.count)
            return (entries.count, perRecipient)
        }

        #expect(!processes[1].isRunning)
        #expect(sent == Self.calls)
        #expect(counts.count == Self.calls)
        #expect(counts.values.allSatisfy { $0 == 1 }, "texted more than once: \(counts.filter { $0.value > 1 }.count) recipients")
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        try? await PostgresDatabases.drop(name, on: server)
    }

    static func outbox(_ store: PostgresStore) async throws -> [SimulatorOutboxEntry] {
        var entries: [SimulatorOutboxEntry] = []
        var cursor: String?
        repeat {
            let page = try await store.entries(limit: 500, after: cursor)
            entries += page.items
            cursor = page.next
        } while cursor != nil
        return entries
    }
}
