// Telnyx requests as values.
//
// Send:    POST /v2/messages, JSON {from, to, text, webhook_url}, Authorization: Bearer {api_key}
// Get:     GET  /v2/messages/{id}            (the message detail record, for reconciliation)
// Lookup:  GET  /v2/number_lookup/{E164}?type=carrier

import Foundation
import TextBackCore

public enum TelnyxRequest {
    public static let productionBaseURL = "https://api.telnyx.com"

    public static func send(_ sms: OutgoingSMS, apiKey: String) -> ProviderRequest {
        var object: [String: Any] = ["from": sms.from.e164, "to": sms.to.e164, "text": sms.body]
        if let callback = sms.statusCallbackURL { object["webhook_url"] = callback.absoluteString }
        return ProviderRequest(method: .POST, path: "/v2/messages", headers: headers(apiKey, json: true), body: JSON.encode(object))
    }

    public static func message(id: String, apiKey: String) -> ProviderRequest {
        ProviderRequest(method: .GET, path: "/v2/messages/" + PercentEncoding.encode(id), headers: headers(apiKey, json: false))
    }

    public static func numberLookup(_ number: PhoneNumber, apiKey: String) -> ProviderRequest {
        ProviderRequest(method: .GET, path: "/v2/number_lookup/" + PercentEncoding.encode(number.e164),
                        query: [.init("type", "carrier")], headers: headers(apiKey, json: false))
    }

    /// `{public}/webhooks/telnyx?message_id={id}`: the per-message webhook_url. Telnyx signs only the
    /// body, so the query is free to name our message; the payload also repeats the URL.
    public static func webhookURL(publicBaseURL: URL, messageID: MessageID) -> URL? {
        callbackURL(publicBaseURL: publicBaseURL, route: "/webhooks/telnyx", messageID: messageID)
    }

    static func headers(_ apiKey: String, json: Bool) -> [ProviderRequest.Field] {
        var fields: [ProviderRequest.Field] = [.init("Authorization", "Bearer " + apiKey), .init("Accept", "application/json")]
        if json { fields.append(.init("Content-Type", "application/json")) }
        return fields
    }
}
