// The staff webhook signature: HMAC-SHA256 over "<t>.<body>", hex, checked independently of the
// signer; tampering, another secret and stale or future timestamps are rejected.

import Crypto
import Foundation
import Testing
import TextBackProviders

@Suite struct SignedWebhookTests {
    let secret = "whsec-abc"
    let body = #"{"event":"callback.requested"}"#

    @Test func signatureIsHMACSHA256OverTimestampDotBody() {
        let header = SignedWebhook.signature(secret: secret, timestamp: 1_772_560_800, body: body)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("1772560800.\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        #expect(header == "t=1772560800,v1=" + mac.map { String(format: "%02x", $0) }.joined())
    }

    @Test(arguments: [
        (0.0, true), (299.0, true), (-299.0, true), (301.0, false), (-301.0, false),
    ])
    func timestampsOutsideTheToleranceAreRefused(skew: Double, accepted: Bool) {
        let header = SignedWebhook.signature(secret: secret, timestamp: 1_772_560_800, body: body)
        let now = Date(timeIntervalSince1970: 1_772_560_800 + skew)
        #expect(SignedWebhook.verify(header: header, secret: secret, body: body, now: now) == accepted)
    }

    @Test func tamperingOrAnotherSecretIsRefused() {
        let now = Date(timeIntervalSince1970: 1_772_560_800)
        let header = SignedWebhook.signature(secret: secret, timestamp: 1_772_560_800, body: body)
        #expect(!SignedWebhook.verify(header: header, secret: secret, body: body + " ", now: now))
        #expect(!SignedWebhook.verify(header: header, secret: "whsec-abd", body: body, now: now))
        #expect(!SignedWebhook.verify(header: "t=1772560800,v1=zz", secret: secret, body: body, now: now))
        // Rotation: any one of several v1 values may match.
        #expect(SignedWebhook.verify(header: header.replacingOccurrences(of: ",v1=", with: ",v1=00,v1="), secret: secret, body: body, now: now))
    }
}
