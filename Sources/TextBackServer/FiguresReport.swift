// The figures (Store+Metrics.swift) as the API's JSON and as the table `textback report` prints.
// Every rate travels with its numerator and denominator; a rate over nothing is null, never 0 or NaN.

import Foundation
import TextBackCore
import TextBackStorage

public enum FiguresReport {
    // MARK: JSON

    public static func json(_ figures: Figures) -> JSONValue {
        .object([
            "from": .string(ISO8601Timestamp.formatWithMilliseconds(figures.from)),
            "to": .string(ISO8601Timestamp.formatWithMilliseconds(figures.to)),
            "totals": json(figures.total),
            "by_automation": .object(figures.byAutomation.mapValues(json)),
            "by_number": .object(figures.byNumber.mapValues(json)),
            "by_template": .object(figures.byTemplate.mapValues(json)),
            "opt_outs": counts(figures.optOuts),
        ])
    }

    public static func json(_ t: TemplateFigures) -> JSONValue {
        .object([
            "texts": .object(["written": int(t.textsWritten), "sent": int(t.textsSent), "delivered": int(t.textsDelivered)]),
            "delivery_rate": ratio(t.delivery),
            "texted_contacts": int(t.textedContacts),
            "replies": int(t.repliedContacts),
            "reply_rate": ratio(t.replyRate),
        ])
    }

    public static func json(_ f: Funnel) -> JSONValue {
        .object([
            "calls": int(f.calls),
            "missed_calls": int(f.missedCalls),
            "eligible_calls": int(f.eligibleCalls),
            "eligibility": ratio(f.eligibility),
            "texts": .object(["sent": int(f.textsSent), "delivered": int(f.textsDelivered), "by_status": counts(f.textsByStatus)]),
            "delivery_rate": ratio(f.delivery),
            "texted_contacts": int(f.textedContacts),
            "replies": int(f.repliedContacts),
            "reply_rate": ratio(f.replyRate),
            "time_to_first_reply_s": .object([
                "count": int(f.firstReplySeconds.count),
                "median": f.medianFirstReplySeconds.map(JSONValue.number) ?? .null,
                "p90": f.p90FirstReplySeconds.map(JSONValue.number) ?? .null,
            ]),
            "callbacks": .object(["requested": int(f.callbacksRequested), "completed": int(f.callbacksCompleted)]),
            "callback_completion": ratio(f.callbackCompletion),
            "callback_conversion": ratio(f.callbackConversion),
            "opt_outs": int(f.optedOutContacts),
            "opt_out_rate": ratio(f.optOutRate),
            "suppressed_calls": int(f.suppressedCalls),
            "suppression_rate": ratio(f.suppressionRate),
            "decisions": .object(f.decisions.mapValues(counts)),
            "delivery_failures": counts(f.deliveryFailures),
        ])
    }

    static func int(_ n: Int) -> JSONValue { .number(Double(n)) }

    static func counts(_ map: [String: Int]) -> JSONValue { .object(map.mapValues(int)) }

    static func ratio(_ r: Ratio) -> JSONValue {
        .object([
            "numerator": int(r.numerator), "denominator": int(r.denominator),
            // Four decimals: a share of contacts, not a measurement of more precision than its counts.
            "rate": r.rate.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .null,
        ])
    }

    // MARK: Table

    /// A plain-text report: the funnel, then the same per automation and per number, each template's texts
    /// and replies, then the opt-outs.
    public static func table(_ figures: Figures) -> String {
        var lines = ["TextBack figures from \(ISO8601Timestamp.format(figures.from)) to \(ISO8601Timestamp.format(figures.to))", ""]
        lines += funnelLines(figures.total)
        for (automation, funnel) in figures.byAutomation.sorted(by: { $0.key < $1.key }) {
            lines += ["", "Automation \(automation)"] + funnelLines(funnel).map { "  " + $0 }
        }
        for (number, funnel) in figures.byNumber.sorted(by: { $0.key < $1.key }) {
            lines += ["", "Number \(number)"] + funnelLines(funnel).map { "  " + $0 }
        }
        for (template, t) in figures.byTemplate.sorted(by: { $0.key < $1.key }) {
            lines += ["", "Template \(template)"] + aligned(templateRows(t)).map { "  " + $0 }
        }
        if !figures.optOuts.isEmpty {
            lines += ["", "Opt-outs recorded in the range"] + figures.optOuts.sorted(by: { $0.key < $1.key }).map { "  \($0.key): \($0.value)" }
        }
        return lines.joined(separator: "\n")
    }

