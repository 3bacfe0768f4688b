// The engines the contract runs on, the capabilities that tell them apart, and the few small builders
// every storage test shares. Every builder takes plain names; a test's store is fresh, so names only
// need to be unique within one test.

import Foundation
import Synchronization
import Testing
import TextBackCore
import TextBackPostgres
import TextBackStorage

// MARK: - Engines

/// What sets one storage engine apart from another, declared once and consulted by the suite.
struct StoreCapabilities: Sendable {
    /// Claims and leases compare against the `now` the caller passes. PostgreSQL compares against the
    /// database's clock (Store.swift), so the suite cannot move it through time: tests that need due
    /// times or lease expiry decided by the caller run only where this is true.
    var callerDecidesTime: Bool
    /// The engine also keeps the simulator carrier's outbox (`SimulatorOutbox`) in the same store.
    var keepsSimulatorOutbox: Bool
    /// A wake-up is signalled once per commit that made a job available, before the next commit's: the
    /// suite can count them exactly. With LISTEN/NOTIFY one can only say "at least one arrived".
    var countsWakeupsExactly: Bool
}

/// One storage engine: how to make a fresh, migrated, empty store of it, and what it can do.
struct StoreEngine: Sendable, CustomTestStringConvertible {
    var name: String
    var capabilities: StoreCapabilities
    /// A fresh, migrated, empty store and how to throw it away afterwards.
    var open: @Sendable () async throws -> (store: any Store, dispose: @Sendable () async -> Void)

    var testDescription: String { name }

    /// Runs `body` on a fresh store, then disposes of it.
    func withStore<T>(_ body: (any Store) async throws -> T) async throws -> T {
        let (store, dispose) = try await open()
        do {
            let result = try await body(store)
            await dispose()
            return result
        } catch {
            await dispose()
            throw error
        }
    }
}

enum StoreEngines {
    /// A temporary file per store, in a directory removed afterwards.
    static let sqlite = StoreEngine(
        name: "SQLite",
        capabilities: StoreCapabilities(callerDecidesTime: true, keepsSimulatorOutbox: true, countsWakeupsExactly: true),
        open: {
            let (store, directory) = try await openSQLite()
            return (store, { try? FileManager.default.removeItem(at: directory) })
        })

    /// A database of its own per store on the server TEXTBACK_TEST_POSTGRES_URL names (scripts/test
    /// starts a throwaway cluster and sets it), dropped afterwards. Claims and leases run on the
    /// caller's clock here, so the suite's virtual times apply; PostgresStoreTests covers the database clock.
    static let postgres: StoreEngine? = TestPostgres.server.map { _ in
        StoreEngine(
            name: "PostgreSQL",
            capabilities: StoreCapabilities(callerDecidesTime: true, keepsSimulatorOutbox: true, countsWakeupsExactly: false),
            open: {
                let opened = try await TestPostgres.open(clock: .caller)
                return (opened.store, opened.dispose)
            })
    }

    /// Every engine the contract runs on: SQLite always, PostgreSQL when a server is given.
    static let available: [StoreEngine] = [sqlite] + (postgres.map { [$0] } ?? [])

    /// The engines the caller can move through time (see `StoreCapabilities.callerDecidesTime`).
    static let withCallerTime = available.filter(\.capabilities.callerDecidesTime)
    static let withSimulatorOutbox = available.filter(\.capabilities.keepsSimulatorOutbox)
    static let withExactWakeups = available.filter(\.capabilities.countsWakeupsExactly)

    /// A migrated SQLite store in a directory of its own (the SQLite-only tests use it directly).
    static func openSQLite(options: SQLiteOptions = SQLiteOptions()) async throws -> (SQLiteStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("textback-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path, options: options)
        try await store.migrate()
        return (store, directory)
    }
}

/// The PostgreSQL server the tests may use, and fresh databases on it.
enum TestPostgres {
    /// Set by scripts/test when it started a throwaway cluster; nil means the PostgreSQL tests do not run.
    static let server: PostgresOptions? = ProcessInfo.processInfo.environment["TEXTBACK_TEST_POSTGRES_URL"]
        .flatMap { try? PostgresOptions(url: $0) }

    /// Stores open at once: the suite runs its tests in parallel, and each store holds a few connections.
    static let openStores = TestGate(limit: 12)

