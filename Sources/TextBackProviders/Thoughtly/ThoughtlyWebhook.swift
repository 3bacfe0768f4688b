// Thoughtly's call webhook (an AI voice agent platform) normalized into a call event.
//
// Shape: {id, status, duration_ms (a string), contact{phone_number, name, attributes, tags},
// phone_number (the agent's number), start_time, end_time, transcript, metadata}. Status words come
// upper-case ("NO_ANSWER") or as labels ("No Answer"); anything unknown ends the call as `unknown`.
// Thoughtly mostly dials out, so a call without a `direction` is outbound.

import Foundation
import TextBackCore

public enum ThoughtlyWebhook {
    public static func callEvent(from body: Data, receivedAt: Date) throws(WebhookError) -> CallEvent {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw WebhookError.malformed("the Thoughtly webhook body must be a JSON object")
            }
            object = parsed
        } catch let error as WebhookError {
            throw error
        } catch {
            throw .malformed("the Thoughtly webhook body is not valid JSON")
        }
        guard let id = string(object["id"]) else { throw .missingField("id") }
        guard let status = string(object["status"]) else { throw .missingField("status") }
        let contact = object["contact"] as? [String: Any] ?? [:]
        guard let contactRaw = string(contact["phone_number"]) else { throw .missingField("contact.phone_number") }
        guard let businessRaw = string(object["phone_number"]) else { throw .missingField("phone_number") }
        // A number we cannot text is still a call to keep: the engine records why it gets no text.
        let contactPhone = PhoneNumber(callerID: contactRaw)
        let businessPhone = PhoneNumber(callerID: businessRaw)
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        let directionWord = (string(object["direction"]) ?? string(metadata["direction"]) ?? "outbound").lowercased()
        let direction: CallDirection = directionWord.hasPrefix("in") ? .inbound : .outbound
        let (stage, outcome) = mapStatus(status)
        let durationMS = Double(string(object["duration_ms"]) ?? "") ?? 0

        var attributes: [String: String] = [:]
        for (key, value) in contact["attributes"] as? [String: Any] ?? [:] {
            if let text = string(value) { attributes[key] = text }
        }
        var variables: [String: String] = [:]
        for (key, value) in metadata["variables"] as? [String: Any] ?? metadata {
            if key != "direction", let text = string(value) { variables[key] = text }
        }
        if let leadSource = string(metadata["lead_source"]), attributes["lead_source"] == nil {
            attributes["lead_source"] = leadSource
        }
        let occurredAt = date(object["end_time"]) ?? date(object["start_time"]) ?? receivedAt
        return CallEvent(
            provider: "thoughtly", providerCallID: id, stage: stage, occurredAt: occurredAt, direction: direction,
            outcome: outcome, durationSeconds: Int(durationMS / 1000),
            from: direction == .inbound ? contactPhone : businessPhone,
            to: direction == .inbound ? businessPhone : contactPhone,
            agentID: string(object["agent_id"]) ?? string(metadata["agent_id"]),
            voicemail: Voicemail(detected: outcome == .leftVoicemail, left: outcome == .leftVoicemail),
            contact: ContactHint(name: string(contact["name"]), attributes: attributes,
                                 tags: (contact["tags"] as? [Any] ?? []).compactMap(string)),
            variables: variables, campaign: string(metadata["campaign"]))
    }

    static func mapStatus(_ raw: String) -> (CallStage, CallOutcome) {
        let word = raw.uppercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        switch word {
        case "NOT_STARTED", "QUEUED", "SCHEDULED": return (.queued, .unknown)
        case "RINGING", "DIALING": return (.ringing, .unknown)
        case "IN_PROGRESS", "ONGOING": return (.inProgress, .unknown)
        case "COMPLETED": return (.ended, .completed)
        case "NO_ANSWER": return (.ended, .noAnswer)
        case "LEFT_VOICEMAIL", "VOICEMAIL": return (.ended, .leftVoicemail)
        case "BUSY": return (.ended, .busy)
        case "FAILED": return (.ended, .failed)
        case "TRANSFERRED": return (.ended, .transferred)
        case "CANCELED", "CANCELLED": return (.ended, .canceled)
        default: return (.ended, .unknown)
        }
    }

    static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s.trimmingCharacters(in: .whitespaces).isEmpty ? nil : s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    static func date(_ value: Any?) -> Date? {
        string(value).flatMap(ISO8601Timestamp.parse)
    }
}
