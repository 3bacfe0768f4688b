// Twilio requests as values: no I/O, so tests check the exact method, path, headers and body.
//
// Send:      POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form To, From, Body, StatusCallback
// List:      GET  /2010-04-01/Accounts/{AccountSid}/Messages.json?To=&From=&DateSent>=YYYY-MM-DD&PageSize=
// Lookup v2: GET  /v2/PhoneNumbers/{E164}?Fields=line_type_intelligence   (on lookups.twilio.com)
// All with HTTP Basic AccountSid:AuthToken.

import Foundation
import TextBackCore

public enum TwilioRequest {
    public static let productionBaseURL = "https://api.twilio.com"
    public static let productionLookupBaseURL = "https://lookups.twilio.com"

    public static func send(_ sms: OutgoingSMS, accountSID: String, authToken: String) -> ProviderRequest {
        var form = [("To", sms.to.e164), ("From", sms.from.e164), ("Body", sms.body)]
        if let callback = sms.statusCallbackURL { form.append(("StatusCallback", callback.absoluteString)) }
        return ProviderRequest(
            method: .POST, path: messagesPath(accountSID),
            headers: [
                .init("Authorization", BasicAuth.header(username: accountSID, password: authToken)),
                .init("Content-Type", "application/x-www-form-urlencoded"),
                .init("Accept", "application/json"),
            ],
            body: Data(FormEncoding.encode(form).utf8))
    }

    /// The texts from `from` to `to`, newest first. With `sentOnOrAfter`, only those Twilio has sent
    /// on or after that UTC day (`DateSent>=`); a text still queued has no DateSent and is left out.
    public static func listMessages(from: PhoneNumber, to: PhoneNumber, sentOnOrAfter: Date?, pageSize: Int,
                                    accountSID: String, authToken: String) -> ProviderRequest {
        var query: [ProviderRequest.Field] = [.init("To", to.e164), .init("From", from.e164)]
        if let day = sentOnOrAfter {
            // "DateSent>=2026-03-03" is the parameter "DateSent>" with the value 2026-03-03, as Twilio's
            // own libraries send it (the ">" percent-encoded).
            query.append(.init("DateSent>", utcDay(day)))
        }
        query.append(.init("PageSize", String(pageSize)))
        return ProviderRequest(
            method: .GET, path: messagesPath(accountSID), query: query,
            headers: [
                .init("Authorization", BasicAuth.header(username: accountSID, password: authToken)),
                .init("Accept", "application/json"),
            ])
    }

    public static func lookup(_ number: PhoneNumber, accountSID: String, authToken: String) -> ProviderRequest {
        ProviderRequest(
            method: .GET, path: "/v2/PhoneNumbers/" + PercentEncoding.encode(number.e164),
            query: [.init("Fields", "line_type_intelligence")],
            headers: [
                .init("Authorization", BasicAuth.header(username: accountSID, password: authToken)),
                .init("Accept", "application/json"),
            ])
    }

    /// `{public}/webhooks/twilio/status?message_id={id}`: the StatusCallback for one of our texts.
    public static func statusCallbackURL(publicBaseURL: URL, messageID: MessageID) -> URL? {
        callbackURL(publicBaseURL: publicBaseURL, route: "/webhooks/twilio/status", messageID: messageID)
    }

    static func messagesPath(_ accountSID: String) -> String {
        "/2010-04-01/Accounts/\(PercentEncoding.encode(accountSID))/Messages.json"
    }

    static func utcDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}

/// `{public}{route}?message_id={id}`, keeping any path prefix the public URL has.
func callbackURL(publicBaseURL: URL, route: String, messageID: MessageID) -> URL? {
    var base = publicBaseURL.absoluteString
    while base.hasSuffix("/") { base.removeLast() }
    return URL(string: base + route + "?message_id=" + PercentEncoding.encode(messageID.rawValue))
}
