// Group commit for SQLite: every unit of work from every task goes through one writer that applies
// whatever is waiting together, in one transaction, each unit in its own savepoint.
//
// Why: with `synchronous = FULL` every COMMIT waits for the disk (about 1.3 ms here), so one
// transaction per unit caps the whole engine at a few hundred units a second. Applying the units that
// queued up while the previous commit was flushing costs one flush for all of them. Each caller is
// answered only after the COMMIT that contains its unit returned, so an acknowledged call is durable.
// A unit that throws rolls back to its savepoint and fails alone; a failed COMMIT fails every unit of
// that batch (none of them was written).
//
// Back-pressure: submissions marked `rejectable` (HTTP ingest) are refused with `overloaded` when more
// than `maxWaiting` units wait, so a flood gets 503s instead of unbounded memory. The job runner's
// units are never refused: the runner bounds its own concurrency.

import Dispatch
import GRDB
import Synchronization

final class SQLiteWriter: Sendable {
    private final class Item: @unchecked Sendable {
        // Touched only on the writer's queue, then read once after the commit: no concurrent access.
        let apply: (Database) -> Void
        let finish: ((any Error)?) -> Void
        init(apply: @escaping (Database) -> Void, finish: @escaping ((any Error)?) -> Void) {
            self.apply = apply; self.finish = finish
        }
    }

    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }

    private struct State {
        var waiting: [Item] = []
        var draining = false
        var madeJobsAvailable = false
    }

    private let pool: DatabasePool
    private let queue = DispatchQueue(label: "textback.sqlite.writer", qos: .userInitiated)
    private let state = Mutex(State())
    private let maxWaiting: Int
    private let maxBatch: Int
    private let afterCommit: @Sendable (_ madeJobsAvailable: Bool) -> Void

    init(pool: DatabasePool, maxWaiting: Int, maxBatch: Int, afterCommit: @escaping @Sendable (Bool) -> Void) {
        self.pool = pool
        self.maxWaiting = maxWaiting
        self.maxBatch = maxBatch
        self.afterCommit = afterCommit
    }

    /// Units waiting for the writer right now (for metrics and tests).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Called by a unit while it runs: a job became available, wake the runners after the commit.
    func noteJobsAvailable() {
        state.withLock { $0.madeJobsAvailable = true }
    }

    /// Applies `body` in its own savepoint inside the next group transaction; returns after COMMIT.
    func write<T: Sendable>(rejectable: Bool = false, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = Outcome<T>()
            let item = Item(
                apply: { db in
                    do {
                        try db.cachedStatement(sql: "SAVEPOINT unit").execute()
                        do {
                            let value = try body(db)
                            try db.cachedStatement(sql: "RELEASE unit").execute()
                            outcome.result = .success(value)
                        } catch {
                            try db.cachedStatement(sql: "ROLLBACK TO unit").execute()
                            try db.cachedStatement(sql: "RELEASE unit").execute()
                            outcome.result = .failure(error)
                        }
                    } catch {
                        outcome.result = .failure(error)
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: outcome.result ?? .failure(StoreError.unavailable("a unit of work was not applied")))
                    }
                })
            let start = state.withLock { state -> Bool? in
                if rejectable && state.waiting.count >= maxWaiting { return nil }
                state.waiting.append(item)
                if state.draining { return false }
                state.draining = true
                return true
            }
            switch start {
            case nil: continuation.resume(throwing: StoreError.overloaded(retryAfterSeconds: 1))
            case true?: queue.async { self.drain() }
            case false?: break
            }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [Item] in
                guard !state.waiting.isEmpty else {
                    state.draining = false
                    return []
                }
                let count = min(state.waiting.count, maxBatch)
                let batch = Array(state.waiting.prefix(count))
                state.waiting.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            var commitError: (any Error)?
            do {
                try pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        for item in batch { item.apply(db) }
                        return .commit
                    }
                }
            } catch {
                commitError = error
            }
            let wake = state.withLock { state -> Bool in
                defer { state.madeJobsAvailable = false }
                return state.madeJobsAvailable
            }
            for item in batch { item.finish(commitError) }
            afterCommit(commitError == nil && wake)
        }
    }
}
