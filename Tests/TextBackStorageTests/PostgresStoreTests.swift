// What only PostgreSQL has: claims and leases on the database server's clock, migrations recorded in a
// table and safe when several processes start at once, a URL read with its errors named, and
// LISTEN/NOTIFY wake-ups between two stores that share nothing but the database. Runs when scripts/test
// started a cluster (TEXTBACK_TEST_POSTGRES_URL); otherwise scripts/test reports it as not run.

import Foundation
import Testing
import TextBackCore
import TextBackPostgres
import TextBackStorage

@Suite("PostgreSQL store", .enabled(if: TestPostgres.server != nil, "needs TEXTBACK_TEST_POSTGRES_URL"), .timeLimit(.minutes(2)))
struct PostgresStoreTests {
    @Test func claimsAndLeasesFollowTheDatabaseClockNotTheCallers() async throws {
        let (store, dispose) = try await TestPostgres.open(clock: .database)
        do {
            // Due at t0 (2025): long past by the server's clock, whatever the caller says its time is.
            try await startRun(store, "a", from: phone(1), dueAt: t0)
            let farPast = at(-86_400 * 365)
            let claimed = try await store.claimJobs(ClaimRequest(owner: "w1", now: farPast, leaseUntil: farPast.addingTimeInterval(30), limit: 10))
            #expect(claimed.map(\.id) == ["job-a"])
            // The lease is 30 s from the server's now, not from the caller's.
            let lease = try #require(claimed.first?.leaseUntil)
            #expect(abs(lease.timeIntervalSinceNow - 30) < 10)

            // A job due in an hour by the caller's numbers is not available yet by the server's clock.
            try await startRun(store, "b", from: phone(2), dueAt: Date().addingTimeInterval(3600))
            let farFuture = at(86_400 * 365 * 50)
            #expect(try await store.claimJobs(ClaimRequest(owner: "w2", now: farFuture, leaseUntil: farFuture.addingTimeInterval(30), limit: 10)).isEmpty)
            await dispose()
        } catch {
            await dispose()
            throw error
        }
    }

    @Test func migrationsAreRecordedAndSeveralStoresMigratingAtOnceApplyEachOnce() async throws {
        let (store, dispose) = try await TestPostgres.open(clock: .caller)
        do {
            // Already migrated once by open(); five more at once find nothing to do and fail nothing.
            _ = try await concurrently(5) { _ in try await store.migrate() }
            let applied = try await store.appliedMigrations()
            #expect(applied == ["v4-conversations", "v5-tenancy", "v6-crm", "v7-sender-pace"])
            await dispose()
        } catch {
            await dispose()
            throw error
        }
    }

    @Test func aNotificationFromOneStoreWakesAnotherOnTheSameDatabase() async throws {
        let (writer, dispose) = try await TestPostgres.open(clock: .caller)
        do {
            let listener = PostgresStore(options: writer.options)
            let seen = listener.jobWakeups.generation
            try await listener.whileRunning {
                // The listener signals once when it starts listening; wait for that, then for the writer's.
                await listener.jobWakeups.wait(after: seen, timeout: .seconds(10))
                let listening = listener.jobWakeups.generation
                try await startRun(writer, "a", from: phone(1))
                await listener.jobWakeups.wait(after: listening, timeout: .seconds(10))
                #expect(listener.jobWakeups.generation != listening)
            }
            await dispose()
        } catch {
            await dispose()
            throw error
        }
    }
}

extension PostgresStoreTests {
    /// scripts/test turns TLS on in its cluster (a self-signed certificate) and says so.
    static let serverHasTLS = ProcessInfo.processInfo.environment["TEXTBACK_TEST_POSTGRES_TLS"] == "1"

    @Test(.enabled(if: serverHasTLS, "the test cluster has no TLS"))
    func sslmodeRequireConnectsEncryptedAndAPlainURLDoesNot() async throws {
        var options = try #require(TestPostgres.server)
        options.tls = .require
        let encrypted = PostgresStore(options: options)
        #expect(try await encrypted.whileRunning { try await encrypted.connectionInfo() }.encrypted)
        options.tls = .disable
        let plain = PostgresStore(options: options)
        #expect(try await plain.whileRunning { try await plain.connectionInfo() }.encrypted == false)
    }
}

/// Reading the URL needs no server.
@Suite("PostgreSQL options")
struct PostgresOptionsTests {
    @Test(arguments: [
        ("mysql://u@h/db", "postgres://user:password@host"),
        ("postgres://h/db", "no user name"),
        ("postgres://u@h", "names no database"),
        ("postgres://u:secret@h/db?sslmode=sometimes", "sslmode=sometimes"),
        ("postgres://u:secret@h/db?connect_timeout=3", "connect_timeout"),
    ])
    func aBadURLIsRefusedWithItsProblemNamedAndNoPassword(url: String, problem: String) throws {
        let error = #expect(throws: PostgresURLError.self) { try PostgresOptions(url: url) }
        #expect(error?.description.contains(problem) == true)
        #expect(error?.description.contains("secret") == false)
    }

    @Test func aURLGivesHostPortUserDatabaseAndTLSAndPrintsWithoutItsPassword() throws {
        let options = try PostgresOptions(url: "postgres://text%40back:s3cr%2Ft@db.example.com:6543/textback?sslmode=require", poolSize: 4)
        #expect(options.host == "db.example.com")
        #expect(options.port == 6543)
        #expect(options.username == "text@back")
        #expect(options.password == "s3cr/t")
        #expect(options.database == "textback")
        #expect(options.tls == .require)
        #expect(options.poolSize == 4)
        #expect(options.clock == .database)
        #expect(options.redactedURL == "postgres://text@back@db.example.com:6543/textback?sslmode=require")
        #expect(try PostgresOptions(url: "postgresql://u@h/db").tls == .disable)
        #expect(try PostgresOptions(url: "postgresql://u@h/db?sslmode=prefer").tls == .disable)
        #expect(try PostgresOptions(url: "postgresql://u@h/db?sslmode=verify-full").redactedURL == "postgres://u@h:5432/db?sslmode=verify-full")
    }
}
