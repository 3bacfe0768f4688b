// `textback simulate`: what the automations would have done with a list of calls, without sending or
// writing anything (TextBackEngine's DryRun does the replay).

import ArgumentParser
import Foundation
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackServer
import TextBackStorage

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dry run: replay calls through the automations on a virtual clock and show each text, or why none; sends and writes nothing.")
    @Option(help: "The configuration file whose automations to try (drafts and paused ones run as if live).") var config: String
    @Option(help: "A CSV of calls with a header: occurred_at,from,to,outcome,direction (optional: call_id, duration_s, agent_id, name, campaign, lead_source).")
    var calls: String?
    @Option(help: "Replay past calls from this database instead (sqlite:PATH or postgres://user:password@host:5432/database); it is only read.") var database: String?
    @Option(help: "With --database: start of the range (ISO 8601 or a date). Default: seven days before --to.") var from: String?
    @Option(help: "With --database: end of the range, exclusive. Default: now.") var to: String?
    @Option(help: "Only this automation (default: every automation in the file).") var automation: String?
    @Flag(help: "Print one JSON object.") var json = false

    func run() async throws {
        let configuration = try ReadOnlyInputs.configuration(path: config)
        let parsed: [DryRunCall]
        switch (calls, database) {
        case (let calls?, nil):
            parsed = try Self.read(csv: calls)
        case (nil, let database?):
            // Only read: an SQLite file does not change a byte, PostgreSQL sees read-only transactions.
            let range = try ReadOnlyInputs.range(from: from, to: to, configuration: configuration)
            parsed = try await ReadOnlyInputs.reading(database) { store in
                try await store.calls(from: range.0, to: range.1, limit: 100_000).map { DryRunCall(line: nil, event: $0.event) }
            }
        default:
            throw CLIError("give the calls to replay: --calls FILE.csv or --database sqlite:PATH (or postgres://…), one of them")
        }
        let report: DryRunReport
        do { report = try await DryRun.run(calls: parsed, configuration: configuration, automation: automation.map(AutomationID.init)) }
        catch let error as DryRunError { throw CLIError(error.description) }
        print(json ? SimulateOutput.json(report).serialized : SimulateOutput.text(report))
    }

    static func read(csv calls: String) throws -> [DryRunCall] {
        guard let data = FileManager.default.contents(atPath: calls) else { throw CLIError("cannot read \(calls)") }
        do { return try DryRun.calls(csv: data) } catch {
            // "line 3: why" becomes "calls.csv:3: why", the form editors jump to.
            throw CLIError(error.description.split(separator: "\n").map {
                $0.hasPrefix("line ") ? "\(calls):\($0.dropFirst("line ".count))" : "\(calls): \($0)"
            }.joined(separator: "\n"))
        }
    }
}

enum SimulateOutput {
    static func local(_ date: Date, zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }

    static func label(_ call: DryRunCall) -> String {
        call.line.map { "line \($0)" } ?? "call \(call.event.providerCallID)"
    }

    static func text(_ report: DryRunReport) -> String {
        var lines: [String] = []
        for result in report.results {
            let e = result.call.event
            lines.append("\(label(result.call)): \(e.direction.rawValue) \(e.outcome.rawValue) at \(ISO8601Timestamp.format(e.occurredAt))")
            for text in result.texts {
                let note = text.status == "sent" ? "" : " [\(text.status)]"
                lines.append("  would text at \(local(text.at, zone: text.timeZone)) (\(text.timeZone)) from \(text.from.e164)\(note), "
                             + "\(text.segments.segments) segment\(text.segments.segments == 1 ? "" : "s") \(text.segments.encoding.rawValue): \(text.body)")
            }
            if result.texts.isEmpty {
                if result.duplicate { lines.append("  no text: the same call id appeared earlier, so this row is a duplicate") }
                else if result.decisions.isEmpty { lines.append("  no text: no automation started for this call") }
                for decision in result.decisions where decision.action != "schedule" {
                    lines.append("  \(decision.action): \(decision.sentence)")
                }
            }
        }
        lines.append("")
        lines.append("\(report.calls) calls: \(report.textedCalls) texted (\(report.texts) texts, \(report.segments) segments), \(report.calls - report.textedCalls) not texted")
        for (reason, count) in report.notTextedByReason.sorted(by: { $0.key < $1.key }) { lines.append("  \(reason): \(count)") }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: DryRunReport) -> JSONValue {
        let calls: [JSONValue] = report.results.map { result in
            let e = result.call.event
            return .object([
                "line": result.call.line.map { .number(Double($0)) } ?? .null,
                "call_id": .string(e.providerCallID),
                "occurred_at": .string(ISO8601Timestamp.format(e.occurredAt)),
                "direction": .string(e.direction.rawValue), "outcome": .string(e.outcome.rawValue),
                "duplicate": .bool(result.duplicate),
                "texts": .array(result.texts.map { text in
                    .object([
                        "at": .string(ISO8601Timestamp.format(text.at)), "local_time": .string(local(text.at, zone: text.timeZone)),
                        "time_zone": .string(text.timeZone), "from": .string(text.from.e164), "body": .string(text.body),
                        "segments": .number(Double(text.segments.segments)), "encoding": .string(text.segments.encoding.rawValue),
                        "status": .string(text.status),
                    ])
                }),
                "decisions": .array(result.decisions.map { d in
                    .object(["action": .string(d.action), "reasons": .array(d.reasons.map { .string($0) }), "sentence": .string(d.sentence)])
                }),
            ])
        }
        return .object([
            "calls": .array(calls),
            "totals": .object([
                "calls": .number(Double(report.calls)), "texted_calls": .number(Double(report.textedCalls)),
                "texts": .number(Double(report.texts)), "segments": .number(Double(report.segments)),
                "not_texted": .object(report.notTextedByReason.mapValues { .number(Double($0)) }),
            ]),
        ])
    }
}
