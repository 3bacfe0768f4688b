// The engine: ingests call events, advances automation runs from durable jobs, and sends texts
// through the policy decision and a carrier exactly once.
//
// Nothing here keeps state between calls except what is in the store: a process may die at any
// point and the next one carries on from the job table.

import Foundation
import Logging
import TextBackConfig
import TextBackCore
import TextBackProviders
import TextBackStorage

public final class Engine: Sendable {
    public let store: any Store
    public let configuration: TextBackConfiguration
    /// The business this engine acts for: every contact it creates and every lookup by phone is this one's.
    public var business: BusinessID { configuration.business.id }
    public let clock: any TimeSource
    public let ids: IDSource
    let carriers: [String: any Carrier]
    /// Posts staff notification webhooks and CRM requests; nil when none is configured (they then wait,
    /// undelivered).
    let transport: (any ProviderTransport)?
    /// The configured CRMs by provider name, over `transport` (none without one: their entries wait).
    let crmClients: [String: any CRMClient]
    let logger: Logger
    /// This process's name in the job table: "node#incarnation". The node stays the same across
    /// restarts; the incarnation is new each start, so a restarted process can release what its dead
    /// predecessor held instead of waiting out the leases.
    public let node: String
    public let workerID: String
    /// How long a claim holds without a heartbeat: a dead worker's jobs are taken over after this.
    public let lease: TimeSpan
    /// The live automations by id and their triggers, computed once per configuration.
    let liveAutomations: [Automation]
    let automationsByID: [AutomationID: Automation]
    /// Real-carrier delivery: callback URLs, the landline lookup, retry limits.
    let delivery: DeliveryOptions
    /// Carriers stopped because they refused our credentials; shown on /healthz.
    public let carrierHealth = CarrierHealth()
    /// This process's runner tells ingest when it falls behind (one object for every business's engine).
    public let dispatchLag: DispatchLag

