// Jobs on PostgreSQL: claims, leases, releases and retention.
//
// As on SQLite, `available_at` is the one column claims read (the due time of a pending job, the lease
// end of a running one, NULL once finished), over the partial index (lane, available_at, seq). A claim
// takes each lane's oldest available rows with `FOR UPDATE SKIP LOCKED`, so concurrent claimers in any
// number of processes never wait on or share a row, and marks them running in the same statement.
// "Available" and the lease's end are measured on the store's clock (`PostgresStore.clock`).

import Foundation
import PostgresNIO
import TextBackCore
import TextBackStorage

extension PostgresStore {
    public func claimJobs(_ request: ClaimRequest) async throws -> [JobRecord] {
        guard request.limit > 0 else { return [] }
        let now = clock(request.now)
        let lease = Coding.ms(request.leaseUntil) - Coding.ms(request.now)
        let stamp = Coding.ms(request.now)
        return try await write { unit in
            var claimed: [JobRecord] = []
            for lane in JobLane.allCases where claimed.count < request.limit {
                let rows = try await unit.rows("""
                    WITH picked AS (
                        SELECT seq FROM jobs
                        WHERE lane = \(lane.rawValue) AND available_at <= textback_now_ms(\(now))
                        ORDER BY available_at, seq LIMIT \(request.limit - claimed.count)
                        FOR UPDATE SKIP LOCKED)
                    UPDATE jobs SET status = 'running', lease_owner = \(request.owner),
                        lease_until = textback_now_ms(\(now)) + \(lease), available_at = textback_now_ms(\(now)) + \(lease),
                        attempts = attempts + 1, updated_at = \(stamp)
                    FROM picked WHERE jobs.seq = picked.seq
                    RETURNING jobs.*
                    """)
                claimed += try rows.map { (try StoredRecords.job($0), try $0.integer("seq")) }
                    .sorted { ($0.0.dueAt, $0.1) < ($1.0.dueAt, $1.1) }.map(\.0)
            }
            return claimed
        }
    }

    public func renewLeases(owner: String, until: Date, now: Date) async throws -> Int {
        let lease = Coding.ms(until) - Coding.ms(now)
        return try await write { unit in
            try await unit.execute("""
                UPDATE jobs SET lease_until = textback_now_ms(\(clock(now))) + \(lease), available_at = textback_now_ms(\(clock(now))) + \(lease)
                WHERE lease_owner = \(owner) AND status = 'running'
                """)
        }
    }

