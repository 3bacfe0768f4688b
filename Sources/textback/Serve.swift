// `textback serve` and `textback worker`: build the object graph and run it in one ServiceGroup.

import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TextBackProviders
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackServer
import TextBackStorage

struct CommonOptions: ParsableArguments {
    @Option(help: "Where data lives: sqlite:PATH (default sqlite:textback.db) or postgres://…")
    var database = "sqlite:textback.db"

    @Option(help: "The configuration file (YAML). Without it, the built-in demo configuration runs.")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .info
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server and the job runner.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Public base URL providers call (for webhook signatures), e.g. https://textback.example.com")
    var publicURL: String?

    func run() async throws {
        let logger = makeLogger(common.logLevel)
        let parts = try await Composition.build(common, logger: logger)
        let environment = ProcessInfo.processInfo.environment
        let token: String
        if let fromEnvironment = environment["TEXTBACK_API_TOKEN"], !fromEnvironment.isEmpty {
            token = fromEnvironment
        } else {
            token = Composition.randomToken()
        }
        let router = TextBackHTTP.router(engine: parts.engine,
                                         settings: ServerSettings(apiToken: token, publicURL: publicURL ?? environment["TEXTBACK_PUBLIC_URL"]))
        var app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "textback"),
                              logger: logger)
        app.addServices(JobRunner(engine: parts.engine, logger: logger))
        let tokenLine = environment["TEXTBACK_API_TOKEN"]?.isEmpty == false
            ? "  API token: from TEXTBACK_API_TOKEN"
            : "  API token (generated for this run; set TEXTBACK_API_TOKEN to choose one): \(token)"
        app.beforeServerStarts {
            say("TextBack listening on http://\(host):\(port)")
            say("  database: \(common.database)   configuration: \(parts.configurationName)")
            say(tokenLine)
            say("  try: curl -H 'Authorization: Bearer <token>' http://\(host):\(port)/v1/simulator/outbox")
        }
        try await app.runService()
    }
}

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run only the job runner (no HTTP), sharing the database.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let logger = makeLogger(common.logLevel)
        let parts = try await Composition.build(common, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: JobRunner(engine: parts.engine, logger: logger))],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database schema (serve does this on start).")
    @Option(help: "sqlite:PATH or postgres://…") var database = "sqlite:textback.db"

    func run() async throws {
        let store = try Composition.openStore(database)
        try await store.migrate()
        print("schema up to date: \(database)")
    }
}

/// Writes a line to standard output at once (print is buffered when output is not a terminal).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func makeLogger(_ level: Logger.Level) -> Logger {
    var logger = Logger(label: "textback")
    logger.logLevel = level
    return logger
}

enum Composition {
    struct Parts {
        var engine: Engine
        var configurationName: String
    }

    static func build(_ options: CommonOptions, logger: Logger) async throws -> Parts {
        let environment = ProcessInfo.processInfo.environment
        let configuration: TextBackConfiguration
        do {
            if let path = options.config {
                configuration = try ConfigurationLoader.load(path: path, environment: environment)
            } else {
                configuration = try ConfigurationLoader.demo(environment: environment)
            }
        } catch {
            // One line per problem, file:line:column first, so editors can jump to each.
            for diagnostic in error.diagnostics {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
            }
            FileHandle.standardError.write(Data("textback: the configuration was refused; nothing was started\n".utf8))
            throw ExitCode(1)
        }
        for warning in configuration.warnings { logger.warning("\(warning.description)") }
        let store = try openStore(options.database)
        try await store.migrate()
        let ids = IDSource { prefix in "\(prefix)_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))" }
        let carriers: [any Carrier] = [SimulatorCarrier(store: store, ids: ids)]
        let available = Set(carriers.map(\.name))
        for number in configuration.numbers where !available.contains(number.carrier.rawValue) {
            // Webhooks from this carrier are understood; sending through it arrives with the carrier adapters.
            logger.warning("number \(number.number.redacted) uses \(number.carrier.rawValue), which this build cannot send through yet; its texts will be recorded as failed (carrier_missing)")
        }
        let engine = Engine(store: store, configuration: configuration, clock: SystemClock(), ids: ids,
                            carriers: carriers, logger: logger)
        return Parts(engine: engine, configurationName: options.config ?? "built-in demo")
    }

    static func openStore(_ url: String) throws -> any Store {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw ValidationError("--database sqlite:PATH needs a file path") }
            return try SQLiteStore(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            throw ValidationError("PostgreSQL storage is not available in this build yet; use --database sqlite:PATH")
        }
        throw ValidationError("--database must be sqlite:PATH or postgres://…")
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return "tb_" + String((0..<32).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
