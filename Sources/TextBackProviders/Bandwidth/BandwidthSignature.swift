// Bandwidth does not sign its callbacks; it sends the HTTP Basic credentials set on the Bandwidth
// application (`carriers.bandwidth.callback_username` / `callback_password`). Both parts are
// compared in constant time before the body is read. There is no timestamp to check: replays are
// harmless because receipts and inbound texts are ingested idempotently on Bandwidth's ids.

import Foundation

public enum BandwidthSignature {
    public static func verify(authorization: String?, username: String?, password: String?) throws(WebhookError) {
        guard let username, let password, !username.isEmpty, !password.isEmpty else {
            throw .notConfigured("Bandwidth callbacks are not configured on this server: set carriers.bandwidth.callback_username and callback_password")
        }
        guard let authorization, !authorization.isEmpty else { throw .badSignature("missing HTTP Basic Authorization header") }
        guard BasicAuth.matches(authorization, username: username, password: password) else {
            throw .badSignature("the callback's HTTP Basic credentials do not match")
        }
    }
}
