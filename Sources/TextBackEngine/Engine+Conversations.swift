// Conversations: what a reply does to its thread (the agent's answer, a booked callback, a hand-off
// to a person), a person's reply through the API, releasing a thread back to the agent, callbacks
// completed by a connected call or missed past their window, and the staff notification outbox.
//
// The agent decides in Core (`ConversationAgent.respond`, pure); this file gathers what it needs,
// turns its plan into a `ConversationTurn` applied inside the inbound unit, and delivers the
// notifications the unit wrote.

import Foundation
import TextBackConfig
import TextBackCore
import TextBackProviders
import TextBackStorage

/// What a person's reply through the API came to.
public enum PersonReplyOutcome: Sendable, Equatable {
    case queued(MessageID)
    case refused(reasons: [String], sentence: String)
    case notFound
}

extension Engine {
    /// The zone a contact's times are read and written in: their `timezone` attribute, else their
    /// number's prefix, else the business's zone.
    func contactZone(phone: PhoneNumber, contact: Contact?) -> TimeZone {
        let zones = SendingWindow.recipientZones(contactTimeZone: contact?.attributes["timezone"], number: phone,
                                                 businessZone: configuration.business.timeZone)
        return zones.lazy.compactMap(TimeZone.init(identifier:)).first ?? businessZone
    }

    var businessZone: TimeZone { TimeZone(identifier: configuration.business.timeZone) ?? TimeZone(identifier: "UTC") ?? .current }

    // MARK: - The turn a reply makes

    /// The conversation part of an inbound unit, and for a wrong number the apology that replaces the
    /// opt-out confirmation.
    func conversationTurn(for inbound: InboundText, classification: ReplyClassification, contact: Contact?, messageID: MessageID,
                          now: Date) async throws -> (turn: ConversationTurn, apology: DirectMessage?) {
        let existing = try await store.conversation(number: inbound.to, phone: inbound.from)
        let newID = ConversationID(ids.next("conv"))
        let cancelSentence = "Cancelled: the contact replied, so the pending follow-up does not go out; the conversation takes over."
        func turn(expected: ConversationState?, state: ConversationState?, reply: DirectMessage? = nil, callback: CallbackRecord? = nil,
                  notifications: [NotificationRecord] = [], decision: PlannedDecision? = nil, cap: (Int, Date)? = nil) -> ConversationTurn {
            ConversationTurn(newConversationID: newID, number: inbound.to, expectedState: expected, newState: state, reply: reply,
                             callback: callback, notifications: notifications, decision: decision, cancelSentence: cancelSentence,
                             dailyCap: cap)
        }

        let settings = configuration.agent.settings(for: inbound.to)
        switch classification.intent {
        case .optOut where classification.revokesConsent:
            return (turn(expected: nil, state: .closed), nil)
        case .optIn:
            // Re-subscribing reopens a thread the opt-out closed.
            return (turn(expected: existing?.state == .closed ? .closed : nil, state: existing?.state == .closed ? .open : nil), nil)
        case .help, .optOut:
            return (turn(expected: nil, state: nil), nil)
        default:
            break
        }
        let state = existing?.state ?? .open
        let since = now.addingTimeInterval(-86_400)
        var repliesToday = 0
        if let contact { repliesToday = try await store.agentReplies(number: inbound.to, contactID: contact.id, since: since) }
        let zone = contactZone(phone: inbound.from, contact: contact)
        var plan = ConversationAgent.respond(to: classification, state: state, repliesToday: repliesToday, settings: settings,
                                             businessName: configuration.business.name, contactZone: zone, businessZone: businessZone,
                                             now: now)
        // The language model, when configured, answers an open thread in the agent's place; a wrong
        // number read deterministically never reaches it, and any failure leaves the plan above.
        if settings.enabled, state == .open, classification.intent != .wrongNumber, let model = configuration.agent.languageModel,
           let modelPlan = await askModel(model, inbound: inbound, classification: classification,
                                          repliesToday: repliesToday, settings: settings, zone: zone, now: now) {
            plan = modelPlan
        }
        let decision = PlannedDecision(id: DecisionID(ids.next("dec")), action: plan.reply != nil ? .send : .skip,
                                       reasons: plan.reasons, sentence: plan.sentence)
        let reply = plan.reply.map {
            conversationText(kind: .reply, messageType: "agent", contact: contact, contactPhone: inbound.from, business: inbound.to,
                             body: $0, key: "agent:\(messageID)", reasons: plan.reasons, sentence: plan.sentence, now: now)
        }
        if plan.suppressWrongNumber {
            // The apology goes out as the one confirmation the opt-out path allows (no guard: it follows
            // the suppression it answers, as an opt-out confirmation does); the thread closes.
            // It is stored as that confirmation (the kind the last-moment check lets through to a number
            // that is now suppressed) and rides in the compliance lane.
            var apology = reply
            apology?.text.sendGuard = nil
            apology?.text.message.kind = .optOutConfirmation
            apology?.text.deliveryJob.lane = .compliance
            return (turn(expected: nil, state: .closed, decision: decision), apology)
        }
        let callback = plan.callback.map {
            CallbackRecord(id: CallbackID(ids.next("cb")), conversationID: newID, contactID: contact?.id ?? ContactID(""), phone: inbound.from,
                           number: inbound.to, at: $0.at, windowEnd: $0.windowEnd, sourceMessageID: messageID, createdAt: now)
        }
        let notifications = plan.notify.flatMap { event in
            staffNotifications(event: event, contact: contact, phone: inbound.from, number: inbound.to, body: inbound.body,
                               callback: callback, state: plan.state, zone: zone, now: now)
        }
        var result = turn(expected: state, state: plan.state, reply: reply, callback: callback, notifications: notifications,
                          decision: decision, cap: (settings.maxRepliesPerDay, since))
        if callback != nil {
            result.callbackRuns = try await callbackRuns(number: inbound.to, contact: contact, now: now)
        }
        return (result, nil)
    }

