// Salesforce: the Contact, else the open (unconverted) Lead, whose Phone or MobilePhone is the contact's
// number is found with a SOQL query; a text is logged as a completed Task (WhoId the person found, Subject,
// Description the text, ActivityDate the business's day); an `update_contact` step writes its attributes
// as fields of that Contact or Lead (the attribute names must be the fields' API names). A text from a
// number no Contact or Lead has is still logged, as a Task without a WhoId.
// Authentication is an OAuth access token (Bearer); the REST version is configured (`api_version`).

import Foundation
import TextBackConfig
import TextBackCore

public struct SalesforceCRM: CRMClient {
    public let provider = "salesforce"

    let call: CRMCall
    let token: String
    let version: String

    public init(settings: CRMSettings.Salesforce, transport: any ProviderTransport) {
        token = settings.token.reveal()
        version = settings.apiVersion
        call = CRMCall(transport: transport, baseURL: settings.instanceURL.absoluteString, title: "Salesforce",
                       code: { JSON.string((JSON.array($0)?.first as? [String: Any])?["errorCode"]) })
    }

    var root: String { "/services/data/v\(version)" }

    public func deliver(_ activity: CRMActivity, progress: [String: String], now: Date) async -> CRMAttempt {
        var progress = progress
        do throws(CRMStop) {
            try await findPerson(activity.phone, progress: &progress, now: now)
            let whoID = progress["who_id"].flatMap { $0.isEmpty ? nil : $0 }
            switch activity.event {
            case .messageSent, .messageReceived:
                if progress["task_id"] == nil {
                    let response = try await call.perform(Self.task(activity, whoID: whoID, root: root, token: token), step: "the task", now: now)
                    progress["task_id"] = JSON.string(JSON.object(response.body)?["id"]) ?? ""
                }
            case .contactUpdated:
                guard let whoID, let type = progress["who_type"] else {
                    return .giveUp(reason: "no Salesforce Contact or Lead has this contact's phone number", progress: progress)
                }
                _ = try await call.perform(CRMCall.json(.PATCH, "\(root)/sobjects/\(type)/\(PercentEncoding.encode(whoID))", token: token,
                                                        body: activity.properties),
                                           step: "the \(type) update", now: now)
            }
            return .delivered(progress: progress)
        } catch {
            return error.attempt(progress: progress)
        }
    }

    /// Looks for a Contact, then an open Lead, with this number; remembers the answer (an empty
    /// `who_id` when there is none) so a retry does not ask again.
    func findPerson(_ phone: PhoneNumber, progress: inout [String: String], now: Date) async throws(CRMStop) {
        guard progress["who_id"] == nil else { return }
        for type in ["Contact", "Lead"] {
            let response = try await call.perform(Self.query(type: type, phone: phone, root: root, token: token),
                                                  step: "the \(type) query", now: now)
            let records = JSON.object(response.body)?["records"] as? [[String: Any]] ?? []
            if let id = records.first.flatMap({ JSON.string($0["Id"]) }) {
                progress["who_id"] = id
                progress["who_type"] = type
                return
            }
        }
        progress["who_id"] = ""
    }

    static func query(type: String, phone: PhoneNumber, root: String, token: String) -> ProviderRequest {
        // E.164 is "+" and digits; quoting it anyway keeps the statement safe whatever it holds.
        let literal = "'" + phone.e164.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        let open = type == "Lead" ? " AND IsConverted = false" : ""
        let soql = "SELECT Id FROM \(type) WHERE (Phone = \(literal) OR MobilePhone = \(literal))\(open) ORDER BY LastModifiedDate DESC LIMIT 1"
        return CRMCall.json(.GET, "\(root)/query", query: [ProviderRequest.Field("q", soql)], token: token)
    }

    static func task(_ activity: CRMActivity, whoID: String?, root: String, token: String) -> ProviderRequest {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = activity.zone
        let day = calendar.dateComponents([.year, .month, .day], from: activity.occurredAt)
        let date = String(format: "%04d-%02d-%02d", day.year ?? 1970, day.month ?? 1, day.day ?? 1)
        var body: [String: Any] = [
            "Subject": activity.event == .messageSent ? "Text message sent" : "Text message received",
            "Description": activity.body ?? "",
            "Status": "Completed",
            "ActivityDate": date,
        ]
        if let whoID { body["WhoId"] = whoID }
        return CRMCall.json(.POST, "\(root)/sobjects/Task", token: token, body: body)
    }
}
