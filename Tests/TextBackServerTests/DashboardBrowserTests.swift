// The dashboard in a real browser: Debian's headless Chromium, driven over the DevTools protocol
// (a WebSocket), against the real server on a loopback port with a seeded SQLite store. The browser
// keeps the cookies, fills and submits the forms and follows the redirects itself; the test reads
// what it shows and checks the store. It is refused without a session, signs in, sees the overview's
// numbers, opens the needs-human conversation, sends a reply (which reaches the store and the
// carrier), and a cross-site form post from another page is refused.
//
// `scripts/test` installs chromium when it is missing and it runs as root; otherwise this suite is
// reported as not run (loudly, by the script). With TEXTBACK_DASHBOARD_SCREENSHOT=PATH the overview
// is saved there as a PNG (docs/dashboard.png in the README is made this way).

import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing
import TextBackConfig
import TextBackCore
import TextBackServer
import TextBackStorage
import WSClient

enum Chromium {
    /// The browser binary: $CHROMIUM, else Debian's chromium on the PATH.
    static let executable: String? = {
        if let path = ProcessInfo.processInfo.environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: path) { return path }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for directory in directories {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }()
}

struct BrowserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A DevTools protocol session over one WebSocket: commands get their answers by id; page loads are
/// counted so a test can wait for the load an action causes.
final class DevTools: Sendable {
    private struct State {
        var nextID = 0
        var waiting: [Int: CheckedContinuation<[String: any Sendable], any Error>] = [:]
        /// Answers that came before their command's caller started waiting.
        var answers: [Int: Result<[String: any Sendable], any Error>] = [:]
        var closed = false
        var loads = 0
        var loadWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    private let outbound: WebSocketOutboundWriter
    /// The page's session (Target.attachToTarget with flatten), once attached.
    private let pageSession = Mutex<String?>(nil)

    init(outbound: WebSocketOutboundWriter) { self.outbound = outbound }

    /// Reads every message until the socket closes; then every command still waiting fails.
    func read(_ inbound: WebSocketInboundStream) async throws {
        defer {
            let (commands, loads) = state.withLock { state in
                state.closed = true
                defer { state.waiting = [:]; state.loadWaiters = [] }
                return (Array(state.waiting.values), state.loadWaiters.map(\.continuation))
            }
            for continuation in commands { continuation.resume(throwing: BrowserError("the browser closed the DevTools socket")) }
            for continuation in loads { continuation.resume() }
        }
        for try await message in inbound.messages(maxSize: 64 << 20) {
            guard case .text(let text) = message,
                  let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            if let id = object["id"] as? Int {
                let answer: Result<[String: any Sendable], any Error>
                if let error = object["error"] as? [String: Any] {
                    answer = .failure(BrowserError("DevTools error: \(error["message"] as? String ?? "\(error)")"))
                } else {
                    answer = .success(Self.sendable(object["result"] as? [String: Any] ?? [:]))
                }
                let continuation = state.withLock { state in
                    let waiting = state.waiting.removeValue(forKey: id)
                    if waiting == nil { state.answers[id] = answer }
                    return waiting
                }
                continuation?.resume(with: answer)
            } else if object["method"] as? String == "Page.loadEventFired" {
                let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.loads += 1
                    let due = state.loadWaiters.filter { $0.count <= state.loads }.map(\.continuation)
                    state.loadWaiters.removeAll { $0.count <= state.loads }
                    return due
                }
                for continuation in ready { continuation.resume() }
            }
        }
    }

