// Small tools that print one JSON object with --json: phone, sms segments, classify; plus lint and import.

import ArgumentParser
import Foundation
import TextBackConfig
import TextBackCore
import TextBackEngine

/// A failure the user can act on: printed as "Error: …" with exit status 1, without the usage text.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct Phone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate a phone number and show its E.164 form, country, state and time zones.")
    @Argument(help: "A phone number, e.g. \"(415) 555-0142\" or +14155550142.") var number: String
    @Flag(help: "Print one JSON object.") var json = false

    func run() async throws {
        let phone: PhoneNumber
        do { phone = try PhoneNumber(parsing: number) } catch {
            throw CLIError("invalid phone number: \(error)")
        }
        let info = NANP.info(for: phone)
        if json {
            // Field order as documented: e164, country, region, time_zones.
            let fields: [(String, any Encodable)] = [("e164", info.e164), ("country", info.country), ("region", info.region), ("time_zones", info.timeZones)]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let parts = try fields.map { key, value in "\"\(key)\":" + String(decoding: try encoder.encode(value), as: UTF8.self) }
            print("{" + parts.joined(separator: ",") + "}")
            return
        }
        print("e164:       \(info.e164)")
        print("country:    \(info.country ?? "unknown")")
        print("region:     \(info.region ?? "unknown")")
        print("time zones: \(info.timeZones.isEmpty ? "unknown" : info.timeZones.joined(separator: ", "))")
    }
}

struct SMS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sms", abstract: "SMS tools.", subcommands: [Segments.self])

    struct Segments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count the encoding, segments and characters of a text.")
        @Argument(help: "The message text.") var text: String
        @Flag(help: "Print one JSON object.") var json = false

        func run() async throws {
            let count = SMSSegments.count(text)
            if json { print(count.json); return }
            print("\(count.encoding.rawValue), \(count.segments) segment\(count.segments == 1 ? "" : "s"), \(count.characters) characters")
            if let warning = SMSSegments.ucs2Warning(text) { print("warning: \(warning)") }
        }
    }
}

struct Classify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Classify an inbound reply: opt-out, opt-in, help, a proposed time, …")
    @Argument(help: "The reply text.") var text: String
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Classify as if the contact has just opted out (YES then means opt-in).") var afterOptOut = false
    @Option(help: "Reference time for proposed times, ISO 8601.") var now: String?
    @Option(help: "IANA time zone for proposed times, e.g. America/New_York.") var timezone: String?

    func run() async throws {
        var reference: Date?
        if let now {
            guard let parsed = ISO8601DateFormatter().date(from: now) else { throw ValidationError("--now must be ISO 8601, e.g. 2026-03-02T15:04:05Z") }
            reference = parsed
        }
        var zone: TimeZone?
        if let timezone {
            guard let parsed = TimeZone(identifier: timezone) else { throw ValidationError("--timezone must be an IANA zone such as America/New_York") }
            zone = parsed
        }
        let result = ReplyClassifier.classify(text, afterOptOut: afterOptOut, now: reference, timeZone: zone)
        if json { print(result.json); return }
        print("intent: \(result.intent.rawValue)\(result.revokesConsent ? " (revokes consent)" : "")")
        if let time = result.time { print("time: \(ISO8601DateFormatter().string(from: time))") }
    }
}

struct Lint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a configuration file, or a directory of business files, without starting anything.")
    @Argument(help: "The YAML configuration file, or a directory of <business-id>.yaml files.") var file: String

    func run() async throws {
        let result = ConfigurationLoader.lintInstall(path: file, environment: ProcessInfo.processInfo.environment)
        for diagnostic in result.diagnostics { print(diagnostic.description) }
        guard let install = result.install else { throw ExitCode(1) }
        for configuration in install.businesses {
            let name = install.businesses.count == 1 ? file : "\(file) [\(configuration.business.id)]"
            print("\(name): OK — \(configuration.automations.count) automation(s), \(configuration.templates.count) template(s), \(configuration.warnings.count) warning(s)")
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data.", subcommands: [Suppression.self])

    struct Suppression: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a do-not-contact list (CSV with a header row) into the suppression list.")
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Recorded as the source of each entry (default: the file name).") var source: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            let started = ContinuousClock.now
            let opened = try Composition.openStore(database, synchronous: .full, logger: makeLogger(.warning))
            let report = try await opened.whileOpen {
                try await opened.store.migrate()
                return try await SuppressionImport.run(
                    csv: data, store: opened.store, source: source ?? "import:\((file as NSString).lastPathComponent)", now: Date(),
                    progress: { rows in FileHandle.standardError.write(Data("\rimported \(rows) rows…".utf8)) })
            }
            FileHandle.standardError.write(Data("\n".utf8))
            for rejected in report.rejected { print("\(file):\(rejected.line): skipped: \(rejected.reason)") }
            if report.rejectedCount > report.rejected.count { print("… and \(report.rejectedCount - report.rejected.count) more skipped rows") }
            let elapsed = ContinuousClock.now - started
            print("\(report.rows) rows: \(report.added) added, \(report.alreadyPresent) already suppressed, \(report.rejectedCount) skipped (\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds]))))")
        }
    }
}
