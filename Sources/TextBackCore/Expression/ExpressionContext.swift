// What a condition can see about one call: the call event, the contact as stored (or, before the
// contact exists, what the call told us about them) and the instant of evaluation, passed in
// because Core never reads the clock.

import Foundation

public struct ExpressionContext: Sendable {
    public let call: CallEvent
    public let contact: Contact?
    public let now: Date

    public init(call: CallEvent, contact: Contact?, now: Date) {
        self.call = call
        self.contact = contact
        self.now = now
    }

    /// The value of a dotted name; `.null` when the field is absent.
    public func value(at path: String) -> ExpressionValue {
        if path == "now" { return .timestamp(now) }
        if path.hasPrefix("call.") { return callValue(String(path.dropFirst("call.".count))) }
        if path.hasPrefix("contact.") { return contactValue(String(path.dropFirst("contact.".count))) }
        return .null
    }

    private func callValue(_ field: String) -> ExpressionValue {
        switch field {
        case "outcome": return .string(call.outcome.rawValue)
        case "direction": return .string(call.direction.rawValue)
        case "duration_s": return .number(Double(call.durationSeconds))
        case "agent_id": return optional(call.agentID)
        case "campaign": return optional(call.campaign)
        case "lead_source": return optional(call.leadSource)
        case "voicemail.left": return .bool(call.voicemail.left)
        case "voicemail.detected": return .bool(call.voicemail.detected)
        case "from": return .string(call.from.e164)
        case "to": return .string(call.to.e164)
        case "occurred_at": return .timestamp(call.occurredAt)
        case "provider": return .string(call.provider)
        default:
            if field.hasPrefix("variables.") {
                return optional(Self.lookup(String(field.dropFirst("variables.".count)), in: call.variables))
            }
            return .null
        }
    }

    private func contactValue(_ field: String) -> ExpressionValue {
        let name = contact?.name ?? call.contact.name
        let words = name.map { $0.split(whereSeparator: { $0.isWhitespace }).map(String.init) } ?? []
        switch field {
        case "name": return optional(name)
        case "first_name": return optional(words.first)
        case "last_name": return words.count > 1 ? optional(words.last) : .null
        case "phone": return .string((contact?.phone ?? call.contactPhone).e164)
        case "id": return optional(contact?.id.rawValue)
        case "created_at": return contact.map { .timestamp($0.createdAt) } ?? .null
        default:
            let key = field.hasPrefix("attributes.") ? String(field.dropFirst("attributes.".count)) : field
            // The stored contact first; what this call said about them fills the gaps (a new lead).
            if let contact, let value = Self.lookup(key, in: contact.attributes) { return .string(value) }
            return optional(Self.lookup(key, in: call.contact.attributes))
        }
    }

    private func optional(_ text: String?) -> ExpressionValue {
        text.map { .string($0) } ?? .null
    }

    /// Exact key first; otherwise ignore case, because CRMs disagree about "Lead_Source".
    static func lookup(_ key: String, in values: [String: String]) -> String? {
        if let exact = values[key] { return exact }
        let lowered = key.lowercased()
        return values.first(where: { $0.key.lowercased() == lowered })?.value
    }
}
