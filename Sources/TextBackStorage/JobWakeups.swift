// Wake-ups for job runners: a unit that makes a job available says so, and every runner waiting on
// this object returns at once instead of sleeping out its poll. A generation counter makes the signal
// impossible to miss: a runner passes the generation it last saw, and a notification that arrived in
// between makes the wait return immediately.

import Synchronization

public final class JobWakeups: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Waiters cancelled before they registered.
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    public init() {}

    /// The current generation; pass it to `wait(after:timeout:)`.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Something became available: wake every waiting runner.
    public func notify() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            state.cancelled.removeAll()
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            return waiting
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when a notification newer than `seen` arrives, or after `timeout`, or when cancelled.
    public func wait(after seen: UInt64, timeout: Duration) async {
        guard timeout > .zero else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait(after: seen) }
            group.addTask { try? await Task.sleep(for: timeout) }
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// Returns when a notification newer than `seen` arrives (at once when one already has), or when
    /// cancelled. Without a timeout it also serves as a one-way gate: `wait(after: 0)` returns once
    /// `notify()` was ever called.
    public func wait(after seen: UInt64) async {
        let id = state.withLock { state -> UInt64? in
            guard state.generation == seen else { return nil }
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.generation != seen || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume()
        }
    }
}
