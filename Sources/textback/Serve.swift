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
import TextBackPostgres
import TextBackServer
import TextBackStorage

/// Where data lives, shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Where data lives: sqlite:PATH or postgres://user:password@host:5432/database[?sslmode=require] (default: TEXTBACK_DATABASE_URL, else sqlite:textback.db).")
    var database: String?

    @Option(help: "PostgreSQL: most connections this process opens (one listens for job wake-ups).")
    var databasePoolSize = 10

    /// --database, else TEXTBACK_DATABASE_URL (keeps a password off the command line), else the default file.
    var url: String {
        if let database { return database }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TEXTBACK_DATABASE_URL"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "sqlite:textback.db"
    }

    /// The URL as it may be printed: a PostgreSQL password never is.
    var displayURL: String { (try? PostgresOptions(url: url))?.redactedURL ?? url }
}

struct CommonOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Option(help: "The configuration file (YAML). Without it, the built-in demo configuration runs.")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .info

    @Option(help: "Log format: text, or json (one object per line, for log shippers).")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp("SQLite durability: full (default: an acknowledged call survives a power loss) or normal (faster on slow disks; a power loss can lose the last acknowledged writes).", valueName: "full|normal"))
    var sqliteSynchronous: SQLiteOptions.Synchronous = .full

    @Option(help: "This process's stable name in the job table; a restart under the same name resumes its jobs at once instead of after their leases (default: the host name).")
    var node: String?

    @Option(help: "Jobs run at once by this process's job runner.")
    var concurrency = 256

    @Option(help: "How long finished jobs are kept before they are pruned (e.g. 7d, 12h).")
    var jobRetention = "7d"
}

extension SQLiteOptions.Synchronous: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server and the job runner.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Public base URL providers call (for webhook signatures), e.g. https://textback.example.com")
    var publicURL: String?
    @Flag(help: "Serve HTTP only; run the jobs in separate `textback worker` processes.")
    var noWorker = false
    @Option(help: ArgumentHelp("Seconds due texts may wait for this process's job runner before call webhooks wait for it (at most 1 s each) instead of growing the backlog; 0: never.", valueName: "seconds"))
    var ingestYieldAfter = 0.5

    func run() async throws {
        let logger = makeLogger(common.logLevel, format: common.logFormat)
        let install = try Composition.install(common, logger: logger)
        let opened = try Composition.openStore(common.database, synchronous: common.sqliteSynchronous, logger: logger)
        try await opened.whileOpen { try await serve(install, opened, logger: logger) }
    }

    private func serve(_ install: TextBackInstall, _ opened: Composition.OpenedStore, logger: Logger) async throws {
        let environment = ProcessInfo.processInfo.environment
        guard ingestYieldAfter >= 0, ingestYieldAfter.isFinite else { throw ValidationError("--ingest-yield-after must be 0 or more seconds") }
        let parts = try await Composition.build(common, install: install, store: opened, logger: logger,
                                                publicURL: publicURL ?? environment["TEXTBACK_PUBLIC_URL"],
                                                dispatchLag: noWorker ? .off : DispatchLag(threshold: ingestYieldAfter))
        let token: String
        if let fromEnvironment = environment["TEXTBACK_API_TOKEN"], !fromEnvironment.isEmpty {
            token = fromEnvironment
        } else {
            token = Composition.randomToken()
        }
        var settings = ServerSettings(apiToken: token, publicURL: publicURL ?? environment["TEXTBACK_PUBLIC_URL"],
                                      simulatorOutbox: parts.simulatorOutbox, metrics: parts.metrics)
        settings.reload = parts.reload
        let router = TextBackHTTP.router(tenancy: parts.tenancy, settings: settings)
        var app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "textback"),
                              logger: logger)
        if !noWorker { app.addServices(JobRunner(tenancy: parts.tenancy, options: parts.runnerOptions, logger: logger)) }
        let hangup = ReloadOnHangup(parts.reload)
        let tokenLine = environment["TEXTBACK_API_TOKEN"]?.isEmpty == false
            ? "  API token: from TEXTBACK_API_TOKEN"
            : "  API token (generated for this run; set TEXTBACK_API_TOKEN to choose one): \(token)"
        app.beforeServerStarts {
            say("TextBack listening on http://\(host):\(port)")
            say("  database: \(common.database.displayURL)   configuration: \(parts.configurationName)\(noWorker ? "   (no job runner)" : "")")
            say(tokenLine)
            say("  try: curl -H 'Authorization: Bearer <token>' http://\(host):\(port)/v1/simulator/outbox")
        }
        try await app.runService()
        hangup.cancel()
    }
}

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run only the job runner (no HTTP), sharing the database.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let logger = makeLogger(common.logLevel, format: common.logFormat)
        let install = try Composition.install(common, logger: logger)
        let opened = try Composition.openStore(common.database, synchronous: common.sqliteSynchronous, logger: logger)
        try await opened.whileOpen {
            let parts = try await Composition.build(common, install: install, store: opened, logger: logger,
                                                    publicURL: ProcessInfo.processInfo.environment["TEXTBACK_PUBLIC_URL"])
            let runner = JobRunner(tenancy: parts.tenancy, options: parts.runnerOptions, logger: logger)
            let hangup = ReloadOnHangup(parts.reload)
            defer { hangup.cancel() }
            let group = ServiceGroup(configuration: .init(services: [.init(service: runner)],
                                                          gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            say("TextBack worker running on \(common.database.displayURL)")
            try await group.run()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database schema (serve does this on start).")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let opened = try Composition.openStore(database, synchronous: .full, logger: makeLogger(.warning))
        let server = try await opened.whileOpen { () -> String in
            try await opened.store.migrate()
            guard let info = try await opened.postgres?.connectionInfo() else { return "" }
            return " (PostgreSQL \(info.version), \(info.encrypted ? "TLS" : "not encrypted"))"
        }
        print("schema up to date: \(database.displayURL)\(server)")
    }
}

/// Writes a line to standard output at once (print is buffered when output is not a terminal).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func makeLogger(_ level: Logger.Level, format: LogFormat = .text) -> Logger {
    var logger = format == .json ? Logger(label: "textback") { JSONLogHandler(label: $0) } : Logger(label: "textback")
    logger.logLevel = level
    return logger
}

