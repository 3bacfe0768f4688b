// TextBack's own call-completed event (DESIGN §5), for telephony systems that post to us directly.
// Field errors name the field (never its value) so a 400 tells the sender exactly what to fix.

import Foundation
import TextBackCore

public enum NativeCallEvent {
    public static func callEvent(from body: Data, receivedAt: Date) throws(WebhookError) -> CallEvent {
        let parsed: JSONValue
        do { parsed = try JSONValue.parse([UInt8](body)) } catch { throw .malformed("malformed JSON: the body is not valid JSON (\(error))") }
        guard case .object(let object) = parsed else { throw .malformed("the body must be a JSON object") }
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
        if let value = object["occurred_at"], !value.isNull {
            guard let text = value.stringValue, let date = ISO8601Timestamp.parse(text) else {
                throw .invalidField("occurred_at", "must be an ISO 8601 date-time such as 2026-03-02T15:04:05Z")
            }
            occurredAt = date
        }
        var duration = 0
        if let value = object["duration_s"], !value.isNull {
            guard case .number(let seconds) = value, seconds >= 0, seconds < Double(Int32.max) else {
                throw .invalidField("duration_s", "must be a non-negative number of seconds")
            }
            duration = Int(seconds)
        }
        var voicemail = Voicemail()
        if let value = object["voicemail"], !value.isNull {
            guard let vm = value.objectValue else { throw .invalidField("voicemail", "must be an object with detected and left") }
            voicemail = Voicemail(detected: try bool(vm, "detected", path: "voicemail.detected"),
                                  left: try bool(vm, "left", path: "voicemail.left"))
        }
        var contact = ContactHint()
        if let value = object["contact"], !value.isNull {
            guard let c = value.objectValue else { throw .invalidField("contact", "must be an object") }
            contact.name = try optionalString(c, "name", path: "contact.name")
            contact.attributes = try stringMap(c["attributes"], path: "contact.attributes")
            if let tags = c["tags"], !tags.isNull {
                guard case .array(let items) = tags, let list = Optional(items.compactMap(\.stringValue)), list.count == items.count else {
                    throw .invalidField("contact.tags", "must be a list of strings")
                }
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

    static func requiredString(_ object: [String: JSONValue], _ key: String) throws(WebhookError) -> String {
        guard let value = object[key], !value.isNull else { throw .missingField(key) }
        guard let text = value.stringValue else { throw .invalidField(key, "must be a string") }
        guard !text.isBlank else { throw .invalidField(key, "must not be empty") }
        return text
    }

    static func optionalString(_ object: [String: JSONValue], _ key: String, path: String) throws(WebhookError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalidField(path, "must be a string") }
        return text
    }

    static func bool(_ object: [String: JSONValue], _ key: String, path: String) throws(WebhookError) -> Bool {
        guard let value = object[key], !value.isNull else { return false }
        guard case .bool(let flag) = value else { throw .invalidField(path, "must be true or false") }
        return flag
    }

    /// Any string is kept: a caller whose number cannot be texted is still a call to store (with a
    /// decision saying why no text goes out), never a 400 that loses it.
    static func phone(_ object: [String: JSONValue], _ key: String) throws(WebhookError) -> PhoneNumber {
        guard let value = object[key], !value.isNull else { throw .missingField(key) }
        guard let raw = value.stringValue else { throw .invalidField(key, "must be a string") }
        return PhoneNumber(callerID: raw)
    }

    /// Attributes and variables are string maps; numbers and booleans are accepted and kept as text.
    static func stringMap(_ value: JSONValue?, path: String) throws(WebhookError) -> [String: String] {
        guard let value, !value.isNull else { return [:] }
        guard let map = value.objectValue else { throw .invalidField(path, "must be an object of strings") }
        var result: [String: String] = [:]
        for (key, item) in map {
            switch item {
            case .string(let text): result[key] = text
            case .number(let number):
                result[key] = number.rounded() == number && abs(number) < 9.0e15 ? String(Int64(number)) : String(number)
            case .bool(let flag): result[key] = flag ? "true" : "false"
            case .null: continue
            default: throw .invalidField("\(path).\(key)", "must be a string, number or boolean")
            }
        }
        return result
    }
}
