// The names a condition may use. Call fields are a closed set, so a typo is caught when the
// configuration loads rather than silently evaluating to null on every call; contact fields are open
// because CRMs add attributes freely.

enum FieldType: Sendable, Hashable {
    case string
    /// A string with a fixed vocabulary, such as a call outcome: literals are checked at parse time.
    case enumeration([String])
    case number
    case bool
    case timestamp
}

enum ExpressionNames {
    static let callFields: [(path: String, type: FieldType)] = [
        ("call.outcome", .enumeration(CallOutcome.allCases.map(\.rawValue))),
        ("call.direction", .enumeration(CallDirection.allCases.map(\.rawValue))),
        ("call.duration_s", .number),
        ("call.agent_id", .string),
        ("call.campaign", .string),
        ("call.lead_source", .string),
        ("call.voicemail.left", .bool),
        ("call.voicemail.detected", .bool),
        ("call.from", .string),
        ("call.to", .string),
        ("call.occurred_at", .timestamp),
        ("call.provider", .string),
    ]

    static let contactFields: [(path: String, type: FieldType)] = [
        ("contact.name", .string),
        ("contact.first_name", .string),
        ("contact.last_name", .string),
        ("contact.phone", .string),
        ("contact.id", .string),
        ("contact.created_at", .timestamp),
    ]

    /// Everything a suggestion may point at, most commonly meant first.
    static var suggestible: [String] {
        callFields.map(\.path) + contactFields.map(\.path)
            + ["contact.lead_source", "contact.attributes.lead_source", "now", "true", "false", "null"]
    }

    static func type(of path: String) -> FieldType? {
        if let field = callFields.first(where: { $0.path == path }) { return field.type }
        if let field = contactFields.first(where: { $0.path == path }) { return field.type }
        if path == "now" { return .timestamp }
        if path.hasPrefix("call.variables.") { return .string }
        return nil
    }

    /// nil when `path` may be used, else the message that says what is wrong and what would be right.
    static func problem(with path: String) -> String? {
        if path == "now" { return nil }
        switch path {
        case "and": return "unexpected 'and'; combine conditions with &&"
        case "or": return "unexpected 'or'; combine alternatives with ||"
        case "not": return "unexpected 'not'; negate a condition with !"
        case "call": return "'call' is not a value by itself; name a field such as call.outcome"
        case "contact": return "'contact' is not a value by itself; name a field such as contact.name or contact.lead_source"
        case "call.variables": return "name a call variable, as in call.variables.service"
        case "call.voicemail": return "name call.voicemail.left or call.voicemail.detected"
        case "contact.attributes": return "name an attribute, as in contact.attributes.lead_source"
        default: break
        }
        if path.hasPrefix("call.") {
            if callFields.contains(where: { $0.path == path }) { return nil }
            if path.hasPrefix("call.variables."), path.count > "call.variables.".count { return nil }
            if let suggestion = SpellingSuggestion.closest(to: path, among: callFields.map(\.path)) {
                return "unknown name '\(path)'; did you mean '\(suggestion)'?"
            }
            let known = callFields.map(\.path).joined(separator: ", ")
            return "unknown name '\(path)'; call fields are \(known) and call.variables.<name>"
        }
        // Any contact.<name> may be an attribute a CRM added, so only its presence is checked, at run time.
        if path.hasPrefix("contact.") { return nil }
        let lastSegment = path.split(separator: ".").last.map(String.init) ?? path
        if let owner = suggestible.first(where: { $0.hasSuffix("." + lastSegment) }) {
            return "unknown name '\(path)'; did you mean '\(owner)'?"
        }
        if let suggestion = SpellingSuggestion.closest(to: path, among: suggestible) {
            return "unknown name '\(path)'; did you mean '\(suggestion)'?"
        }
        return "unknown name '\(path)'; names are now or start with call. or contact. (e.g. call.outcome, contact.name)"
    }
}
