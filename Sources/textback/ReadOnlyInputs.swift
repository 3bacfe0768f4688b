// What `report` and `simulate` share: a configuration loaded with its diagnostics on stderr, and an
// existing database (SQLite or PostgreSQL) read over a range of days in the business's zone.

import ArgumentParser
import Foundation
import TextBackConfig
import TextBackServer
import TextBackStorage

enum ReadOnlyInputs {
    /// The file at `path`, or the demo without one; a refused file prints each problem as file:line:column.
    static func configuration(path: String?) throws -> TextBackConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var isDirectory: ObjCBool = false
        if let path, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CLIError("\(path) is a directory of businesses; name one business's file, e.g. \(path)/<business-id>.yaml")
        }
        do {
            if let path { return try ConfigurationLoader.load(path: path, environment: environment) }
            return try ConfigurationLoader.demo(environment: environment)
        } catch {
            for diagnostic in error.diagnostics { FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8)) }
            throw CLIError("the configuration was refused")
        }
    }

    /// Runs `body` over an existing database, opened by the same factory as serve's: an SQLite file
    /// read-only (not a byte changes; a mistyped path is an error, never a new file), or PostgreSQL,
    /// whose pool runs only while `body` does.
    static func reading<T: Sendable>(_ url: String, poolSize: Int = 2, _ body: (any Store) async throws -> T) async throws -> T {
        let opened = try Composition.openStore(url: url, poolSize: poolSize, readOnly: true, synchronous: .full, logger: makeLogger(.warning))
        return try await opened.whileOpen { try await body(opened.store) }
    }

    /// [from, to) from the --from/--to options, dates at midnight in the business's zone.
    static func range(from: String?, to: String?, configuration: TextBackConfiguration) throws -> (Date, Date) {
        let zone = TimeZone(identifier: configuration.business.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        do { return try FiguresReport.range(from: from, to: to, now: Date(), timeZone: zone) } catch {
            throw CLIError("--\(error.parameter): \(error)")
        }
    }
}
