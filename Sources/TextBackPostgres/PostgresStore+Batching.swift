// Fewer round trips per unit of work. On a busy drain the database spends most of its time on the
// statements themselves (each parsed, planned and answered on its own), not on the rows they touch, so:
//
// - Writes whose row count nobody reads are deferred (`Unit.later`) and sent together as one statement,
//   `WITH w0 AS (…), w1 AS (…) SELECT …`, when the unit next reads, counts or commits; the wake-up
//   NOTIFY rides on the last one. The writes of one batch share a snapshot and must not touch the same
//   row twice or read each other's rows: every deferred writer names its business from the contact (a
//   row the unit wrote or locked by an earlier, immediate statement), never from a row of the batch.
// - A read of several tables that one statement can answer is one statement: `row_to_json` and
//   `json_agg` bring the rows of each table back as JSON, read through `JSONRow` like any stored row.
//   A single statement is its own snapshot, so such a read needs no transaction around it.
//
// What stays a separate statement: a lock taken before a check reads other tables. Under READ
// COMMITTED each statement sees what committed before it started, so the guard's counts must be read
// by a statement that starts after the contact's lock was granted, or a text the lock holder just wrote
// would be missed (the write skew the lock exists to prevent).

import Foundation
import PostgresNIO
import Synchronization
import TextBackStorage

/// A statement kept as its parts until it is sent, so several can be numbered into one query.
struct Deferred: ExpressibleByStringInterpolation {
    fileprivate var parts: [(inout PostgresQuery.StringInterpolation) throws -> Void] = []
    /// The table an insert writes to, and for an `INSERT … VALUES` that later rows may join, its text up
    /// to the rows.
    fileprivate var table: String?
    fileprivate var head: String?

    init(stringLiteral value: String) { parts = [{ $0.appendLiteral(value) }] }
    init(stringInterpolation: Interpolation) { parts = stringInterpolation.parts }

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var parts: [(inout PostgresQuery.StringInterpolation) throws -> Void] = []
        init(literalCapacity: Int, interpolationCount: Int) {}
        mutating func appendLiteral(_ literal: String) { parts.append { $0.appendLiteral(literal) } }
        mutating func appendInterpolation<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) {
            parts.append { try $0.appendInterpolation(value) }
        }
        mutating func appendInterpolation<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value?) {
            parts.append { try $0.appendInterpolation(value) }
        }
        mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable>(_ value: Value) {
            parts.append { $0.appendInterpolation(value) }
        }
        mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable>(_ value: Value?) {
            parts.append { $0.appendInterpolation(value) }
        }
    }
}

extension Unit {
    /// Queues a write whose row count is not needed; it is sent before the unit's next statement.
    func later(_ statement: Deferred) {
        pending.append(statement)
    }

    /// Queues an insert into `table` that is not a plain row list (an upsert, an insert of a query).
    /// The writes of one statement run in no defined order, so rows of one table are inserted in the
    /// order the unit asked for (their identity column orders ties, as SQLite's rowid does) by sending
    /// what is queued first whenever an insert into the same table is queued already.
    func later(_ statement: Deferred, insertingInto table: String) async throws {
        if pending.contains(where: { $0.table == table }) { try await flush() }
        var statement = statement
        statement.table = table
        pending.append(statement)
    }

    /// Queues `INSERT INTO <table> (<columns>) VALUES <row>`; a row right after another for the same
    /// columns joins its statement (one multi-row insert keeps their order).
    func laterInsert(into table: String, columns: String, row: Deferred) async throws {
        let head = "INSERT INTO \(table) (\(columns)) VALUES "
        if let last = pending.indices.last, pending[last].head == head {
            pending[last].parts.append { $0.appendLiteral(", ") }
            pending[last].parts += row.parts
            return
        }
        var statement = Deferred(stringLiteral: head)
        statement.parts += row.parts
        statement.head = head
        try await later(statement, insertingInto: table)
    }

