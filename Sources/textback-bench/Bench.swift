// textback-bench: the measurements BENCHMARKS.md reports that wrk alone cannot make. It drives the real
// store and the real job runner (the code `textback serve` runs), on a real SQLite file.
//
//   seed      store N missed calls whose first step falls due at one instant (or later), fast
//   watch     follow a database while a server works: calls and texts per second, until N texts
//   zone      print a recipients' time zone where it is early afternoon now (for the wrk scripts)
//   lateness  how late due texts leave: seeds texts due at known instants, runs the job runner, and
//             reports lateness percentiles (idle: a few texts spread out; burst: N due at once)

import ArgumentParser
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "textback-bench", abstract: "TextBack benchmarks.",
                                                    subcommands: [Seed.self, Watch.self, Lateness.self, Zone.self])
}

/// Recipients' zone where it is early afternoon now, so no text waits for a sending window. A region's
/// zone, not "Etc/GMT+n": the policy does not trust fixed-offset ids and would fall back to the
/// number's area code (SendingWindow.regionZone).
func daytimeZone(now: Date = Date()) -> String {
    let candidates = ["Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago",
                      "America/New_York", "America/Halifax", "America/Sao_Paulo", "Atlantic/South_Georgia", "Atlantic/Azores",
                      "Europe/London", "Europe/Paris", "Europe/Athens", "Europe/Moscow", "Asia/Dubai", "Asia/Karachi",
                      "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Noumea",
                      "Pacific/Auckland", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
    func distance(_ id: String) -> Int {
        guard let zone = TimeZone(identifier: id) else { return .max }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return abs(calendar.component(.hour, from: now) - 14)
    }
    return candidates.min(by: { distance($0) < distance($1) }) ?? "America/Chicago"
}

func loadConfig(_ path: String) throws -> TextBackConfiguration {
    do { return try ConfigurationLoader.load(path: path, environment: [:]) } catch {
        throw ValidationError(error.diagnostics.map(\.description).joined(separator: "\n"))
    }
}

/// Stores `count` missed calls (unique callers) through the store's ingest unit, runs due at `dueAt`.
func seed(store: SQLiteStore, configuration: TextBackConfiguration, count: Int, dueAt: @escaping @Sendable (Int) -> Date,
          run: String) async throws {
    let automation = try require(configuration.automations.first(where: { $0.status == .live }), "the configuration has no live automation")
    let zone = daytimeZone()
    let business = try PhoneNumber(parsing: "+15125550100")
    let ids = IDSource.timeOrdered(clock: SystemClock())
    let now = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        let width = 256
        for lane in 0..<width {
            group.addTask {
                var index = lane
                while index < count {
                    let caller = try PhoneNumber(parsing: String(format: "+1415%03d%04d", 200 + (index / 10_000) % 700, index % 10_000))
                    let event = CallEvent(provider: "native", providerCallID: "seed-\(run)-\(index)", occurredAt: now, direction: .inbound,
                                          outcome: .noAnswer, from: caller, to: business,
                                          contact: ContactHint(name: "Lead \(index)", attributes: ["timezone": zone]),
                                          variables: ["service": "repair"])
                    _ = try await store.ingestCall(IngestRequest(
                        event: event, receivedAt: now, newContactID: ContactID(ids.next("contact")), newCallID: CallID(ids.next("call")),
                        runs: [PlannedRun(runID: RunID(ids.next("run")), jobID: JobID(ids.next("job")), automationID: automation.id,
                                          fingerprint: automation.fingerprint, firstJobDueAt: dueAt(index))],
                        impliedConsent: ConsentRecord(id: ids.next("consent"), phone: caller, kind: .implied, source: "inbound_call", recordedAt: now)))
                    index += width
                }
            }
        }
        try await group.waitForAll()
    }
}

struct Zone: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a time zone where it is early afternoon now.")
    func run() { print(daytimeZone()) }
}

