// The overview: the funnel with every rate's numerator and denominator (the rows `textback report`
// prints), the same per automation and per number, and a daily chart drawn as inline SVG.

import Foundation
import Hummingbird
import TextBackCore
import TextBackStorage

extension Dashboard {
    static let chartSeries: [(label: String, color: String, value: @Sendable (Funnel) -> Int)] = [
        ("Missed calls", "#8895a3", { $0.missedCalls }),
        ("Texts sent", "#2f6fbf", { $0.textsSent }),
        ("Replies", "#2e8b57", { $0.repliedContacts }),
    ]

    func overview(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        // Input first: a bad query is a 400 whether or not the visitor is signed in.
        let days = try api.intQuery(request, "days", default: 7, range: 1...90)
        let visit = try visit(request, context)
        let frame = self.frame(visit, section: .overview)
        let scope = visit.access.scope
        let now = engine.clock.now()
        let today = frame.time.startOfDay(now)
        let from = frame.time.adding(days: -(days - 1), to: today)
        let figures = try await store.figures(from: from, to: now, scope: scope)
        var daily: [(Date, Funnel)] = []
        for offset in 0..<days {
            let start = frame.time.adding(days: offset, to: from)
            let end = min(frame.time.adding(days: 1, to: start), now)
            // Today's bar ends now; a day with no time in it counts nothing.
            var funnel = Funnel()
            if start < end { funnel = try await store.figures(from: start, to: end, scope: scope).total }
            daily.append((start, funnel))
        }

        let total = figures.total
        let cards: [(String, String, String)] = [
            ("Missed calls", "\(total.missedCalls)", "of \(total.calls) calls"),
            ("Texts sent", "\(total.textsSent)", "for \(total.eligibleCalls) eligible calls"),
            ("Reply rate", percent(total.replyRate), "\(total.replyRate.numerator) of \(total.replyRate.denominator) texted contacts"),
            ("Opt-out rate", percent(total.optOutRate), "\(total.optOutRate.numerator) of \(total.optOutRate.denominator) texted contacts"),
        ]
        let cardHTML = cards.map { label, value, basis -> HTML in
            "<div class=\"card\"><span class=\"muted\">\(label)</span><b>\(value)</b><span class=\"small muted\">\(basis)</span></div>"
        }
        let funnelRows = FiguresReport.funnelRows(total).map { label, value -> HTML in
            "<tr><th scope=\"row\">\(label)</th><td>\(value)</td></tr>"
        }
        let ranges = [1, 7, 30].map { n -> HTML in
            let label = n == 1 ? "Today" : "\(n) days"
            return n == days ? "<strong>\(label)</strong>" : "<a href=\"\(frame.link("/?days=\(n)"))\">\(label)</a>"
        }
        let content: HTML = """
            <p>From \(frame.when(from)) to \(frame.when(now)) · \(HTML(joining: ranges.map { "\($0) " }))</p>
            <div class="cards">\(cardHTML)</div>
            <h2>Daily</h2>\(Self.chart(daily, time: frame.time))
            <h2>Funnel</h2><table class="funnel"><tbody>\(funnelRows)</tbody></table>
            <h2>By automation</h2>\(Self.sliceTable("Automation", figures.byAutomation))
            <h2>By number</h2>\(Self.sliceTable("Our number", figures.byNumber))
            <h2>By template</h2>\(Self.templateTable(figures.byTemplate))
            """
        return frame.page("Overview", content)
    }

    func percent(_ ratio: Ratio) -> String {
        ratio.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }

    static func sliceTable(_ heading: String, _ slices: [String: Funnel]) -> HTML {
        let rows = slices.sorted { $0.key < $1.key }.map { key, f -> HTML in
            """
            <tr><td>\(key)</td><td class="num">\(f.missedCalls)</td><td class="num">\(f.eligibleCalls)</td><td class="num">\(f.textsSent)</td>
            <td>\(FiguresReport.show(f.delivery, of: ""))</td><td>\(FiguresReport.show(f.replyRate, of: ""))</td>
            <td>\(FiguresReport.show(f.optOutRate, of: ""))</td></tr>
            """
        }
        return DashboardPages.table([heading, "Missed", "Eligible", "Sent", "Delivered / sent", "Replied / texted", "Opted out / texted"],
                                    rows, empty: "Nothing in this range.")
    }

