// The job runner: a Service that runs due jobs until the process is asked to stop.
// It polls the job table (cheap: one indexed query) and finishes the job in hand before it exits,
// so SIGTERM never cuts a send in half.

import Foundation
import Logging
import ServiceLifecycle
import TextBackCore

public struct JobRunner: Service {
    let engine: Engine
    let pollInterval: Duration
    let logger: Logger

    public init(engine: Engine, pollInterval: Duration = .milliseconds(250), logger: Logger = Logger(label: "textback.jobs")) {
        self.engine = engine
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        logger.info("job runner started")
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await engine.runDueJobs()
            } catch {
                logger.error("job pass failed", metadata: ["error": "\(type(of: error))"])
            }
            // Sleeping is the only point where shutdown interrupts us.
            try? await sleepUntilNextPoll()
        }
        logger.info("job runner stopped")
    }

    private func sleepUntilNextPoll() async throws {
        try await cancelWhenGracefulShutdown {
            try await Task.sleep(for: pollInterval)
        }
    }
}

/// The wall clock, for production.
public struct SystemClock: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}