    public func releaseJobs(_ ids: [JobID], owner: String, now: Date) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await write { unit in
            // A released claim does not count as an attempt: the job never started.
            let released = try await unit.execute("""
                UPDATE jobs SET status = 'pending', available_at = textback_now_ms(\(clock(now))), lease_owner = NULL, lease_until = NULL,
                    attempts = GREATEST(attempts - 1, 0), updated_at = \(Coding.ms(now))
                WHERE id = ANY(\(ids.map(\.rawValue))) AND status = 'running' AND lease_owner = \(owner)
                """)
            if released > 0 { unit.jobsBecameAvailable() }
            return released
        }
    }

    public func releaseEarlierIncarnations(node: String, current: String, now: Date) async throws -> Int {
        try await write { unit in
            // The lease owner is "node#incarnation": compare the prefix exactly (LIKE would read % and _ in a node name).
            let prefix = node + "#"
            let released = try await unit.execute("""
                UPDATE jobs SET available_at = textback_now_ms(\(clock(now))), lease_until = textback_now_ms(\(clock(now))),
                    updated_at = \(Coding.ms(now))
                WHERE lease_owner IS NOT NULL AND status = 'running' AND left(lease_owner, \(prefix.unicodeScalars.count)::int) = \(prefix)
                  AND lease_owner <> \(current)
                """)
            if released > 0 { unit.jobsBecameAvailable() }
            return released
        }
    }

    public func nextAvailableAt() async throws -> Date? {
        try await withoutTransaction { unit in
            try await unit.row("""
                SELECT LEAST((SELECT MIN(available_at) FROM jobs WHERE lane = 0 AND available_at IS NOT NULL),
                             (SELECT MIN(available_at) FROM jobs WHERE lane = 1 AND available_at IS NOT NULL)) AS t
                """)?.optionalInteger("t").map(Coding.date)
        }
    }

    public func pruneFinishedJobs(before: Date, limit: Int) async throws -> Int {
        try await write { unit in
            let pruned = try await unit.execute("""
                DELETE FROM jobs WHERE seq IN (
                    SELECT seq FROM jobs WHERE available_at IS NULL AND updated_at < \(Coding.ms(before)) AND status IN ('done', 'cancelled')
                    LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                """)
            // Slots given to texts that were then cancelled or sent some other way are never asked for again.
            try await unit.execute("DELETE FROM sender_slots WHERE slot < \(Coding.ms(before))")
            return pruned
        }
    }

    public func job(_ id: JobID) async throws -> JobRecord? {
        try await withoutTransaction { unit in try await unit.row("SELECT * FROM jobs WHERE id = \(id.rawValue)").map(StoredRecords.job) }
    }

    public func pendingJobs(limit: Int) async throws -> [JobRecord] {
        try await withoutTransaction { unit in
            try await unit.rows("SELECT * FROM jobs WHERE available_at IS NOT NULL ORDER BY lane, available_at, seq LIMIT \(limit)")
                .map(StoredRecords.job)
        }
    }

    public func countPendingJobs() async throws -> Int {
        try await withoutTransaction { unit in
            try await unit.row("SELECT COUNT(*) AS n FROM jobs WHERE available_at IS NOT NULL")?.int("n") ?? 0
        }
    }
}

// MARK: - Shared writes of the units (the PostgreSQL side of SQLiteRows)

extension Unit {
    /// Locks `claim`'s job row and says whether the claim still holds it (running under that owner).
    func holds(_ claim: JobClaim) async throws -> Bool {
        try await exists("""
            SELECT 1 FROM jobs WHERE id = \(claim.jobID.rawValue) AND status = 'running' AND lease_owner = \(claim.owner) FOR UPDATE
            """)
    }

    /// Inserts `job` for a run or a message of `contactID` (the job takes that contact's business).
    func insertJob(_ job: JobRecord, contactID: ContactID) async throws {
        let available: Int64? = switch job.status {
        case .pending: Coding.ms(job.dueAt)
        case .running: Coding.ms(job.leaseUntil ?? job.dueAt)
        case .done, .cancelled: nil
        }
        try await laterInsert(into: "jobs", columns: """
            id, kind, lane, run_id, message_id, due_at, status, available_at, attempts, lease_owner, lease_until, created_at, updated_at, business_id
            """, row: """
            (\(job.id.rawValue), \(job.kind.rawValue), \(job.lane.rawValue), \(job.runID?.rawValue), \(job.messageID?.rawValue),
             \(Coding.ms(job.dueAt)), \(job.status.rawValue), \(available), \(job.attempts), \(job.leaseOwner),
             \(job.leaseUntil.map(Coding.ms)), \(Coding.ms(job.createdAt)), \(Coding.ms(job.createdAt)),
             (SELECT business_id FROM contacts WHERE id = \(contactID.rawValue)))
            """)
        if job.status == .pending { jobsBecameAvailable() }
    }

    func finishJob(_ id: JobID, status: JobStatus, now: Int64) async throws {
        later("""
            UPDATE jobs SET status = \(status.rawValue), available_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = \(now)
            WHERE id = \(id.rawValue)
            """)
    }

    func rescheduleJob(_ id: JobID, at due: Date, resetAttempts: Bool, now: Int64) async throws {
        later("""
            UPDATE jobs SET status = 'pending', due_at = \(Coding.ms(due)), available_at = \(Coding.ms(due)), lease_owner = NULL,
                lease_until = NULL, attempts = CASE WHEN \(resetAttempts) THEN 0 ELSE attempts END, updated_at = \(now)
            WHERE id = \(id.rawValue)
            """)
        jobsBecameAvailable()
    }
}