enum Composition {
    struct Parts {
        var tenancy: Tenancy
        var configurationName: String
        var simulatorOutbox: (any SimulatorOutbox)?
        var runnerOptions: JobRunnerOptions
        var metrics: TextBackMetrics
        /// Re-reads --config, validates all of it and swaps it in; a refused one changes nothing.
        var reload: @Sendable () async -> ReloadOutcome
    }

    struct OpenedStore: Sendable {
        var store: any Store
        /// The simulator carrier's outbox, kept in the same database.
        var outbox: (any SimulatorOutbox)?
        /// PostgreSQL's connection pool and wake-up listener, which run while the command does.
        var postgres: PostgresStore?

        /// Runs `body` with the store open: on PostgreSQL its pool runs alongside and stops after `body`.
        func whileOpen<T: Sendable>(_ body: () async throws -> T) async throws -> T {
            guard let postgres else { return try await body() }
            return try await postgres.whileRunning(body)
        }
    }

    /// Every business of `--config` (a file or a directory), or the demo; a refused configuration is nil
    /// with every problem at file:line:column.
    static func lintInstall(_ path: String?, environment: [String: String]) -> (TextBackInstall?, [ConfigDiagnostic]) {
        if let path { return ConfigurationLoader.lintInstall(path: path, environment: environment) }
        do { return (TextBackInstall(single: try ConfigurationLoader.demo(environment: environment)), []) } catch {
            return (nil, error.diagnostics)
        }
    }

    /// The configuration, read before anything is opened: a refused one starts nothing and writes nothing.
    static func install(_ options: CommonOptions, logger: Logger) throws -> TextBackInstall {
        let environment = ProcessInfo.processInfo.environment
        let (loaded, diagnostics) = lintInstall(options.config, environment: environment)
        guard let install = loaded else {
            // One line per problem, file:line:column first, so editors can jump to each.
            for diagnostic in diagnostics {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
            }
            FileHandle.standardError.write(Data("textback: the configuration was refused; nothing was started\n".utf8))
            throw ExitCode(1)
        }
        for warning in install.warnings { logger.warning("\(warning.description)") }
        return install
    }