struct RequireError: Error, CustomStringConvertible { var description: String }
func require<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else { throw RequireError(description: what) }
    return value
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Store N missed calls whose texts fall due at one instant.")
    @Option var database: String
    @Option var config: String
    @Option var calls: Int
    @Option(help: "Seconds from now until the texts fall due.") var dueIn: Double = 86_400

    func run() async throws {
        let store = try SQLiteStore(path: database)
        try await store.migrate()
        let configuration = try loadConfig(config)
        let started = ContinuousClock.now
        let due = Date().addingTimeInterval(dueIn)
        try await seed(store: store, configuration: configuration, count: calls, dueAt: { _ in due }, run: UUID().uuidString.prefix(6).description)
        let elapsed = ContinuousClock.now - started
        let writer = store.writerStatistics
        print(String(format: "writer: %d units in %d transactions (%.0f per commit), busy %.2f s (%.1f µs per unit)",
                     writer.units, writer.transactions, Double(writer.units) / Double(max(writer.transactions, 1)),
                     Double(writer.busyNanoseconds) / 1e9, Double(writer.busyNanoseconds) / 1e3 / Double(max(writer.units, 1))))
        print("seeded \(calls) calls in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds]))): " +
              "\(Int(Double(calls) / elapsed.seconds)) calls/s; first steps due at \(ISO8601Timestamp.format(due))")
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Follow calls and texts in a database until N texts are out.")
    @Option var database: String
    @Option(help: "Stop when this many texts are in the simulator outbox.") var texts: Int
    @Option(help: "Give up after this many seconds.") var timeout: Double = 600

    func run() async throws {
        var configuration = Configuration()
        configuration.readonly = true
        let pool = try DatabasePool(path: database, configuration: configuration)
        let started = ContinuousClock.now
        var firstText: ContinuousClock.Instant?
        var last = (calls: 0, texts: 0)
        var peakBacklog = 0
        while true {
            let (calls, texts, backlog) = try await pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM simulator_outbox") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE available_at IS NOT NULL") ?? 0)
            }
            peakBacklog = max(peakBacklog, backlog)
            if texts > 0 && firstText == nil { firstText = ContinuousClock.now }
            let t = (ContinuousClock.now - started).seconds
            if calls != last.calls || texts != last.texts {
                print(String(format: "%7.2f s  calls %8d  texts %8d  jobs waiting %7d", t, calls, texts, backlog))
                last = (calls, texts)
            }
            if texts >= self.texts {
                let span = (ContinuousClock.now - (firstText ?? started)).seconds
                print(String(format: "done: %d texts, %.1f s from the first to the last, %.0f texts/s; peak jobs waiting %d",
                             texts, span, Double(texts) / max(span, 0.001), peakBacklog))
                return
            }
            if t > timeout { throw ValidationError("timed out with \(texts) of \(self.texts) texts") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

struct Lateness: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lateness of due texts, idle or in a burst.")
    @Option var database: String
    @Option var config: String
    @Option var calls: Int
    @Option(help: "Spread due times this many milliseconds apart (0: all due at the same instant).") var spreadMs: Int = 0
    @Option(help: "Seconds from now until the first text falls due (leave time for seeding).") var dueIn: Double = 5
    @Option(help: "Jobs the runner runs at once (the product default).") var concurrency = 256
    @Option(help: "Seconds between a call's first step and its text in the configuration's automation (bench.yaml: a 1 s delay); lateness counts from the text's own due time.") var textDelay: Double = 1

    func run() async throws {
        let store = try SQLiteStore(path: database)
        try await store.migrate()
        let configuration = try loadConfig(config)
        let first = Date().addingTimeInterval(dueIn)
        let spread = Double(spreadMs) / 1000
        try await seed(store: store, configuration: configuration, count: calls,
                       dueAt: { first.addingTimeInterval(Double($0) * spread) }, run: UUID().uuidString.prefix(6).description)
        print("seeded \(calls) texts due from \(ISO8601Timestamp.formatWithMilliseconds(first)) every \(spreadMs) ms")
        guard Date() < first else { throw ValidationError("seeding took longer than --due-in; raise it") }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let clock = SystemClock()
        let engine = Engine(store: store, configuration: configuration, clock: clock, ids: .timeOrdered(clock: clock),
                            carriers: [SimulatorCarrier(outbox: store, ids: .timeOrdered(clock: clock))], logger: logger, node: "bench")
        let runner = JobRunner(engine: engine, options: JobRunnerOptions(concurrency: concurrency), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: runner)], logger: logger))
        let started = ContinuousClock.now
        let cpuBefore = processCPUSeconds()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while try await store.entries(limit: 1, after: String(calls - 1)).items.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                if (ContinuousClock.now - started).seconds > 900 { throw ValidationError("timed out") }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // CPU of this process (both job hops, delivery, the simulator's outbox) while the runner worked.
        let cpu = processCPUSeconds() - cpuBefore
        // Lateness of each text: when it reached the outbox minus when it fell due. The outbox order is
        // the order texts left; the run's own due time is known from its seed index.
        let entries = try await store.entries(limit: calls, after: nil).items
        var late: [Double] = []
        for entry in entries {
            guard let index = Int(entry.to.e164.suffix(4)).map({ idx in idx + 10_000 * ((Int(entry.to.e164.dropFirst(5).prefix(3)) ?? 200) - 200) }) else { continue }
            late.append(entry.sentAt.timeIntervalSince(first.addingTimeInterval(Double(index) * spread + textDelay)) * 1000)
        }
        late.sort()
        func p(_ q: Double) -> Double { late[min(late.count - 1, Int(Double(late.count) * q))] }
        let span = late.last.map { $0 - (late.first ?? 0) } ?? 0
        print(String(format: "%d texts: lateness p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", late.count, p(0.5), p(0.9), p(0.99), late.last ?? 0))
        if spreadMs == 0 { print(String(format: "burst drained in %.2f s: %.0f texts/s", span / 1000, Double(late.count) / max(span / 1000, 0.001))) }
        print(String(format: "CPU while the runner worked: %.2f s, %.0f us per text", cpu, cpu / Double(max(late.count, 1)) * 1e6))
    }
}

/// User plus system CPU time this process has used, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
