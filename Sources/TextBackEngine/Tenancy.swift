// Many businesses in one process: one `Engine` per business (its configuration, carriers, pace), all
// over the same store, clock, ids and worker id, so one claim loop serves every business and each job
// runs on the engine of the business it belongs to (`JobRecord.business`). Webhooks find their engine
// by the number called or texted. A reload builds a new set and swaps it in whole (`Tenancy.replace`).

import Foundation
import Synchronization
import TextBackConfig
import TextBackCore
import TextBackProviders
import TextBackStorage

/// One consistent set of engines: what a request or a job uses from start to end.
public struct Tenants: Sendable {
    public let install: TextBackInstall
    /// Sorted by business id; never empty.
    public let engines: [Engine]
    private let byID: [BusinessID: Engine]

    /// Engines that share one store and worker id (the caller builds them so).
    public init(engines: [Engine]) {
        precondition(!engines.isEmpty, "an install serves at least one business")
        let sorted = engines.sorted { $0.business < $1.business }
        self.engines = sorted
        byID = Dictionary(sorted.map { ($0.business, $0) }, uniquingKeysWith: { first, _ in first })
        install = sorted.count == 1 ? TextBackInstall(single: sorted[0].configuration)
            : TextBackInstall.validated(sorted.map(\.configuration)).install ?? TextBackInstall(single: sorted[0].configuration)
    }

    public init(engine: Engine) { self.init(engines: [engine]) }

    /// The engine that claims jobs and renews leases for all of them (they share the worker id).
    public var primary: Engine { engines[0] }

    public func engine(for business: BusinessID) -> Engine? { byID[business] }

    /// The engine of the business whose number this is.
    public func engine(forNumber number: PhoneNumber) -> Engine? { install.owner(of: number).flatMap { byID[$0] } }

    /// The engine of the business a carrier webhook names (the number called or texted); nil for a
    /// receipt (it names our message, whoever's it is) or an event we ignore.
    public func engine(forEvent event: CarrierWebhookEvent) -> Engine? {
        switch event {
        case .call(let call): engine(forNumber: call.businessPhone)
        case .inboundText(let sms): engine(forNumber: sms.to)
        case .receipt, .ignored: nil
        }
    }

    /// Runs a claimed job on its business's engine. With one business, every job is its (rows stored
    /// before tenancy, or under an id the file no longer has, still finish as they would have). With
    /// several, a job of a business no longer configured (a reload removed it) is cancelled, never run
    /// with another business's settings.
    public func run(_ job: JobRecord, state: RunState? = nil) async {
        if let engine = engine(of: job) { return await engine.run(job, state: state) }
        guard let claim = job.claim else { return }
        _ = try? await primary.store.cancelJob(claim, decisions: [], now: primary.clock.now())
        primary.logger.warning("job cancelled: its business is not configured", metadata: ["job_id": "\(job.id)", "business": "\(job.business)"])
    }

    private func engine(of job: JobRecord) -> Engine? { byID[job.business] ?? (engines.count == 1 ? primary : nil) }

    /// The runs of a claimed batch's advance jobs, read in one go (`Store.runStates`); each job then runs
    /// from its state instead of reading it alone. Empty when the read fails: each job reads for itself.
    public func states(for jobs: [JobRecord]) async -> [RunID: RunState] {
        let requests = jobs.compactMap { job in engine(of: job)?.stateRequest(for: job) }
        guard requests.count > 1 else { return [:] }
        do { return try await primary.store.runStates(requests) } catch {
            primary.logger.error("reading a batch's runs failed; each job reads its own", metadata: ["error": "\(type(of: error))"])
            return [:]
        }
    }

    /// Callbacks past their window become missed; each due notification goes out through its business's engine.
    public func runConversationSweep() async throws {
        try await primary.runConversationSweep(by: engine(for:))
    }

    /// Runs every job available now, one after another, including the ones those jobs make available;
    /// returns how many ran. Tests and tools drive the engines with this; `JobRunner` runs jobs concurrently.
    @discardableResult
    public func runDueJobs(batchSize: Int = 50) async throws -> Int {
        var total = 0
        while true {
            let jobs = try await primary.claim(limit: batchSize)
            if jobs.isEmpty {
                try await runConversationSweep()
                // A notification by SMS is a carrier call, not a job: nothing new became due.
                return total
            }
            for job in jobs {
                await run(job)
                total += 1
            }
        }
    }
}

/// The set of engines in use, replaced whole on reload: a request or job that started keeps the set it
/// read; the next one sees the new set.
public final class Tenancy: Sendable {
    private let state: Mutex<Tenants>

    public init(_ tenants: Tenants) { state = Mutex(tenants) }
    public convenience init(engine: Engine) { self.init(Tenants(engine: engine)) }

    public var current: Tenants { state.withLock { $0 } }

    public func replace(with tenants: Tenants) { state.withLock { $0 = tenants } }
}
