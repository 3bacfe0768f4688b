// What changes while texts wait, on PostgreSQL with the built executable: three processes on one database
// (`serve --no-worker`, `serve` and `worker`) hold missed calls whose texts are due in a few seconds when
// an automation is paused (the file changed and every process sent SIGHUP, each reloading its own copy),
// some recipients are suppressed through `POST /v1/suppressions` on one server and others text STOP
// through the simulator's inbound route on the other. The waiting texts fall due in two waves, and each
// wave meets one job runner only (the other is stopped with SIGSTOP meanwhile), so both the `serve` and
// the `worker` have to respect all three changes: the paused automation's recipients, the suppressed
// and the opted-out get no text (the opted-out only their one confirmation), everyone else exactly one.
// Runs when scripts/test started a PostgreSQL cluster (TEXTBACK_TEST_POSTGRES_URL); otherwise
// scripts/test reports it as not run.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TextBackCore
import TextBackPostgres
import TextBackStorage

@Suite(.enabled(if: ProcessInfo.processInfo.environment["TEXTBACK_TEST_POSTGRES_URL"] != nil, "needs TEXTBACK_TEST_POSTGRES_URL"),
       .timeLimit(.minutes(3)))
struct ScaleOutRespectTests {
    /// The first wave's delay: long enough for the changes to land before any text falls due, even on a
    /// busy machine; the test checks that they did, so a slower run fails saying so instead of passing on
    /// nothing. The second wave (campaign "late") waits `late`, time for the first wave to be done.
    static let delay = 10
    static let late = 18

    static func config(pausing: Bool) -> String {
        acmeConfiguration(numberKind: "short_code", automations: """
          - id: team-a
            status: \(pausing ? "paused" : "live")
            trigger: {event: call.completed, agents: [agent-a]}
            steps:
              - if: 'call.campaign == "late"'
                then: [{delay: \(late)s}]
                else: [{delay: \(delay)s}]
              - send_sms: {template: missed}
          - id: team-b
            status: live
            trigger: {event: call.completed, agents: [agent-b]}
            steps:
              - if: 'call.campaign == "late"'
                then: [{delay: \(late)s}]
                else: [{delay: \(delay)s}]
              - send_sms: {template: missed}

        """)
    }

    static let body = "Hi there, Acme here. Sorry we missed your call; reply with a good time. Reply STOP to opt out."

    /// POSTs `json` to one of the servers with the test token; the status.
    static func post(port: Int, _ path: String, _ json: String) async throws -> Int? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.setValue("Bearer cli-test", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        return (try await URLSession.shared.data(for: request).1 as? HTTPURLResponse)?.statusCode
    }

