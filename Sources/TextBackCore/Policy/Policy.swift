// The one decision every outgoing text passes: send now, defer until an instant, or suppress.
//
// Pure: everything it looks at comes in as a parameter, and the answer carries reason codes and a
// sentence that is stored as is. The order is the order the law asks for:
//   1. legal — suppression list, opt-out, consent;
//   2. superseded — the contact has since connected on a call or replied (the text is cancelled);
//   3. timing — recipient-local quiet hours and state rules, and staleness;
//   4. caps — the per-contact frequency cap and the FL/OK/MD 3-per-24h limit;
//   5. configuration — a draft or paused automation.
// So an opted-out contact in quiet hours is *suppressed*, never merely deferred.

import Foundation

/// What kind of text is being decided: the rules differ for confirmations the law allows.
public enum OutgoingKind: String, Sendable, Codable {
    /// An automated follow-up from an automation (missed-call text and the like).
    case automated
    /// The one confirmation after an opt-out: no marketing, within 5 minutes, exempt from suppression.
    case optOutConfirmation = "opt_out_confirmation"
    /// The reply to HELP/INFO: always allowed, even to an opted-out contact.
    case help
    /// The confirmation after START/UNSTOP.
    case optInConfirmation = "opt_in_confirmation"
}

public enum ConsentMode: String, Sendable, Codable, CaseIterable {
    /// Any revocation blocks every automated text.
    case universal
    /// A revocation scoped to a message type blocks only that type.
    case granular
}

public struct OutgoingText: Sendable, Hashable {
    public var kind: OutgoingKind
    public var to: PhoneNumber
    /// "missed_call" etc.; consent scopes and caps key off it.
    public var messageType: String
    public var requiredConsent: ConsentKind
    /// Lifecycle of the automation that wants to send, when there is one.
    public var automationID: AutomationID?
    public var automationStatus: String?
    /// When the event that asked for this text happened (the missed call): staleness and
    /// "connected or replied since" are measured from here.
    public var triggeredAt: Date

    public init(kind: OutgoingKind = .automated, to: PhoneNumber, messageType: String = "missed_call",
                requiredConsent: ConsentKind = .implied, automationID: AutomationID? = nil,
                automationStatus: String? = nil, triggeredAt: Date) {
        self.kind = kind; self.to = to; self.messageType = messageType; self.requiredConsent = requiredConsent
        self.automationID = automationID; self.automationStatus = automationStatus; self.triggeredAt = triggeredAt
    }
}

/// The facts about a contact's past that the decision needs, already extracted from storage.
public struct PolicyHistory: Sendable, Hashable {
    public var suppression: SuppressionRecord?
    public var consents: [ConsentRecord]
    /// Times of automated texts already sent (or being sent) to this contact, any automation.
    public var automatedTextTimes: [Date]
    /// Times of texts of this message type sent to this contact (for the frequency cap).
    public var sameTypeTextTimes: [Date]
    /// Times the contact connected on a call (an answered, completed call).
    public var connectedCallTimes: [Date]
    /// Times the contact texted us.
    public var inboundMessageTimes: [Date]

    public init(suppression: SuppressionRecord? = nil, consents: [ConsentRecord] = [], automatedTextTimes: [Date] = [],
                sameTypeTextTimes: [Date] = [], connectedCallTimes: [Date] = [], inboundMessageTimes: [Date] = []) {
        self.suppression = suppression; self.consents = consents; self.automatedTextTimes = automatedTextTimes
        self.sameTypeTextTimes = sameTypeTextTimes; self.connectedCallTimes = connectedCallTimes
        self.inboundMessageTimes = inboundMessageTimes
    }
}

public struct FrequencyCap: Sendable, Hashable, Codable {
    public var max: Int
    public var per: TimeSpan
    public init(max: Int = 1, per: TimeSpan = .hours(24)) { self.max = max; self.per = per }
}

public struct SendPolicy: Sendable {
    public var frequencyCap: FrequencyCap
    public var sendingRules: SendingRules
    public var consentMode: ConsentMode
    public var businessTimeZone: String
    /// Apply the state table (quiet hours, Sundays, holidays, FL/OK/MD caps). On by default.
    public var stateRules: Bool

