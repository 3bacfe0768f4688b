// HubSpot: the contact is found by phone (CRM search, `phone` EQ the E.164 number) or created (the name
// split into first and last name); a text is logged as a communication (channel SMS, logged from CRM)
// associated with the contact (association type 81, communication → contact, HUBSPOT_DEFINED); an
// automated follow-up sets the contact property `last_missed_call_sms_at`, and an `update_contact` step
// writes its attributes as contact properties.
// Authentication is a private app's access token (Bearer).

import Foundation
import TextBackConfig
import TextBackCore

public struct HubSpotCRM: CRMClient {
    public let provider = "hubspot"
    /// HubSpot's association type for communication → contact.
    public static let communicationToContact = 81
    public static let lastTextProperty = "last_missed_call_sms_at"

    let call: CRMCall
    let token: String

    public init(settings: CRMSettings.HubSpot, transport: any ProviderTransport) {
        token = settings.token.reveal()
        call = CRMCall(transport: transport, baseURL: settings.baseURL.absoluteString, title: "HubSpot",
                       code: { JSON.string(JSON.object($0)?["category"]) })
    }

    public func deliver(_ activity: CRMActivity, progress: [String: String], now: Date) async -> CRMAttempt {
        var progress = progress
        do throws(CRMStop) {
            let contactID = try await contact(for: activity, progress: &progress, now: now)
            if activity.event != .contactUpdated, progress["communication_id"] == nil {
                let response = try await call.perform(Self.communication(activity, contactID: contactID, token: token),
                                                      step: "the communication", now: now)
                guard let id = JSON.string(JSON.object(response.body)?["id"]) else {
                    return .giveUp(reason: "HubSpot created a communication without an id", progress: progress)
                }
                progress["communication_id"] = id
            }
            let properties = Self.contactProperties(activity)
            if !properties.isEmpty {
                _ = try await call.perform(CRMCall.json(.PATCH, "/crm/v3/objects/contacts/\(PercentEncoding.encode(contactID))", token: token,
                                                        body: ["properties": properties]),
                                           step: "the contact update", now: now)
            }
            return .delivered(progress: progress)
        } catch {
            return error.attempt(progress: progress)
        }
    }

    /// The contact's HubSpot id: remembered from an earlier attempt, found by phone, or created.
    func contact(for activity: CRMActivity, progress: inout [String: String], now: Date) async throws(CRMStop) -> String {
        if let known = progress["contact_id"] { return known }
        let search = try await call.perform(Self.search(phone: activity.phone, token: token), step: "the contact search", now: now)
        let results = JSON.object(search.body)?["results"] as? [[String: Any]] ?? []
        if let id = results.first.flatMap({ JSON.string($0["id"]) }) {
            progress["contact_id"] = id
            return id
        }
        var properties: [String: Any] = ["phone": activity.phone.e164]
        // "Dana Reyes" → firstname Dana, lastname Reyes; a single word is a first name.
        let words = (activity.contactName ?? "").split(separator: " ", maxSplits: 1).map(String.init)
        if let first = words.first { properties["firstname"] = first }
        if words.count == 2 { properties["lastname"] = words[1] }
        let created = try await call.perform(CRMCall.json(.POST, "/crm/v3/objects/contacts", token: token, body: ["properties": properties]),
                                             step: "the contact creation", now: now)
        guard let id = JSON.string(JSON.object(created.body)?["id"]) else { throw .giveUp(reason: "HubSpot created a contact without an id") }
        progress["contact_id"] = id
        return id
    }

    static func search(phone: PhoneNumber, token: String) -> ProviderRequest {
        CRMCall.json(.POST, "/crm/v3/objects/contacts/search", token: token, body: [
            "filterGroups": [["filters": [["propertyName": "phone", "operator": "EQ", "value": phone.e164]]]],
            "properties": ["phone"],
            "limit": 1,
        ])
    }

    static func communication(_ activity: CRMActivity, contactID: String, token: String) -> ProviderRequest {
        CRMCall.json(.POST, "/crm/v3/objects/communications", token: token, body: [
            "properties": [
                "hs_communication_channel_type": "SMS",
                "hs_communication_logged_from": "CRM",
                "hs_communication_body": activity.body ?? "",
                "hs_timestamp": ISO8601Timestamp.format(activity.occurredAt),
            ],
            "associations": [[
                "to": ["id": contactID],
                "types": [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": communicationToContact]],
            ]],
        ])
    }

    static func contactProperties(_ activity: CRMActivity) -> [String: String] {
        switch activity.event {
        case .messageSent: activity.automated ? [lastTextProperty: ISO8601Timestamp.format(activity.occurredAt)] : [:]
        case .messageReceived: [:]
        case .contactUpdated: activity.properties
        }
    }
}
