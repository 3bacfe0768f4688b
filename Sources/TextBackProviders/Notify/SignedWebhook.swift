// Staff notifications by webhook: a JSON body POSTed with
// `X-TextBack-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the scheme
// Stripe uses. The receiver recomputes the MAC over the timestamp and the raw body, compares in
// constant time and rejects timestamps outside its tolerance (replays).

import AsyncHTTPClient
import Crypto
import Foundation

public enum SignedWebhook {
    public static let header = "X-TextBack-Signature"

    /// The header value for `body` sent at `timestamp`.
    public static func signature(secret: String, timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// True when `header` carries a v1 signature of `body` made with `secret`, dated within `tolerance`
    /// seconds of `now` either way. Constant-time comparison; several v1 values (key rotation) are accepted.
    public static func verify(header: String, secret: String, body: String, now: Date, tolerance: TimeInterval = 300) -> Bool {
        var timestamp: Int?
        var candidates: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) } else if pair[0] == "v1" { candidates.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let expected = Array(mac)
        return candidates.contains { hex in Self.bytes(hex: hex).map { constantTime(expected, $0) } ?? false }
    }

    static func constantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func bytes(hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let byte = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            i += 2
        }
        return out
    }

    /// The POST for one notification.
    public static func request(url: URL, body: String, secret: String, now: Date) -> (request: ProviderRequest, baseURL: String) {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? "/"
        let query = components?.queryItems?.map { ProviderRequest.Field($0.name, $0.value ?? "") } ?? []
        components?.path = ""
        components?.query = nil
        let base = components?.string ?? url.absoluteString
        let request = ProviderRequest(
            method: .POST, path: path.isEmpty ? "/" : path, query: query,
            headers: [ProviderRequest.Field("Content-Type", "application/json"),
                      ProviderRequest.Field(header, signature(secret: secret, timestamp: Int(now.timeIntervalSince1970), body: body))],
            body: Data(body.utf8))
        return (request, base)
    }
}
