// Conversions between Swift values and their stored forms, shared by the storage engines.

import Foundation
import TextBackCore

package enum Coding {
    package static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    package static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    package static func attributes(_ text: String) throws -> [String: String] {
        guard case .object(let members)? = try? JSONValue.parse(text) else { throw StoreError.corrupt("stored attributes are not a JSON object") }
        return members.compactMapValues(\.stringValue)
    }

    /// A listing's `next` cursor: the positive row number the previous page ended at.
    package static func cursor(_ text: String?) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value > 0 else { throw StoreError.invalidCursor }
        return value
    }

    /// The conversations listing's cursor "<updated_at ms>.<id>" of the last item of the previous page.
    package static func conversationCursor(_ text: String?) throws -> (Int64, String)? {
        guard let text else { return nil }
        // Split at the first "." byte, not Character: a combining mark after the dot must not hide it.
        let bytes = Array(text.utf8)
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot < bytes.count - 1,
              let ms = Int64(String(decoding: bytes[..<dot], as: UTF8.self)) else { throw StoreError.invalidCursor }
        return (ms, String(decoding: bytes[(dot + 1)...], as: UTF8.self))
    }

    /// Decision reasons: a JSON array of strings (a reason may hold a comma).
    package static func reasonsJSON(_ reasons: [String]) -> String {
        JSONValue.array(reasons.map { .string($0) }).serialized
    }

    package static func reasons(_ text: String) throws -> [String] {
        guard case .array(let items)? = try? JSONValue.parse(text) else { throw StoreError.corrupt("stored reasons are not a JSON array") }
        return items.compactMap(\.stringValue)
    }
}

// MARK: - Call events

/// Call events are stored as JSON in the shape Swift's synthesized Codable gives `CallEvent` (so rows
/// written before this codec read back unchanged), but written and read by hand: profiling the ingest
/// path showed JSONEncoder/JSONDecoder costing more than all of the unit's SQL.
extension Coding {
    package static func eventJSON(_ e: CallEvent) -> String {
        var object: [String: JSONValue] = [
            "provider": .string(e.provider), "providerCallID": .string(e.providerCallID), "stage": .string(e.stage.rawValue),
            "occurredAt": .number(Double(ms(e.occurredAt))), "direction": .string(e.direction.rawValue),
            "outcome": .string(e.outcome.rawValue), "durationSeconds": .number(Double(e.durationSeconds)),
            "from": .string(e.from.e164), "to": .string(e.to.e164),
            "voicemail": .object(["detected": .bool(e.voicemail.detected), "left": .bool(e.voicemail.left)]),
            "variables": .object(e.variables.mapValues { .string($0) }),
        ]
        var contact: [String: JSONValue] = [
            "attributes": .object(e.contact.attributes.mapValues { .string($0) }),
            "tags": .array(e.contact.tags.map { .string($0) }),
        ]
        if let name = e.contact.name { contact["name"] = .string(name) }
        object["contact"] = .object(contact)
        if let agent = e.agentID { object["agentID"] = .string(agent) }
        if let campaign = e.campaign { object["campaign"] = .string(campaign) }
        return JSONValue.object(object).serialized
    }

    package static func event(_ text: String) throws -> CallEvent {
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch { throw StoreError.corrupt("a stored call event is not JSON: \(error)") }
        func string(_ key: String) throws -> String {
            guard let s = value[key]?.stringValue else { throw StoreError.corrupt("a stored call event lacks \(key)") }
            return s
        }
        func number(_ key: String) throws -> Double {
            guard case .number(let n)? = value[key] else { throw StoreError.corrupt("a stored call event lacks \(key)") }
            return n
        }
        func strings(_ value: JSONValue?) -> [String: String] {
            (value?.objectValue ?? [:]).compactMapValues(\.stringValue)
        }
        guard let stage = CallStage(rawValue: try string("stage")), let direction = CallDirection(rawValue: try string("direction")),
              let outcome = CallOutcome(rawValue: try string("outcome"))
        else { throw StoreError.corrupt("a stored call event has an unknown stage, direction or outcome") }
        let voicemail = value["voicemail"]
        let contact = value["contact"]
        var tags: [String] = []
        if case .array(let items)? = contact?["tags"] { tags = items.compactMap(\.stringValue) }
        return CallEvent(
            provider: try string("provider"), providerCallID: try string("providerCallID"), stage: stage,
            occurredAt: date(Int64(try number("occurredAt"))), direction: direction, outcome: outcome,
            durationSeconds: Int(try number("durationSeconds")),
            // Written by `eventJSON` from numbers already parsed (`PhoneNumber(callerID:)` keeps what it made
            // as is), so reading them back needs no second parse.
            from: PhoneNumber(trustedE164: try string("from")), to: PhoneNumber(trustedE164: try string("to")),
            agentID: value["agentID"]?.stringValue,
            voicemail: Voicemail(detected: voicemail?["detected"] == .bool(true), left: voicemail?["left"] == .bool(true)),
            contact: ContactHint(name: contact?["name"]?.stringValue, attributes: strings(contact?["attributes"]), tags: tags),
            variables: strings(value["variables"]), campaign: value["campaign"]?.stringValue)
    }

    /// Contact attributes: a flat JSON object of strings.
    package static func attributesJSON(_ attributes: [String: String]) -> String {
        JSONValue.object(attributes.mapValues { .string($0) }).serialized
    }
}
