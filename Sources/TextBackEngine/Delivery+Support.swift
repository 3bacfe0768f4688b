// What real-carrier delivery keeps besides the store: the options it runs with and the carriers paused
// for refusing our credentials.
//
// Each sending number's pace and daily count live in the store (`reserveSendSlot`), shared by every
// process; a carrier pause is per process. Texts that must wait are never held in memory: their
// delivery job is rescheduled in the durable queue to their slot, so a restart loses nothing.

import Foundation
import Synchronization
import TextBackCore
import TextBackProviders
import TextBackStorage

public struct DeliveryOptions: Sendable {
    /// The server's public base URL (`--public-url`): receipts are requested under it
    /// (Twilio StatusCallback, Telnyx webhook_url). nil: no per-message callback URL is sent.
    public var publicURL: URL?
    /// `policy.landline_check`: the carrier lookup asked before the first text to a number.
    public var lineTypeLookup: (any LineTypeLookup)?
    /// A text refused transiently this many times is given up (failed, with its reason).
    public var maxSendAttempts: Int
    /// How long a carrier that refused our credentials is left alone before one text tries again.
    public var authenticationPause: TimeInterval
    /// The first retry after a transient refusal waits about this long; each further one doubles it.
    public var firstRetryDelay: TimeInterval
    public var maxRetryDelay: TimeInterval

    public init(publicURL: URL? = nil, lineTypeLookup: (any LineTypeLookup)? = nil, maxSendAttempts: Int = 6,
                authenticationPause: TimeInterval = 300, firstRetryDelay: TimeInterval = 2, maxRetryDelay: TimeInterval = 300) {
        self.publicURL = publicURL; self.lineTypeLookup = lineTypeLookup; self.maxSendAttempts = maxSendAttempts
        self.authenticationPause = authenticationPause; self.firstRetryDelay = firstRetryDelay; self.maxRetryDelay = maxRetryDelay
    }

    /// Exponential backoff with ±25 % jitter. The jitter is derived from the message and the attempt
    /// (not a random source), so runs on the virtual clock are repeatable while texts that failed
    /// together still spread out.
    func retryDelay(attempt: Int, messageID: MessageID, retryAfter: Duration?) -> TimeInterval {
        let exponent = min(max(attempt - 1, 0), 20)
        let base = min(firstRetryDelay * pow(2, Double(exponent)), maxRetryDelay)
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in "\(messageID.rawValue)#\(attempt)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        let jitter = 0.75 + 0.5 * Double(hash % 10_000) / 10_000
        let asked = retryAfter.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 } ?? 0
        return max(base * jitter, asked)
    }
}

/// Carriers paused because they refused our credentials. Sending through them stops (texts wait in
/// the queue) until the pause ends, when one text tries again; a success clears the pause.
public final class CarrierHealth: Sendable {
    public struct Pause: Sendable, Hashable {
        public var carrier: String
        public var since: Date
        public var until: Date
        /// The carrier's code and meaning ("twilio 20003: authentication failed"): no secrets.
        public var detail: String
    }

    private let pauses = Mutex<[String: Pause]>([:])

    public init() {}

    func pause(_ carrier: String, detail: String, now: Date, for seconds: TimeInterval) -> Pause {
        pauses.withLock { pauses in
            let since = pauses[carrier]?.since ?? now
            let pause = Pause(carrier: carrier, since: since, until: now.addingTimeInterval(seconds), detail: detail)
            pauses[carrier] = pause
            return pause
        }
    }

    /// The end of the carrier's pause when it is still paused at `now`.
    func pausedUntil(_ carrier: String, now: Date) -> Date? {
        pauses.withLock { pauses in
            guard let pause = pauses[carrier], pause.until > now else { return nil }
            return pause.until
        }
    }

    func clear(_ carrier: String) -> Bool {
        pauses.withLock { $0.removeValue(forKey: carrier) != nil }
    }

    /// Every carrier paused now or waiting for its trial text, by name.
    public var current: [Pause] {
        pauses.withLock { Array($0.values) }.sorted { $0.carrier < $1.carrier }
    }
}
