// The deterministic conversation agent: what to do with one classified reply in a thread.
//
// Pure. The caller passes the classification, the thread's state, how many automatic replies the
// thread already had today, the contact's zone and `now`; the answer is a plan (a reply text, a new
// state, a callback to book, whether to suppress the number, whom to notify) with reason codes and a
// sentence for the timeline. Compliance keywords (STOP, START, HELP) are decided before the agent is
// asked and never reach it.
//
// The rules, in order:
//   - a thread a person owns (`needs_human`) or that ended (`closed`) gets no automatic reply;
//   - affirmative → a callback now (or at the next open slot), and a reply that says when;
//   - propose_time with a resolved time → booked at that time and confirmed in the contact's local
//     time; outside callback hours → the nearest open slot offered instead; in the past → asked again;
//   - not_interested → one polite close, the thread closed;
//   - wrong_number → one apology, the number suppressed (`wrong_number`), the thread closed;
//   - anything else, or a reading below `minimumConfidence` → `needs_human`, staff notified, no reply;
//   - the daily cap on automatic replies turns a reply that would exceed it into a hand-off.

import Foundation

/// Who may answer a thread.
public enum ConversationState: String, Sendable, Codable, CaseIterable {
    /// The agent may answer.
    case open
    /// A person answers; no automatic reply until someone releases the thread.
    case needsHuman = "needs_human"
    /// The contact declined or was the wrong person: no more automation.
    case closed
}

/// The fixed texts the agent sends, per language. `{Company}` is the business name, `{time}` the
/// callback time in the contact's local time.
public struct AgentTemplates: Sendable, Hashable {
    public var callbackNow: String
    public var callbackAt: String
    public var offerSlot: String
    public var askAgain: String
    public var close: String
    public var wrongNumber: String

    public init(callbackNow: String, callbackAt: String, offerSlot: String, askAgain: String, close: String, wrongNumber: String) {
        self.callbackNow = callbackNow; self.callbackAt = callbackAt; self.offerSlot = offerSlot
        self.askAgain = askAgain; self.close = close; self.wrongNumber = wrongNumber
    }

    /// Short, plain, GSM-7 only (no em dash, no curly quotes), so a reply is one segment.
    public static let english = AgentTemplates(
        callbackNow: "Thanks! {Company} will call you in the next few minutes.",
        callbackAt: "Great, {Company} will call you {time}.",
        offerSlot: "{Company} can't call then. The nearest time we can is {time}. Reply with another time if that doesn't work.",
        askAgain: "That time has already passed. What time works for a call from {Company}?",
        close: "Understood, {Company} won't follow up. Thanks for letting us know.",
        wrongNumber: "Sorry about that! We'll remove this number and won't text it again. - {Company}")

    public static let spanish = AgentTemplates(
        callbackNow: "Gracias. {Company} le llamara en unos minutos.",
        callbackAt: "Perfecto, {Company} le llamara el {time}.",
        offerSlot: "{Company} no puede llamar a esa hora. Lo mas cercano es el {time}. Responda con otra hora si no le conviene.",
        askAgain: "Esa hora ya paso. A que hora le podemos llamar de {Company}?",
        close: "Entendido, {Company} no le volvera a escribir. Gracias por avisarnos.",
        wrongNumber: "Disculpe la molestia. Quitaremos este numero y no le escribiremos mas. - {Company}")

    public subscript(key: AgentReplyKind) -> String {
        switch key {
        case .callbackNow: callbackNow
        case .callbackAt: callbackAt
        case .offerSlot: offerSlot
        case .askAgain: askAgain
        case .close: close
        case .wrongNumber: wrongNumber
        }
    }
}

public enum AgentReplyKind: String, Sendable, Hashable, CaseIterable {
    case callbackNow = "callback_now"
    case callbackAt = "callback_at"
    case offerSlot = "offer_slot"
    case askAgain = "ask_again"
    case close
    case wrongNumber = "wrong_number"
}

