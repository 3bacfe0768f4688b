// The person a business texts, as the engine knows them at one moment, and the business itself.

import Foundation

public struct Contact: Sendable, Codable, Hashable {
    public var id: ContactID
    public var phone: PhoneNumber
    public var name: String?
    /// Free-form attributes: lead_source, timezone, last_missed_call_sms_at, anything a CRM adds.
    public var attributes: [String: String]
    public var createdAt: Date
    /// The business this contact called or texted: the same phone at two businesses is two contacts.
    public var business: BusinessID

    public init(id: ContactID, phone: PhoneNumber, name: String? = nil, attributes: [String: String] = [:], createdAt: Date,
                business: BusinessID = .default) {
        self.business = business
        self.id = id
        self.phone = phone
        self.name = name
        self.attributes = attributes
        self.createdAt = createdAt
    }

    /// The first word of the name, as a greeting uses it ("Dana Reyes" → "Dana").
    public var firstName: String? {
        guard let name else { return nil }
        return name.split(whereSeparator: { $0.isWhitespace }).first.map(String.init)
    }

    public var lastName: String? {
        guard let name else { return nil }
        let parts = name.split(whereSeparator: { $0.isWhitespace })
        return parts.count > 1 ? parts.last.map(String.init) : nil
    }

    /// The IANA zone the contact said they live in (attribute `timezone`), if any.
    public var timeZoneIdentifier: String? { attributes["timezone"] }
}

/// Who is texting: fills {Company}, {Agency}, {School}, {Lender}, {Practice} and {number}.
public struct BusinessProfile: Sendable, Codable, Hashable {
    /// Which business of the install this is (a configuration directory's file name, or `business.id`).
    public var id: BusinessID = .default
    public var name: String
    public var phone: PhoneNumber?
    /// IANA zone used when a recipient's own zone is unknown.
    public var timeZone: String

    public init(name: String, phone: PhoneNumber? = nil, timeZone: String) {
        self.name = name
        self.phone = phone
        self.timeZone = timeZone
    }
}
