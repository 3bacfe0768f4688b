// The job runner: a Service that runs jobs as they become available until the process is asked to stop.
//
// - Claims only as many jobs as it has free slots, and runs them concurrently (bounded); one run's
//   steps stay in order because a run has one advance job at a time.
// - Sleeps until the next job is due, or until the store says a job became available (in-process
//   wake-up on SQLite, LISTEN/NOTIFY on PostgreSQL), or a slot frees up; a short poll is the safety net.
// - A heartbeat renews every lease this worker holds, so leases can be short and a dead worker's jobs
//   are taken over within one lease period; at start it releases what its own earlier incarnation held.
// - Graceful shutdown stops claiming, hands back claims it has not started, and lets running jobs
//   finish (the write that records a send is never cut off).
// - Retention: finished jobs older than `retention` are pruned in small batches.

import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TextBackCore
import TextBackStorage

public struct JobRunnerOptions: Sendable {
    /// Jobs running at once.
    public var concurrency: Int
    /// Most jobs taken in one claim.
    public var claimBatch: Int
    /// Longest sleep without a wake-up (the safety net under notifications).
    public var poll: Duration
    /// Finished jobs are kept this long, then pruned.
    public var retention: TimeSpan
    public var pruneEvery: Duration

    public init(concurrency: Int = 256, claimBatch: Int = 64, poll: Duration = .seconds(1), retention: TimeSpan = .days(7),
                pruneEvery: Duration = .seconds(600)) {
        self.concurrency = concurrency; self.claimBatch = claimBatch; self.poll = poll
        self.retention = retention; self.pruneEvery = pruneEvery
    }
}

public struct JobRunner: Service {
    /// Every business's engine; one claim loop serves them all, each job runs on its business's engine.
    let tenancy: Tenancy
    let options: JobRunnerOptions
    let logger: Logger
    /// Claims, leases and pruning are the same for every business: the current primary engine does them.
    var engine: Engine { tenancy.current.primary }

    public init(tenancy: Tenancy, options: JobRunnerOptions = JobRunnerOptions(), logger: Logger = Logger(label: "textback.jobs")) {
        self.tenancy = tenancy
        self.options = options
        self.logger = logger
    }

    public init(engine: Engine, options: JobRunnerOptions = JobRunnerOptions(), logger: Logger = Logger(label: "textback.jobs")) {
        self.init(tenancy: Tenancy(engine: engine), options: options, logger: logger)
    }

