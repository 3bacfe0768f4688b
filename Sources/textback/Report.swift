// `textback report`: the figures over a range, as a table or one JSON object (the same JSON as
// GET /v1/metrics). Reads the database; writes nothing to it.

import ArgumentParser
import Foundation
import TextBackConfig
import TextBackCore
import TextBackServer
import TextBackStorage

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the figures (missed calls, texts, replies, callbacks, opt-outs, …) with their denominators.")
    @Option(help: "sqlite:PATH of an existing database.") var database = "sqlite:textback.db"
    @Option(help: "Start of the range, inclusive: ISO 8601 or a date (midnight in the business's zone). Default: seven days before --to.")
    var from: String?
    @Option(help: "End of the range, exclusive: ISO 8601 or a date. Default: now.") var to: String?
    @Option(help: "The configuration file, for the business's time zone (default: the demo's).") var config: String?
    @Flag(help: "Print one JSON object.") var json = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration: TextBackConfiguration
        do {
            if let config {
                configuration = try ConfigurationLoader.load(path: config, environment: environment)
            } else {
                configuration = try ConfigurationLoader.demo(environment: environment)
            }
        } catch {
            for diagnostic in error.diagnostics { FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8)) }
            throw CLIError("the configuration was refused")
        }
        guard database.hasPrefix("sqlite:") else { throw CLIError("--database must be sqlite:PATH") }
        let path = String(database.dropFirst("sqlite:".count))
        // A report never creates a database: a mistyped path is an error, not an empty report.
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no database at \(path)") }
        let zone = TimeZone(identifier: configuration.business.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        let range: (Date, Date)
        do { range = try FiguresReport.range(from: from, to: to, now: Date(), timeZone: zone) } catch {
            throw CLIError("--\(error.parameter): \(error)")
        }
        // Read-only: a report does not change a byte of the database.
        let store = try SQLiteStore(path: path, options: SQLiteOptions(readOnly: true))
        let figures = try await store.figures(from: range.0, to: range.1)
        print(json ? FiguresReport.json(figures).serialized : FiguresReport.table(figures))
    }
}
