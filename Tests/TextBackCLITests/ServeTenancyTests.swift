// `textback serve --config DIR` as an agency runs it: a directory of businesses, SIGHUP and
// `textback reload` re-reading it without a restart, a broken file refused with its location while the
// running set stays, and each business's token seeing its own business only.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite struct ServeTenancyTests {
    static func business(_ name: String, number: String, tokenVariable: String) -> String {
        """
        business: {name: \(name), timezone: America/Chicago}
        numbers:
          - {number: "\(number)", carrier: simulator}
        api_tokens: [env:\(tokenVariable)]

        """
    }

    static func businessIDs(port: Int, token: String = "cli-test") async throws -> [String]? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/businesses")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200,
              let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        return (object["businesses"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
    }

    @Test func sighupAndTextbackReloadSwapInADirectoryOfBusinessesAndABrokenFileChangesNothing() async throws {
        let directory = try temporaryDirectory()
        let businesses = directory.appendingPathComponent("businesses")
        try FileManager.default.createDirectory(at: businesses, withIntermediateDirectories: true)
        try Self.business("Acme", number: "+15125550100", tokenVariable: "ACME_TOKEN")
            .write(to: businesses.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        let environment = ["TEXTBACK_API_TOKEN": "cli-test", "ACME_TOKEN": "acme-token-0123456789", "BOLT_TOKEN": "bolt-token-0123456789"]
        #expect(try textback(["lint", businesses.path], environment: environment).status == 0)

        let port = freePort()
        let process = Process()
        process.executableURL = textbackBinary
        process.arguments = ["serve", "--port", "\(port)", "--config", businesses.path, "--database", "sqlite:\(directory.path)/textback.db"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        try #require(try await waitUntilHealthy(port: port))
        #expect(try await Self.businessIDs(port: port) == ["acme"])
        #expect(try await Self.businessIDs(port: port, token: "acme-token-0123456789") == ["acme"])

        // A new client's file and SIGHUP: served without a restart, its token accepted.
        try Self.business("Bolt", number: "+15125550200", tokenVariable: "BOLT_TOKEN")
            .write(to: businesses.appendingPathComponent("bolt.yaml"), atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        var seen: [String]?
        for _ in 0..<50 {
            seen = try await Self.businessIDs(port: port)
            if seen == ["acme", "bolt"] { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(seen == ["acme", "bolt"])
        #expect(try await Self.businessIDs(port: port, token: "bolt-token-0123456789") == ["bolt"])

        // A missed call to each business: `textback report --business` counts one business's only.
        for (id, number) in [("a-1", "+15125550100"), ("b-1", "+15125550200")] {
            let posted = try await postNativeCall(port: port, #"{"call_id":"\#(id)","direction":"inbound","outcome":"no_answer","from":"(415) 555-0123","to":"\#(number)"}"#)
            #expect(posted.status == 202)
        }
        let database = "sqlite:\(directory.path)/textback.db"
        func reportedCalls(_ extra: [String]) throws -> Double? {
            let run = try textback(["report", "--database", database, "--json"] + extra)
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return (object?["totals"] as? [String: Any])?["calls"] as? Double
        }
        #expect(try reportedCalls([]) == 2)
        #expect(try reportedCalls(["--business", "acme"]) == 1)
        #expect(try reportedCalls(["--business", "bolt"]) == 1)

        // A broken file: `textback reload` is refused naming it, and both businesses stay.
        try "business: {name: Broken, timezone: Mars/Olympus}\nnumbers:\n  - {number: \"+15125550300\", carrier: simulator}\n"
            .write(to: businesses.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let refused = try textback(["reload", "--url", "http://127.0.0.1:\(port)"], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("broken.yaml:1:"), "\(refused.stderr)")
        #expect(process.isRunning)
        #expect(try await Self.businessIDs(port: port) == ["acme", "bolt"])

        try FileManager.default.removeItem(at: businesses.appendingPathComponent("broken.yaml"))
        let reloaded = try textback(["reload", "--url", "http://127.0.0.1:\(port)"], environment: environment)
        #expect(reloaded.status == 0, "\(reloaded.stderr)")
        #expect(reloaded.stdout.contains(#""businesses":["acme","bolt"]"#))
    }
}