    static func build(_ options: CommonOptions, install: TextBackInstall, store opened: OpenedStore, logger: Logger,
                      publicURL: String?, dispatchLag: DispatchLag = .off) async throws -> Parts {
        let metrics = TextBackMetrics()
        let store = MeteredStore(opened.store, metrics: metrics)
        try await store.migrate()
        guard let retention = TimeSpan(parsing: options.jobRetention), retention.seconds > 0 else {
            throw ValidationError("--job-retention must be a duration such as 7d or 12h")
        }
        guard options.concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        var base: URL?
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--public-url must be an absolute http(s) URL such as https://textback.example.com")
            }
            base = url
        } else if install.businesses.contains(where: { $0.numbers.contains { $0.carrier == .twilio || $0.carrier == .telnyx } }) {
            logger.warning("no --public-url (or TEXTBACK_PUBLIC_URL): Twilio and Telnyx are not told where to send delivery receipts for each text, and Twilio webhook signatures are checked against the Host header")
        }
        let clock = SystemClock()
        let ids = IDSource.timeOrdered(clock: clock)
        let node = options.node ?? ProcessInfo.processInfo.hostName
        // Every business's engine shares the store and this worker id: one claim loop serves them all.
        let factory = EngineFactory(store: store, clock: clock, ids: ids, outbox: opened.outbox, logger: logger, node: node,
                                    workerID: "\(node)#\(ids.next("w"))", publicURL: base, dispatchLag: dispatchLag)
        let tenancy = Tenancy(factory.tenants(install))
        let configPath = options.config
        let reload: @Sendable () async -> ReloadOutcome = {
            let (reloaded, diagnostics) = lintInstall(configPath, environment: ProcessInfo.processInfo.environment)
            guard let reloaded else {
                logger.error("configuration reload refused; the running configuration stays",
                             metadata: ["problems": "\(diagnostics.filter { $0.severity == .error }.count)"])
                for diagnostic in diagnostics { FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8)) }
                return .refused(diagnostics)
            }
            tenancy.replace(with: factory.tenants(reloaded))
            logger.notice("configuration reloaded", metadata: ["businesses": "\(reloaded.businesses.count)"])
            return .reloaded(reloaded.businesses.map(\.business.id))
        }
        return Parts(tenancy: tenancy, configurationName: options.config ?? "built-in demo", simulatorOutbox: opened.outbox,
                     runnerOptions: JobRunnerOptions(concurrency: options.concurrency, retention: retention), metrics: metrics,
                     reload: reload)
    }

    /// Builds one engine per business over the shared parts (on start and on every reload).
    struct EngineFactory: Sendable {
        let store: any Store
        let clock: any TimeSource
        let ids: IDSource
        let outbox: (any SimulatorOutbox)?
        let logger: Logger
        let node: String
        let workerID: String
        let publicURL: URL?
        let dispatchLag: DispatchLag

        func tenants(_ install: TextBackInstall) -> Tenants {
            Tenants(engines: install.businesses.map(engine))
        }

        func engine(_ configuration: TextBackConfiguration) -> Engine {
            var carriers: [any Carrier] = []
            if let outbox { carriers.append(SimulatorCarrier(outbox: outbox, ids: ids)) }
            // The real carriers share AsyncHTTPClient's process-wide client; each call has its own deadline.
            let transport = HTTPClientTransport.shared
            carriers += CarrierFactory.carriers(configuration.carriers, transport: transport)
            let available = Set(carriers.map(\.name))
            for number in configuration.numbers where !available.contains(number.carrier.rawValue) {
                logger.warning("number \(number.number.redacted) uses \(number.carrier.rawValue), which is not configured; its texts will be recorded as failed (carrier_missing)")
            }
            var lookup: (any LineTypeLookup)?
            if configuration.policy.landlineCheck {
                lookup = CarrierFactory.lineTypeLookup(configuration.carriers, transport: transport)
                if lookup == nil { logger.warning("policy.landline_check is on, but neither Twilio nor Telnyx is configured to look numbers up; texts go out unchecked") }
            }
            return Engine(store: store, configuration: configuration, clock: clock, ids: ids,
                          carriers: carriers, logger: logger, node: node, workerID: workerID,
                          transport: configuration.agent.webhook == nil && configuration.agent.languageModel == nil
                              && configuration.integrations.crm.providers.isEmpty ? nil : transport,
                          delivery: DeliveryOptions(publicURL: publicURL, lineTypeLookup: lookup), dispatchLag: dispatchLag)
        }
    }

    static func openStore(_ database: DatabaseOptions, synchronous: SQLiteOptions.Synchronous, logger: Logger) throws -> OpenedStore {
        try openStore(url: database.url, poolSize: database.databasePoolSize, synchronous: synchronous, logger: logger)
    }

    /// The store behind `url`, for every command. `readOnly` (report, simulate): an SQLite file must exist
    /// and is opened read-only, so not a byte changes; PostgreSQL is the same pool as serve's, and the
    /// readers only ever run read-only transactions on it.
    static func openStore(url: String, poolSize: Int, readOnly: Bool = false, synchronous: SQLiteOptions.Synchronous,
                          logger: Logger) throws -> OpenedStore {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw ValidationError("--database sqlite:PATH needs a file path") }
            if readOnly {
                // A mistyped path is an error, never a new, empty file.
                guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no database at \(path)") }
                let store = try SQLiteStore(path: path, options: SQLiteOptions(readOnly: true))
                return OpenedStore(store: store, outbox: store)
            }
            let store = try SQLiteStore(path: path, options: SQLiteOptions(synchronous: synchronous))
            return OpenedStore(store: store, outbox: store)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let options: PostgresOptions
            do {
                options = try PostgresOptions(url: url, poolSize: poolSize)
            } catch {
                throw ValidationError("--database: \(error)")
            }
            let store = PostgresStore(options: options, logger: logger)
            return OpenedStore(store: store, outbox: store, postgres: store)
        }
        throw ValidationError("--database must be sqlite:PATH or postgres://user:password@host:5432/database")
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return "tb_" + String((0..<32).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
