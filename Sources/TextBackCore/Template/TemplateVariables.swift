// Where placeholder values come from, in order: built-in names (the contact's name, the business,
// its phone, now, the agent, campaign and lead source), then the contact's attributes, then the
// call's captured variables, then the configuration's declared defaults. Every lookup ignores case.

import Foundation

public struct TemplateVariables: Sendable {
    public let business: BusinessProfile
    public let contact: Contact?
    public let call: CallEvent?
    public let now: Date
    /// The recipient's zone, for {Greeting}; the business's zone when nil.
    public let timeZone: TimeZone?
    /// Defaults of the configuration's `variables:` section, consulted after everything else.
    public var defaults: [String: String]

    public init(
        business: BusinessProfile, contact: Contact?, call: CallEvent?, now: Date, timeZone: TimeZone?,
        defaults: [String: String] = [:]
    ) {
        self.business = business
        self.contact = contact
        self.call = call
        self.now = now
        self.timeZone = timeZone
        self.defaults = defaults
    }

    /// Built-in names in the spelling the documentation and suggestions use, most common first.
    public static let builtInSpellings: [String] = [
        "Name", "FirstName", "first_name", "LastName", "last_name", "FullName", "full_name",
        "Company", "Agency", "School", "Lender", "Practice", "Business",
        "number", "BusinessPhone", "business_phone", "phone",
        "now", "Agent", "agent_id", "Campaign", "lead_source", "Greeting",
    ]

    /// Built-in names, lowercased: these always resolve at load time.
    public static let builtInNames: Set<String> = Set(builtInSpellings.map { $0.lowercased() })

    /// Lead fields so common that templates may use them without declaring them (DESIGN's
    /// home-services text says "{service}"). They come from attributes or call variables at run time.
    public static let standardLeadFields: Set<String> = ["service"]

    public func value(for name: String) -> String? {
        let key = name.lowercased()
        if Self.builtInNames.contains(key) { return builtIn(key) }
        if let contact, let value = ExpressionContext.lookup(name, in: contact.attributes) { return value }
        if let call {
            if let value = ExpressionContext.lookup(name, in: call.contact.attributes) { return value }
            if let value = ExpressionContext.lookup(name, in: call.variables) { return value }
        }
        return ExpressionContext.lookup(name, in: defaults)
    }

    private var fullName: String? {
        let name = contact?.name ?? call?.contact.name
        let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed?.isEmpty == false ? trimmed : nil
    }

    private func builtIn(_ key: String) -> String? {
        let words = fullName.map { $0.split(whereSeparator: { $0.isWhitespace }).map(String.init) } ?? []
        switch key {
        case "name", "firstname", "first_name": return words.first
        case "lastname", "last_name": return words.count > 1 ? words.last : nil
        case "fullname", "full_name": return fullName
        case "company", "agency", "school", "lender", "practice", "business": return business.name
        case "number", "businessphone", "business_phone", "phone":
            return (business.phone ?? call?.businessPhone).map(Self.displayPhone)
        case "now": return ISO8601Timestamp.format(now)
        case "agent", "agent_id": return call?.agentID
        case "campaign": return call?.campaign
        case "lead_source":
            return contact.flatMap { ExpressionContext.lookup("lead_source", in: $0.attributes) } ?? call?.leadSource
        case "greeting": return greeting
        default: return nil
        }
    }

    private var greeting: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone ?? TimeZone(identifier: business.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let hour = calendar.component(.hour, from: now)
        return hour < 12 ? "Good morning" : (hour < 17 ? "Good afternoon" : "Good evening")
    }

    /// How a person writes the number: "(512) 555-0100" in North America, E.164 elsewhere.
    public static func displayPhone(_ phone: PhoneNumber) -> String {
        guard let national = phone.nationalNumber else { return phone.e164 }
        let digits = Array(national)
        return "(\(String(digits[0..<3]))) \(String(digits[3..<6]))-\(String(digits[6..<10]))"
    }
}
