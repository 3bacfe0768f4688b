// Dashboard sign-in: a session cookie that carries no secret, CSRF tokens bound to it, and the
// same-origin check for posts.
//
// - The cookie `tb_session` is `v1.<expires>.<nonce>.<who>.<mac>`: an expiry (Unix seconds), 16 random
//   bytes, who signed in (`admin`, or `b` and a business's id in base64url: the token decides, as on
//   /v1), and HMAC-SHA256 over all three under a key derived from the admin API token. The token itself never
//   reaches the browser after sign-in; changing it signs every session out; several `textback`
//   processes with the same token accept each other's sessions. `HttpOnly`, `SameSite=Strict`,
//   `Path=/`, and `Secure` when the server is reached over https.
// - Every form carries `csrf`, an HMAC of the session's nonce (before sign-in, of the nonce in the
//   short-lived `tb_login` cookie). A post whose token does not match, or whose `Origin` is another
//   site, or that the browser marks `Sec-Fetch-Site: cross-site`, is refused with 403 before anything
//   is read or written.
// Expiry is checked against the engine's clock, so tests move time instead of waiting.

import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TextBackCore

struct DashboardSession: Sendable, Equatable {
    var nonce: String
    var expires: Date
    /// The admin (every business, or one with `?business=`) or one business.
    var caller: APICaller
}

struct DashboardSessions: Sendable {
    static let cookieName = "tb_session"
    static let loginCookieName = "tb_login"
    /// A working day: a signed-in tab stays usable, a stolen cookie does not live long.
    static let lifetime: TimeInterval = 12 * 3600

    private let key: SymmetricKey

    init(apiToken: String) {
        // A key of its own (not the token): a MAC here can never be replayed as anything the API accepts.
        let derived = HMAC<SHA256>.authenticationCode(for: Data("textback dashboard session key v1".utf8),
                                                      using: SymmetricKey(data: Data(apiToken.utf8)))
        key = SymmetricKey(data: Data(derived))
    }

    /// A new session's cookie value.
    func issue(for caller: APICaller, now: Date) -> (value: String, session: DashboardSession) {
        let expires = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Self.lifetime).rounded(.down))
        let nonce = Self.randomNonce()
        let payload = "v1.\(Int(expires.timeIntervalSince1970)).\(nonce).\(Self.encode(caller))"
        return ("\(payload).\(mac(payload))", DashboardSession(nonce: nonce, expires: expires, caller: caller))
    }

    static func encode(_ caller: APICaller) -> String {
        switch caller {
        case .admin: "admin"
        case .business(let id): "b" + base64URL(Data(id.rawValue.utf8))
        }
    }

    static func decode(_ text: Substring) -> APICaller? {
        if text == "admin" { return .admin }
        guard text.first == "b", let data = base64URLDecode(String(text.dropFirst())), !data.isEmpty else { return nil }
        return .business(BusinessID(String(decoding: data, as: UTF8.self)))
    }

    /// The session a cookie value stands for, or nil when it is malformed, forged or expired.
    func verify(_ value: String, now: Date) -> DashboardSession? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "v1", let seconds = Int(parts[1]), parts[2].count == 32,
              let presented = Self.base64URLDecode(String(parts[4])) else { return nil }
        let payload = "v1.\(parts[1]).\(parts[2]).\(parts[3])"
        guard HMAC<SHA256>.isValidAuthenticationCode(presented, authenticating: Data(payload.utf8), using: key),
              let caller = Self.decode(parts[3]) else { return nil }
        let expires = Date(timeIntervalSince1970: TimeInterval(seconds))
        guard now < expires else { return nil }
        return DashboardSession(nonce: String(parts[2]), expires: expires, caller: caller)
    }

    /// The token a form must carry for this binding (a session's nonce, or the sign-in cookie's).
    func csrfToken(for binding: String) -> String { mac("csrf.\(binding)") }

    func csrfIsValid(_ presented: String?, for binding: String) -> Bool {
        guard let presented, let bytes = Self.base64URLDecode(presented) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(bytes, authenticating: Data("csrf.\(binding)".utf8), using: key)
    }

    static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    private func mac(_ payload: String) -> String {
        Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }

    // MARK: Cookies

    /// `name=value` pairs of the Cookie header(s).
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    static func setCookie(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    // MARK: Same origin

    /// Whether a state-changing request came from our own pages: no `Sec-Fetch-Site: cross-site` or
    /// `same-site`, and an `Origin`, when sent, whose host and port are this server's (as the browser
    /// reached it, or as `--public-url` names it). `Origin: null` (a sandboxed or data: page) is foreign.
    static func isSameOrigin(_ request: Request, publicURL: String?) -> Bool {
        if let site = request.headers[.secFetchSite]?.lowercased(), site == "cross-site" || site == "same-site" { return false }
        guard let origin = request.headers[.origin] else { return true }
        guard let range = origin.range(of: "://") else { return false }
        let authority = origin[range.upperBound...].lowercased()
        var ours: [String] = []
        if let host = request.headers[.forwardedHost] ?? request.head.authority { ours.append(host.lowercased()) }
        if let publicURL, let start = publicURL.range(of: "://") {
            ours.append(publicURL[start.upperBound...].prefix { $0 != "/" }.lowercased())
        }
        return ours.contains(authority)
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site") ?? .origin
}