    static func funnelLines(_ f: Funnel) -> [String] { aligned(funnelRows(f)) }

    /// Label and value rows with the values in one column.
    static func aligned(_ rows: [(String, String)]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
    }

    /// One template's texts and replies as (label, value) rows.
    static func templateRows(_ t: TemplateFigures) -> [(String, String)] {
        [
            ("Texts written", "\(t.textsWritten)"),
            ("Texts sent", "\(t.textsSent)"),
            ("Delivered", show(t.delivery, of: "texts sent")),
            ("Reply rate", show(t.replyRate, of: "texted contacts")),
        ]
    }

    /// The funnel as (label, value) rows, each rate with its numerator and denominator; the table and
    /// the dashboard's overview both show these.
    static func funnelRows(_ f: Funnel) -> [(String, String)] {
        var rows: [(String, String)] = [
            ("Calls", "\(f.calls)"),
            ("Missed calls", "\(f.missedCalls)"),
            ("Eligible calls", show(f.eligibility, of: "missed calls")),
            ("Texts sent", "\(f.textsSent)"),
            ("Delivered", show(f.delivery, of: "texts sent")),
            ("Texted contacts", "\(f.textedContacts)"),
            ("Reply rate", show(f.replyRate, of: "texted contacts")),
            ("Time to first reply", f.medianFirstReplySeconds.map { "median \(duration($0)), p90 \(duration(f.p90FirstReplySeconds ?? $0))" } ?? "no replies"),
            ("Callbacks completed", show(f.callbackCompletion, of: "requested")),
            ("Callback conversion", show(f.callbackConversion, of: "texted contacts, then a connected call")),
            ("Opt-out rate", show(f.optOutRate, of: "texted contacts")),
            ("Suppression rate", show(f.suppressionRate, of: "eligible calls")),
        ]
        for (action, reasons) in f.decisions.sorted(by: { $0.key < $1.key }) {
            rows.append(("Decisions: \(action)", reasons.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        }
        if !f.deliveryFailures.isEmpty {
            rows.append(("Delivery failures", f.deliveryFailures.sorted(by: { $0.key < $1.key }).map { "\($0.key): \($0.value)" }.joined(separator: ", ")))
        }
        return rows
    }

    /// "3 / 10 (30.0%)", or "0 / 0 (—)" when there is nothing to divide by.
    static func show(_ r: Ratio, of what: String) -> String {
        let percent = r.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
        return "\(r.numerator) / \(r.denominator)\(what.isEmpty ? "" : " " + what) (\(percent))"
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0f s", seconds) : seconds < 3600 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f h", seconds / 3600)
    }

    // MARK: Ranges

    public enum RangeError: Error, CustomStringConvertible {
        case invalid(parameter: String)

        public var description: String {
            switch self {
            case .invalid(let parameter):
                "'\(parameter)' must be an ISO 8601 timestamp (2026-03-02T15:04:05Z) or a date (2026-03-02, midnight in the business's time zone)"
            }
        }

        public var parameter: String {
            switch self {
            case .invalid(let parameter): parameter
            }
        }
    }

    /// The range [from, to) from optional texts: `to` defaults to `now`, `from` to seven days before `to`.
    /// A `from` at or after `to` is an empty range (every figure zero), as a half-open range is.
    public static func range(from: String?, to: String?, now: Date, timeZone: TimeZone) throws(RangeError) -> (Date, Date) {
        let upper = try to.map { text throws(RangeError) in try parse(text, timeZone: timeZone, parameter: "to") } ?? now
        let lower = try from.map { text throws(RangeError) in try parse(text, timeZone: timeZone, parameter: "from") }
            ?? upper.addingTimeInterval(-7 * 86_400)
        return (lower, max(lower, upper))
    }

    static func parse(_ text: String, timeZone: TimeZone, parameter: String) throws(RangeError) -> Date {
        if let date = ISO8601Timestamp.parse(text) { return date }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let components = DateComponents(year: year, month: month, day: day)
            if components.isValidDate(in: calendar), let date = calendar.date(from: components) { return date }
        }
        throw .invalid(parameter: parameter)
    }
}
