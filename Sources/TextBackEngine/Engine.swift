// The engine: ingests call events, advances automation runs from durable jobs, and sends texts
// through the policy decision and a carrier exactly once.
//
// Nothing here keeps state between calls except what is in the store: a process may die at any
// point and the next one carries on from the job table.

import Foundation
import Logging
import TextBackProviders
import TextBackConfig
import TextBackCore
import TextBackStorage

public final class Engine: Sendable {
    public let store: any Store
    public let configuration: TextBackConfiguration
    public let clock: any TimeSource
    public let ids: IDSource
    let carriers: [String: any Carrier]
    let logger: Logger
    /// Identifies this process's claims in the job table.
    let workerID: String
    let lease: TimeSpan

    public init(store: any Store, configuration: TextBackConfiguration, clock: any TimeSource, ids: IDSource,
                carriers: [any Carrier], logger: Logger = Logger(label: "textback.engine"),
                workerID: String? = nil, lease: TimeSpan = .minutes(5)) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.ids = ids
        var byName: [String: any Carrier] = [:]
        for carrier in carriers { byName[carrier.name] = carrier }
        self.carriers = byName
        self.logger = logger
        self.workerID = workerID ?? ids.next("worker")
        self.lease = lease
    }

    // MARK: - Ingest

    /// Stores a call event and starts the runs of every live automation it triggers, in one transaction.
    public func ingest(_ event: CallEvent) async throws -> IngestOutcome {
        let now = clock.now()
        // An outcome the engine does not understand never texts, whatever an automation says.
        let understood = event.outcome != .unknown
        let runs = configuration.automations
            .filter { understood && $0.status == .live && $0.trigger.matches(event) }
            .map { automation in
                PlannedRun(runID: RunID(ids.next("run")), jobID: JobID(ids.next("job")), automationID: automation.id,
                           fingerprint: automation.program.fingerprint, firstJobDueAt: now)
            }
        // A person who calls the business has given implied consent to a reply about that call.
        let consent = event.direction == .inbound
            ? ConsentRecord(id: ids.next("consent"), phone: event.contactPhone, kind: .implied, source: "inbound_call", recordedAt: now)
            : nil
        let outcome = try await store.ingestCall(IngestRequest(
            event: event, receivedAt: now, newContactID: ContactID(ids.next("contact")), newCallID: CallID(ids.next("call")),
            runs: runs, impliedConsent: consent))
        if !understood, event.stage == .ended, outcome.disposition != .duplicate {
            let note = DecisionRecord(
                id: DecisionID(ids.next("dec")), contactID: outcome.contactID, callID: outcome.callID, action: .skip,
                reasons: ["unknown_outcome"],
                sentence: "No text: the provider reported an outcome TextBack does not understand, and an unknown outcome never texts.",
                decidedAt: now)
            _ = try await store.commit(StepCommit(jobID: nil, decisions: [note], now: now))
        }
        logger.debug("call ingested", metadata: [
            "provider": "\(event.provider)", "disposition": "\(outcome.disposition.rawValue)",
            "call_id": "\(outcome.callID)", "runs": "\(outcome.startedRuns.count)",
        ])
        return outcome
    }

    // MARK: - Jobs

    /// Runs every job that is due now, including the ones those jobs make due now; returns how many ran.
    @discardableResult
    public func runDueJobs(batchSize: Int = 50) async throws -> Int {
        var total = 0
        while true {
            let now = clock.now()
            let jobs = try await store.claimDueJobs(now: now, limit: batchSize, owner: workerID,
                                                    leaseUntil: now.addingTimeInterval(lease.timeInterval))
            if jobs.isEmpty { return total }
            for job in jobs {
                do {
                    if job.attempts > Self.maxAttempts {
                        try await abandon(job)
                    } else {
                        try await process(job)
                    }
                } catch {
                    // The job stays claimed; its lease expires and it is tried again. Log without contact data.
                    logger.error("job failed", metadata: ["job_id": "\(job.id)", "kind": "\(job.kind.rawValue)", "error": "\(type(of: error))"])
                }
                total += 1
            }
        }
    }

    /// A job that failed this many times (an error each time, its lease expiring) is given up, with a reason.
    static let maxAttempts = 8

    func abandon(_ job: JobRecord) async throws {
        let now = clock.now()
        var decisions: [DecisionRecord] = []
        var runUpdate: StepCommit.RunUpdate?
        if let runID = job.runID, let state = try await store.runState(runID), state.run.status == .active {
            runUpdate = .init(runID: runID, status: .failed, pc: state.run.pc, endReason: "job_failed")
            decisions.append(DecisionRecord(id: DecisionID(ids.next("dec")), contactID: state.contact.id, runID: runID,
                                            callID: state.run.callID, action: .skip, reasons: ["job_failed"],
                                            sentence: "This step failed \(job.attempts - 1) times in a row; the run stops rather than retry forever.",
                                            decidedAt: now))
        }
        _ = try await store.commit(StepCommit(jobID: job.id, jobOwner: workerID, jobOutcome: .cancelled, runUpdate: runUpdate,
                                              decisions: decisions, now: now))
        logger.error("job abandoned", metadata: ["job_id": "\(job.id)", "kind": "\(job.kind.rawValue)", "attempts": "\(job.attempts)"])
    }

    func process(_ job: JobRecord) async throws {
        switch job.kind {
        case .advance:
            guard let runID = job.runID, let state = try await store.runState(runID) else {
                _ = try await store.commit(StepCommit(jobID: job.id, jobOwner: workerID, jobOutcome: .cancelled, now: clock.now()))
                return
            }
            try await advance(job: job, state: state)
        case .deliver:
            try await deliver(job: job)
        }
    }
}