    static func sendable(_ object: [String: Any]) -> [String: any Sendable] {
        // Round-trips through JSON so only plain values remain.
        (try? JSONSerialization.jsonObject(with: JSONSerialization.data(withJSONObject: object))) as? [String: any Sendable] ?? [:]
    }

    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], browserLevel: Bool = false) async throws -> [String: any Sendable] {
        var message: [String: Any] = ["method": method, "params": params]
        if !browserLevel, let session = pageSession.withLock({ $0 }) { message["sessionId"] = session }
        let id = state.withLock { state -> Int in state.nextID += 1; return state.nextID }
        message["id"] = id
        let text = String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self)
        try await outbound.write(.text(text))
        return try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<[String: any Sendable], any Error>? in
                if let answer = state.answers.removeValue(forKey: id) { return answer }
                if state.closed { return .failure(BrowserError("the browser closed the DevTools socket")) }
                state.waiting[id] = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Opens a tab and attaches to it; its commands then go to that tab.
    func openPage() async throws {
        let target = try await send("Target.createTarget", ["url": "about:blank"], browserLevel: true)
        guard let targetID = target["targetId"] as? String else { throw BrowserError("no target id") }
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true], browserLevel: true)
        pageSession.withLock { $0 = attached["sessionId"] as? String }
        try await send("Page.enable")
        try await send("Emulation.setDeviceMetricsOverride", ["width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": false])
    }

    var loads: Int { state.withLock { $0.loads } }

    /// Runs `action` and waits for the page load it causes (a navigation or a form post and its redirect).
    func loading(_ count: Int = 1, _ action: () async throws -> Void) async throws {
        let target = loads + count
        try await action()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.loads >= target || state.closed { return true }
                state.loadWaiters.append((target, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    func navigate(_ url: String, loads count: Int = 1) async throws {
        try await loading(count) { try await send("Page.navigate", ["url": url]) }
    }

    /// Evaluates JavaScript in the page (the test's own probing; the dashboard itself has none).
    func evaluate(_ expression: String) async throws -> (any Sendable)? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        if let exception = result["exceptionDetails"] { throw BrowserError("script failed: \(exception)") }
        return (result["result"] as? [String: any Sendable])?["value"]
    }

    func text() async throws -> String { try await evaluate("document.body.innerText") as? String ?? "" }
    func path() async throws -> String { try await evaluate("location.pathname") as? String ?? "" }
}

/// The first error the browser session hit, carried out of the socket's handler.
final class FirstError: Sendable {
    private let value = Mutex<(any Error)?>(nil)
    func record(_ error: any Error) { value.withLock { if $0 == nil { $0 = error } } }
    var error: (any Error)? { value.withLock { $0 } }
}

@Suite(.serialized) struct DashboardBrowserTests {
    @Test(.enabled(if: Chromium.executable != nil, "chromium is not installed (scripts/test installs it when run as root)"),
          .timeLimit(.minutes(2)))
    func aPersonSignsInReadsTheFiguresAndAnswersAConversation() async throws {
        let harness = try await Harness()
        let router = TextBackHTTP.router(engine: harness.engine, settings: ServerSettings(apiToken: apiToken, simulatorOutbox: harness.store))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await seedDashboard(harness, client)
            let id = try await conversationID(harness)
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"

            try await withBrowser { browser in
                // No session: every page leads to the sign-in form.
                try await browser.navigate("\(base)/conversations")
                #expect(try await browser.path() == "/login")

                // Sign in as a person would: type the token, press the button.
                try await browser.loading {
                    _ = try await browser.evaluate("""
                        document.querySelector('input[name=token]').value = \(Self.js(apiToken));
                        document.querySelector('form[action="/login"] button').click()
                        """)
                }
                #expect(try await browser.path() == "/")
                let overview = try await browser.text()
                #expect(overview.contains("Missed calls\t1"), "\(overview)")
                #expect(overview.contains("Reply rate\t1 / 1 texted contacts (100.0%)"), "\(overview)")
                #expect(overview.contains("Eligible calls\t1 / 1 missed calls (100.0%)"))
                #expect(try await browser.evaluate("document.cookie") as? String == "", "the session cookie is HttpOnly")
                #expect(try await browser.evaluate("document.querySelectorAll('svg rect').length") as? Int == 7 * 3 + 3)
                try await saveScreenshot(browser)

                // The needs-human conversation is listed first; open it and answer.
                try await browser.navigate("\(base)/conversations")
                #expect(try await browser.evaluate("document.querySelector('table a[href^=\"/conversations/\"]').getAttribute('href')") as? String
                        == "/conversations/\(id)")
                try await browser.loading { _ = try await browser.evaluate("document.querySelector('table a[href^=\"/conversations/\"]').click()") }
                #expect(try await browser.path() == "/conversations/\(id)")
                #expect(try await browser.text().contains(hostileQuestion), "the contact's text is shown as text")
                #expect(try await browser.evaluate("document.querySelectorAll('script').length") as? Int == 0)
                try await browser.loading {
                    _ = try await browser.evaluate("""
                        document.querySelector('textarea[name=body]').value = 'Hi Dana, Sam from Acme here. Calling you in 5 minutes.';
                        document.querySelector('form[action$="/reply"] button').click()
                        """)
                }
                #expect(try await browser.text().contains("Your reply is queued"))
                let stored = try await harness.store.conversation(ConversationID(id), scope: .all)?.messages.last
                #expect(stored?.kind == .reply)
                #expect(stored?.body == "Hi Dana, Sam from Acme here. Calling you in 5 minutes.")
                try await harness.advance(0)
                #expect(try await harness.store.outboxEntries().last?.body == "Hi Dana, Sam from Acme here. Calling you in 5 minutes.")

                // Another site posts the same form, even with a token it got hold of: refused, nothing stored.
                let csrf = try await browser.evaluate("document.querySelector('input[name=csrf]').value") as? String ?? ""
                let attack = """
                    <form method="post" action="\(base)/conversations/\(id)/reply"><input name="body" value="forged">\
                    <input name="csrf" value="\(csrf)"><button>Win a prize</button></form>
                    """
                let encoded = attack.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                try await browser.navigate("data:text/html,\(encoded)")
                try await browser.loading { _ = try await browser.evaluate("document.forms[0].submit()") }
                let refused = try await browser.text()
                #expect(refused.contains("403 Forbidden"), "\(refused)")
                #expect(refused.contains("another site"))
                #expect(try await harness.store.conversation(ConversationID(id), scope: .all)?.messages.contains { $0.body == "forged" } == false)

                // Signing out ends the session.
                try await browser.navigate("\(base)/messages")
                try await browser.loading { _ = try await browser.evaluate("document.querySelector('form[action=\"/logout\"] button').click()") }
                #expect(try await browser.path() == "/login")
                try await browser.navigate("\(base)/messages")
                #expect(try await browser.path() == "/login")
            }
        }
    }

    static func js(_ text: String) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8), as: UTF8.self).dropFirst().dropLast().description
    }

    func saveScreenshot(_ browser: DevTools) async throws {
        let shot = try await browser.send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        let png = try #require((shot["data"] as? String).flatMap { Data(base64Encoded: $0) })
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        if let path = ProcessInfo.processInfo.environment["TEXTBACK_DASHBOARD_SCREENSHOT"] {
            try png.write(to: URL(fileURLWithPath: path))
        }
    }

    /// Starts headless Chromium on a throwaway profile, connects to its DevTools socket, opens a tab,
    /// runs `body`, then closes the browser and waits for it to exit.
    func withBrowser(_ body: @escaping @Sendable (DevTools) async throws -> Void) async throws {
        let executable = try #require(Chromium.executable)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("textback-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=\(profile.path)", "--window-size=1280,1000", "about:blank",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() }; process.waitUntilExit() }

        // Chromium writes its port and the browser socket's path once it listens.
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        var lines: [Substring] = []
        for _ in 0..<400 where process.isRunning {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) {
                lines = text.split(separator: "\n")
                if lines.count >= 2 { break }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard lines.count >= 2 else { throw BrowserError("chromium did not open its DevTools port (is it runnable here?)") }
        let url = "ws://127.0.0.1:\(lines[0])\(lines[1])"

        let failure = FirstError()
        var logger = Logger(label: "devtools")
        logger.logLevel = .warning
        try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 64 << 20), logger: logger) { inbound, outbound, _ in
            let browser = DevTools(outbound: outbound)
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await browser.read(inbound) }
                do {
                    try await browser.openPage()
                    try await body(browser)
                } catch {
                    failure.record(error)
                }
                // Browser.close answers, then the socket closes and the reader ends.
                _ = try? await browser.send("Browser.close", browserLevel: true)
                group.cancelAll()
            }
        }
        if let error = failure.error { throw error }
    }
}
