// Whole databases on a PostgreSQL server: create one, drop one. For throwaway databases (each test gets
// its own) and for a first set-up; the store itself never creates or drops a database.

import Foundation
import Logging
import PostgresNIO

public enum PostgresDatabases {
    /// Creates the database `name` on the server `options` points at (connecting to its own database).
    public static func create(_ name: String, on options: PostgresOptions) async throws {
        try await withAdminConnection(options) { connection, logger in
            _ = try await connection.query("CREATE DATABASE \(unescaped: try quoted(name))", logger: logger).get()
        }
    }

    /// Drops the database `name`, disconnecting whoever is still connected to it.
    public static func drop(_ name: String, on options: PostgresOptions) async throws {
        try await withAdminConnection(options) { connection, logger in
            _ = try await connection.query("DROP DATABASE IF EXISTS \(unescaped: try quoted(name)) WITH (FORCE)", logger: logger).get()
        }
    }

    /// A database name as an SQL identifier; only letters, digits and underscores are accepted.
    static func quoted(_ name: String) throws -> String {
        guard !name.isEmpty, name.utf8.count < 64,
              name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") })
        else { throw PostgresURLError("a database name must be 1 to 63 letters, digits or underscores") }
        return "\"\(name)\""
    }

    private static func withAdminConnection(_ options: PostgresOptions,
                                            _ body: (PostgresConnection, Logger) async throws -> Void) async throws {
        let logger = Logger(label: "textback.postgres.admin")
        let configuration = PostgresConnection.Configuration(
            host: options.host, port: options.port, username: options.username, password: options.password, database: options.database,
            tls: try options.clientTLS.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        do {
            try await body(connection, logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
