// TextBack's own call-completed event (DESIGN §5), for telephony systems that post to us directly.
// Field errors name the field (never its value) so a 400 tells the sender exactly what to fix.

import Foundation
import TextBackCore

public enum NativeCallEvent {
    public static func callEvent(from body: Data, receivedAt: Date) throws(WebhookError) -> CallEvent {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw WebhookError.malformed("the body must be a JSON object")
            }
            object = parsed
        } catch let error as WebhookError {
            throw error
        } catch {
            throw .malformed("malformed JSON: the body is not valid JSON")
        }
        let callID = try requiredString(object, "call_id")
        let directionWord = try requiredString(object, "direction")
        guard let direction = CallDirection(rawValue: directionWord.lowercased()) else {
            throw .invalidField("direction", "must be \"inbound\" or \"outbound\"")
        }
        let outcomeWord = try requiredString(object, "outcome")
        // An outcome we do not know is kept as `unknown`: stored, acknowledged, and never texted.
        let outcome = CallOutcome(rawValue: outcomeWord.lowercased()) ?? .unknown
        let from = try phone(object, "from")
        let to = try phone(object, "to")
        var occurredAt = receivedAt
        if object["occurred_at"] != nil {
            guard let text = object["occurred_at"] as? String, let date = ISO8601Timestamp.parse(text) else {
                throw .invalidField("occurred_at", "must be an ISO 8601 date-time such as 2026-03-02T15:04:05Z")
            }
            occurredAt = date
        }
        var duration = 0
        if let value = object["duration_s"], !(value is NSNull) {
            guard let number = value as? NSNumber, !isJSONBoolean(value), number.doubleValue >= 0 else {
                throw .invalidField("duration_s", "must be a non-negative number of seconds")
            }
            duration = number.intValue
        }
        var voicemail = Voicemail()
        if let value = object["voicemail"], !(value is NSNull) {
            guard let vm = value as? [String: Any] else { throw .invalidField("voicemail", "must be an object with detected and left") }
            voicemail = Voicemail(detected: try bool(vm, "detected", path: "voicemail.detected"),
                                  left: try bool(vm, "left", path: "voicemail.left"))
        }
        var contact = ContactHint()
        if let value = object["contact"], !(value is NSNull) {
            guard let c = value as? [String: Any] else { throw .invalidField("contact", "must be an object") }
            contact.name = try optionalString(c, "name", path: "contact.name")
            contact.attributes = try stringMap(c["attributes"], path: "contact.attributes")
            if let tags = c["tags"] {
                guard let list = tags as? [String] else { throw .invalidField("contact.tags", "must be a list of strings") }
                contact.tags = list
            }
        }
        if let leadSource = try optionalString(object, "lead_source", path: "lead_source"), contact.attributes["lead_source"] == nil {
            contact.attributes["lead_source"] = leadSource
        }
        var finalOutcome = outcome
        if outcome == .noAnswer, voicemail.left { finalOutcome = .leftVoicemail }
        return CallEvent(provider: "native", providerCallID: callID, stage: .ended, occurredAt: occurredAt,
                         direction: direction, outcome: finalOutcome, durationSeconds: duration, from: from, to: to,
                         agentID: try optionalString(object, "agent_id", path: "agent_id"), voicemail: voicemail,
                         contact: contact, variables: try stringMap(object["variables"], path: "variables"),
                         campaign: try optionalString(object, "campaign", path: "campaign"))
    }

    static func requiredString(_ object: [String: Any], _ key: String) throws(WebhookError) -> String {
        guard let value = object[key], !(value is NSNull) else { throw .missingField(key) }
        guard let text = value as? String else { throw .invalidField(key, "must be a string") }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidField(key, "must not be empty") }
        return text
    }

    static func optionalString(_ object: [String: Any], _ key: String, path: String) throws(WebhookError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw .invalidField(path, "must be a string") }
        return text
    }

    static func bool(_ object: [String: Any], _ key: String, path: String) throws(WebhookError) -> Bool {
        guard let value = object[key], !(value is NSNull) else { return false }
        guard isJSONBoolean(value), let flag = value as? Bool else { throw .invalidField(path, "must be true or false") }
        return flag
    }

    /// Any string is kept: a caller whose number cannot be texted is still a call to store (with a
    /// decision saying why no text goes out), never a 400 that loses it.
    static func phone(_ object: [String: Any], _ key: String) throws(WebhookError) -> PhoneNumber {
        guard let value = object[key], !(value is NSNull) else { throw .missingField(key) }
        guard let raw = value as? String else { throw .invalidField(key, "must be a string") }
        return PhoneNumber(callerID: raw)
    }

    /// Attributes and variables are string maps; numbers and booleans are accepted and kept as text.
    static func stringMap(_ value: Any?, path: String) throws(WebhookError) -> [String: String] {
        guard let value, !(value is NSNull) else { return [:] }
        guard let map = value as? [String: Any] else { throw .invalidField(path, "must be an object of strings") }
        var result: [String: String] = [:]
        for (key, item) in map {
            switch item {
            case let text as String: result[key] = text
            case let number as NSNumber: result[key] = number.stringValue
            case is NSNull: continue
            default: throw .invalidField("\(path).\(key)", "must be a string, number or boolean")
            }
        }
        return result
    }

    /// JSON true/false arrive as NSNumber too, and on Linux `0 is Bool` holds: look at the stored type.
    static func isJSONBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return String(cString: number.objCType) == "c"
    }
}
