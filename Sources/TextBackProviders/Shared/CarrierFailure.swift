// A carrier's refusal in full: which kind of failure it is (what the engine does next), the
// provider's code with its meaning from our tables, the HTTP status and the carrier's request id.
//
// Descriptions are built from our tables, never from the carrier's own text: carriers quote the
// number or the body in their messages ("The 'To' number +1415... is not a valid phone number").

import Foundation

/// What a provider's error code means for the engine.
public enum CarrierErrorClass: String, Sendable, Hashable, CaseIterable, Codable {
    /// The recipient opted out at the carrier: suppress the number, never retry.
    case recipientOptedOut = "recipient_opted_out"
    /// Our credentials were refused: every text through this carrier fails until the configuration is
    /// fixed, so the engine stops using the carrier instead of failing texts one by one.
    case authentication
    /// This text will fail again: a bad or landline number, blocked content, an unregistered sender.
    case permanent
    /// May succeed later: rate limits, congestion, the carrier's own trouble.
    case transient
}

/// One provider code and what it means. The meaning comes from our tables (`TwilioErrorCode`,
/// `TelnyxErrorCode`, `BandwidthErrorCode`, ...), so it never quotes a phone number or a body.
public struct CarrierErrorDetail: Sendable, Hashable, Codable, CustomStringConvertible {
    /// "twilio", "telnyx", "bandwidth".
    public var carrier: String
    /// The provider's code as it sent it: "21610", "40300", "4775", or an HTTP-level word such as
    /// "request-validation" or "http_503" when the provider sent no code.
    public var code: String
    public var meaning: String
    /// nil for a code our tables do not know; the HTTP status decides then.
    public var errorClass: CarrierErrorClass?
    public var httpStatus: Int?
    /// The carrier's id for the failed request (Twilio-Request-Id, X-Request-Id), for support tickets.
    public var requestID: String?

    public init(carrier: String, code: String, meaning: String, errorClass: CarrierErrorClass?,
                httpStatus: Int? = nil, requestID: String? = nil) {
        self.carrier = carrier; self.code = code; self.meaning = meaning; self.errorClass = errorClass
        self.httpStatus = httpStatus; self.requestID = requestID
    }

    public var description: String { "\(carrier) \(code): \(meaning)" }
}

/// How a send (or a query) failed, classified for the engine.
public enum CarrierFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Refused before anything was accepted, and worth trying again: 429 (with the delay the carrier
    /// asked for), 5xx, a connection that never carried the request.
    case transient(reason: String, retryAfter: Duration?, detail: CarrierErrorDetail?)
    /// This text will fail again. Not retried.
    case permanent(CarrierErrorDetail)
    /// The recipient opted out at the carrier (Twilio 21610, Telnyx 40300, Bandwidth 4775).
    case recipientOptedOut(CarrierErrorDetail)
    /// The carrier refused our credentials (Twilio 20003, Telnyx 10009, Bandwidth 401/403): stop the
    /// whole carrier until the configuration is fixed.
    case authenticationFailed(CarrierErrorDetail)
    /// The request may have been accepted (deadline passed or connection lost after it was handed
    /// over, an accepted answer that could not be read): reconcile, never retry blindly.
    case ambiguous(reason: String)
    /// An answer TextBack does not understand.
    case unknown(reason: String)

    public var description: String {
        switch self {
        case .transient(let reason, let retryAfter, _):
            "transient carrier error: \(reason)" + (retryAfter.map { ", retry after \($0.components.seconds) s" } ?? "")
        case .permanent(let detail): "permanent carrier error \(detail)"
        case .recipientOptedOut(let detail): "the recipient has opted out at the carrier (\(detail))"
        case .authenticationFailed(let detail): "the carrier refused our credentials (\(detail))"
        case .ambiguous(let reason): "the carrier's answer was lost: \(reason)"
        case .unknown(let reason): "unexpected carrier answer: \(reason)"
        }
    }

    /// The delay the carrier asked for (Retry-After), when it did.
    public var retryAfter: Duration? {
        if case .transient(_, let retryAfter, _) = self { return retryAfter }
        return nil
    }

    /// The provider's code and meaning, when the carrier gave one.
    public var detail: CarrierErrorDetail? {
        switch self {
        case .transient(_, _, let detail): detail
        case .permanent(let detail), .recipientOptedOut(let detail), .authenticationFailed(let detail): detail
        case .ambiguous, .unknown: nil
        }
    }

    /// The same failure in the engine's current vocabulary. An authentication failure becomes
    /// `.transient`: nothing was accepted, and the text can still go out once the credentials are
    /// fixed (an engine that knows `submit` stops the carrier instead).
    public var carrierError: CarrierError {
        switch self {
        case .transient(let reason, _, _): .transient(message: reason)
        case .permanent(let detail): .permanent(code: detail.code, message: detail.meaning)
        case .recipientOptedOut(let detail): .recipientOptedOut(code: detail.code)
        case .authenticationFailed(let detail): .transient(message: "authentication failed (\(detail.code)): check the carrier's credentials")
        case .ambiguous(let reason): .ambiguous(message: reason)
        case .unknown(let reason): .unknown(reason)
        }
    }

    /// Lifts the coarse vocabulary (carriers that only implement `send`).
    public init(_ error: CarrierError, carrier: String) {
        switch error {
        case .permanent(let code, let message):
            self = .permanent(CarrierErrorDetail(carrier: carrier, code: code, meaning: message, errorClass: .permanent))
        case .recipientOptedOut(let code):
            self = .recipientOptedOut(CarrierErrorDetail(
                carrier: carrier, code: code, meaning: "the recipient opted out", errorClass: .recipientOptedOut))
        case .transient(let message): self = .transient(reason: message, retryAfter: nil, detail: nil)
        case .ambiguous(let message): self = .ambiguous(reason: message)
        case .unknown(let message): self = .unknown(reason: message)
        }
    }
}
