// Back-pressure from the job runner to call ingest, inside one process.
//
// Ingest is much cheaper than dispatch (a call is a few inserts; its text is two job hops, the policy
// and the carrier), so under a flood of calls a server that takes every call as fast as it can lets the
// backlog of due texts grow without bound: every text goes out later and later, and a STOP confirmation
// queued behind them can miss its window. When this process's runner reports that the jobs it claims
// were due more than `threshold` ago and more are waiting, a call's ingest first waits for the runner to
// catch up, at most `maxHold`, then is written as always. Nothing is refused or dropped: the provider's
// webhook is answered a little later (well inside the 10–15 s providers wait), and callers that keep a
// fixed number of requests in flight slow down to what the runner can text. Inbound texts (STOP, HELP)
// and the API are never held.
//
// A process without a runner (`serve --no-worker`) never holds: its runners live in other processes.

import Foundation
import Synchronization
import TextBackStorage

public final class DispatchLag: Sendable {
    /// How late the runner's claimed jobs may be before ingest waits; nil: never hold.
    public let threshold: TimeInterval?
    /// The longest one ingest waits for the runner.
    public let maxHold: Duration
    private let behind = Atomic(false)
    private let caughtUp = JobWakeups()
    private let stats = Mutex(Statistics())

    public struct Statistics: Sendable, Equatable {
        /// Ingests that waited for the runner.
        public var held = 0
        /// Times the runner fell behind.
        public var fellBehind = 0
    }

    public init(threshold: TimeInterval? = 0.5, maxHold: Duration = .seconds(1)) {
        self.threshold = threshold.flatMap { $0 > 0 ? $0 : nil }
        self.maxHold = maxHold
    }

    /// Never holds (tools, tests, and processes whose runners are elsewhere).
    public static var off: DispatchLag { DispatchLag(threshold: nil) }

    public var isBehind: Bool { behind.load(ordering: .acquiring) }
    public var statistics: Statistics { stats.withLock { $0 } }

    /// The runner's report after a claim: the due time of the oldest job it took, and whether it took all it
    /// asked for (more are waiting). Returns true when this report made the runner behind.
    @discardableResult
    func claimed(oldestDue: Date?, tookAllAsked: Bool, now: Date) -> Bool {
        guard let threshold else { return false }
        let late = oldestDue.map { now.timeIntervalSince($0) > threshold } ?? false
        return setBehind(late && tookAllAsked)
    }

    /// The runner stopped: nobody is held for it any more.
    func runnerStopped() { setBehind(false) }

    @discardableResult
    private func setBehind(_ now: Bool) -> Bool {
        let was = behind.exchange(now, ordering: .acquiringAndReleasing)
        if was && !now { caughtUp.notify() }
        if !was && now { stats.withLock { $0.fellBehind += 1 } }
        return !was && now
    }

    /// Before a call is written: waits while the runner is behind, at most `maxHold`.
    func yieldToARunnerBehind() async {
        guard threshold != nil else { return }
        let seen = caughtUp.generation
        guard isBehind else { return }
        stats.withLock { $0.held += 1 }
        await caughtUp.wait(after: seen, timeout: maxHold)
    }
}
