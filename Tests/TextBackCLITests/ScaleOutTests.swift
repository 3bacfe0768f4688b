// Scale-out on PostgreSQL, with the built executable: three processes on one database — `serve
// --no-worker`, `serve` and `worker` — take a few hundred missed calls whose texts fall due within
// seconds; the `serve` that also runs jobs is SIGKILLed while the texts are going out. Every text
// reaches the simulator carrier's outbox exactly once, and the worker takes the dead process's claims over. Runs when scripts/test started a PostgreSQL
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
        let database = try await TestPostgresDatabase.create("textback_e2e")
        let url = database.url
        let directory = try temporaryDirectory()
        let config = directory.appendingPathComponent("textback.yaml")
        try acmeConfiguration(numberKind: "long_code", automations: """
              - id: missed-call
                status: live
                trigger: {event: call.completed, agents: all}
                steps:
                  - {delay: 15s}
                  - send_sms: {template: missed}

            """).write(to: config, atomically: true, encoding: .utf8)

        let migrated = try textback(["migrate", "--database", url])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("schema up to date: \(url)"))

        // HTTP only; HTTP and jobs (the one killed); jobs only.
        let ports = (0..<2).map { _ in freePort() }
        let roles = [["serve", "--no-worker", "--port", "\(ports[0])"], ["serve", "--port", "\(ports[1])"], ["worker"]]
        var processes: [Process] = []
        defer { for process in processes where process.isRunning { process.terminate() } }
        for (i, role) in roles.enumerated() {
            processes.append(try launchTextback(role + ["--config", config.path, "--database", url, "--node", "node\(i)",
                                                        "--database-pool-size", "12", "--log-level", "error"]))
        }
        for port in ports { try #require(try await waitUntilHealthy(port: port)) }

        // The calls arrive at once through all three (thirty at a time), so their texts fall due together.
        let zone = Self.afternoonZone()
        let posting = ContinuousClock.now
        let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in 0..<30 {
                group.addTask {
                    var accepted = 0
                    for i in stride(from: lane, to: Self.calls, by: 30) {
                        let from = String(format: "+1415555%04d", 1_000 + i)
                        let body = #"{"call_id":"e2e-\#(i)","direction":"inbound","outcome":"no_answer","from":"\#(from)","to":"+15125550100","contact":{"attributes":{"timezone":"\#(zone)"}}}"#
                        if try await postNativeCall(port: ports[i % ports.count], body).status == 202 { accepted += 1 }
                    }
                    return accepted
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(accepted == Self.calls)
        print("scale-out: \(Self.calls) calls posted in \(ContinuousClock.now - posting)")

        let store = PostgresStore(options: database.options)
        let (atKill, recovery, sent, counts, messages) = try await store.whileRunning {
            // Kill one process once the texts are going out, mid-dispatch.
            let deadline = ContinuousClock.now + .seconds(30)
            while try await Self.outbox(store).count < Self.calls / 10, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(processes[1].processIdentifier, SIGKILL)
            let killed = ContinuousClock.now
            var entries = try await Self.outbox(store)
            let atKill = entries.count
            // Its claims resume on the others once their leases lapse (15 s): bounded at about 90 s.
            while entries.count < Self.calls, ContinuousClock.now - killed < .seconds(90) {
                try await Task.sleep(for: .milliseconds(200))
                entries = try await Self.outbox(store)
            }
            let recovery = ContinuousClock.now - killed
            // A text the carrier took just before the kill is in the outbox but still `sending` until the takeover
            // asks the carrier (after the dead process's lease): wait for every stored text to settle.
            var messages = try await Self.messages(store).filter { $0.direction == .outbound }
            while !messages.allSatisfy({ $0.status == .sent || $0.status == .delivered }), ContinuousClock.now - killed < .seconds(90) {
                try await Task.sleep(for: .milliseconds(200))
                messages = try await Self.messages(store).filter { $0.direction == .outbound }
            }
            entries = try await Self.outbox(store)
            let perRecipient = Dictionary(grouping: entries, by: \.to.e164).mapValues(\.count)
            return (atKill, recovery, entries.count, perRecipient, messages)
        }
        print("scale-out: \(atKill) of \(Self.calls) texts out when the serving worker was killed; all out \(recovery) later")

        #expect(!processes[1].isRunning)
        // Killed mid-dispatch: some texts had gone out and some had not.
        #expect(atKill >= Self.calls / 10 && atKill < Self.calls, "texts out when the process was killed: \(atKill)")
        // The worker finished the dead process's share once its leases (15 s) lapsed.
        #expect(recovery < .seconds(60), "every text was out \(recovery) after the kill")
        #expect(sent == Self.calls)
        #expect(counts.count == Self.calls)
        #expect(counts.values.allSatisfy { $0 == 1 }, "texted more than once: \(counts.filter { $0.value > 1 }.count) recipients")
        // One stored text per recipient, each recorded as handed to the carrier.
        #expect(Dictionary(grouping: messages, by: \.to.e164).values.allSatisfy { $0.count == 1 })
        #expect(messages.count == Self.calls)
        #expect(messages.allSatisfy { $0.status == .sent || $0.status == .delivered }, "\(Dictionary(grouping: messages, by: \.status).mapValues(\.count))")
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        await database.drop()
    }

    /// Every stored message, oldest first.
    static func messages(_ store: PostgresStore) async throws -> [MessageRecord] {
        var messages: [MessageRecord] = []
        var cursor: String?
        repeat {
            let page = try await store.messages(scope: .all, limit: 500, after: cursor)
            messages += page.items
            cursor = page.next
        } while cursor != nil
        return messages
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
