// Twilio webhook signatures (https://www.twilio.com/docs/usage/security): base64(HMAC-SHA1(auth
// token, full URL + every POST parameter name and value, sorted by name)), sent as
// X-Twilio-Signature. A JSON body is covered instead by a `bodySHA256` query parameter (hex SHA-256
// of the body) inside the signed URL.
//
// Twilio signs the URL it was configured with; behind a proxy that URL may or may not carry the
// default port (":443"), so both spellings are tried, as Twilio's own libraries do. Twilio
// signatures carry no timestamp, so there is no clock to check here; replays are harmless because
// every webhook is ingested idempotently on its Twilio id.

import Crypto
import Foundation

public enum TwilioSignature {
    public static func compute(authToken: String, url: String, parameters: [(name: String, value: String)]) -> String {
        var payload = url
        for (name, value) in parameters.sorted(by: { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }) {
            payload += name + value
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Verifies a form-encoded webhook. Comparison is constant-time; the URL is tried as given and
    /// with its default port added or removed.
    public static func verify(signature: String?, authToken: String, url: String,
                              parameters: [(name: String, value: String)]) throws(WebhookError) {
        guard let signature, !signature.isEmpty else { throw .badSignature("missing X-Twilio-Signature header") }
        var matched = false
        for candidate in urlVariants(url) {
            let expected = compute(authToken: authToken, url: candidate, parameters: parameters)
            // Every variant is compared, so the time taken does not depend on which one matched.
            if constantTimeEqual(Array(expected.utf8), Array(signature.utf8)) { matched = true }
        }
        guard matched else { throw .badSignature("X-Twilio-Signature does not match the request") }
    }

    /// Verifies a JSON webhook: the signed URL carries bodySHA256, which must match the body.
    public static func verifyJSON(signature: String?, authToken: String, url: String, body: Data) throws(WebhookError) {
        guard let components = URLComponents(string: url),
              let claimed = components.queryItems?.first(where: { $0.name == "bodySHA256" })?.value
        else { throw .badSignature("a JSON Twilio webhook must carry bodySHA256 in its URL") }
        let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        guard constantTimeEqual(Array(digest.utf8), Array(claimed.lowercased().utf8)) else {
            throw .badSignature("bodySHA256 does not match the request body")
        }
        try verify(signature: signature, authToken: authToken, url: url, parameters: [])
    }

    /// The URL as given, plus the same URL with the scheme's default port added (when absent) or
    /// removed (when present).
    static func urlVariants(_ url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let defaultPort = ["https": 443, "http": 80][scheme]
        else { return [url] }
        if components.port == nil {
            components.port = defaultPort
        } else if components.port == defaultPort {
            components.port = nil
        } else {
            return [url]
        }
        return [url, components.string].compactMap { $0 }
    }
}
