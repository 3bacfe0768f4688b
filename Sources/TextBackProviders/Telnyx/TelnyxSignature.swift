// Telnyx webhook signatures: Ed25519 over "{telnyx-timestamp}|{raw body}", sent base64 in
// `telnyx-signature-ed25519`, with the Unix time in `telnyx-timestamp`. The public key is the
// account's (Mission Control → Keys & Credentials → Public Key), configured as
// `carriers.telnyx.public_key`. A timestamp more than 300 s older or newer than our clock is
// refused, so a captured webhook cannot be replayed later; the clock is passed in.

import Crypto
import Foundation

public enum TelnyxSignature {
    public static let tolerance: TimeInterval = 300

    /// Checks the headers and the raw body. Nothing in the body is read before this passes.
    public static func verify(body: Data, signature: String?, timestamp: String?, publicKey: String, now: Date,
                              tolerance: TimeInterval = TelnyxSignature.tolerance) throws(WebhookError) {
        guard let key = Self.publicKey(publicKey) else {
            throw .notConfigured("carriers.telnyx.public_key is not an Ed25519 public key; copy it from the Telnyx portal")
        }
        guard let timestamp = timestamp?.trimmingCharacters(in: .whitespaces), !timestamp.isEmpty else {
            throw .badSignature("missing telnyx-timestamp header")
        }
        guard let seconds = Int64(timestamp) else { throw .badSignature("telnyx-timestamp is not a Unix time") }
        let skew = now.timeIntervalSince1970 - TimeInterval(seconds)
        guard abs(skew) <= tolerance else {
            throw .badSignature(skew > 0 ? "telnyx-timestamp is too old (more than \(Int(tolerance)) s)"
                                         : "telnyx-timestamp is in the future (more than \(Int(tolerance)) s)")
        }
        guard let signature, !signature.isEmpty else { throw .badSignature("missing telnyx-signature-ed25519 header") }
        guard let signatureBytes = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)) else {
            throw .badSignature("telnyx-signature-ed25519 is not base64")
        }
        var signed = Data("\(timestamp)|".utf8)
        signed.append(body)
        guard key.isValidSignature(signatureBytes, for: signed) else {
            throw .badSignature("telnyx-signature-ed25519 does not match the request")
        }
    }

    /// The raw 32-byte key the portal shows, or the same key wrapped as DER SubjectPublicKeyInfo.
    public static func publicKey(_ base64: String) -> Curve25519.Signing.PublicKey? {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespaces)) else { return nil }
        let spkiPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
        let raw: Data
        if data.count == 32 {
            raw = data
        } else if data.count == 44, Array(data.prefix(12)) == spkiPrefix {
            raw = data.suffix(32)
        } else {
            return nil
        }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }
}
