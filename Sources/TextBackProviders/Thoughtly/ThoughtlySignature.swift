// Thoughtly authenticates its webhooks with a shared token (integrations.thoughtly.webhook_token)
// rather than a signature: sent as X-Webhook-Token, a Bearer token or ?token=. Compared in constant
// time before the body is read. Thoughtly sends no timestamp, so there is no clock to check; calls
// are ingested idempotently on Thoughtly's id.

public enum ThoughtlySignature {
    /// The first token presented, from the header, the Authorization header or the query, in that order.
    public static func presentedToken(webhookTokenHeader: String?, authorization: String?, queryToken: String?) -> String? {
        if let webhookTokenHeader { return webhookTokenHeader }
        if let authorization { return authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : authorization }
        return queryToken
    }

    public static func verify(presented: String?, expected: String?) throws(WebhookError) {
        guard let expected, !expected.isEmpty else {
            throw .notConfigured("Thoughtly webhooks are not configured on this server: set integrations.thoughtly.webhook_token")
        }
        guard let presented, constantTimeEqual(Array(presented.utf8), Array(expected.utf8)) else {
            throw .badSignature("missing or wrong webhook token (send it as X-Webhook-Token, a Bearer token or ?token=)")
        }
    }
}