    /// Polls until `file` contains `text` (bounded by `deadline`).
    static func waitFor(_ text: String, in file: URL, until deadline: ContinuousClock.Instant) async throws -> Bool {
        while ContinuousClock.now < deadline {
            let content = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            if content.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func aPauseASuppressionAndAStopWhileTextsWaitAreRespectedByEveryProcess() async throws {
        let database = try await TestPostgresDatabase.create("textback_respect")
        let url = database.url
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("textback.yaml")
        try Self.config(pausing: false).write(to: config, atomically: true, encoding: .utf8)
        let migrated = try textback(["migrate", "--database", url])
        try #require(migrated.status == 0, "\(migrated.stderr)")

        // HTTP only; HTTP and jobs; jobs only. Each logs to its own file, where its reloads show.
        let ports = (0..<2).map { _ in freePort() }
        let roles = [["serve", "--no-worker", "--port", "\(ports[0])"], ["serve", "--port", "\(ports[1])"], ["worker"]]
        var processes: [Process] = []
        var logs: [URL] = []
        defer {
            for process in processes where process.isRunning {
                kill(process.processIdentifier, SIGCONT)
                process.terminate()
            }
        }
        for (i, role) in roles.enumerated() {
            let out = directory.appendingPathComponent("out\(i).log"), err = directory.appendingPathComponent("err\(i).log")
            processes.append(try launchTextback(role + ["--config", config.path, "--database", url, "--node", "respect\(i)",
                                                        "--database-pool-size", "6", "--log-level", "notice"],
                                                stdout: out, stderr: err))
            logs.append(err)
            if role == ["worker"] {
                // Its SIGHUP handler is in place once it says it runs (before that, SIGHUP would end it).
                try #require(try await Self.waitFor("TextBack worker running", in: out, until: .now + .seconds(20)))
            }
        }
        for port in ports { try #require(try await waitUntilHealthy(port: port)) }

        // Team A's callers (paused), team B's: suppressed through the API, texting STOP, and the rest.
        let number = { (i: Int) in String(format: "+1415555%04d", 2_000 + i) }
        let teamA = (0..<12).map(number), suppressed = (12..<18).map(number), stopped = (18..<24).map(number), others = (24..<36).map(number)
        // Every other caller of each group is in the second wave.
        let lateWave = Set((0..<36).filter { $0 % 2 == 1 }.map(number))
        let zone = ScaleOutTests.afternoonZone()
        let posting = ContinuousClock.now
        let postedAt = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, from) in (teamA + suppressed + stopped + others).enumerated() {
                let agent = teamA.contains(from) ? "agent-a" : "agent-b"
                let campaign = lateWave.contains(from) ? "late" : "early"
                let body = #"{"call_id":"respect-\#(i)","direction":"inbound","outcome":"no_answer","from":"\#(from)","to":"+15125550100","agent_id":"\#(agent)","campaign":"\#(campaign)","contact":{"attributes":{"timezone":"\#(zone)"}}}"#
                group.addTask {
                    let status = try await postNativeCall(port: ports[i % 2], body).status
                    #expect(status == 202)
                }
            }
            try await group.waitForAll()
        }

        // The texts wait. Team A's automation is paused in the file, and every process is told.
        try Self.config(pausing: true).write(to: config, atomically: true, encoding: .utf8)
        for process in processes { kill(process.processIdentifier, SIGHUP) }
        for log in logs {
            #expect(try await Self.waitFor("configuration reloaded", in: log, until: .now + .seconds(10)), "\(log.lastPathComponent) did not reload")
        }
        for phone in suppressed {
            #expect(try await Self.post(port: ports[1], "/v1/suppressions", #"{"phone":"\#(phone)","reason":"manual"}"#) == 201)
        }
        for phone in stopped {
            #expect(try await Self.post(port: ports[0], "/v1/simulator/inbound", #"{"from":"\#(phone)","to":"+15125550100","body":"STOP"}"#) == 202)
        }
        let changed = ContinuousClock.now - posting
        // Otherwise some texts fell due before the changes and this run proves nothing.
        try #require(changed < .seconds(Self.delay - 1), "the changes took \(changed); the texts were due \(Self.delay) s after the calls")

        let store = PostgresStore(options: database.options)
        let (serve, worker) = (processes[1].processIdentifier, processes[2].processIdentifier)
        let (entries, messages, timelines) = try await store.whileRunning {
            // A process is stopped only when it is quiet: every text written so far is sent (not one still with
            // the carrier, whose job would wait out the stopped process's lease), and `count` of them.
            func settled(_ count: Int) async throws -> Bool {
                let outbound = try await ScaleOutTests.messages(store).filter { $0.direction == .outbound }
                return outbound.count >= count && outbound.allSatisfy { $0.status == .sent || $0.status == .delivered }
            }
            while try await !settled(stopped.count), ContinuousClock.now < posting + .seconds(Self.delay) {
                try await Task.sleep(for: .milliseconds(50))
            }
            // The first wave meets the serve alone: the worker is stopped until that wave's texts are sent and
            // nothing is due before the second.
            kill(worker, SIGSTOP)
            let secondWave = postedAt.addingTimeInterval(Double(Self.late) - 1)
            let firstWaveTexts = others.filter { !lateWave.contains($0) }.count + stopped.count
            func firstWaveDone() async throws -> Bool {
                guard try await settled(firstWaveTexts) else { return false }
                return try await store.nextAvailableAt().map { $0 >= secondWave } ?? true
            }
            while try await !firstWaveDone(), ContinuousClock.now < posting + .seconds(Self.late) {
                try await Task.sleep(for: .milliseconds(100))
            }
            try #require(try await firstWaveDone(), "the first wave was not done \(ContinuousClock.now - posting) after the calls")
            // The second meets the worker alone.
            kill(serve, SIGSTOP)
            kill(worker, SIGCONT)
            defer { kill(serve, SIGCONT) }
            // Every text due, every job done (each waiting run ended or sent, each confirmation out).
            let deadline = posting + .seconds(Self.late + 30)
            var entries = try await ScaleOutTests.outbox(store)
            while ContinuousClock.now < deadline {
                let pending = try await store.countPendingJobs()
                if pending == 0, entries.count >= others.count + stopped.count { break }
                try await Task.sleep(for: .milliseconds(200))
                entries = try await ScaleOutTests.outbox(store)
            }
            let messages = try await ScaleOutTests.messages(store)
            var timelines: [String: [TimelineEntry]] = [:]
            for phone in teamA + suppressed {
                let contact = try #require(try await store.contact(phone: try PhoneNumber(parsing: phone), business: .default))
                timelines[phone] = try await store.timeline(contactID: contact.id, scope: .all)
            }
            return (entries, messages.filter { $0.direction == .outbound }, timelines)
        }
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            process.terminate()
        }
        for process in processes { process.waitUntilExit() }

        let outbox = Dictionary(grouping: entries, by: \.to.e164)
        // The rest of team B: exactly one text each, the automation's.
        for phone in others {
            #expect(outbox[phone]?.map(\.body) == [Self.body], "\(phone): \(outbox[phone]?.count ?? 0) texts")
        }
        // STOP: the one confirmation, never the automated text.
        for phone in stopped {
            let bodies = outbox[phone]?.map(\.body) ?? []
            #expect(bodies.count == 1 && bodies.first != Self.body, "\(phone): \(bodies.count) texts")
            #expect(messages.filter { $0.to.e164 == phone }.map(\.kind) == [.optOutConfirmation])
        }
        // Suppressed and paused: nothing at all, nothing even written.
        for phone in suppressed + teamA {
            #expect(outbox[phone] == nil, "\(phone) was texted")
            #expect(!messages.contains { $0.to.e164 == phone }, "\(phone) has a stored text")
        }
        #expect(entries.count == others.count + stopped.count)
        #expect(messages.filter { $0.kind == .automated }.count == others.count)
        #expect(messages.allSatisfy { $0.status == .sent || $0.status == .delivered })
        // Each withheld text left its reason on the contact's timeline.
        func reasons(_ phone: String) -> [String] {
            timelines[phone, default: []].flatMap { entry -> [String] in
                if case .decision(let decision) = entry { return decision.reasons }
                return []
            }
        }
        for phone in teamA { #expect(reasons(phone).contains("automation_paused"), "\(phone): \(reasons(phone))") }
        for phone in suppressed { #expect(reasons(phone).contains("suppressed"), "\(phone): \(reasons(phone))") }
        await database.drop()
    }
}
