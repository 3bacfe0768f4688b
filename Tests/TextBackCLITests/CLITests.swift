// The `textback` executable itself, run as a user runs it: the small JSON tools, lint's exit codes,
// the suppression import, and `serve` taking a call over real HTTP and stopping cleanly on SIGTERM.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The built executable, next to the test bundle in the build folder.
let textbackBinary: URL = {
    var directory = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("textback")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/textback").standardized
}()

/// A loopback TCP port nobody listens on right now: the kernel picks it (bind to port 0), and the socket is
/// closed before the caller's server binds it. A random port in a fixed range could be one of the many
/// client connections' ephemeral ports the suite has open, and the server would then fail to start.
func freePort() -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    precondition(fd >= 0, "socket() failed")
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    precondition(bound, "bind() to an ephemeral loopback port failed")
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Polls a started `textback serve` until `/healthz` answers 200 (bounded: about 20 s).
func waitUntilHealthy(port: Int) async throws -> Bool {
    for _ in 0..<100 {
        try await Task.sleep(for: .milliseconds(200))
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        request.timeoutInterval = 1
        if (try? await URLSession.shared.data(for: request)).map({ ($0.1 as? HTTPURLResponse)?.statusCode == 200 }) == true { return true }
    }
    return false
}

/// Posts a native call event with the test token; the response's body and status.
func postNativeCall(port: Int, _ json: String) async throws -> (body: String, status: Int?) {
    var post = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/events/call-completed")!)
    post.httpMethod = "POST"
    post.setValue("Bearer cli-test", forHTTPHeaderField: "Authorization")
    post.setValue("application/json", forHTTPHeaderField: "Content-Type")
    post.httpBody = Data(json.utf8)
    let (body, response) = try await URLSession.shared.data(for: post)
    return (String(decoding: body, as: UTF8.self), (response as? HTTPURLResponse)?.statusCode)
}

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

func textback(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Run {
    let process = Process()
    process.executableURL = textbackBinary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("textback-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct CLITests {
    @Test func phonePrintsTheDocumentedObject() throws {
        let run = try textback(["phone", "(208) 555-1234", "--json"])
        #expect(run.status == 0)
        #expect(run.stdout == #"{"e164":"+12085551234","country":"US","region":"ID","time_zones":["America/Boise","America/Los_Angeles"]}"# + "\n")
    }

    @Test func anInvalidPhoneExitsNonZeroAndSaysWhy() throws {
        let run = try textback(["phone", "911-555-1234", "--json"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("N11"))
        #expect(run.stdout.isEmpty)
    }

    @Test func smsSegmentsAndClassify() throws {
        let segments = try textback(["sms", "segments", String(repeating: "1", count: 161), "--json"])
        #expect(segments.stdout == #"{"encoding":"GSM-7","segments":2,"characters":161}"# + "\n")
        let stop = try textback(["classify", "please don't text me anymore", "--json"])
        #expect(stop.stdout.hasPrefix(#"{"intent":"opt_out","revokes_consent":true"#))
        let time = try textback(["classify", "tomorrow after 5", "--json", "--now", "2026-03-03T14:00:00Z", "--timezone", "America/New_York"])
        #expect(time.stdout.contains(#""intent":"propose_time""#))
        #expect(time.stdout.contains(#""time":"2026-03-04T22:00:00Z""#))
    }

    @Test func lintNamesFileLineAndColumnAndExitsNonZero() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("textback.yaml")
        try "business:\n  name: Acme\n  timezone: America/Chicgo\nnumbers:\n  - {number: \"+15125550100\", carrier: simulator}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let run = try textback(["lint", file.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("\(file.path):3:13: error: unknown time zone 'America/Chicgo'"))
        let serve = try textback(["serve", "--config", file.path, "--database", "sqlite:\(directory.path)/t.db"])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("\(file.path):3:13: error:"))
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/t.db"), "nothing is started or written")
    }

    @Test func importSuppressionReportsBadRowsAndIsIdempotent() throws {
        let directory = try temporaryDirectory()
        let csv = directory.appendingPathComponent("dnc.csv")
        try "phone\n(415) 555-0123\nnot a number\n+12125550199\n".write(to: csv, atomically: true, encoding: .utf8)
        let database = "sqlite:\(directory.path)/t.db"
        let first = try textback(["import", "suppression", csv.path, "--database", database])
        #expect(first.status == 0)
        #expect(first.stdout.contains("\(csv.path):3: skipped"))
        #expect(first.stdout.contains("3 rows: 2 added, 0 already suppressed, 1 skipped"))
        let again = try textback(["import", "suppression", csv.path, "--database", database])
        #expect(again.stdout.contains("3 rows: 0 added, 2 already suppressed, 1 skipped"))
    }

    @Test func serveTakesACallOverHTTPAndStopsCleanlyOnSIGTERM() async throws {
        let directory = try temporaryDirectory()
        let port = freePort()
        let process = Process()
        process.executableURL = textbackBinary
        process.arguments = ["serve", "--port", "\(port)", "--database", "sqlite:\(directory.path)/textback.db"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TEXTBACK_API_TOKEN": "cli-test"]) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        #expect(try await waitUntilHealthy(port: port))

        let posted = try await postNativeCall(port: port, #"{"call_id":"cli-1","direction":"inbound","outcome":"no_answer","from":"(415) 555-0123","to":"+15125550100"}"#)
        #expect(posted.status == 202)
        #expect(posted.body.contains(#""duplicate":false"#))

        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        let banner = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(banner.contains("TextBack listening on http://127.0.0.1:\(port)"))
        #expect(banner.contains("API token: from TEXTBACK_API_TOKEN"))
    }
}
