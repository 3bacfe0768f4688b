// The dry run behind `textback simulate`: past or made-up calls replayed through the configuration's
// automations by the real engine — its policy, templates, caps and delays — on a virtual clock, into a
// throwaway SQLite file that is deleted afterwards, with every number sending through the simulator
// carrier. Nothing reaches a carrier, a webhook or the user's database; what the engine did is read
// back per call: each text (when, in the recipient's local time, from which number, the body and its
// segments) or the decisions that explain why there was none.

import Foundation
import Synchronization
import TextBackConfig
import TextBackCore
import TextBackProviders
import TextBackStorage

/// One call to replay, with the CSV line it came from (nil when it came from a database).
public struct DryRunCall: Sendable {
    public var line: Int?
    public var event: CallEvent
    public init(line: Int?, event: CallEvent) { self.line = line; self.event = event }
}

public struct DryRunText: Sendable {
    public var at: Date
    /// The recipient's zone: the contact's `timezone` attribute, else their number's, else the business's.
    public var timeZone: String
    public var from: PhoneNumber
    /// The recipient (kept for comparison; the command's output names the call, not the number).
    public var to: PhoneNumber
    public var body: String
    public var segments: SegmentCount
    public var status: String
}

public struct DryRunResult: Sendable {
    public var call: DryRunCall
    public var texts: [DryRunText]
    /// Why not (or what held the text): each decision's action, reasons and sentence, in order.
    public var decisions: [(action: String, reasons: [String], sentence: String)]
    public var duplicate: Bool
}

public struct DryRunReport: Sendable {
    public var results: [DryRunResult]
    public var calls: Int { results.count }
    public var textedCalls: Int { results.filter { !$0.texts.isEmpty }.count }
    public var texts: Int { results.map(\.texts.count).reduce(0, +) }
    public var segments: Int { results.flatMap(\.texts).map(\.segments.segments).reduce(0, +) }
    /// Calls without a text, by the first reason of the decision that ended them.
    public var notTextedByReason: [String: Int] {
        var counts: [String: Int] = [:]
        for result in results where result.texts.isEmpty {
            let ending = result.decisions.last { ["suppress", "skip", "stop", "cancel"].contains($0.action) }
            counts[ending?.reasons.first ?? (result.duplicate ? "duplicate_call" : result.decisions.isEmpty ? "no_automation" : "still_waiting"), default: 0] += 1
        }
        return counts
    }
}

public struct DryRunError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum DryRun {
    // MARK: Calls from CSV

