// The business's sending policy: how often a contact may be texted, the quiet hours and business
// hours, how long a held text stays worth sending, the consent model and the HELP / opt-out texts.
// Federal and state rules are applied on top by the policy decision; these settings can only
// narrow them.

import TextBackCore

public struct PolicySettings: Sendable, Hashable {
    // The time and consent types are Core's own (Timing, Policy): the file's values are exactly what
    // the sending window and the decision function take, with no second model to keep in step.
    public var frequencyCap: FrequencyCap
    /// Recipient-local quiet span; federal and state rules apply on top.
    public var quietHours: QuietHours
    /// When the business is willing to text, in its own time zone; nil means any time the law allows.
    public var businessHours: BusinessHours?
    /// A held text this long after its call is dropped, with its reason.
    public var staleAfter: TimeSpan
    public var consentMode: ConsentMode
    /// The reply to HELP / INFO.
    public var helpText: MessageTemplate
    /// The one confirmation allowed after an opt-out; no marketing.
    public var optOutConfirmation: MessageTemplate
    /// Whether state quiet-hour and frequency rules (FL, OK, TX, ...) apply on top of federal ones.
    public var stateRules: Bool
    /// Whether a number is looked up (Twilio Lookup, Telnyx Number Lookup) before it is first texted,
    /// so texts to landlines are skipped instead of failing. Off by default: lookups are billed.
    public var landlineCheck: Bool

    public init(
        frequencyCap: FrequencyCap = FrequencyCap(max: 1, per: .hours(24)), quietHours: QuietHours = PolicySettings.defaultQuietHours,
        businessHours: BusinessHours? = nil, staleAfter: TimeSpan = .hours(18), consentMode: ConsentMode = .universal,
        helpText: MessageTemplate, optOutConfirmation: MessageTemplate = PolicySettings.defaultOptOutConfirmation,
        stateRules: Bool = true, landlineCheck: Bool = false
    ) {
        self.frequencyCap = frequencyCap
        self.quietHours = quietHours
        self.businessHours = businessHours
        self.staleAfter = staleAfter
        self.consentMode = consentMode
        self.helpText = helpText
        self.optOutConfirmation = optOutConfirmation
        self.stateRules = stateRules
        self.landlineCheck = landlineCheck
    }

    /// 21:00 to 08:00: the federal calling hours are 08:00–21:00 recipient local time (47 CFR 64.1200(c)(1)).
    public static let defaultQuietHours = QuietHours(
        start: ClockTime(minuteOfDay: 21 * 60), end: ClockTime(minuteOfDay: 8 * 60))

    public static let defaultOptOutConfirmationText =
        "You're unsubscribed from {Company} texts. No more messages will be sent. Reply START to resubscribe."

    // The literal above parses (a test pins it); the plain-text fallback only avoids a forced try.
    public static let defaultOptOutConfirmation: MessageTemplate =
        (try? MessageTemplate(parsing: defaultOptOutConfirmationText))
        ?? MessageTemplate(text: "You're unsubscribed. No more messages will be sent. Reply START to resubscribe.")

    /// A HELP reply naming the business, a way to reach it, the frequency, the rates notice and how
    /// to stop, as carriers require. `phone` is the number to call; the business's own when nil.
    public static func defaultHelpText(business: BusinessProfile, phone: PhoneNumber?) -> MessageTemplate {
        let reach = (business.phone ?? phone).map { "Call us at \(TemplateVariables.displayPhone($0)) or reply here." } ?? "Reply here for help."
        return MessageTemplate(
            text: business.name
                + ": missed-call follow-up texts. \(reach) Msg frequency varies. Msg&data rates may apply. Reply STOP to opt out.")
    }

    /// Every setting at its default.
    public static func defaults(business: BusinessProfile, phone: PhoneNumber? = nil) -> PolicySettings {
        PolicySettings(helpText: defaultHelpText(business: business, phone: phone))
    }
}