    public init(store: any Store, configuration: TextBackConfiguration, clock: any TimeSource, ids: IDSource,
                carriers: [any Carrier], logger: Logger = Logger(label: "textback.engine"),
                node: String = "local", workerID: String? = nil, lease: TimeSpan = TimeSpan(seconds: 15),
                transport: (any ProviderTransport)? = nil, delivery: DeliveryOptions = DeliveryOptions(), dispatchLag: DispatchLag = .off) {
        self.transport = transport
        self.dispatchLag = dispatchLag
        crmClients = transport.map { transport in
            Dictionary(CRMClients.make(configuration.integrations.crm, transport: transport).map { ($0.provider, $0) },
                       uniquingKeysWith: { first, _ in first })
        } ?? [:]
        self.delivery = delivery
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.ids = ids
        var byName: [String: any Carrier] = [:]
        for carrier in carriers { byName[carrier.name] = carrier }
        self.carriers = byName
        self.logger = logger
        self.node = node
        self.workerID = workerID ?? "\(node)#\(ids.next("w"))"
        self.lease = lease
        liveAutomations = configuration.automations.filter { $0.status == .live }
        automationsByID = Dictionary(configuration.automations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Ingest

    /// Stores a call event and starts the runs of every live automation it triggers, in one unit. While this
    /// process's job runner is behind, it first waits a little for it (`DispatchLag`).
    public func ingest(_ event: CallEvent) async throws -> IngestOutcome {
        await dispatchLag.yieldToARunnerBehind()
        let now = clock.now()
        var notes: [PlannedDecision] = []
        var runs: [PlannedRun] = []
        if event.stage == .ended {
            if event.outcome == .unknown {
                // An outcome the engine does not understand never texts, whatever an automation says.
                notes.append(PlannedDecision(
                    id: DecisionID(ids.next("dec")), action: .skip, reasons: ["unknown_outcome"],
                    sentence: "No text: the provider reported an outcome TextBack does not understand, and an unknown outcome never texts."))
            } else if case .unreachable(let reason, let sentence) = event.contactPhone.reachability {
                notes.append(PlannedDecision(id: DecisionID(ids.next("dec")), action: .skip, reasons: [reason], sentence: "No text: " + sentence))
            } else if let refusal = senderRefusal(event.businessPhone) {
                notes.append(PlannedDecision(id: DecisionID(ids.next("dec")), action: .skip, reasons: ["sender_not_configured"],
                                             sentence: refusal))
            } else {
                for automation in liveAutomations where automation.trigger.matches(event) {
                    runs.append(PlannedRun(runID: RunID(ids.next("run")), jobID: JobID(ids.next("job")), automationID: automation.id,
                                           fingerprint: automation.fingerprint, firstJobDueAt: now))
                }
                if runs.isEmpty, let note = noRunNote(for: event) { notes.append(note) }
            }
        }
        // A person who calls the business has given implied consent to a reply about that call.
        let consent = event.direction == .inbound && event.contactPhone.reachability == .textable
            ? ConsentRecord(id: ids.next("consent"), phone: event.contactPhone, kind: .implied, source: "inbound_call", recordedAt: now,
                            business: business)
            : nil
        let outcome = try await store.ingestCall(IngestRequest(
            event: event, receivedAt: now, newContactID: ContactID(ids.next("contact")), newCallID: CallID(ids.next("call")),
            runs: runs, impliedConsent: consent, notes: notes, business: business))
        if outcome.disposition != .duplicate { try await completeCallbacks(after: event) }
        logger.debug("call ingested", metadata: [
            "provider": "\(event.provider)", "disposition": "\(outcome.disposition.rawValue)",
            "call_id": "\(outcome.callID)", "runs": "\(outcome.startedRuns.count)",
        ])
        return outcome
    }

    // MARK: - Jobs

    /// Claims up to `limit` available jobs for this worker.
    public func claim(limit: Int) async throws -> [JobRecord] {
        let now = clock.now()
        return try await store.claimJobs(ClaimRequest(owner: workerID, now: now, leaseUntil: now.addingTimeInterval(lease.timeInterval),
                                                      limit: limit))
    }

    /// Runs every job that is available now, one after another, including the ones those jobs make
    /// available; returns how many ran. Tests and tools drive the engine with this; `JobRunner` runs
    /// jobs concurrently instead.
    @discardableResult
    public func runDueJobs(batchSize: Int = 50) async throws -> Int {
        try await Tenants(engine: self).runDueJobs(batchSize: batchSize)
    }

    /// Runs one claimed job. Errors are logged, never thrown: the job stays claimed, its lease expires
    /// and it is tried again, up to `maxAttempts`. `state` is an advance job's run as read for its batch
    /// (`stateRequest(for:)`); without it the job reads its run itself.
    public func run(_ job: JobRecord, state: RunState? = nil) async {
        guard let claim = job.claim else { return }
        do {
            if job.attempts > Self.maxAttempts {
                try await abandon(job, claim: claim)
            } else {
                try await process(job, claim: claim, state: state)
            }
        } catch {
            // Log without contact data: the error's type says enough to find it.
            logger.error("job failed", metadata: ["job_id": "\(job.id)", "kind": "\(job.kind.rawValue)", "error": "\(type(of: error))"])
        }
    }

    /// A job that failed this many times (an error each time, its lease expiring) is given up, with a reason.
    static let maxAttempts = 8

    /// What an advance job reads: its run with the policy's history, so an advance costs one read, not two.
    /// The history reaches back from the job's due time when that is earlier (a backlog): a delay counts
    /// from it, so the policy's question about the text after the delay starts there too. Nil for a job
    /// that reads nothing up front.
    public func stateRequest(for job: JobRecord) -> RunStateRequest? {
        guard job.kind == .advance, job.attempts <= Self.maxAttempts, let runID = job.runID else { return nil }
        return RunStateRequest(runID: runID, historySince: min(clock.now(), job.dueAt).addingTimeInterval(-historyLookback))
    }

    func process(_ job: JobRecord, claim: JobClaim, state prefetched: RunState? = nil) async throws {
        switch job.kind {
        case .advance:
            let state: RunState?
            if let prefetched, prefetched.run.id == job.runID {
                state = prefetched
            } else if let request = stateRequest(for: job) {
                state = try await store.runState(request.runID, historySince: request.historySince)
            } else {
                state = nil
            }
            guard let state else {
                _ = try await store.cancelJob(claim, decisions: [], now: clock.now())
                return
            }
            try await advance(job: job, claim: claim, state: state)
        case .deliver:
            try await deliver(job: job, claim: claim)
        }
    }

    func abandon(_ job: JobRecord, claim: JobClaim) async throws {
        let now = clock.now()
        let sentence = "This step failed \(job.attempts - 1) times in a row; it is given up rather than retried forever."
        switch job.kind {
        case .advance:
            if let runID = job.runID, let state = try await store.runState(runID), state.run.status == .active {
                let decision = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: state.contact.id, runID: runID,
                                              callID: state.run.callID, action: .skip, reasons: ["job_failed"],
                                              sentence: sentence + " The run stops.", decidedAt: now)
                _ = try await store.endRun(claim, runID: runID, status: .failed, reason: "job_failed", decision: decision, now: now)
            } else {
                _ = try await store.cancelJob(claim, decisions: [], now: now)
            }
        case .deliver:
            // The message ends marked, with the reason on the contact's timeline: a text that was being
            // handed over may have gone out, so it becomes `unknown`, never `failed`.
            if let messageID = job.messageID, let message = try await store.message(messageID, scope: .all),
               message.status == .queued || message.status == .sending {
                let status: MessageStatus = message.status == .sending ? .unknown : .failed
                let decision = DecisionRecord(
                    id: DecisionID(ids.next("dec")), contactID: message.contactID, runID: message.runID, messageID: message.id,
                    action: .skip, reasons: ["delivery_abandoned"],
                    sentence: sentence + (status == .unknown
                        ? " The carrier may have taken the text before the failures, so it is marked unknown and not sent again."
                        : " The text was not sent."),
                    decidedAt: now)
                _ = try await finishDelivery(FinishDelivery(claim: claim, messageID: message.id, expected: message.status, status: status,
                                                                  error: "delivery abandoned after \(job.attempts - 1) failures",
                                                                  decisions: [decision], now: now))
            } else {
                _ = try await store.cancelJob(claim, decisions: [], now: now)
            }
        }
        logger.error("job abandoned", metadata: ["job_id": "\(job.id)", "kind": "\(job.kind.rawValue)", "attempts": "\(job.attempts)"])
    }

    // MARK: - Crash resume and retention

    /// Makes what an earlier incarnation of this node held available now.
    @discardableResult
    public func releaseEarlierIncarnations() async throws -> Int {
        try await store.releaseEarlierIncarnations(node: node, current: workerID, now: clock.now())
    }

    /// Extends this worker's leases (its heartbeat).
    @discardableResult
    public func renewLeases() async throws -> Int {
        let now = clock.now()
        return try await store.renewLeases(owner: workerID, until: now.addingTimeInterval(lease.timeInterval), now: now)
    }
}