/// How the agent behaves (configuration `agent:`).
public struct AgentSettings: Sendable, Hashable {
    public var enabled: Bool
    /// At most this many automatic replies per conversation per 24 hours.
    public var maxRepliesPerDay: Int
    /// When the business can call back; `timeZone` nil means the business's zone.
    public var callbackHours: BusinessHours
    /// A callback not made within this long after its time is `missed`.
    public var callbackWindow: TimeSpan
    /// Readings less sure than this go to a person.
    public var minimumConfidence: Double
    public var english: AgentTemplates
    /// nil: Spanish replies get the English templates.
    public var spanish: AgentTemplates?

    public init(enabled: Bool = false, maxRepliesPerDay: Int = 3, callbackHours: BusinessHours = AgentSettings.defaultHours,
                callbackWindow: TimeSpan = .hours(2), minimumConfidence: Double = 0.6,
                english: AgentTemplates = .english, spanish: AgentTemplates? = .spanish) {
        self.enabled = enabled; self.maxRepliesPerDay = maxRepliesPerDay; self.callbackHours = callbackHours
        self.callbackWindow = callbackWindow; self.minimumConfidence = minimumConfidence
        self.english = english; self.spanish = spanish
    }

    /// Weekdays 08:00–20:00 and Saturday 09:00–14:00, in the business's zone.
    public static let defaultHours: BusinessHours = {
        let weekday = [DailyWindow(start: ClockTime(minuteOfDay: 8 * 60), end: ClockTime(minuteOfDay: 20 * 60))]
        let saturday = [DailyWindow(start: ClockTime(minuteOfDay: 9 * 60), end: ClockTime(minuteOfDay: 14 * 60))]
        return BusinessHours(days: [.monday: weekday, .tuesday: weekday, .wednesday: weekday, .thursday: weekday,
                                    .friday: weekday, .saturday: saturday])
    }()

    public func templates(for language: ReplyLanguage) -> (AgentTemplates, ReplyLanguage) {
        if language == .spanish, let spanish { return (spanish, .spanish) }
        return (english, .english)
    }
}

/// What the agent decided about one reply.
public struct AgentPlan: Sendable, Hashable {
    public struct Callback: Sendable, Hashable {
        public var at: Date
        public var windowEnd: Date
    }

    /// The text to send back, if any.
    public var reply: String?
    public var replyKind: AgentReplyKind?
    /// The thread's state after this reply.
    public var state: ConversationState
    public var callback: Callback?
    /// Suppress the number for this business with reason `wrong_number`.
    public var suppressWrongNumber: Bool
    /// Staff events to raise: `conversation.needs_human`, `callback.requested`.
    public var notify: [String]
    public var reasons: [String]
    public var sentence: String
}

public enum ConversationAgent {
    public static let needsHumanEvent = "conversation.needs_human"
    public static let callbackRequestedEvent = "callback.requested"