    /// Sends the queued writes as one statement, with the wake-up NOTIFY when `notify`.
    func flush(notify: Bool = false) async throws {
        guard !pending.isEmpty || notify else { return }
        let writes = pending
        pending = []
        var query = PostgresQuery.StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        if writes.count == 1 && !notify {
            for part in writes[0].parts { try part(&query) }
        } else {
            for (index, write) in writes.enumerated() {
                query.appendLiteral(index == 0 ? "WITH w0 AS (" : "), w\(index) AS (")
                for part in write.parts { try part(&query) }
            }
            if !writes.isEmpty { query.appendLiteral(") ") }
            query.appendLiteral(notify ? "SELECT pg_notify('\(PostgresStore.channel)', '')" : "SELECT 1")
        }
        _ = try await preparedRows(PostgresQuery(stringInterpolation: query))
    }

    /// Runs `query` as a named statement of this connection, parsed and planned once per connection
    /// (PostgreSQL keeps a plan per session). Only for statements whose result columns are named in
    /// them: a prepared `SELECT *` would fail once a migration added a column while this process ran.
    func preparedRows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        guard let name = NamedStatement.name(for: query) else { return try await rows(query) }
        try await flush()
        return try await NamedStatement.$current.withValue(NamedStatement.Current(name: name, sql: query.sql)) {
            var rows: [PostgresRandomAccessRow] = []
            for try await row in try await connection.execute(NamedStatement(bindings: query.binds), logger: logger) {
                rows.append(row.makeRandomAccess())
            }
            return rows
        }
    }

    func preparedRow(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await preparedRows(query).first
    }
}

/// PostgresNIO prepares a statement once per connection under its type's `name` and `sql`; ours come
/// from the query at hand (a task-local read while `execute` builds its request), so any statement can
/// be prepared without a type of its own.
struct NamedStatement: PostgresPreparedStatement {
    struct Current: Sendable {
        var name: String
        var sql: String
    }

    @TaskLocal static var current = Current(name: "", sql: "")
    static var name: String { current.name }
    static var sql: String { current.sql }

    var bindings: PostgresBindings
    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }

    /// Names by statement text and parameter types (a NULL has no type of its own, so the same text
    /// with a NULL where a value was is another statement); the values themselves never enter the key.
    private static let names = Mutex<[String: String]>([:])
    /// More distinct statements than this run unprepared (each named one costs memory in every session).
    private static let limit = 2_000

    static func name(for query: PostgresQuery) -> String? {
        let key = query.sql + "\u{0}" + query.binds.debugDescription
        return names.withLock { names in
            if let name = names[key] { return name }
            guard names.count < limit else { return nil }
            let name = "textback_\(names.count + 1)"
            names[key] = name
            return name
        }
    }
}

/// One table row sent back as a JSON object (`row_to_json`, an element of `json_agg`): the same column
/// names and values as the row itself (text as strings, integers as numbers).
struct JSONRow: StoredRow {
    let object: [String: Any]

    /// The rows of a `json_agg` column (NULL when the table had none).
    static func rows(_ json: String?) throws -> [JSONRow] {
        guard let json else { return [] }
        guard let array = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else {
            throw StoreError.corrupt("a row list read as JSON is not a list of objects")
        }
        return array.map(JSONRow.init(object:))
    }

    /// The row of a `row_to_json` column (NULL when there was none).
    static func row(_ json: String?) throws -> JSONRow? {
        guard let json else { return nil }
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw StoreError.corrupt("a row read as JSON is not an object")
        }
        return JSONRow(object: object)
    }

    func text(_ column: String) throws -> String {
        guard let value = try optionalText(column) else { throw StoreError.corrupt("column \(column) is empty") }
        return value
    }

    func optionalText(_ column: String) throws -> String? {
        switch object[column] {
        case nil, is NSNull: return nil
        case let value as String: return value
        default: throw StoreError.corrupt("column \(column) is not text")
        }
    }

    func integer(_ column: String) throws -> Int64 {
        guard let value = try optionalInteger(column) else { throw StoreError.corrupt("column \(column) is empty") }
        return value
    }

    func optionalInteger(_ column: String) throws -> Int64? {
        switch object[column] {
        case nil, is NSNull: return nil
        case let value as Int: return Int64(value)
        case let value as Int64: return value
        case let value as Double where value.rounded() == value: return Int64(value)
        case let value as NSNumber: return value.int64Value
        default: throw StoreError.corrupt("column \(column) is not an integer")
        }
    }

    func has(_ column: String) -> Bool { object[column] != nil }
}
