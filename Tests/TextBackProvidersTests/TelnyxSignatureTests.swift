// Ed25519 as Telnyx uses it: RFC 8032's test vectors through swift-crypto, then the webhook check
// with key pairs made here: good, forged, missing, stale and future signatures.

import Crypto
import Foundation
import Testing
import TextBackProviders

@Suite struct TelnyxSignatureTests {
    /// RFC 8032 §7.1, TEST 1–3: public key, message, signature (hex).
    static let rfc8032: [(publicKey: String, message: String, signature: String)] = [
        ("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        ("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
    ]

    @Test(arguments: 0..<3)
    func rfc8032VectorsVerify(index: Int) throws {
        let vector = Self.rfc8032[index]
        let key = try #require(TelnyxSignature.publicKey(Data(hex: vector.publicKey).base64EncodedString()))
        #expect(key.isValidSignature(Data(hex: vector.signature), for: Data(hex: vector.message)))
        var tampered = Data(hex: vector.message)
        tampered.append(0x00)
        #expect(!key.isValidSignature(Data(hex: vector.signature), for: tampered))
    }

    @Test func theKeyMayBeRawOrDER() throws {
        let raw = Data(hex: Self.rfc8032[0].publicKey)
        let der = Data([0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]) + raw
        #expect(TelnyxSignature.publicKey(raw.base64EncodedString())?.rawRepresentation == raw)
        #expect(TelnyxSignature.publicKey(der.base64EncodedString())?.rawRepresentation == raw)
        #expect(TelnyxSignature.publicKey("MCowBQYDK2VwAyEA") == nil)
        #expect(TelnyxSignature.publicKey("not base64!") == nil)
    }

    // MARK: the webhook check

    static let now = Date(timeIntervalSince1970: 1_772_463_845)
    static let body = Data(#"{"data":{"event_type":"message.received","payload":{}}}"#.utf8)

    struct Signer {
        let key = Curve25519.Signing.PrivateKey()
        var publicKey: String { key.publicKey.rawRepresentation.base64EncodedString() }
        func sign(_ body: Data, timestamp: String) throws -> String {
            try key.signature(for: Data("\(timestamp)|".utf8) + body).base64EncodedString()
        }
    }

    @Test(arguments: [0, -300, 300, -1, 120])
    func aFreshSignatureIsAccepted(skew: Int) throws {
        let signer = Signer()
        let timestamp = String(Int(Self.now.timeIntervalSince1970) + skew)
        try TelnyxSignature.verify(body: Self.body, signature: try signer.sign(Self.body, timestamp: timestamp),
                                   timestamp: timestamp, publicKey: signer.publicKey, now: Self.now)
    }

    @Test(arguments: [-301, 301, -86_400, 86_400])
    func aStaleOrFutureTimestampIsRefused(skew: Int) throws {
        let signer = Signer()
        let timestamp = String(Int(Self.now.timeIntervalSince1970) + skew)
        let signature = try signer.sign(Self.body, timestamp: timestamp)
        #expect(throws: WebhookError.self) {
            try TelnyxSignature.verify(body: Self.body, signature: signature, timestamp: timestamp, publicKey: signer.publicKey, now: Self.now)
        }
    }

    @Test func aForgedSignatureIsRefused() throws {
        let signer = Signer()
        let forger = Signer()
        let timestamp = String(Int(Self.now.timeIntervalSince1970))
        // Signed by someone else's key.
        #expect(throws: WebhookError.badSignature("telnyx-signature-ed25519 does not match the request")) {
            try TelnyxSignature.verify(body: Self.body, signature: try forger.sign(Self.body, timestamp: timestamp),
                                       timestamp: timestamp, publicKey: signer.publicKey, now: Self.now)
        }
        // Our key, but a changed body.
        let signature = try signer.sign(Self.body, timestamp: timestamp)
        #expect(throws: WebhookError.self) {
            try TelnyxSignature.verify(body: Self.body + Data(" ".utf8), signature: signature, timestamp: timestamp,
                                       publicKey: signer.publicKey, now: Self.now)
        }
        // Our key and body, but the timestamp moved (it is signed too).
        #expect(throws: WebhookError.self) {
            try TelnyxSignature.verify(body: Self.body, signature: signature, timestamp: String(Int(Self.now.timeIntervalSince1970) + 1),
                                       publicKey: signer.publicKey, now: Self.now)
        }
    }

    @Test func missingHeadersAreRefused() throws {
        let signer = Signer()
        let timestamp = String(Int(Self.now.timeIntervalSince1970))
        let signature = try signer.sign(Self.body, timestamp: timestamp)
        #expect(throws: WebhookError.badSignature("missing telnyx-signature-ed25519 header")) {
            try TelnyxSignature.verify(body: Self.body, signature: nil, timestamp: timestamp, publicKey: signer.publicKey, now: Self.now)
        }
        #expect(throws: WebhookError.badSignature("missing telnyx-timestamp header")) {
            try TelnyxSignature.verify(body: Self.body, signature: signature, timestamp: nil, publicKey: signer.publicKey, now: Self.now)
        }
        #expect(throws: WebhookError.self) {
            try TelnyxSignature.verify(body: Self.body, signature: "%%%", timestamp: timestamp, publicKey: signer.publicKey, now: Self.now)
        }
        #expect(throws: WebhookError.self) {
            try TelnyxSignature.verify(body: Self.body, signature: signature, timestamp: "yesterday", publicKey: signer.publicKey, now: Self.now)
        }
    }

    @Test func anUnusableKeyIsAConfigurationProblem() {
        #expect(throws: WebhookError.notConfigured("carriers.telnyx.public_key is not an Ed25519 public key; copy it from the Telnyx portal")) {
            try TelnyxSignature.verify(body: Self.body, signature: "x", timestamp: "1", publicKey: "MCowBQYDK2VwAyEA", now: Self.now)
        }
    }
}

extension Data {
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        self.init(bytes)
    }
}