    /// A migrated store on a database of its own, running until `dispose` stops it and drops the database.
    static func open(clock: PostgresOptions.Clock, poolSize: Int = 6) async throws -> (store: PostgresStore, dispose: @Sendable () async -> Void) {
        guard var options = server else { throw StoreError.unavailable("TEXTBACK_TEST_POSTGRES_URL is not set") }
        await openStores.enter()
        do {
            let (store, dispose) = try await openDatabase(options: &options, clock: clock, poolSize: poolSize)
            return (store, {
                await dispose()
                openStores.leave()
            })
        } catch {
            openStores.leave()
            throw error
        }
    }

    private static func openDatabase(options: inout PostgresOptions, clock: PostgresOptions.Clock,
                                     poolSize: Int) async throws -> (store: PostgresStore, dispose: @Sendable () async -> Void) {
        let name = "textback_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: options)
        let admin = options
        options.database = name
        options.clock = clock
        options.poolSize = poolSize
        let store = PostgresStore(options: options)
        let running = Task { try await store.run() }
        do {
            try await store.migrate()
        } catch {
            running.cancel()
            _ = await running.result
            try? await PostgresDatabases.drop(name, on: admin)
            throw error
        }
        return (store, {
            running.cancel()
            _ = await running.result
            try? await PostgresDatabases.drop(name, on: admin)
        })
    }
}

/// At most `limit` holders at once; the others wait their turn, first come first served.
final class TestGate: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>

    init(limit: Int) { state = Mutex(State(free: limit)) }

    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.free > 0 { state.free -= 1; return true }
                state.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty { state.free += 1; return nil }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}

// MARK: - Time

/// Every test's "now": whole seconds, so stored milliseconds round-trip exactly.
let t0 = Date(timeIntervalSince1970: 1_741_024_800) // 2025-03-03T18:00:00Z, in the past for any engine that reads its own clock

/// `t0` plus `seconds`.
func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

extension Date {
    /// Milliseconds since 1970: stored times are integer milliseconds, so tests compare at that precision.
    var ms: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}

// MARK: - Numbers and identifiers

let business = PhoneNumber(trustedE164: "+14155550100")

/// A caller's number: `phone(7)` is +14155550007.
func phone(_ n: Int) -> PhoneNumber {
    let digits = String(n)
    return PhoneNumber(trustedE164: "+1415555" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits)
}

/// Fresh identifiers for units that ask for them (an opt-out's cancellation decisions).
func freshIDs() -> IDSource { IDSource { prefix in "\(prefix)-\(UUID().uuidString)" } }

// MARK: - Calls and runs

func callEvent(_ providerCallID: String, from: PhoneNumber, stage: CallStage = .ended, at occurredAt: Date = t0,
               hint: ContactHint = ContactHint()) -> CallEvent {
    CallEvent(provider: "native", providerCallID: providerCallID, stage: stage, occurredAt: occurredAt, direction: .inbound,
              outcome: stage == .ended ? .noAnswer : .unknown, from: from, to: business, contact: hint)
}

/// A run named `name`: run "run-<name>", its first job "job-<name>".
func plannedRun(_ name: String, automation: String = "missed-call", dueAt: Date = t0) -> PlannedRun {
    PlannedRun(runID: RunID("run-\(name)"), jobID: JobID("job-\(name)"), automationID: AutomationID(automation),
               fingerprint: "fp-\(automation)", firstJobDueAt: dueAt)
}

/// An ingest of call `callID`: new ids "contact-<callID>" and "call-<callID>".
func ingest(_ callID: String, from: PhoneNumber, stage: CallStage = .ended, at occurredAt: Date = t0, runs: [PlannedRun] = [],
            consent: ConsentRecord? = nil, notes: [PlannedDecision] = [], hint: ContactHint = ContactHint(),
            business owner: BusinessID = .default) -> IngestRequest {
    IngestRequest(event: callEvent(callID, from: from, stage: stage, at: occurredAt, hint: hint), receivedAt: occurredAt,
                  newContactID: ContactID("contact-\(callID)"), newCallID: CallID("call-\(callID)"), runs: runs,
                  impliedConsent: consent, notes: notes, business: owner)
}

func impliedConsent(_ id: String, _ number: PhoneNumber, at recordedAt: Date = t0) -> ConsentRecord {
    ConsentRecord(id: id, phone: number, kind: .implied, source: "inbound_call", recordedAt: recordedAt)
}

/// What a test needs to keep hold of after starting a run.
struct StartedRun {
    var callID: CallID
    var contactID: ContactID
    var runID: RunID
    var jobID: JobID
    var phone: PhoneNumber
}

