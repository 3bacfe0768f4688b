// The figures over a time range on SQLite (Store+Metrics.swift says what counts): one read transaction
// gathers the rows of the range and feeds them to `FigureRows`, which counts.

import Foundation
import GRDB
import TextBackCore

extension SQLiteStore {
    public func figures(from: Date, to: Date, scope: BusinessScope) async throws -> Figures {
        let lower = Coding.ms(from), upper = Coding.ms(to)
        let rows = try await read { db in
            var rows = FigureRows()
            let business = scope.only?.rawValue
            for query in FigureRows.queries {
                let bounds: [Int64] = query.upper ? [lower, upper] : [lower]
                let arguments = StatementArguments(bounds) + StatementArguments([business, business])
                for row in try db.all(query.sql, arguments) { try query.feed(&rows, row) }
            }
            return rows
        }
        return rows.figures(from: from, to: to)
    }

    public func calls(from: Date, to: Date, limit: Int) async throws -> [CallRecord] {
        try await read { db in
            try db.all("SELECT * FROM calls WHERE stage = 'ended' AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, rowid LIMIT ?",
                       [Coding.ms(from), Coding.ms(to), limit]).map(SQLiteRows.call)
        }
    }
}
