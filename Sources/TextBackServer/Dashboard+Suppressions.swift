// The suppression list: add a number, remove one, import a CSV. The import is `SuppressionImport`
// (as `textback import suppression`); its page is written while it runs, a line per batch, so a long
// list shows progress without any script, and ends with how many rows were added, already present or
// invalid (each invalid row by its line).

import Foundation
import Hummingbird
import NIOCore
import TextBackCore
import TextBackEngine
import TextBackStorage

extension Dashboard {
    static let suppressionPage = 100
    /// Rows per batch of an import started here: a progress line follows each.
    static let importBatch = 5000

    func suppressions(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let offset = try api.intQuery(request, "offset", default: 0, range: 0...Int.max)
        let visit = try visit(request, context)
        let frame = self.frame(visit, section: .suppressions)
        let entries = try await store.suppressions(scope: visit.access.scope, limit: Self.suppressionPage + 1, offset: offset)
        let rows = entries.prefix(Self.suppressionPage).map { s -> HTML in
            """
            <tr><td>\(DashboardPages.contactLink(s.phone, frame))</td><td>\(s.channel)</td><td>\(s.reason)</td><td>\(s.source)</td><td>\(frame.when(s.createdAt))</td>
            <td><form method="post" action="\(frame.link("/suppressions/remove"))" class="inline">\(frame.csrfField)<input type="hidden" name="phone" value="\(s.phone.e164)">\
            <input type="hidden" name="channel" value="\(s.channel)"><button type="submit">Remove</button></form></td></tr>
            """
        }
        let more: HTML = entries.count > Self.suppressionPage ? "<p><a href=\"\(frame.link("/suppressions?offset=\(offset + Self.suppressionPage)"))\">More</a></p>" : .empty
        let notice = request.uri.queryParameters["notice"].flatMap { ["added": "The number is on the list.", "present": "The number was already on the list.",
                                                                       "removed": "The number was removed from the list."][String($0)] }
        return frame.page("Suppressions", """
            \(DashboardPages.notice(notice))
            <h2>Add a number</h2>
            \(visit.access.scope.only == nil ? "<p class=\"muted\">Numbers added here join the global do-not-contact list (every business).</p>" as HTML : .empty)
            <form method="post" action="\(frame.link("/suppressions"))">\(frame.csrfField)
            <label>Phone number <input name="phone" required placeholder="+14155550123"></label>
            <label>Reason <input name="reason" value="manual"></label><button type="submit">Add</button></form>
            <h2>Import a CSV</h2>
            <form method="post" action="\(frame.link("/suppressions/import"))" enctype="multipart/form-data">\(frame.csrfField)
            <label>File (a header row; the phone column is named phone, number, phone_number, mobile or e164; an optional reason column)
            <input type="file" name="file" accept=".csv,text/csv" required></label><button type="submit">Import</button></form>
            <h2>On the list</h2>
            \(DashboardPages.table(["Number", "Channel", "Reason", "Source", "Since", ""], Array(rows), empty: "No number is suppressed."))\(more)
            """)
    }

    /// Whose list: the business the visit is scoped to, or for the admin over every business the global list.
    func addSuppression(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let (visit, form) = try await post(request, context)
        let owner = visit.access.scope.only
        let number = try api.phone(form.required("phone", label: "The phone number"), field: "phone")
        let reason = form["reason"].flatMap { $0.isBlank ? nil : $0.trimmingCharacters(in: .whitespaces) } ?? "manual"
        let added = try await store.addSuppression(SuppressionRecord(phone: number, reason: reason, source: "dashboard",
                                                                     createdAt: engine.clock.now(), business: owner))
        throw DashboardRedirect(location: frame(visit, section: .suppressions).link("/suppressions?notice=\(added ? "added" : "present")"))
    }

    func removeSuppression(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let (visit, form) = try await post(request, context)
        let number = try api.phone(form.required("phone", label: "The phone number"), field: "phone")
        guard try await store.removeSuppression(phone: number, channel: form["channel"] ?? "sms", business: visit.access.scope.only) else {
            throw DashboardProblem(.notFound, "That number is not on the suppression list.")
        }
        throw DashboardRedirect(location: frame(visit, section: .suppressions).link("/suppressions?notice=removed"))
    }

    func importSuppressions(_ request: Request, _ context: TextBackRequestContext) async throws -> Response {
        let (visit, form) = try await post(request, context, limit: Self.uploadLimit)
        guard let file = form.files["file"], !file.isEmpty else {
            throw DashboardProblem(.badRequest, "Choose a CSV file to import.")
        }
        let frame = self.frame(visit, section: .suppressions)
        let parts = frame.pageParts("Import")
        let store = self.store, now = engine.clock.now(), owner = visit.access.scope.only, back = frame.link("/suppressions")
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: parts.head.markup))
            let (progress, reporter) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
            let outcome: HTML = await withTaskGroup(of: HTML.self) { group in
                group.addTask {
                    defer { reporter.finish() }
                    do {
                        let report = try await SuppressionImport.run(csv: file, store: store, source: "dashboard", now: now, business: owner,
                                                                     batchSize: Self.importBatch, progress: { reporter.yield($0) })
                        return Self.importSummary(report)
                    } catch {
                        return "<p class=\"problem\" role=\"alert\">The import stopped: the database refused a batch. Rows before it were kept; importing the file again adds only what is missing.</p>"
                    }
                }
                for await rows in progress {
                    try? await writer.write(ByteBuffer(string: HTML("<p class=\"small muted\">\(rows) rows read…</p>\n").markup))
                }
                return await group.next() ?? .empty
            }
            try await writer.write(ByteBuffer(string: HTML(joining: [outcome, "<p><a href=\"\(back)\">Back to the list</a></p>", parts.tail]).markup))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: DashboardPages.headers, body: body)
    }

    static func importSummary(_ report: SuppressionImportReport) -> HTML {
        let rejected = report.rejected.prefix(50).map { line, reason -> HTML in "<li>line \(line): \(reason)</li>" }
        let more: HTML = report.rejectedCount > rejected.count ? "<p class=\"muted\">and \(report.rejectedCount - rejected.count) more.</p>" : .empty
        return """
            <p class="notice" role="status">Import finished: <strong class="added">\(report.added)</strong> added,
            <strong class="duplicate">\(report.alreadyPresent)</strong> already on the list,
            <strong class="invalid">\(report.rejectedCount)</strong> invalid, of \(report.rows) rows.</p>
            \(rejected.isEmpty ? HTML.empty : "<h2>Invalid rows (skipped)</h2><ul>\(rejected)</ul>\(more)")
            """
    }
}
