// Reloading the configuration without a restart. Two ways, same effect: SIGHUP to the serve or worker
// process (`kill -HUP <pid>`, systemd's ExecReload), or `textback reload`, which posts the admin-only
// POST /v1/admin/reload to a running server. Either re-reads --config, validates every file and swaps
// the whole set in at once; a refused file is named with file:line:column and the running set stays.

import ArgumentParser
import Dispatch
import Foundation
import TextBackProviders
import TextBackServer
#if canImport(Glibc)
import Glibc
#endif

/// Listens for SIGHUP for as long as it is not cancelled.
final class ReloadOnHangup {
    private let source: any DispatchSourceSignal

    init(_ reload: @escaping @Sendable () async -> ReloadOutcome) {
        // The default action of SIGHUP ends the process; the dispatch source sees it once it is ignored.
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { Task { _ = await reload() } }
        source.resume()
    }

    func cancel() { source.cancel() }
}

struct Reload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a running server to re-read its configuration (admin token in TEXTBACK_API_TOKEN); `kill -HUP <pid>` does the same.")

    @Option(help: "The running server's base URL.") var url = "http://127.0.0.1:8080"

    func run() async throws {
        guard let token = ProcessInfo.processInfo.environment["TEXTBACK_API_TOKEN"], !token.isEmpty else {
            throw CLIError("set TEXTBACK_API_TOKEN to the server's admin token")
        }
        let request = ProviderRequest(method: .POST, path: "/v1/admin/reload", headers: [.init("Authorization", "Bearer \(token)")])
        let response: ProviderResponse
        do { response = try await HTTPClientTransport.shared.perform(request, baseURL: url, timeout: .seconds(30)) } catch {
            throw CLIError("could not reach the server at \(url): \(error)")
        }
        let body = String(decoding: response.body, as: UTF8.self)
        guard response.isSuccess else { throw CLIError("the reload was refused (HTTP \(response.status)): \(body)") }
        say(body)
    }
}
