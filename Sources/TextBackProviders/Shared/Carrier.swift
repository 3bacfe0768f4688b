// The carrier interface: how the engine hands a text to whoever puts it on the air.
// The simulator implements it for the embedded default; Twilio, Telnyx and Bandwidth plug in the same way.
//
// Two generations of the same calls live side by side. `send` and `lookup` speak `CarrierError`, the
// coarse vocabulary the engine uses today. `submit` and `reconcile` are the full ones: `submit` throws
// `CarrierFailure` (authentication failures apart, Retry-After carried, the provider's code with its
// meaning), and `reconcile` asks a carrier whether it accepted a text whose answer was lost, with a
// three-way answer. Both new requirements have default implementations built on the old ones, so
// every existing carrier (and test double) keeps compiling; the real carriers implement them natively.

import Foundation
import TextBackCore

public struct OutgoingSMS: Sendable, Hashable {
    /// Stable for one logical text: a carrier that supports it uses this to refuse a second copy.
    public var idempotencyKey: String
    public var from: PhoneNumber
    public var to: PhoneNumber
    public var body: String
    /// Our id for the stored message. Bandwidth echoes it back in every callback (`tag`); the status
    /// callback URLs of Twilio and Telnyx carry it as `message_id`.
    public var messageID: MessageID?
    /// Where the carrier should post this text's receipts: an absolute URL under the server's public
    /// URL that names our message, e.g. `{public}/webhooks/twilio/status?message_id={id}`. Its
    /// signature is checked over exactly this URL, so it must be the one the server sees.
    public var statusCallbackURL: URL?

    public init(idempotencyKey: String, from: PhoneNumber, to: PhoneNumber, body: String,
                messageID: MessageID? = nil, statusCallbackURL: URL? = nil) {
        self.idempotencyKey = idempotencyKey; self.from = from; self.to = to; self.body = body
        self.messageID = messageID; self.statusCallbackURL = statusCallbackURL
    }
}

public struct CarrierReceipt: Sendable, Hashable {
    public var carrierMessageID: String
    public var acceptedAt: Date
    /// The carrier's own word for the text's state when it answered ("queued", "accepted"), if any.
    public var carrierStatus: String?
    /// Segments the carrier counted, when it said.
    public var segments: Int?

    public init(carrierMessageID: String, acceptedAt: Date, carrierStatus: String? = nil, segments: Int? = nil) {
        self.carrierMessageID = carrierMessageID; self.acceptedAt = acceptedAt
        self.carrierStatus = carrierStatus; self.segments = segments
    }
}

/// How a send failed, in the terms the engine acts on today. `CarrierFailure` is the full picture;
/// `CarrierFailure.carrierError` maps it down to this.
public enum CarrierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Will fail again: bad number, blocked content. Not retried.
    case permanent(code: String, message: String)
    /// The recipient opted out at the carrier (Twilio 21610, Telnyx 40300): becomes a suppression.
    case recipientOptedOut(code: String)
    /// Safe to retry later: the carrier said so before accepting anything.
    case transient(message: String)
    /// The request may or may not have been accepted (timeout, dropped connection): never retried blindly.
    case ambiguous(message: String)
    case unknown(String)

    public var description: String {
        switch self {
        case .permanent(let code, let message): "permanent carrier error \(code): \(message)"
        case .recipientOptedOut(let code): "the recipient has opted out at the carrier (\(code))"
        case .transient(let message): "transient carrier error: \(message)"
        case .ambiguous(let message): "the carrier's answer was lost: \(message)"
        case .unknown(let message): "unexpected carrier error: \(message)"
        }
    }
}

public protocol Carrier: Sendable {
    /// "simulator", "twilio", ...: stored with each message.
    var name: String { get }
    func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt
    /// After a crash or a lost answer: did the carrier accept this text? nil when it cannot tell.
    func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt?

    /// `send` with the full classification of a failure (authentication apart, Retry-After, the
    /// provider's code and meaning).
    func submit(_ sms: OutgoingSMS, now: Date) async throws(CarrierFailure) -> CarrierReceipt
    /// After an ambiguous send and before any retry: did the carrier accept this text? Never throws;
    /// a question that could not be asked is `.cannotTell`.
    func reconcile(_ query: ReconciliationQuery) async -> Reconciliation
}

extension Carrier {
    /// For carriers that only speak `CarrierError`: the same answer, lifted.
    public func submit(_ sms: OutgoingSMS, now: Date) async throws(CarrierFailure) -> CarrierReceipt {
        do {
            return try await send(sms, now: now)
        } catch {
            throw CarrierFailure(error, carrier: name)
        }
    }

    /// For carriers that can only look up by idempotency key: a receipt is an acceptance, anything
    /// else is not proof of absence.
    public func reconcile(_ query: ReconciliationQuery) async -> Reconciliation {
        do {
            if let receipt = try await lookup(idempotencyKey: query.sms.idempotencyKey) {
                return .accepted(receipt)
            }
            return .cannotTell(reason: "\(name) cannot search for texts it did not confirm")
        } catch {
            return .cannotTell(reason: "\(name) could not be asked: \(error)")
        }
    }
}