    public init(frequencyCap: FrequencyCap = FrequencyCap(max: 1, per: .hours(24)), sendingRules: SendingRules,
                consentMode: ConsentMode = .universal, businessTimeZone: String, stateRules: Bool = true) {
        self.frequencyCap = frequencyCap; self.sendingRules = sendingRules; self.consentMode = consentMode
        self.businessTimeZone = businessTimeZone; self.stateRules = stateRules
    }
}

public enum Verdict: Sendable, Hashable {
    case send
    case `defer`(until: Date)
    case suppress
}

public struct PolicyDecision: Sendable, Hashable {
    public var verdict: Verdict
    public var reasons: [String]
    public var sentence: String

    public init(_ verdict: Verdict, reasons: [String], sentence: String) {
        self.verdict = verdict; self.reasons = reasons; self.sentence = sentence
    }

    /// True when the text was overtaken by the contact (connected or replied): a cancellation, not a block.
    public var isCancellation: Bool {
        verdict == .suppress && (reasons.contains("connected") || reasons.contains("replied"))
    }
}

public enum Policy {
    public static func decide(_ text: OutgoingText, contact: Contact, history: PolicyHistory, policy: SendPolicy, now: Date) -> PolicyDecision {
        if let decision = legal(text, history: history, policy: policy) { return decision }
        guard text.kind == .automated else {
            return PolicyDecision(.send, reasons: [text.kind.rawValue], sentence: "A \(text.kind.rawValue.replacingOccurrences(of: "_", with: " ")) is always allowed and goes out now.")
        }
        if let decision = superseded(text, history: history) { return decision }
        if let decision = timing(text, contact: contact, policy: policy, now: now) { return decision }
        if let decision = caps(text, history: history, policy: policy, now: now) { return decision }
        if let decision = configuration(text) { return decision }
        return PolicyDecision(.send, reasons: ["allowed"], sentence: "Every rule allows this text now: no opt-out, consent on record, inside the recipient's sending window and under every cap.")
    }

    // MARK: 1. Legal

    /// The legal stage alone: suppression, opt-out and consent. nil when the law does not block the text.
    public static func legal(_ text: OutgoingText, history: PolicyHistory, policy: SendPolicy) -> PolicyDecision? {
        // HELP answers and the single opt-out confirmation are what the rules allow to an opted-out number.
        if text.kind == .help || text.kind == .optOutConfirmation { return nil }
        if let suppression = history.suppression {
            let code = suppression.reason == "opt_out" ? "opted_out" : "suppressed"
            return PolicyDecision(.suppress, reasons: [code, "suppression:\(suppression.reason)"],
                                  sentence: "The number is on the suppression list (\(suppression.reason), from \(suppression.source)), so no text may go to it.")
        }
        if text.kind == .optInConfirmation { return nil }
        let revoked = history.consents.filter { !$0.isActive }
        let active = history.consents.filter(\.isActive)
        let applies: (ConsentRecord) -> Bool = { policy.consentMode == .universal || $0.scope == "all" || $0.scope == text.messageType }
        let relevantActive = active.filter(applies)
        if let latestRevocation = revoked.filter(applies).compactMap(\.revokedAt).max(),
           !relevantActive.contains(where: { $0.recordedAt > latestRevocation })
        {
            return PolicyDecision(.suppress, reasons: ["consent_revoked"],
                                  sentence: "The contact revoked consent and has not given it again, so no automated text may go out.")
        }
        let strongest = relevantActive.map(\.kind).max() ?? .none
        if strongest < text.requiredConsent {
            return PolicyDecision(.suppress, reasons: ["consent_missing"],
                                  sentence: "This automation needs \(describe(text.requiredConsent)) consent; the contact has \(strongest == .none ? "none on record" : describe(strongest) + " consent only").")
        }
        return nil
    }

    static func describe(_ kind: ConsentKind) -> String {
        switch kind {
        case .none: "no"
        case .implied: "implied"
        case .expressWritten: "express written"
        }
    }

    // MARK: 2. Superseded

    static func superseded(_ text: OutgoingText, history: PolicyHistory) -> PolicyDecision? {
        if history.connectedCallTimes.contains(where: { $0 > text.triggeredAt }) {
            return PolicyDecision(.suppress, reasons: ["connected"],
                                  sentence: "Cancelled: the contact has since connected on a call, so the follow-up text is no longer needed.")
        }
        if history.inboundMessageTimes.contains(where: { $0 > text.triggeredAt }) {
            return PolicyDecision(.suppress, reasons: ["replied"],
                                  sentence: "Cancelled: the contact has since texted the business, so the conversation continues there instead.")
        }
        return nil
    }