/// Ingests an ended call for `name` that starts one run whose first job is due at `dueAt`.
@discardableResult
func startRun(_ store: any Store, _ name: String, from number: PhoneNumber, automation: String = "missed-call",
              dueAt: Date = t0, hint: ContactHint = ContactHint()) async throws -> StartedRun {
    let outcome = try await store.ingestCall(ingest(name, from: number, runs: [plannedRun(name, automation: automation, dueAt: dueAt)],
                                                    hint: hint))
    try #require(outcome.startedRuns == [RunID("run-\(name)")])
    return StartedRun(callID: outcome.callID, contactID: outcome.contactID, runID: RunID("run-\(name)"), jobID: JobID("job-\(name)"),
                      phone: number)
}

// MARK: - Jobs

/// Claims exactly the job `id` for `owner` (it must be the only one available at `now`).
@discardableResult
func claim(_ store: any Store, _ id: JobID, owner: String, now: Date = t0, leaseUntil: Date? = nil) async throws -> JobClaim {
    let claimed = try await store.claimJobs(ClaimRequest(owner: owner, now: now, leaseUntil: leaseUntil ?? now.addingTimeInterval(300),
                                                         limit: 1))
    try #require(claimed.map(\.id) == [id], "expected to claim \(id), got \(claimed.map(\.id))")
    return JobClaim(jobID: id, owner: owner)
}

func claimAll(_ store: any Store, owner: String, now: Date, leaseUntil: Date? = nil, limit: Int = 100) async throws -> [JobID] {
    try await store.claimJobs(ClaimRequest(owner: owner, now: now, leaseUntil: leaseUntil ?? now.addingTimeInterval(300), limit: limit))
        .map(\.id)
}

// MARK: - Messages and decisions

func decision(_ id: String, _ contactID: ContactID, runID: RunID? = nil, messageID: MessageID? = nil, action: DecisionAction = .send,
              reasons: [String] = ["allowed"], at decidedAt: Date = t0) -> DecisionRecord {
    DecisionRecord(id: DecisionID(id), contactID: contactID, runID: runID, messageID: messageID, action: action, reasons: reasons,
                   sentence: "Decision \(id).", decidedAt: decidedAt)
}

/// A queued outbound text "msg-<name>" (idempotency key "key-<name>" unless given) with its delivery
/// job "deliver-<name>": pending at `at`, or already claimed by `heldBy`.
func text(_ name: String, to contactID: ContactID, phone number: PhoneNumber, runID: RunID? = nil, kind: MessageKind = .automated,
          key: String? = nil, lane: JobLane = .normal, heldBy owner: String? = nil, at createdAt: Date = t0,
          sendGuard: SendGuard? = nil) -> QueuedText {
    let id = MessageID("msg-\(name)")
    let message = MessageRecord(id: id, idempotencyKey: key ?? "key-\(name)", contactID: contactID, runID: runID, direction: .outbound,
                                kind: kind, messageType: kind == .automated ? "missed_call" : nil, from: business, to: number,
                                body: "Sorry we missed your call (\(name)).", status: .queued, carrier: "simulator",
                                createdAt: createdAt)
    let job = JobRecord(id: JobID("deliver-\(name)"), kind: .deliver, messageID: id, dueAt: createdAt,
                        status: owner == nil ? .pending : .running, attempts: owner == nil ? 0 : 1, createdAt: createdAt, lane: lane,
                        leaseOwner: owner, leaseUntil: owner == nil ? nil : createdAt.addingTimeInterval(300))
    return QueuedText(message: message, deliveryJob: job, sendGuard: sendGuard)
}

/// A direct message "msg-<name>" with the decision "dec-<name>" that allowed it.
func direct(_ name: String, to contactID: ContactID, phone number: PhoneNumber, kind: MessageKind = .reply, key: String? = nil,
            lane: JobLane = .compliance, at createdAt: Date = t0, sendGuard: SendGuard? = nil) -> DirectMessage {
    DirectMessage(text: text(name, to: contactID, phone: number, kind: kind, key: key, lane: lane, at: createdAt, sendGuard: sendGuard),
                  decision: decision("dec-\(name)", contactID, messageID: MessageID("msg-\(name)"), at: createdAt))
}

// MARK: - Inbound

/// An inbound text: message "<id>", carrier message id "SM-<id>" unless given, new contact "contact-<id>".
func inbound(_ id: String, from number: PhoneNumber, body: String, carrier: String = "twilio", carrierMessageID: String? = nil,
             at receivedAt: Date = t0, business owner: BusinessID = .default) -> InboundRecord {
    InboundRecord(messageID: MessageID(id), newContactID: ContactID("contact-\(id)"), from: number, to: business, body: body,
                  carrier: carrier, carrierMessageID: carrierMessageID ?? "SM-\(id)", receivedAt: receivedAt, business: owner)
}

