// Jobs on SQLite: claims, leases, releases and retention.
//
// `available_at` is the one column claims read: the due time of a pending job, the lease end of a
// running one, NULL once finished. A claim is one `UPDATE … WHERE seq IN (SELECT … LIMIT n) RETURNING *`
// per lane over the partial index (lane, available_at, seq), so it costs the batch, not the backlog.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    public func claimJobs(_ request: ClaimRequest) async throws -> [JobRecord] {
        guard request.limit > 0 else { return [] }
        let now = Coding.ms(request.now)
        // Most polls find nothing: answer those from a reader, without a turn on the writer.
        let anyAvailable = try await read { db in
            try db.one("SELECT 1 FROM jobs WHERE lane = 0 AND available_at <= ? LIMIT 1", [now]) != nil
                || db.one("SELECT 1 FROM jobs WHERE lane = 1 AND available_at <= ? LIMIT 1", [now]) != nil
        }
        guard anyAvailable else { return [] }
        return try await writer.write { db in
            var claimed: [JobRecord] = []
            for lane in JobLane.allCases where claimed.count < request.limit {
                let rows = try db.all("""
                    UPDATE jobs SET status = 'running', lease_owner = ?1, lease_until = ?2, available_at = ?2,
                        attempts = attempts + 1, updated_at = ?3
                    WHERE seq IN (SELECT seq FROM jobs WHERE lane = ?4 AND available_at <= ?3 ORDER BY available_at, seq LIMIT ?5)
                    RETURNING *
                    """, [request.owner, Coding.ms(request.leaseUntil), now, lane.rawValue, request.limit - claimed.count])
                claimed += try rows.map { (try SQLiteRows.job($0), $0["seq"] as Int64) }
                    .sorted { ($0.0.dueAt, $0.1) < ($1.0.dueAt, $1.1) }.map(\.0)
            }
            return claimed
        }
    }

    public func renewLeases(owner: String, until: Date, now: Date) async throws -> Int {
        try await writer.write { db in
            try db.run("""
                UPDATE jobs SET lease_until = ?1, available_at = ?1 WHERE lease_owner = ?2 AND status = 'running'
                """, [Coding.ms(until), owner])
            return db.changesCount
        }
    }

    public func releaseJobs(_ ids: [JobID], owner: String, now: Date) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let writer = self.writer
        return try await writer.write { db in
            var released = 0
            for id in ids {
                // A released claim does not count as an attempt: the job never started.
                try db.run("""
                    UPDATE jobs SET status = 'pending', available_at = ?1, lease_owner = NULL, lease_until = NULL,
                        attempts = MAX(attempts - 1, 0), updated_at = ?1
                    WHERE id = ?2 AND status = 'running' AND lease_owner = ?3
                    """, [Coding.ms(now), id.rawValue, owner])
                released += db.changesCount
            }
            if released > 0 { writer.noteJobsAvailable() }
            return released
        }
    }

    public func releaseEarlierIncarnations(node: String, current: String, now: Date) async throws -> Int {
        let writer = self.writer
        return try await writer.write { db in
            // The lease owner is "node#incarnation"; GLOB has no escape, so compare the prefix exactly.
            // SQLite's substr counts code points, not Swift's grapheme clusters ("é" as e + U+0301, flags).
            let prefix = node + "#"
            try db.run("""
                UPDATE jobs SET available_at = ?1, lease_until = ?1, updated_at = ?1
                WHERE lease_owner IS NOT NULL AND status = 'running' AND substr(lease_owner, 1, ?2) = ?3 AND lease_owner != ?4
                """, [Coding.ms(now), prefix.unicodeScalars.count, prefix, current])
            let released = db.changesCount
            if released > 0 { writer.noteJobsAvailable() }
            return released
        }
    }

    public func nextAvailableAt() async throws -> Date? {
        try await read { db in
            let first = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT MIN(t) FROM (
                    SELECT MIN(available_at) AS t FROM jobs WHERE lane = 0 AND available_at IS NOT NULL
                    UNION ALL
                    SELECT MIN(available_at) FROM jobs WHERE lane = 1 AND available_at IS NOT NULL)
                """))
            return first.map(Coding.date)
        }
    }

    public func pruneFinishedJobs(before: Date, limit: Int) async throws -> Int {
        try await writer.write { db in
            try db.run("""
                DELETE FROM jobs WHERE seq IN (
                    SELECT seq FROM jobs WHERE available_at IS NULL AND updated_at < ? AND status IN ('done', 'cancelled') LIMIT ?)
                """, [Coding.ms(before), limit])
            let pruned = db.changesCount
            // Slots given to texts that were then cancelled or sent some other way are never asked for again.
            try db.run("DELETE FROM sender_slots WHERE slot < ?", [Coding.ms(before)])
            return pruned
        }
    }

    public func job(_ id: JobID) async throws -> JobRecord? {
        try await read { db in try db.one("SELECT * FROM jobs WHERE id = ?", [id.rawValue]).map(SQLiteRows.job) }
    }

    public func pendingJobs(limit: Int) async throws -> [JobRecord] {
        try await read { db in
            try db.all("""
                SELECT * FROM jobs WHERE available_at IS NOT NULL ORDER BY lane, available_at, seq LIMIT ?
                """, [limit]).map(SQLiteRows.job)
        }
    }

    public func countPendingJobs() async throws -> Int {
        try await read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM jobs WHERE available_at IS NOT NULL")) ?? 0
        }
    }
}
