// What the PostgreSQL CLI tests share: a throwaway database on the test cluster that scripts/test started
// (TEXTBACK_TEST_POSTGRES_URL), and a `textback` process started in the background with the test token.

import Foundation
import Testing
import TextBackPostgres

/// A fresh database for one test on the test cluster; `drop()` removes it.
struct TestPostgresDatabase {
    let server: PostgresOptions
    let name: String
    /// The options a test's own `PostgresStore` opens the database with.
    let options: PostgresOptions
    /// The URL the `textback` processes are given.
    let url: String

    /// Creates `<prefix>_<random>` on the cluster in TEXTBACK_TEST_POSTGRES_URL.
    static func create(_ prefix: String) async throws -> TestPostgresDatabase {
        let server = try PostgresOptions(url: try #require(ProcessInfo.processInfo.environment["TEXTBACK_TEST_POSTGRES_URL"]))
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: server)
        var options = server
        options.database = name
        return TestPostgresDatabase(server: server, name: name, options: options,
                                    url: "postgres://\(server.username)@\(server.host):\(server.port)/\(name)")
    }

    func drop() async { try? await PostgresDatabases.drop(name, on: server) }
}

/// Starts `textback` with `arguments` in the background, with the test API token; its output goes to the
/// files given (created empty first) or nowhere. The caller terminates it.
func launchTextback(_ arguments: [String], stdout: URL? = nil, stderr: URL? = nil) throws -> Process {
    let process = Process()
    process.executableURL = textbackBinary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(["TEXTBACK_API_TOKEN": "cli-test"]) { _, new in new }
    func handle(_ file: URL?) throws -> FileHandle {
        guard let file else { return FileHandle.nullDevice }
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        return try FileHandle(forWritingTo: file)
    }
    process.standardOutput = try handle(stdout)
    process.standardError = try handle(stderr)
    try process.run()
    return process
}

/// The configuration the PostgreSQL CLI tests share — one business, its one number on the simulator as
/// `numberKind`, the policy and the `missed` template — followed by `automations`, the YAML list under
/// `automations:` (indented by two spaces).
func acmeConfiguration(numberKind: String, automations: String) -> String {
    """
    business: {name: Acme Home Services, phone: "+15125550100", timezone: America/Chicago}
    numbers:
      - {number: "+15125550100", carrier: simulator, kind: \(numberKind)}
    policy:
      quiet_hours: {start: "23:00", end: "06:00"}
      state_rules: false
    templates:
      missed: "Hi {Name|there}, Acme here. Sorry we missed your call; reply with a good time. Reply STOP to opt out."
    automations:

    """ + automations
}