    /// Asks the language model; nil on any failure (unreachable, timeout, an answer that cannot be acted on).
    func askModel(_ model: AgentConfiguration.LanguageModel, inbound: InboundText, classification: ReplyClassification,
                  repliesToday: Int, settings: AgentSettings, zone: TimeZone, now: Date) async -> AgentPlan? {
        guard let transport else { return nil }
        // The thread so far (the missed-call text included, even before the conversation has a row).
        var thread: [ModelResponder.Turn] = []
        if let contact = try? await store.contact(phone: inbound.from, business: business),
           let history = try? await store.history(contactID: contact.id, phone: inbound.from, since: now.addingTimeInterval(-30 * 86_400)) {
            thread = history.messages
                .filter { ($0.direction == .outbound && $0.from == inbound.to) || ($0.direction == .inbound && $0.to == inbound.to) }
                .filter { $0.status != .cancelled }
                .sorted { $0.createdAt < $1.createdAt }
                .suffix(10).map { ModelResponder.Turn(fromContact: $0.direction == .inbound, body: $0.body) }
        }
        thread.append(ModelResponder.Turn(fromContact: true, body: inbound.body))
        let hoursZone = settings.callbackHours.timeZone ?? configuration.business.timeZone
        let hours = Weekday.allCases.compactMap { day -> String? in
            guard let windows = settings.callbackHours.days[day], !windows.isEmpty else { return nil }
            return "\(day.name) " + windows.map(\.description).joined(separator: ", ")
        }.joined(separator: "; ") + " (\(hoursZone))"
        let body = ModelResponder.requestBody(model: model.model, businessName: configuration.business.name, hours: hours,
                                              contactZone: zone, now: now, thread: thread)
        var headers = [ProviderRequest.Field("Content-Type", "application/json")]
        if let key = model.apiKey { headers.append(ProviderRequest.Field("Authorization", "Bearer \(key.reveal())")) }
        let request = ProviderRequest(method: .POST, path: "/chat/completions", headers: headers, body: Data(body.utf8))
        do {
            let response = try await transport.perform(request, baseURL: model.baseURL.absoluteString, timeout: .seconds(model.timeout.seconds))
            guard response.isSuccess, let answer = ModelResponder.parse(String(decoding: response.body, as: UTF8.self)) else {
                logger.notice("the language model gave no usable answer; the deterministic agent answers", metadata: ["status": "\(response.status)"])
                return nil
            }
            return ModelResponder.plan(for: answer, reply: classification, repliesToday: repliesToday, settings: settings,
                                       businessName: configuration.business.name, contactZone: zone, businessZone: businessZone, now: now)
        } catch {
            logger.notice("the language model could not be reached; the deterministic agent answers", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Runs of the live `callback.requested` automations that match the number and the contact's latest call.
    func callbackRuns(number: PhoneNumber, contact: Contact?, now: Date) async throws -> [PlannedRun] {
        let automations = liveAutomations(for: Trigger.callbackRequested)
        guard !automations.isEmpty, let contact else { return [] }
        let calls = try await store.history(contactID: contact.id, phone: contact.phone, since: now.addingTimeInterval(-90 * 86_400)).calls
        let latest = calls.max { $0.event.occurredAt < $1.event.occurredAt }?.event
        return automations.filter { $0.trigger.matchesCallback(number: number, call: latest) }.map {
            PlannedRun(runID: RunID(ids.next("run")), jobID: JobID(ids.next("job")), automationID: $0.id, fingerprint: $0.fingerprint,
                       firstJobDueAt: now)
        }
    }

    func liveAutomations(for event: String) -> [Automation] {
        configuration.automations.filter { $0.status == .live && $0.trigger.event == event }
    }

    /// A text in a conversation (the agent's or a person's), checked by the legal guard inside the write.
    func conversationText(kind: MessageKind, messageType: String, contact: Contact?, contactPhone: PhoneNumber, business: PhoneNumber,
                          body: String, key: String, reasons: [String], sentence: String, now: Date) -> DirectMessage {
        let contactID = contact?.id ?? ContactID("")
        let messageID = MessageID(ids.next("msg"))
        let message = MessageRecord(id: messageID, idempotencyKey: key, contactID: contactID, direction: .outbound, kind: kind,
                                    messageType: messageType, from: business, to: contactPhone, body: body, status: .queued,
                                    carrier: configuration.carrierName(sendingFrom: business), createdAt: now)
        let outgoing = OutgoingText(kind: .automated, to: contactPhone, messageType: messageType, requiredConsent: .none, triggeredAt: now)
        let job = JobRecord(id: JobID(ids.next("job")), kind: .deliver, messageID: messageID, dueAt: now, createdAt: now, lane: .normal)
        let decision = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: contactID, messageID: messageID, action: .send,
                                      reasons: reasons, sentence: sentence, decidedAt: now)
        return DirectMessage(text: QueuedText(message: message, deliveryJob: job, sendGuard: sendGuard(for: outgoing, now: now, includingCaps: false)),
                             decision: decision)
    }

    // MARK: - Staff notifications

    func staffNotifications(event: String, contact: Contact?, phone: PhoneNumber, number: PhoneNumber, body: String,
                            callback: CallbackRecord?, state: ConversationState, zone: TimeZone, now: Date) -> [NotificationRecord] {
        let agent = configuration.agent
        var records: [NotificationRecord] = []
        let who = contact?.name.map { "\($0) (\(phone.e164))" } ?? phone.e164
        let text: String
        if event == ConversationAgent.callbackRequestedEvent, let callback {
            text = "TextBack: call \(who) back \(ConversationAgent.spokenTime(callback.at, zone: businessZone, language: .english)) (\(businessZone.identifier))."
        } else {
            let excerpt = body.count > 100 ? String(body.prefix(100)) + "..." : body
            text = "TextBack: \(who) needs a person. They wrote: \"\(excerpt)\""
        }
        for staff in agent.staffNumbers {
            records.append(NotificationRecord(id: ids.next("ntf"), event: event, channel: .sms, target: staff.e164, payload: text,
                                              availableAt: now, createdAt: now))
        }
        if let webhook = agent.webhook {
            var object: [String: JSONValue] = [
                "event": .string(event), "conversation_id": .string("{conversation_id}"), "phone": .string(phone.e164),
                "number": .string(number.e164), "state": .string(state.rawValue), "message": .object(["body": .string(body)]),
                "occurred_at": .string(ISO8601Timestamp.format(now)),
                "contact_name": contact?.name.map { .string($0) } ?? .null,
            ]
            object["callback"] = callback.map {
                .object(["id": .string($0.id.rawValue), "at": .string(ISO8601Timestamp.format($0.at)),
                         "window_end": .string(ISO8601Timestamp.format($0.windowEnd)), "status": .string($0.status.rawValue)])
            } ?? .null
            records.append(NotificationRecord(id: ids.next("ntf"), event: event, channel: .webhook, target: webhook.url.absoluteString,
                                              payload: JSONValue.object(object).serialized, availableAt: now, createdAt: now))
        }
        return records
    }

    /// An outbox entry (a staff notification, a CRM entry) is tried this many times, then marked failed.
    static let maxOutboxAttempts = 8

    /// The wait before an outbox entry's next attempt: 30 s, 1 min, 2 min … capped at an hour.
    static func outboxBackoff(attempts: Int) -> TimeInterval {
        min(3600, 30 * pow(2, Double(max(0, attempts - 1))))
    }

    /// Delivers the notifications that are due, each through its business's engine (`engineFor`, else
    /// this one: its numbers, carriers and webhook); returns how many were delivered.
    @discardableResult
    public func deliverNotifications(limit: Int = 20, by engineFor: (BusinessID) -> Engine? = { _ in nil }) async throws -> Int {
        let now = clock.now()
        let claimed = try await store.claimNotifications(now: now, leaseUntil: now.addingTimeInterval(60), limit: limit)
        var delivered = 0
        for notification in claimed {
            let failure: String?
            let sender = engineFor(notification.business) ?? self
            switch notification.channel {
            case .sms: failure = await sender.sendStaffSMS(notification, now: now)
            case .webhook: failure = await sender.postWebhook(notification, now: now)
            }
            if let failure {
                let giveUp = notification.attempts >= Self.maxOutboxAttempts
                try await store.finishNotification(id: notification.id, status: giveUp ? .failed : .pending,
                                                   retryAt: now.addingTimeInterval(Self.outboxBackoff(attempts: notification.attempts)),
                                                   error: failure, now: now)
                logger.notice("notification not delivered", metadata: [
                    "notification_id": "\(notification.id)", "channel": "\(notification.channel.rawValue)",
                    "attempts": "\(notification.attempts)", "given_up": "\(giveUp)",
                ])
            } else {
                try await store.finishNotification(id: notification.id, status: .delivered, retryAt: nil, error: nil, now: now)
                delivered += 1
            }
        }
        return delivered
    }

    func sendStaffSMS(_ notification: NotificationRecord, now: Date) async -> String? {
        guard let from = configuration.numbers.first?.number else { return "no number is configured to send from" }
        guard let carrier = carriers[configuration.carrierName(sendingFrom: from)] else { return "no carrier can send from the first number" }
        guard let to = try? PhoneNumber(parsing: notification.target) else { return "the staff number is not valid" }
        do {
            _ = try await carrier.submit(OutgoingSMS(idempotencyKey: "notify:\(notification.id)", from: from, to: to, body: notification.payload),
                                         now: now)
            return nil
        } catch {
            return "carrier refused: \(type(of: error))"
        }
    }

    func postWebhook(_ notification: NotificationRecord, now: Date) async -> String? {
        guard let webhook = configuration.agent.webhook, let url = URL(string: notification.target) else {
            return "no webhook is configured any more"
        }
        guard let transport else { return "no HTTP transport" }
        let (request, base) = SignedWebhook.request(url: url, body: notification.payload, secret: webhook.secret.reveal(), now: now)
        do {
            let response = try await transport.perform(request, baseURL: base, timeout: .seconds(8))
            return response.isSuccess ? nil : "the webhook answered HTTP \(response.status)"
        } catch {
            return "the webhook could not be reached: \(error)"
        }
    }

    // MARK: - Callbacks

    /// A connected call completes the contact's requested callbacks.
    func completeCallbacks(after event: CallEvent) async throws {
        guard event.stage == .ended, event.outcome == .completed, event.contactPhone.reachability == .textable else { return }
        _ = try await store.completeCallbacks(phone: event.contactPhone, business: business, connectedAt: event.occurredAt, now: clock.now())
    }

    /// Callbacks past their window become `missed`; due staff notifications and CRM entries go out, each
    /// through its business's engine.
    public func runConversationSweep(by engineFor: (BusinessID) -> Engine? = { _ in nil }) async throws {
        _ = try await store.expireCallbacks(now: clock.now())
        try await deliverNotifications(by: engineFor)
        try await deliverCRMEntries(by: engineFor)
    }

    // MARK: - The API

    /// A person answers in a conversation. The legal check runs inside the write: an opted-out contact is refused.
    /// A conversation outside `scope` is `notFound`, as if it did not exist.
    public func personReply(conversation id: ConversationID, body: String, scope: BusinessScope) async throws -> PersonReplyOutcome {
        guard let detail = try await store.conversation(id, scope: scope) else { return .notFound }
        let now = clock.now()
        let conversation = detail.conversation
        let contact = try await store.contact(id: conversation.contactID, scope: scope)
        let messageKey = ids.next("person")
        let text = conversationText(kind: .reply, messageType: "person", contact: contact, contactPhone: conversation.phone,
                                    business: conversation.number, body: body, key: "person:\(messageKey)", reasons: ["person_reply"],
                                    sentence: "A person replied in the conversation through the API.", now: now)
        switch try await store.queuePersonReply(PersonReply(conversationID: id, text: text, scope: scope)) {
        case .queued(let messageID): return .queued(messageID)
        case .refused(let refusal): return .refused(reasons: refusal.reasons, sentence: refusal.sentence)
        case .notFound: return .notFound
        }
    }

    /// Hands a `needs_human` conversation back to the agent.
    public func release(conversation id: ConversationID) async throws -> StateChangeResult {
        let decision = DecisionRecord(id: DecisionID(ids.next("dec")), contactID: ContactID(""), action: .skip, reasons: ["released"],
                                      sentence: "A person handed the conversation back to the agent.", decidedAt: clock.now())
        return try await store.changeConversationState(id, from: .needsHuman, to: .open, decision: decision)
    }
}
