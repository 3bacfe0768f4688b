// Automations from the configuration, and the dry run of one over the recent calls in the store:
// `DryRun` replays them on a virtual clock into a throwaway database (nothing is sent or written
// here), so a draft can be tried before it goes live.

import Foundation
import Hummingbird
import TextBackCore
import TextBackEngine
import TextBackStorage

extension Dashboard {
    /// The most calls one dry run replays from the dashboard (the command line has no such limit).
    static let dryRunCallLimit = 2000

    func automations(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let visit = try visit(request, context)
        let frame = self.frame(visit, section: .automations)
        let tenants = visit.access.tenants
        let engines = tenants.engines.filter { visit.access.scope.includes($0.business) }
        let rows = engines.flatMap { engine in engine.configuration.automations.map { (engine, $0) } }.map { engine, a -> HTML in
            // The dry run acts for the automation's own business.
            let business: HTML = tenants.engines.count > 1
                ? "<input type=\"hidden\" name=\"business\" value=\"\(engine.business.rawValue)\">" : .empty
            let agents: String = switch a.trigger.agents {
            case .all: "all agents"
            case .only(let ids): ids.sorted().joined(separator: ", ")
            }
            let numbers: String = switch a.trigger.numbers {
            case .all: "all numbers"
            case .only(let ours): ours.map(\.e164).sorted().joined(separator: ", ")
            }
            return """
                <tr><td><strong>\(a.id.rawValue)</strong><br><span class="small muted">\(engines.count > 1 ? engine.configuration.business.name + " · " : "")\(a.summary ?? "")</span></td>
                <td>\(DashboardPages.badge(a.status.rawValue))</td><td>\(a.trigger.event) · \(agents) · \(numbers)</td>
                <td>\(Self.describe(a.steps))</td>
                <td><form method="get" action="/automations/\(HTML.pathSegment(a.id.rawValue))/dry-run">\(business)
                <label class="small">Calls of the last <select name="days"><option>1</option><option selected>7</option><option>30</option></select> days</label>
                <button type="submit">Dry run</button></form></td></tr>
                """
        }
        return frame.page("Automations", """
            <p class="muted">From the configuration file. A dry run replays recent calls through one automation (a draft or paused one
            as if live) with the real policy and templates on a virtual clock; it sends nothing and writes nothing.</p>
            \(DashboardPages.table(["Automation", "Status", "Trigger", "Steps", ""], rows, empty: "The configuration has no automations."))
            """)
    }

    /// Steps in a line each: "if call.outcome == "completed": stop", "delay 2m", "send home_services".
    static func describe(_ steps: [Step]) -> HTML {
        func lines(_ steps: [Step], depth: Int) -> [String] {
            let pad = String(repeating: "  ", count: depth)
            return steps.flatMap { step -> [String] in
                switch step {
                case .branch(let condition, let then, let otherwise):
                    ["\(pad)if \(condition)"] + lines(then, depth: depth + 1) + (otherwise.isEmpty ? [] : ["\(pad)else"] + lines(otherwise, depth: depth + 1))
                case .delay(let span): ["\(pad)delay \(span)"]
                case .sendSMS(let template): ["\(pad)send \(template)"]
                case .updateContact(let fields): ["\(pad)update contact \(fields.keys.sorted().joined(separator: ", "))"]
                case .stop: ["\(pad)stop"]
                }
            }
        }
        return "<pre class=\"small\">\(lines(steps, depth: 0).joined(separator: "\n"))</pre>"
    }

    func dryRun(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let days = try api.intQuery(request, "days", default: 7, range: 1...90)
        let visit = try visit(request, context)
        let frame = self.frame(visit, section: .automations)
        let engine = try business(visit)
        let raw = try context.parameters.require("id")
        let id = AutomationID(raw.removingPercentEncoding ?? raw)
        guard engine.configuration.automations.contains(where: { $0.id == id }) else {
            throw DashboardProblem(.notFound, "There is no automation with that id in the configuration.")
        }
        let now = engine.clock.now()
        // The business's own calls: those to or from its numbers (with one business, every call).
        let tenants = visit.access.tenants
        let calls = try await store.calls(from: now.addingTimeInterval(-Double(days) * 86_400), to: now, limit: Self.dryRunCallLimit)
            .filter { tenants.engines.count == 1 || tenants.install.owner(of: $0.event.businessPhone) == engine.business }
        let report = try await DryRun.run(calls: calls.map { DryRunCall(line: nil, event: $0.event) }, configuration: engine.configuration,
                                          automation: id)
        let rows = report.results.map { result -> HTML in
            let e = result.call.event
            let outcome: HTML
            if result.texts.isEmpty {
                let why = result.duplicate ? ["the same call id appeared earlier"]
                    : result.decisions.filter { $0.action != "schedule" }.map { "\($0.action): \($0.sentence)" }
                outcome = "<td>no text</td><td>\(why.isEmpty ? "no automation started for this call" : why.joined(separator: " "))</td>"
            } else {
                let texts = result.texts.map { t -> HTML in
                    let local = LocalTime(zone: t.timeZone)
                    return """
                        <p>\(local.format(t.at)) (\(t.timeZone)) from \(t.from.e164), \(t.segments.segments) segment\(t.segments.segments == 1 ? "" : "s") \
                        \(t.segments.encoding.rawValue):<br>\(t.body)</p>
                        """
                }
                outcome = "<td>would text</td><td>\(texts)</td>"
            }
            return "<tr><td>\(frame.when(e.occurredAt))</td><td>\(e.direction.rawValue) \(e.outcome.rawValue)<br>\(DashboardPages.contactLink(e.contactPhone, frame))</td>\(outcome)</tr>"
        }
        let reasons = report.notTextedByReason.sorted { $0.key < $1.key }.map { key, count -> HTML in "<li><code>\(key)</code>: \(count)</li>" }
        let capped: HTML = calls.count == Self.dryRunCallLimit ? "<p class=\"muted\">Only the first \(Self.dryRunCallLimit) calls of the range were replayed.</p>" : .empty
        return frame.page("Dry run of \(id.rawValue)", """
            <p>Calls of the last \(days) day\(days == 1 ? "" : "s"): <strong>\(report.calls)</strong>; would be texted: <strong>\(report.textedCalls)</strong>
            (\(report.texts) texts, \(report.segments) segments); not texted: <strong>\(report.calls - report.textedCalls)</strong>.</p>
            <ul>\(reasons)</ul>\(capped)
            <p class="muted small">Nothing was sent and nothing was written.</p>
            \(DashboardPages.table(["Call", "Call detail", "Result", "What and when (recipient's time) or why not"], rows, empty: "No calls in this range."))
            """)
    }
}