    static func templateTable(_ templates: [String: TemplateFigures]) -> HTML {
        let rows = templates.sorted { $0.key < $1.key }.map { key, t -> HTML in
            """
            <tr><td>\(key)</td><td class="num">\(t.textsWritten)</td><td class="num">\(t.textsSent)</td>
            <td>\(FiguresReport.show(t.delivery, of: ""))</td><td>\(FiguresReport.show(t.replyRate, of: ""))</td></tr>
            """
        }
        return DashboardPages.table(["Template", "Written", "Sent", "Delivered / sent", "Replied / texted"], rows, empty: "No texts in this range.")
    }

    /// Grouped bars per day, one colour per series, each bar titled with its day, series and count.
    static func chart(_ days: [(Date, Funnel)], time: LocalTime) -> HTML {
        let height = 180.0, top = 12.0, bottom = 36.0, left = 36.0
        let group = max(18.0, min(72.0, 760.0 / Double(max(days.count, 1))))
        let width = left + group * Double(days.count) + 8
        let bar = (group - 8) / Double(chartSeries.count)
        let largest = max(1, days.flatMap { _, f in chartSeries.map { $0.value(f) } }.max() ?? 1)
        let scale = (height - top - bottom) / Double(largest)
        var parts: [HTML] = []
        let baseline = height - bottom
        parts.append("<line x1=\"\(number: left)\" y1=\"\(number: baseline)\" x2=\"\(number: width)\" y2=\"\(number: baseline)\" stroke=\"#8895a3\"/>")
        parts.append("<text x=\"\(number: left - 6)\" y=\"\(number: top + 4)\" text-anchor=\"end\" font-size=\"11\">\(largest)</text>")
        parts.append("<text x=\"\(number: left - 6)\" y=\"\(number: baseline)\" text-anchor=\"end\" font-size=\"11\">0</text>")
        for (index, (day, funnel)) in days.enumerated() {
            let x0 = left + Double(index) * group + 4
            for (seriesIndex, series) in chartSeries.enumerated() {
                let value = series.value(funnel)
                let h = Double(value) * scale
                parts.append("""
                    <rect x="\(number: x0 + Double(seriesIndex) * bar)" y="\(number: baseline - h)" width="\(number: max(bar - 1, 1))" \
                    height="\(number: h)" fill="\(series.color)"><title>\(time.day(day)): \(series.label) \(value)</title></rect>
                    """)
            }
            if days.count <= 14 || index % max(1, days.count / 10) == 0 {
                parts.append("<text x=\"\(number: x0 + (group - 8) / 2)\" y=\"\(number: baseline + 14)\" text-anchor=\"middle\" font-size=\"11\">\(time.day(day))</text>")
            }
        }
        for (index, series) in chartSeries.enumerated() {
            let x = left + Double(index) * 110
            parts.append("<rect x=\"\(number: x)\" y=\"\(number: height - 12)\" width=\"10\" height=\"10\" fill=\"\(series.color)\"/>")
            parts.append("<text x=\"\(number: x + 14)\" y=\"\(number: height - 3)\" font-size=\"11\">\(series.label)</text>")
        }
        let summary = days.map { day, f in "\(time.day(day)): " + chartSeries.map { "\($0.label.lowercased()) \($0.value(f))" }.joined(separator: ", ") }
            .joined(separator: "; ")
        return """
            <svg role="img" aria-label="Daily missed calls, texts sent and replies" width="\(number: width)" height="\(number: height)" \
            viewBox="0 0 \(number: width) \(number: height)" xmlns="http://www.w3.org/2000/svg"><desc>\(summary)</desc>\(parts)</svg>
            """
    }
}
