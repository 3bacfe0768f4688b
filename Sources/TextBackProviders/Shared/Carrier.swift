// The carrier interface: how the engine hands a text to whoever puts it on the air.
// The simulator implements it for the embedded default; Twilio, Telnyx and Bandwidth plug in the same way.

import Foundation
import TextBackCore

public struct OutgoingSMS: Sendable, Hashable {
    /// Stable for one logical text: a carrier that supports it uses this to refuse a second copy.
    public var idempotencyKey: String
    public var from: PhoneNumber
    public var to: PhoneNumber
    public var body: String
    public init(idempotencyKey: String, from: PhoneNumber, to: PhoneNumber, body: String) {
        self.idempotencyKey = idempotencyKey; self.from = from; self.to = to; self.body = body
    }
}

public struct CarrierReceipt: Sendable, Hashable {
    public var carrierMessageID: String
    public var acceptedAt: Date
    public init(carrierMessageID: String, acceptedAt: Date) {
        self.carrierMessageID = carrierMessageID; self.acceptedAt = acceptedAt
    }
}

/// How a send failed, in the terms the engine acts on.
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
}