    /// Reads calls from a CSV with a header row. Required columns: occurred_at (ISO 8601), from, to,
    /// outcome (completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown),
    /// direction (inbound, outbound). Optional: call_id, duration_s, agent_id, name, campaign, lead_source.
    /// Every bad row is reported by its line; errors never quote a phone number.
    public static func calls(csv data: Data) throws(DryRunError) -> [DryRunCall] {
        var lines = CSVLines(data: data)
        guard let header = lines.next() else { throw DryRunError("the CSV file is empty: it needs a header row") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var column: [String: Int] = [:]
        for (index, name) in names.enumerated() where column[name] == nil { column[name] = index }
        let required = ["occurred_at", "from", "to", "outcome", "direction"]
        let missing = required.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw DryRunError("line \(header.number): the header lacks \(missing.joined(separator: ", ")) (needed: \(required.joined(separator: ",")))")
        }
        var calls: [DryRunCall] = []
        var problems: [String] = []
        while let line = lines.next() {
            if line.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func value(_ name: String) -> String? {
                guard let index = column[name], index < line.fields.count else { return nil }
                let text = line.fields[index].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            do throws(DryRunError) {
                guard let when = value("occurred_at") else { throw DryRunError("occurred_at is empty") }
                guard let occurredAt = ISO8601Timestamp.parse(when) else {
                    throw DryRunError("occurred_at must be ISO 8601 with a zone, e.g. 2026-03-02T15:04:05Z")
                }
                guard let outcome = value("outcome").flatMap(CallOutcome.init(rawValue:)) else {
                    throw DryRunError("outcome must be one of \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard let direction = value("direction").flatMap(CallDirection.init(rawValue:)) else {
                    throw DryRunError("direction must be inbound or outbound")
                }
                let from = try phone(value("from"), "from")
                let to = try phone(value("to"), "to")
                var duration = 0
                if let text = value("duration_s") {
                    guard let seconds = Int(text), seconds >= 0 else { throw DryRunError("duration_s must be a whole number of seconds") }
                    duration = seconds
                }
                var attributes: [String: String] = [:]
                if let source = value("lead_source") { attributes["lead_source"] = source }
                let event = CallEvent(
                    provider: "simulate", providerCallID: value("call_id") ?? "line-\(line.number)", occurredAt: occurredAt,
                    direction: direction, outcome: outcome, durationSeconds: duration, from: from, to: to, agentID: value("agent_id"),
                    voicemail: Voicemail(detected: outcome == .leftVoicemail, left: outcome == .leftVoicemail),
                    contact: ContactHint(name: value("name"), attributes: attributes), campaign: value("campaign"))
                calls.append(DryRunCall(line: line.number, event: event))
            } catch {
                problems.append("line \(line.number): \(error.description)")
            }
        }
        guard problems.isEmpty else { throw DryRunError(problems.prefix(20).joined(separator: "\n")) }
        return calls
    }

    static func phone(_ text: String?, _ name: String) throws(DryRunError) -> PhoneNumber {
        guard let text else { throw DryRunError("\(name) is empty") }
        do { return try PhoneNumber(parsing: text) } catch { throw DryRunError("\(name) is not a valid phone number") }
    }

    // MARK: Replay

    /// Replays `calls` (in the order they occurred) through the configuration's automations — every one
    /// as if live, or only `automation` — and follows each for `horizon` after the last call.
    public static func run(calls: [DryRunCall], configuration: TextBackConfiguration, automation: AutomationID? = nil,
                           horizon: TimeSpan = TimeSpan(seconds: 2 * 86_400)) async throws -> DryRunReport {
        var configuration = configuration
        if let automation {
            guard configuration.automations.contains(where: { $0.id == automation }) else {
                throw DryRunError("no automation \(automation) in the configuration (it has \(configuration.automations.map(\.id.rawValue).joined(separator: ", ")))")
            }
            configuration.automations = configuration.automations.filter { $0.id == automation }
        }
        // Drafts and paused automations are what a dry run is for: here they run as if live.
        for index in configuration.automations.indices { configuration.automations[index].status = .live }
        // Every number sends through the simulator: nothing leaves the machine.
        for index in configuration.numbers.indices { configuration.numbers[index].carrier = .simulator }
        // Nor is anything logged to a CRM.
        configuration.integrations.crm = CRMSettings()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("textback-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("dry-run.sqlite").path, options: SQLiteOptions(synchronous: .normal))
        try await store.migrate()

        let ordered = calls.enumerated().sorted { ($0.element.event.occurredAt, $0.offset) < ($1.element.event.occurredAt, $1.offset) }.map(\.element)
        let clock = DryRunClock(ordered.first?.event.occurredAt ?? Date(timeIntervalSince1970: 0))
        let counter = Mutex(0)
        let ids = IDSource { prefix in "\(prefix)_\(counter.withLock { $0 += 1; return $0 })" }
        let engine = Engine(store: store, configuration: configuration, clock: clock, ids: ids, carriers: [SimulatorCarrier(outbox: store, ids: ids)])

        /// Runs every job that falls due up to `until`, moving the clock to each due time in turn.
        func runJobs(until: Date) async throws {
            for _ in 0..<100_000 {
                guard let next = try await store.nextAvailableAt(), next <= until else { break }
                clock.set(max(clock.now(), next))
                try await engine.runDueJobs()
            }
            clock.set(max(clock.now(), until))
        }

        var ingested: [(DryRunCall, IngestOutcome)] = []
        for call in ordered {
            try await runJobs(until: call.event.occurredAt)
            let outcome = try await engine.ingest(call.event)
            try await engine.runDueJobs()
            ingested.append((call, outcome))
        }
        try await runJobs(until: clock.now().addingTimeInterval(horizon.timeInterval))

        var results: [DryRunResult] = []
        for (call, outcome) in ingested {
            let runs = Set(outcome.startedRuns)
            var texts: [DryRunText] = []
            var decisions: [(action: String, reasons: [String], sentence: String)] = []
            let contact = try await store.contact(id: outcome.contactID, scope: .all)
            for entry in try await store.timeline(contactID: outcome.contactID, scope: .all) {
                switch entry {
                case .decision(let d) where outcome.disposition != .duplicate && (d.callID == outcome.callID || d.runID.map(runs.contains) == true):
                    decisions.append((d.action.rawValue, d.reasons, d.sentence))
                case .message(let m) where m.direction == .outbound && m.runID.map(runs.contains) == true:
                    let zone = contact?.attributes["timezone"] ?? NANP.info(for: m.to).timeZones.first ?? configuration.business.timeZone
                    texts.append(DryRunText(at: m.sentAt ?? m.createdAt, timeZone: zone, from: m.from, to: m.to, body: m.body,
                                            segments: SMSSegments.count(m.body), status: m.status.rawValue))
                default:
                    break
                }
            }
            results.append(DryRunResult(call: call, texts: texts, decisions: decisions, duplicate: outcome.disposition == .duplicate))
        }
        return DryRunReport(results: results)
    }
}

/// The dry run's clock: it moves only when the replay moves it.
final class DryRunClock: TimeSource {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}