    /// Decides what to do with a reply. `contactZone` is the zone the contact's times are read and
    /// written in; `businessZone` the zone callback hours are stated in when they name none.
    public static func respond(to reply: ReplyClassification, state: ConversationState, repliesToday: Int,
                               settings: AgentSettings, businessName: String, contactZone: TimeZone,
                               businessZone: TimeZone, now: Date) -> AgentPlan {
        guard settings.enabled else {
            return AgentPlan(reply: nil, state: state, callback: nil, suppressWrongNumber: false, notify: [],
                             reasons: ["agent_off"], sentence: "The conversation agent is off; the reply waits for a person.")
        }
        switch state {
        case .needsHuman:
            return AgentPlan(reply: nil, state: state, callback: nil, suppressWrongNumber: false, notify: [],
                             reasons: ["needs_human"], sentence: "A person is handling this conversation; no automatic reply.")
        case .closed:
            return AgentPlan(reply: nil, state: state, callback: nil, suppressWrongNumber: false, notify: [],
                             reasons: ["conversation_closed"], sentence: "This conversation is closed; no automatic reply.")
        case .open:
            break
        }
        let (templates, language) = settings.templates(for: reply.language)
        let hours = settings.callbackHours
        let hoursZone = hours.timeZone.flatMap(TimeZone.init(identifier:)) ?? businessZone
        func text(_ kind: AgentReplyKind, time: Date? = nil) -> String {
            var body = templates[kind].replacingOccurrences(of: "{Company}", with: businessName)
            if let time { body = body.replacingOccurrences(of: "{time}", with: spokenTime(time, zone: contactZone, language: language)) }
            return body
        }
        func handOff(_ reason: String, _ sentence: String) -> AgentPlan {
            AgentPlan(reply: nil, state: .needsHuman, callback: nil, suppressWrongNumber: false, notify: [needsHumanEvent],
                      reasons: ["needs_human", reason], sentence: sentence)
        }
        func window(_ at: Date) -> AgentPlan.Callback {
            AgentPlan.Callback(at: at, windowEnd: at.addingTimeInterval(settings.callbackWindow.timeInterval))
        }

        var plan: AgentPlan
        switch reply.intent {
        case .wrongNumber:
            return AgentPlan(reply: text(.wrongNumber), replyKind: .wrongNumber, state: .closed, callback: nil, suppressWrongNumber: true,
                             notify: [], reasons: ["wrong_number"],
                             sentence: "The reply says this is the wrong number: one apology, and the number is suppressed for this business.")
        case .notInterested where reply.confidence >= settings.minimumConfidence:
            plan = AgentPlan(reply: text(.close), replyKind: .close, state: .closed, callback: nil, suppressWrongNumber: false, notify: [],
                             reasons: ["not_interested"],
                             sentence: "The contact is not interested: one polite close and no more automation for them.")
        case .affirmative where reply.confidence >= settings.minimumConfidence:
            if isOpen(now, hours: hours, zone: hoursZone) {
                plan = AgentPlan(reply: text(.callbackNow), replyKind: .callbackNow, state: .open, callback: window(now),
                                 suppressWrongNumber: false, notify: [callbackRequestedEvent], reasons: ["callback_requested"],
                                 sentence: "The contact asked for a call; a callback is requested now.")
            } else if let slot = nextOpenSlot(after: now, hours: hours, zone: hoursZone) {
                plan = AgentPlan(reply: text(.callbackAt, time: slot), replyKind: .callbackAt, state: .open, callback: window(slot),
                                 suppressWrongNumber: false, notify: [callbackRequestedEvent], reasons: ["callback_requested", "next_open_slot"],
                                 sentence: "The contact asked for a call outside callback hours; it is booked at the next open slot.")
            } else {
                return handOff("no_open_slot", "The contact asked for a call but callback hours have no open slot; a person takes over.")
            }
        case .proposeTime where reply.confidence >= settings.minimumConfidence:
            guard let time = reply.time else {
                return handOff("time_unresolved", "The contact proposed a time that could not be read exactly; a person takes over.")
            }
            if time < now.addingTimeInterval(-5 * 60) {
                plan = AgentPlan(reply: text(.askAgain), replyKind: .askAgain, state: .open, callback: nil, suppressWrongNumber: false,
                                 notify: [], reasons: ["time_in_past"], sentence: "The proposed time has passed; the contact is asked again.")
            } else if isOpen(max(time, now), hours: hours, zone: hoursZone) {
                let at = max(time, now)
                plan = AgentPlan(reply: text(.callbackAt, time: at), replyKind: .callbackAt, state: .open, callback: window(at),
                                 suppressWrongNumber: false, notify: [callbackRequestedEvent], reasons: ["callback_booked"],
                                 sentence: "The contact proposed a time within callback hours; the callback is booked and confirmed in their local time.")
            } else if let slot = nearestOpenSlot(to: time, notBefore: now, hours: hours, zone: hoursZone) {
                plan = AgentPlan(reply: text(.offerSlot, time: slot), replyKind: .offerSlot, state: .open, callback: window(slot),
                                 suppressWrongNumber: false, notify: [callbackRequestedEvent], reasons: ["callback_booked", "nearest_open_slot"],
                                 sentence: "The proposed time is outside callback hours; the nearest open slot is booked and offered instead.")
            } else {
                return handOff("no_open_slot", "The proposed time is outside callback hours and no open slot is near; a person takes over.")
            }
        case .question:
            return handOff("question", "The contact asked a question the agent does not answer; a person takes over and staff are notified.")
        case .other, .optOut, .optIn, .help:
            return handOff("other", "The reply is not one the agent acts on; a person takes over and staff are notified.")
        case .affirmative, .notInterested, .proposeTime:
            return handOff("low_confidence", "The reading of the reply is not sure enough to answer automatically; a person takes over.")
        }
        if repliesToday >= settings.maxRepliesPerDay {
            plan.reply = nil
            plan.replyKind = nil
            if plan.state == .open { plan.state = .needsHuman; plan.notify.append(needsHumanEvent) }
            plan.reasons.append("agent_daily_cap")
            plan.sentence += " The automatic reply was not sent: the conversation reached its \(settings.maxRepliesPerDay) automatic replies for the day, so a person takes over."
        }
        return plan
    }

