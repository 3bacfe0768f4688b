// Bandwidth messaging requests as values (https://messaging.bandwidth.com/api/v2).
//
// Send: POST /api/v2/users/{accountId}/messages, JSON {from, to: [..], text, applicationId, tag}
// List: GET  /api/v2/users/{accountId}/messages?sourceTn=&destinationTn=&messageDirection=OUTBOUND
//            &fromDateTime=&toDateTime=&limit=
// Both with HTTP Basic username:password. `tag` carries our message id and comes back in every
// callback. The list API has no tag filter and Bandwidth does not store message text, so
// reconciliation searches by numbers, direction and time window (see `BandwidthCarrier.reconcile`).

import Foundation
import TextBackCore

public enum BandwidthRequest {
    public static let productionBaseURL = "https://messaging.bandwidth.com"

    public static func send(_ sms: OutgoingSMS, accountID: String, applicationID: String, username: String, password: String) -> ProviderRequest {
        let object: [String: Any] = [
            "from": sms.from.e164, "to": [sms.to.e164], "text": sms.body, "applicationId": applicationID,
            "tag": sms.messageID?.rawValue ?? sms.idempotencyKey,
        ]
        return ProviderRequest(method: .POST, path: messagesPath(accountID),
                               headers: headers(username, password, json: true), body: JSON.encode(object))
    }

    /// Outbound texts from `from` to `to` received by Bandwidth between the two instants (the API
    /// searches at most 14 days).
    public static func listMessages(from: PhoneNumber, to: PhoneNumber, between start: Date, and end: Date, limit: Int,
                                    accountID: String, username: String, password: String) -> ProviderRequest {
        ProviderRequest(
            method: .GET, path: messagesPath(accountID),
            query: [
                .init("sourceTn", from.e164), .init("destinationTn", to.e164), .init("messageDirection", "OUTBOUND"),
                .init("fromDateTime", timestamp(start)), .init("toDateTime", timestamp(end)), .init("limit", String(limit)),
            ],
            headers: headers(username, password, json: false))
    }

    static func messagesPath(_ accountID: String) -> String {
        "/api/v2/users/\(PercentEncoding.encode(accountID))/messages"
    }

    static func headers(_ username: String, _ password: String, json: Bool) -> [ProviderRequest.Field] {
        var fields: [ProviderRequest.Field] = [
            .init("Authorization", BasicAuth.header(username: username, password: password)), .init("Accept", "application/json"),
        ]
        if json { fields.append(.init("Content-Type", "application/json")) }
        return fields
    }

    /// "2016-09-14T18:20:16.000Z", as the list API documents it.
    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
