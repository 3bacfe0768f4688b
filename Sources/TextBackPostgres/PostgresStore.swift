// PostgresStore: the `Store` contract on PostgreSQL, for several TextBack processes sharing one database.
//
// Every unit of work is one READ COMMITTED transaction on a pooled connection. Where SQLite relies on
// its single writer, a unit here locks the rows it is about (`SELECT … FOR UPDATE`) in one order —
// contact, then run, then message, then job — before it checks anything, and every compare-and-set is
// an `UPDATE … WHERE <expected state>` whose row count is checked, or a check of the state the locked
// row holds (nobody can change it before COMMIT). Round trips are few (PostgresStore+Batching.swift):
// one statement takes a unit's locks, its writes go out together, a read is one statement.
// Serialization failures and deadlocks (40001, 40P01) and a unique key taken by a concurrent unit
// between its check and its insert (23505) roll the unit back and run it again from the start, where
// its checks now see the winner's row: the caller gets the outcome value (`duplicate`, `stale`), never
// the error.
//
// Time: with `PostgresOptions.Clock.database` (production) claims, leases and releases compare against
// the database server's clock, so hosts with skewed clocks agree on who holds a job; the caller's
// `now` still stamps `updated_at` and the rows it writes. With `.caller` (the contract suite, which
// moves a virtual clock) they use the caller's `now`, as SQLite does.
//
// Wake-ups: a unit that makes a job available sends `NOTIFY textback_jobs` inside its transaction
// (delivered on commit to every process) and signals its own process's `jobWakeups` after COMMIT;
// `run()` keeps a LISTEN connection that turns the others' notifications into the same signal.

import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import TextBackCore
import TextBackStorage

public struct PostgresOptions: Sendable {
    public enum Clock: String, Sendable {
        /// Claims and leases compare against the database server's clock (production).
        case database
        /// Claims and leases compare against the `now` each call passes (tests on a virtual clock).
        case caller
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `sslmode` in the URL, as libpq reads it.
    public var tls: TLSMode
    /// Most connections this process opens (one of them listens for wake-ups while `run()` runs).
    public var poolSize: Int
    public var clock: Clock

    /// Reads `postgres://user:password@host:port/database?sslmode=require`. The error names what is
    /// wrong with the URL and never repeats the password.
    public init(url: String, poolSize: Int = 10, clock: Clock = .database) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw PostgresURLError("a PostgreSQL URL looks like postgres://user:password@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresURLError("the PostgreSQL URL has no host") }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw PostgresURLError("the PostgreSQL URL has no user name (postgres://user:password@host/database)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw PostgresURLError("the PostgreSQL URL names no database after the host") }
        guard poolSize >= 2 else { throw PostgresURLError("the PostgreSQL pool needs at least 2 connections (one listens for wake-ups)") }
        var tls = TLSMode.disable
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw PostgresURLError("the PostgreSQL URL option \(item.name) is not supported (only sslmode)") }
            switch item.value ?? "" {
            // Never encrypted opportunistically: a connection is either required to be TLS or is plain.
            case "disable", "allow", "prefer": tls = .disable
            case let value:
                guard let mode = TLSMode(rawValue: value) else {
                    throw PostgresURLError("sslmode=\(value) is not one of disable, prefer, require, verify-ca, verify-full")
                }
                tls = mode
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user
        self.password = components.percentEncodedPassword?.removingPercentEncoding
        self.database = database
        self.tls = tls
        self.poolSize = poolSize
        self.clock = clock
    }

    /// The URL without its password, for logs and start-up lines.
    public var redactedURL: String {
        "postgres://\(username)@\(host):\(port)/\(database)\(tls == .disable ? "" : "?sslmode=\(tls.rawValue)")"
    }

    /// TLS as libpq's sslmode means it: `require` encrypts without checking the server's certificate,
    /// `verify-ca` checks it against the system's CAs, `verify-full` checks the host name too.
    public enum TLSMode: String, Sendable {
        case disable
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The client TLS settings for `tls`; nil when the connection is plain.
    var clientTLS: TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable: return nil
        case .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        return configuration
    }
}

public struct PostgresURLError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

public final class PostgresStore: Store, SimulatorOutbox, Service {
    public let options: PostgresOptions
    public let jobWakeups = JobWakeups()
    let client: PostgresClient
    let logger: Logger
    /// The channel every process LISTENs on and NOTIFYs when a job became available.
    static let channel = "textback_jobs"
    /// Attempts a unit gets when it meets a serialization failure, a deadlock or a concurrent key.
    static let maxAttempts = 8
    /// Open once `run()` has started the pool. Every lease waits for it: a connection asked for before
    /// `PostgresClient.run()` makes PostgresNIO log a warning (and the lease would wait for the pool anyway),
    /// and `whileRunning` starts its body, and `run()` its listener, beside the pool's task, not after it.
    private let poolStarted = StartGate()