    public func run() async throws {
        do {
            let released = try await engine.releaseEarlierIncarnations()
            if released > 0 { logger.notice("released jobs an earlier run of this node held", metadata: ["jobs": "\(released)"]) }
        } catch {
            logger.error("could not release earlier claims; they resume when their leases expire", metadata: ["error": "\(type(of: error))"])
        }
        logger.info("job runner started", metadata: ["worker": "\(engine.workerID)", "concurrency": "\(options.concurrency)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.heartbeat() }
            group.addTask { await self.prune() }
            group.addTask { await self.conversationSweep() }
            await dispatch()
            engine.dispatchLag.runnerStopped()
            // Dispatch returns once shutdown began and every running job finished: stop the helpers.
            group.cancelAll()
        }
        logger.info("job runner stopped")
    }

    private var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    private func dispatch() async {
        let slots = Slots()
        let store = engine.store
        // A busy runner claims a batch at a time: it waits until this many slots are free rather than claiming
        // (and asking the store for the next due time) each time one job ends. A claim costs about the same for
        // one row as for sixty-four, so a drain then pays for a claim every few dozen jobs, not every job; an
        // idle runner claims at once.
        let batchWorth = min(options.claimBatch, max(1, options.concurrency / 8))
        let roomForABatch = { slots.busy == 0 || options.concurrency - slots.busy >= batchWorth }
        await withDiscardingTaskGroup { group in
            while !stopping {
                let seenStore = store.jobWakeups.generation
                let seenSlots = slots.signal.generation
                let free = options.concurrency - slots.busy
                var claimedAll = false
                if free > 0 && roomForABatch() {
                    do {
                        let wanted = min(free, options.claimBatch)
                        let jobs = try await engine.claim(limit: wanted)
                        if engine.dispatchLag.claimed(oldestDue: jobs.lazy.map(\.dueAt).min(), tookAllAsked: jobs.count == wanted,
                                                      now: engine.clock.now()) {
                            logger.debug("job runner is behind; call ingest waits for it", metadata: ["claimed": "\(jobs.count)"])
                        }
                        // One read for the batch's runs: each advance starts from its state, not a read of its own.
                        let tenants = tenancy.current
                        let states = await tenants.states(for: jobs)
                        for job in jobs {
                            slots.take()
                            let state = job.runID.flatMap { states[$0] }
                            group.addTask {
                                defer { slots.give() }
                                if Task.isShuttingDownGracefully {
                                    // Claimed but not started: hand it back rather than start work at shutdown.
                                    _ = try? await store.releaseJobs([job.id], owner: engine.workerID, now: engine.clock.now())
                                    return
                                }
                                await tenants.run(job, state: state)
                            }
                        }
                        claimedAll = jobs.count == wanted
                    } catch {
                        logger.error("claiming jobs failed", metadata: ["error": "\(type(of: error))"])
                    }
                }
                // More may be waiting right now: claim again as soon as a batch's worth of slots is free.
                if claimedAll && roomForABatch() { continue }
                var timeout = options.poll
                if roomForABatch(), let next = try? await store.nextAvailableAt() {
                    let wait = next.timeIntervalSince(engine.clock.now())
                    if wait <= 0 { continue }
                    timeout = min(timeout, .milliseconds(Int64((wait * 1000).rounded(.up))))
                }
                await firstOf(store.jobWakeups, after: seenStore, slots.signal, after: seenSlots, timeout: timeout)
            }
        }
    }

    /// Waits for a store notification, a freed slot or the timeout, whichever comes first; shutdown
    /// ends the wait too.
    private func firstOf(_ a: JobWakeups, after seenA: UInt64, _ b: JobWakeups, after seenB: UInt64, timeout: Duration) async {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await a.wait(after: seenA, timeout: timeout) }
                group.addTask { await b.wait(after: seenB, timeout: timeout) }
                _ = await group.next()
                group.cancelAll()
            }
        }
    }

    private func heartbeat() async {
        let every = Duration.milliseconds(Int64(engine.lease.timeInterval * 1000 / 3))
        while !Task.isCancelled {
            try? await Task.sleep(for: every)
            if Task.isCancelled { return }
            do { try await engine.renewLeases() } catch {
                logger.error("renewing leases failed", metadata: ["error": "\(type(of: error))"])
            }
        }
    }

    private func prune() async {
        while !Task.isCancelled {
            do {
                let before = engine.clock.now().addingTimeInterval(-options.retention.timeInterval)
                var pruned = 0
                while !Task.isCancelled {
                    let batch = try await engine.store.pruneFinishedJobs(before: before, limit: 5_000)
                    pruned += batch
                    if batch < 5_000 { break }
                }
                if pruned > 0 { logger.info("pruned finished jobs", metadata: ["jobs": "\(pruned)", "older_than": "\(options.retention)"]) }
            } catch {
                logger.error("pruning jobs failed", metadata: ["error": "\(type(of: error))"])
            }
            try? await Task.sleep(for: options.pruneEvery)
        }
    }
}

extension JobRunner {
    /// Every few seconds: callbacks past their window become missed, due staff notifications go out.
    func conversationSweep() async {
        while !Task.isCancelled {
            do { try await tenancy.current.runConversationSweep() } catch {
                logger.error("conversation sweep failed", metadata: ["error": "\(type(of: error))"])
            }
            try? await Task.sleep(for: .seconds(5))
        }
    }
}

/// Counts running jobs and signals when one finishes.
///
/// An atomic counter, not a `Mutex`: with Swift 6.3's optimizer, a `Mutex.withLock` inlined into the `defer`
/// of a job's task was seen to lock on one thread and unlock on another across the task's `await`
/// ("Call to unlock Mutex on a thread which hasn't acquired the lock", release builds only). An atomic
/// has no owning thread.
private final class Slots: Sendable {
    private let count = Atomic(0)
    let signal = JobWakeups()
    var busy: Int { count.load(ordering: .acquiring) }
    func take() { count.wrappingAdd(1, ordering: .acquiringAndReleasing) }
    func give() {
        count.wrappingSubtract(1, ordering: .acquiringAndReleasing)
        signal.notify()
    }
}

/// The wall clock, for production.
public struct SystemClock: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}