/// The opt-out effect of a STOP: suppress, revoke, cancel, and confirm once with "msg-<confirmation>".
func optOut(confirmation: String?, from number: PhoneNumber, at now: Date = t0) -> InboundUnit.Effect {
    .optOut(InboundUnit.OptOut(
        suppression: SuppressionRecord(phone: number, reason: "opt_out", source: "keyword:STOP", createdAt: now), revokeSource: "keyword:STOP",
        confirmation: confirmation.map { direct($0, to: ContactID(""), phone: number, kind: .optOutConfirmation, at: now) },
        cancelSentence: "The contact opted out, so this automation stopped."))
}

// MARK: - Guards

let refusal = PolicyDecision(.suppress, reasons: ["opted_out", "suppression:opt_out"], sentence: "The number opted out.")

/// Refuses when the number is suppressed, as the legal stage does.
func suppressionGuard(since: Date = at(-86_400)) -> SendGuard {
    SendGuard(countSince: since) { snapshot in snapshot.suppression == nil ? nil : refusal }
}

/// Refuses once `max` automated texts were counted since `since`, as the caps stage does.
func capGuard(_ max: Int, since: Date = at(-86_400)) -> SendGuard {
    SendGuard(countSince: since) { snapshot in
        snapshot.automatedTexts.count >= max
            ? PolicyDecision(.suppress, reasons: ["cap_reached"], sentence: "The contact already got \(max) text(s) today.") : nil
    }
}

/// Always refuses, and remembers what it saw.
func refusingGuard() -> SendGuard { SendGuard(countSince: at(-86_400)) { _ in refusal } }

// MARK: - Reads

extension Array where Element == TimelineEntry {
    var decisions: [DecisionRecord] { compactMap { if case .decision(let d) = $0 { d } else { nil } } }
    var messages: [MessageRecord] { compactMap { if case .message(let m) = $0 { m } else { nil } } }
    var calls: [CallRecord] { compactMap { if case .call(let c) = $0 { c } else { nil } } }
}

extension Optional<StoreError> {
    var isInvalidCursor: Bool { if case .invalidCursor? = self { true } else { false } }
}

// MARK: - Observing "nothing written"

/// Everything the Store API shows about one contact and the jobs and runs a test names: a unit that
/// "writes nothing" leaves this unchanged.
struct Observed: Equatable {
    var contact: Contact?
    var timeline: [TimelineEntry]
    var runs: [RunRecord?]
    var jobs: [JobRecord?]
    var messages: [MessageRecord?]
    var pendingJobs: Int
    var suppression: SuppressionRecord?
    var consents: [ConsentRecord]
    /// The whole CRM outbox: a unit that writes nothing writes no CRM entry either.
    var crm: [CRMOutboxRecord] = []
}

func observe(_ store: any Store, _ contactID: ContactID, phone number: PhoneNumber, runs: [RunID] = [], jobs: [JobID] = [],
             messages: [MessageID] = []) async throws -> Observed {
    var observed = Observed(contact: try await store.contact(id: contactID, scope: .all), timeline: try await store.timeline(contactID: contactID, scope: .all),
                            runs: [], jobs: [], messages: [], pendingJobs: try await store.countPendingJobs(),
                            suppression: try await store.suppression(phone: number, channel: "sms", for: .default),
                            consents: try await store.consents(phone: number, business: .default))
    observed.crm = try await store.crmEntries(limit: 1000)
    for id in runs { observed.runs.append(try await store.runState(id)?.run) }
    for id in jobs { observed.jobs.append(try await store.job(id)) }
    for id in messages { observed.messages.append(try await store.message(id, scope: .all)) }
    return observed
}

// MARK: - Races

/// A count several tasks add to.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// Runs `body` `count` times at once and returns every result (in no particular order).
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: T.self) { group in
        for i in 0..<count { group.addTask { try await body(i) } }
        var results: [T] = []
        for try await result in group { results.append(result) }
        return results
    }
}

// MARK: - CRM outbox

/// A pending CRM entry "crm-<name>" for `provider`; an empty contact is the unit's to fill in.
func crmEntry(_ name: String, provider: String = "hubspot", kind: CRMOutboxRecord.Kind = .message, contactID: ContactID = ContactID(""),
              messageID: MessageID? = nil, properties: [String: String] = [:], at createdAt: Date = t0) -> CRMOutboxRecord {
    CRMOutboxRecord(id: "crm-\(name)", provider: provider, kind: kind, contactID: contactID, messageID: messageID, properties: properties,
                    availableAt: createdAt, createdAt: createdAt)
}