    public init(options: PostgresOptions, logger: Logger = Logger(label: "textback.postgres")) {
        var configuration = PostgresClient.Configuration(
            host: options.host, port: options.port, username: options.username, password: options.password, database: options.database,
            tls: options.clientTLS.map { .require($0) } ?? .disable)
        configuration.options.maximumConnections = options.poolSize
        configuration.options.minimumConnections = 0
        self.options = options
        self.logger = logger
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Runs the connection pool and the LISTEN connection until cancelled or, at graceful shutdown,
    /// until the services after it in the group stopped. Nothing reaches the database unless this runs.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // `client.run()` marks the client running in its first statement and then starts its pool's
                // child tasks, which inherit this executor preference: the first of them to be enqueued opens
                // the gate, strictly after that mark (PostgresNIO gives no signal of its own to wait for).
                let executor = FirstJobExecutor { self.poolStarted.open() }
                await withTaskExecutorPreference(executor) {
                    // On the executor before arming it: the hop onto it is a job too, and must not count.
                    await Task.yield()
                    executor.arm()
                    await self.client.run()
                }
            }
            group.addTask { await self.listen() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Runs `body` while the pool and the wake-up listener run (`run()`), then stops them.
    public func whileRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await self.run(); return nil }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Listens for other processes' wake-ups; reconnects after a lost connection, and signals once on
    /// every (re)connect, since a notification sent while nobody listened is gone.
    private func listen() async {
        var delay = Duration.milliseconds(100)
        await poolStarted.wait()
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        jobWakeups.notify()
                        delay = .milliseconds(100)
                        for try await _ in notifications { jobWakeups.notify() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("the LISTEN connection failed; reconnecting", metadata: ["error": "\(Self.describe(error))"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    // MARK: - Transactions

    /// `now` for the claim and lease statements: nil lets `textback_now_ms` take the database's clock.
    func clock(_ now: Date) -> Int64? { options.clock == .caller ? Coding.ms(now) : nil }

    /// Applies `body` as one transaction; runs it again from the start after a serialization failure,
    /// a deadlock or a unique key a concurrent unit took first. A thrown error means nothing was written.
    @discardableResult
    func write<T: Sendable>(_ body: (Unit) async throws -> T) async throws -> T {
        var attempt = 0
        await poolStarted.wait()
        while true {
            attempt += 1
            do {
                let (value, woke) = try await client.withConnection { connection in
                    let unit = Unit(connection: connection, logger: logger)
                    try await unit.execute("BEGIN")
                    do {
                        let value = try await body(unit)
                        try await unit.flush(notify: unit.madeJobsAvailable)
                        try await unit.execute("COMMIT")
                        return (value, unit.madeJobsAvailable)
                    } catch {
                        unit.pending.removeAll()
                        _ = try? await unit.execute("ROLLBACK")
                        throw error
                    }
                }
                if woke { jobWakeups.notify() }
                return value
            } catch {
                guard attempt < Self.maxAttempts, Self.isRetryable(error) else { throw Self.storeError(error) }
                // A short, growing, jittered pause so the racing units do not meet again at once.
                try await Task.sleep(for: .microseconds(Int64.random(in: 0...(500 << min(attempt, 6)))))
            }
        }
    }

    /// A read-only transaction (one snapshot for every statement of `body`).
    func read<T: Sendable>(_ body: (Unit) async throws -> T) async throws -> T {
        await poolStarted.wait()
        do {
            return try await client.withConnection { connection in
                let unit = Unit(connection: connection, logger: logger)
                try await unit.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                do {
                    let value = try await body(unit)
                    try await unit.execute("COMMIT")
                    return value
                } catch {
                    _ = try? await unit.execute("ROLLBACK")
                    throw error
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Statements outside a transaction: a read that one statement answers (the statement is its own
    /// snapshot), or a write that is one statement (atomic by itself).
    func withoutTransaction<T: Sendable>(_ body: (Unit) async throws -> T) async throws -> T {
        await poolStarted.wait()
        do {
            return try await client.withConnection { connection in try await body(Unit(connection: connection, logger: logger)) }
        } catch {
            throw Self.storeError(error)
        }
    }

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func isRetryable(_ error: any Error) -> Bool {
        ["40001", "40P01", "23505"].contains(sqlState(error) ?? "")
    }

    /// What the server said, without the query or its values (they can hold phone numbers and bodies).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                return "\(info[.sqlState] ?? "?") \(info[.message] ?? "")"
            }
            return "\(error.code)"
        }
        if let error = error as? StoreError { return error.description }
        return "\(type(of: error))"
    }

    static func storeError(_ error: any Error) -> any Error {
        if error is StoreError { return error }
        if let state = sqlState(error), !state.hasPrefix("08"), !state.hasPrefix("57") {
            return StoreError.unavailable("PostgreSQL refused a statement: \(describe(error))")
        }
        return StoreError.unavailable("PostgreSQL: \(describe(error))")
    }
}

/// A one-way gate: `wait()` returns once `open()` was called (at once after that), or when its task is
/// cancelled (the lease that follows then fails as a cancelled lease does). The job runners' wake-up
/// signal, waited on from its first generation.
final class StartGate: Sendable {
    private let opened = JobWakeups()
    func open() { opened.notify() }
    func wait() async { await opened.wait(after: 0) }
}

/// Runs the pool's tasks on Dispatch's global queue, and calls `onFirstJob` once, for the first job enqueued
/// after `arm()`: the caller arms it just before `PostgresClient.run()`, whose child tasks then come here.
final class FirstJobExecutor: TaskExecutor {
    private let state = Mutex((armed: false, fired: false))
    private let onFirstJob: @Sendable () -> Void

    init(_ onFirstJob: @escaping @Sendable () -> Void) { self.onFirstJob = onFirstJob }

    func arm() { state.withLock { $0.armed = true } }

    func enqueue(_ job: consuming ExecutorJob) {
        let fire = state.withLock { state -> Bool in
            guard state.armed, !state.fired else { return false }
            state.fired = true
            return true
        }
        if fire { onFirstJob() }
        let job = UnownedJob(job)
        DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// One transaction's connection, and what its unit did that must be announced after COMMIT.
final class Unit {
    let connection: PostgresConnection
    let logger: Logger
    /// Set by a statement that made a job available: NOTIFY inside, wake this process after COMMIT.
    var madeJobsAvailable = false
    /// Writes queued by `later`, sent as one statement before the next one (PostgresStore+Batching.swift).
    var pending: [Deferred] = []

    init(connection: PostgresConnection, logger: Logger) { self.connection = connection; self.logger = logger }

    /// Runs a statement; returns the rows it changed (or returned).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        try await flush()
        let result = try await connection.query(query, logger: logger).get()
        return result.metadata.rows ?? 0
    }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await flush()
        return try await connection.query(query, logger: logger).get().rows.map { $0.makeRandomAccess() }
    }

    func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await rows(query).first
    }

    func exists(_ query: PostgresQuery) async throws -> Bool {
        try await row(query) != nil
    }

    func jobsBecameAvailable() { madeJobsAvailable = true }
}

extension PostgresRandomAccessRow: StoredRow {
    package func text(_ column: String) throws -> String {
        guard let value = try self[column].decode(String?.self) else { throw StoreError.corrupt("column \(column) is empty") }
        return value
    }
    package func optionalText(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    package func integer(_ column: String) throws -> Int64 {
        guard let value = try self[column].decode(Int64?.self) else { throw StoreError.corrupt("column \(column) is empty") }
        return value
    }
    package func optionalInteger(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
    package func has(_ column: String) -> Bool { contains(column) }
}