    // MARK: - Callback hours

    static func local(_ date: Date, zone: TimeZone) -> (weekday: Weekday, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        // Calendar and Weekday both count 1 = Sunday.
        let weekday = Weekday(rawValue: parts.weekday ?? 1) ?? .sunday
        return (weekday, (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    public static func isOpen(_ date: Date, hours: BusinessHours, zone: TimeZone) -> Bool {
        let (weekday, minute) = local(date, zone: zone)
        return hours.allows(weekday, minuteOfDay: minute)
    }

    /// The first instant at or after `date`, on a quarter hour, inside callback hours (within 14 days).
    public static func nextOpenSlot(after date: Date, hours: BusinessHours, zone: TimeZone) -> Date? {
        let step: TimeInterval = 15 * 60
        var t = (date.timeIntervalSince1970 / step).rounded(.up) * step
        let limit = date.timeIntervalSince1970 + 14 * 86_400
        while t <= limit {
            let candidate = Date(timeIntervalSince1970: t)
            if isOpen(candidate, hours: hours, zone: zone) { return candidate }
            t += step
        }
        return nil
    }

    /// The open quarter hour nearest to `date` (earlier ones only if not before `notBefore`).
    public static func nearestOpenSlot(to date: Date, notBefore: Date, hours: BusinessHours, zone: TimeZone) -> Date? {
        let step: TimeInterval = 15 * 60
        let forward = nextOpenSlot(after: date, hours: hours, zone: zone)
        var backward: Date?
        var t = (date.timeIntervalSince1970 / step).rounded(.down) * step
        while t >= notBefore.timeIntervalSince1970, date.timeIntervalSince1970 - t <= 14 * 86_400 {
            let candidate = Date(timeIntervalSince1970: t)
            if isOpen(candidate, hours: hours, zone: zone) { backward = candidate; break }
            t -= step
        }
        switch (forward, backward) {
        case (let f?, let b?): return f.timeIntervalSince(date) <= date.timeIntervalSince(b) ? f : b
        case (let f?, nil): return f
        case (nil, let b?): return b
        case (nil, nil): return nil
        }
    }

    /// "Thu, Jun 11 at 5:00 PM" (English) or "jue 11 jun a las 17:00" (Spanish), in `zone`.
    public static func spokenTime(_ date: Date, zone: TimeZone, language: ReplyLanguage) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = zone
        switch language {
        case .english:
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, MMM d 'at' h:mm a"
        case .spanish:
            formatter.locale = Locale(identifier: "es_ES")
            formatter.dateFormat = "EEE d 'de' MMM 'a las' H:mm"
        }
        // Plain ASCII: Spanish abbreviations may carry a trailing period or accents that force UCS-2.
        return formatter.string(from: date).replacingOccurrences(of: ".", with: "").folding(options: .diacriticInsensitive, locale: nil)
    }
}

public struct ConversationID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
public struct CallbackID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
