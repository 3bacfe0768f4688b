// `textback report`: the figures over a range, as a table or one JSON object (the same JSON as
// GET /v1/metrics). Reads the database (SQLite or PostgreSQL); writes nothing to it.

import ArgumentParser
import Foundation
import TextBackConfig
import TextBackCore
import TextBackServer
import TextBackStorage

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the figures (missed calls, texts, replies, callbacks, opt-outs, …) with their denominators.")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Start of the range, inclusive: ISO 8601 or a date (midnight in the business's zone). Default: seven days before --to.")
    var from: String?
    @Option(help: "End of the range, exclusive: ISO 8601 or a date. Default: now.") var to: String?
    @Option(help: "The configuration file, for the business's time zone (default: the demo's).") var config: String?
    @Option(help: "Only this business's figures (its file name in a configuration directory, or business.id); default: every business.")
    var business: String?
    @Flag(help: "Print one JSON object.") var json = false

    func run() async throws {
        let configuration = try ReadOnlyInputs.configuration(path: config)
        let range = try ReadOnlyInputs.range(from: from, to: to, configuration: configuration)
        let scope: BusinessScope = business.map { .business(BusinessID($0)) } ?? .all
        let figures = try await ReadOnlyInputs.reading(database.url, poolSize: database.databasePoolSize) { store in
            try await store.figures(from: range.0, to: range.1, scope: scope)
        }
        print(json ? FiguresReport.json(figures).serialized : FiguresReport.table(figures))
    }
}