    // MARK: 3. Timing

    /// The recipient's sending window at `now` (every zone the contact may be in, the state's rules
    /// when on): the check, and when it refuses, the first instant every rule allows (nil when none
    /// exists in the next two weeks).
    public static func window(to number: PhoneNumber, contact: Contact?, policy: SendPolicy, now: Date) -> (check: WindowCheck, next: Date?) {
        let zones = SendingWindow.recipientZones(contactTimeZone: contact?.timeZoneIdentifier, number: number,
                                                 businessZone: policy.businessTimeZone)
        let region = policy.stateRules ? NANP.region(for: number) : nil
        let check = SendingWindow.check(at: now, zones: zones, region: region, rules: policy.sendingRules)
        if check.allowed { return (check, now) }
        return (check, SendingWindow.firstAllowedInstant(atOrAfter: now, zones: zones, region: region, rules: policy.sendingRules))
    }

    static func timing(_ text: OutgoingText, contact: Contact, policy: SendPolicy, now: Date) -> PolicyDecision? {
        let (check, next) = window(to: text.to, contact: contact, policy: policy, now: now)
        // The instant the text would go out: now, or the first one every rule allows.
        let sendAt: Date
        if let next {
            sendAt = next
        } else {
            return PolicyDecision(.suppress, reasons: check.reasons + ["no_window"],
                                  sentence: check.sentence + " No allowed instant exists in the next two weeks, so the text is dropped.")
        }
        // Late is not always better: after a hold, downtime or a backlog the text may no longer make sense.
        if let staleAfter = policy.sendingRules.staleAfter,
           SendingWindow.isStale(createdAt: text.triggeredAt, sendAt: sendAt, staleAfter: staleAfter)
        {
            let why = check.allowed
                ? "It is now more than \(staleAfter) after the call, too late for this text to make sense, so it is dropped."
                : check.sentence + " The next allowed time is more than \(staleAfter) after the call, too late to make sense, so the text is dropped."
            return PolicyDecision(.suppress, reasons: (check.allowed ? [] : check.reasons) + ["stale"], sentence: why)
        }
        if check.allowed { return nil }
        return PolicyDecision(.defer(until: sendAt), reasons: check.reasons,
                              sentence: check.sentence + " Held until \(iso(sendAt)).")
    }

    // MARK: 4. Caps

    /// The caps stage alone: the frequency cap and the state limits on automated texts.
    public static func caps(_ text: OutgoingText, history: PolicyHistory, policy: SendPolicy, now: Date) -> PolicyDecision? {
        let cap = policy.frequencyCap
        let windowStart = now.addingTimeInterval(-cap.per.timeInterval)
        let recent = history.sameTypeTextTimes.filter { $0 > windowStart }
        if recent.count >= cap.max {
            return PolicyDecision(.suppress, reasons: ["frequency_cap"],
                                  sentence: "The contact already got \(recent.count) \(text.messageType.replacingOccurrences(of: "_", with: "-")) text\(recent.count == 1 ? "" : "s") in the last \(cap.per); the cap is \(cap.max) per \(cap.per).")
        }
        if policy.stateRules, let region = NANP.region(for: text.to), let stateMax = StateRules.automatedMessageCap(region: region) {
            let dayStart = now.addingTimeInterval(-86_400)
            let sent = history.automatedTextTimes.filter { $0 > dayStart }.count
            if sent >= stateMax {
                return PolicyDecision(.suppress, reasons: ["state_cap", "state:\(region)"],
                                      sentence: "\(region) allows at most \(stateMax) automated texts to a person per 24 hours; \(sent) already went out.")
            }
        }
        return nil
    }

    // MARK: 5. Configuration

    static func configuration(_ text: OutgoingText) -> PolicyDecision? {
        switch text.automationStatus {
        case "draft":
            return PolicyDecision(.suppress, reasons: ["automation_draft"],
                                  sentence: "The automation \(text.automationID?.rawValue ?? "") is a draft; drafts never send.")
        case "paused":
            return PolicyDecision(.suppress, reasons: ["automation_paused"],
                                  sentence: "The automation \(text.automationID?.rawValue ?? "") is paused, so its pending texts do not go out.")
        default:
            return nil
        }
    }

    static func iso(_ date: Date) -> String { ISO8601Timestamp.format(date) }
}
