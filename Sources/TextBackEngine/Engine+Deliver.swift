// Delivering a stored message to its carrier, exactly once.
//
// The message row exists before the carrier is called and is moved `queued → sending` by the
// `claimForSending` unit, a compare-and-set that runs the legal check in the same write, so only one
// worker ever hands a given text over and an opt-out committed first always stops it.
//
// Before the claim: the sender must be a configured number; its carrier must not be paused; the
// number's pace and daily cap give the text a slot (a text over the pace waits in the durable queue,
// never dropped, and passes the legal check when its turn comes); the optional landline check runs.
//
// After the carrier answers (see docs/ARCHITECTURE.md, "Delivery to real carriers"):
// - accepted → `sent` with the carrier's id; receipts move it on (Engine+Receipts.swift);
// - transient (429 with Retry-After, 5xx, a connection refused before the request was written) →
//   back to `queued`, retried with exponential backoff and jitter, at least Retry-After;
// - permanent → `failed` with the carrier's code and meaning; a carrier opt-out also suppresses;
// - authentication refused → the carrier is paused (logged, on /healthz), the text waits;
// - ambiguous (the request may have arrived: deadline, dropped connection) → the carrier is asked
//   whether it has the text before anything else: yes → `sent`; a sure no → retried; cannot tell →
//   `unknown`, visible, never sent again.
// A worker that dies while the carrier is called leaves `sending`; the next attempt reconciles the
// same way instead of sending again.

import Foundation
import TextBackConfig
import TextBackCore
import TextBackProviders
import TextBackStorage

extension Engine {
    func deliver(job: JobRecord, claim: JobClaim) async throws {
        let now = clock.now()
        guard let messageID = job.messageID, let message = try await store.message(messageID, scope: .all) else {
            _ = try await store.cancelJob(claim, decisions: [], now: now)
            return
        }
        guard let carrier = carriers[message.carrier] else {
            if message.status == .queued {
                _ = try await finishDelivery(FinishDelivery(
                    claim: claim, messageID: message.id, expected: .queued, status: .failed,
                    error: "carrier \(message.carrier) is not configured",
                    decisions: [decision(message, .skip, ["carrier_missing"],
                                         "The number's carrier (\(message.carrier)) is not configured on this server; the text was not sent.", now)],
                    now: now))
            } else {
                _ = try await store.cancelJob(claim, decisions: [], now: now)
            }
            return
        }
        switch message.status {
        case .queued:
            // The one confirmation after an opt-out is allowed within 5 minutes (FCC 24-24); later it is
            // just another unwanted text.
            if message.kind == .optOutConfirmation, now.timeIntervalSince(message.createdAt) > Self.optOutConfirmationWindow {
                _ = try await finishDelivery(FinishDelivery(
                    claim: claim, messageID: message.id, expected: .queued, status: .cancelled, error: "confirmation window passed",
                    decisions: [decision(message, .skip, ["confirmation_window_passed"],
                                         "The opt-out confirmation could not go out within 5 minutes of the opt-out, so it is not sent at all.", now)],
                    now: now))
                return
            }
            if let refusal = senderRefusal(message.from) {
                _ = try await finishDelivery(FinishDelivery(
                    claim: claim, messageID: message.id, expected: .queued, status: .failed, error: "sender not configured",
                    decisions: [decision(message, .skip, ["sender_not_configured"], refusal, now)], now: now))
                return
            }
            // Decided again before taking a slot, so a text held for the morning does not use up the
            // number's pace or its daily cap tonight.
            if try await decidedAgain(message, claim: claim, now: now) { return }
            if try await replyHeldForTheWindow(message, claim: claim, now: now) { return }
            if try await waitsForItsTurn(message, carrier: carrier, claim: claim, now: now) { return }
            if try await skipsLandline(message, claim: claim, now: now) { return }
            // The law is checked once more at the last moment, inside the same write that claims the text:
            // an opt-out that arrived while it waited (a retry, a backlog) still stops it.
            let result = try await store.claimForSending(ClaimForSending(
                claim: claim, messageID: message.id, sendGuard: lastMomentGuard(for: message, now: now),
                refusalDecisionID: DecisionID(ids.next("dec")), now: now))
            switch result {
            case .claimed(let sending):
                try await hand(sending, to: carrier, claim: claim, job: job)
            case .notQueued(let current):
                try await resume(current, carrier: carrier, claim: claim, now: now)
            case .refused, .stale:
                return
            }
        default:
            try await resume(message, carrier: carrier, claim: claim, now: now)
        }
    }

    /// nil when `number` may send; else why not. A text only ever goes from a configured number (the
    /// one that was called or texted): a number TextBack does not know has no carrier, pace or consent
    /// wording of its own.
    func senderRefusal(_ number: PhoneNumber) -> String? {
        guard configuration.number(number) == nil else { return nil }
        return "No text: it would go from \(number.redacted), which is not one of the configured numbers (numbers: in the configuration); a text only goes from the number that was called."
    }

    /// A message found past `queued`: one left `sending` by a dead worker is reconciled; anything else
    /// is finished already and the job has nothing to do.
    private func resume(_ message: MessageRecord, carrier: any Carrier, claim: JobClaim, now: Date) async throws {
        if message.status == .sending {
            try await reconcile(message, carrier: carrier, claim: claim, attemptedAt: message.createdAt, now: now)
        } else {
            _ = try await store.cancelJob(claim, decisions: [], now: now)
        }
    }

    static let optOutConfirmationWindow: TimeInterval = 5 * 60

    /// The legal stage for a stored text, run inside the claim. HELP answers and the opt-out
    /// confirmation are what the rules allow even to an opted-out number, so they have no guard.
    func lastMomentGuard(for message: MessageRecord, now: Date) -> SendGuard? {
        let kind: OutgoingKind
        switch message.kind {
        case .automated, .reply: kind = .automated
        case .optInConfirmation: kind = .optInConfirmation
        case .help, .optOutConfirmation, .inbound: return nil
        }
        let text = OutgoingText(kind: kind, to: message.to, messageType: message.messageType ?? "missed_call",
                                requiredConsent: .none, triggeredAt: message.createdAt)
        return sendGuard(for: text, now: now, includingCaps: false)
    }

    /// True when the text must wait (its carrier is paused, its number's pace or daily cap says
    /// later): its job is rescheduled and nothing else changes. The simulator has no pace.
    private func waitsForItsTurn(_ message: MessageRecord, carrier: any Carrier, claim: JobClaim, now: Date) async throws -> Bool {
        switch try await turn(of: message, carrier: carrier, now: now) {
        case .go:
            return false
        case .wait(let until, let note):
            _ = try await store.deferDelivery(DeferDelivery(claim: claim, messageID: message.id, until: until, decision: note, now: now))
            return true
        }
    }

    enum Turn {
        case go
        /// Not before `until`; `note` is the decision to record when the reason is worth one (the daily cap).
        case wait(until: Date, note: DecisionRecord?)
    }

    /// Whether the text may go to its carrier now: the carrier is not paused and the number's pace and
    /// daily cap give it a slot. Asked of the store, so the pace and the daily cap hold for every process
    /// sending from the number; a slot once given is the message's (asking again keeps it).
    func turn(of message: MessageRecord, carrier: any Carrier, now: Date) async throws -> Turn {
        if let until = carrierHealth.pausedUntil(carrier.name, now: now) { return .wait(until: until, note: nil) }
        guard let number = configuration.number(message.from), number.carrier != .simulator else { return .go }
        let zone = TimeZone(identifier: configuration.business.timeZone) ?? TimeZone(identifier: "UTC") ?? .current
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let dayStart = calendar.startOfDay(for: now)
        let nextDay = calendar.date(byAdding: .day, value: 1, to: dayStart) ?? dayStart.addingTimeInterval(86_400)
        let admission = try await store.reserveSendSlot(SendSlotRequest(
            number: number.number, messageID: message.id, interval: 1 / max(number.messagesPerSecond, 0.001), dailyCap: number.dailyCap,
            dayStart: dayStart, nextDay: nextDay, urgent: [.optOutConfirmation, .help, .optInConfirmation].contains(message.kind), now: now))
        switch admission {
        case .go:
            return .go
        case .wait(let until, let dailyCap):
            let note = dailyCap ? decision(message, .defer, ["daily_cap"],
                                           "The number \(number.number.redacted) reached its daily cap of \(number.dailyCap ?? 0) texts; this text waits for tomorrow and is checked again then.",
                                           now, until: until) : nil
            return .wait(until: until, note: note)
        }
    }

    /// How a text a run is about to write reaches its carrier. `handOver`: nothing stands between writing
    /// it and sending it, so it is written already `sending` (the write's guard is the legal check and the
    /// caps, the same check `claimForSending` would make) and handed to the carrier right after the commit,
    /// saving a unit and a read per text. `wait`: its number's pace or a paused carrier says later, so its
    /// job is written for then. `deliver`: a check only `deliver` makes applies (a landline lookup, a sender
    /// or carrier that is not configured), so the text is written `queued` and goes the long way.
    enum Handling {
        case handOver(any Carrier)
        case wait(until: Date, note: DecisionRecord?)
        case deliver
    }

    func handling(ofNew message: MessageRecord, now: Date) async throws -> Handling {
        guard message.kind == .automated, senderRefusal(message.from) == nil, let carrier = carriers[message.carrier],
              !(configuration.policy.landlineCheck && delivery.lineTypeLookup != nil)
        else { return .deliver }
        switch try await turn(of: message, carrier: carrier, now: now) {
        case .go: return .handOver(carrier)
        case .wait(let until, let note): return .wait(until: until, note: note)
        }
    }

    /// An automated text that waited in the queue (its number's pace or daily cap, a retry, a paused
    /// carrier) meets the whole compliance decision again when its turn comes, not only the legal
    /// check of the claim: the recipient's sending window (a text held past 21:00 waits for morning),
    /// staleness, and whether the contact has since called back or replied. True when it does not go now.
    private func decidedAgain(_ message: MessageRecord, claim: JobClaim, now: Date) async throws -> Bool {
        guard message.kind == .automated, now.timeIntervalSince(message.createdAt) > 1,
              let runID = message.runID, let state = try await store.runState(runID)
        else { return false }
        var text: OutgoingText
        if let automation = automationsByID[state.run.automationID] {
            text = outgoing(automation: automation, state: state)
        } else {
            text = OutgoingText(kind: .automated, to: message.to, messageType: message.messageType ?? "missed_call",
                                requiredConsent: .none, triggeredAt: state.call.event.occurredAt)
        }
        text.to = message.to
        let history = try await policyHistory(for: text, contact: state.contact, now: now, excluding: message.id)
        let verdict = Policy.decide(text, contact: state.contact, history: history, policy: sendPolicy, now: now)
        switch verdict.verdict {
        case .send:
            return false
        case .defer(let until):
            _ = try await store.deferDelivery(DeferDelivery(
                claim: claim, messageID: message.id, until: until,
                decision: decision(message, .defer, verdict.reasons, verdict.sentence, now, until: until), now: now))
            return true
        case .suppress:
            _ = try await finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .queued, status: .cancelled, error: verdict.reasons.first,
                decisions: [decision(message, verdict.isCancellation ? .cancel : .suppress, verdict.reasons, verdict.sentence, now)],
                now: now))
            return true
        }
    }

    /// How long a reply (the agent's or a person's) counts as a direct answer to the contact's own
    /// message. Past it — a backlog, a paused carrier, the number's pace — the reply obeys the
    /// recipient's sending window like any other text, so a late answer never lands at night.
    static let directAnswerWindow: TimeInterval = 5 * 60

    /// True when a reply that waited past `directAnswerWindow` falls outside the recipient's sending
    /// window now: it is held (a `defer` decision) until the first instant every rule allows, or
    /// cancelled when no such instant exists.
    private func replyHeldForTheWindow(_ message: MessageRecord, claim: JobClaim, now: Date) async throws -> Bool {
        guard message.kind == .reply, now.timeIntervalSince(message.createdAt) > Self.directAnswerWindow else { return false }
        let contact = try await store.contact(id: message.contactID, scope: .all)
        let (check, next) = Policy.window(to: message.to, contact: contact, policy: sendPolicy, now: now)
        if check.allowed { return false }
        guard let until = next else {
            _ = try await finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .queued, status: .cancelled, error: "no_window",
                decisions: [decision(message, .suppress, check.reasons + ["no_window"],
                                     check.sentence + " This reply waited too long to count as a direct answer and no allowed instant exists in the next two weeks, so it is not sent.", now)],
                now: now))
            return true
        }
        _ = try await store.deferDelivery(DeferDelivery(
            claim: claim, messageID: message.id, until: until,
            decision: decision(message, .defer, check.reasons + ["reply_waited"],
                               check.sentence + " This reply waited more than \(Int(Self.directAnswerWindow / 60)) minutes, so it is no longer a direct answer; held until \(ISO8601Timestamp.format(until)).",
                               now, until: until),
            now: now))
        return true
    }

    /// With `policy.landline_check` on, asks the carrier's lookup (once per number, cached) and skips a
    /// landline. The lookup failing never blocks the text. Only automated texts are checked: an
    /// answer to someone who just texted us goes to a number that can text.
    private func skipsLandline(_ message: MessageRecord, claim: JobClaim, now: Date) async throws -> Bool {
        guard configuration.policy.landlineCheck, message.kind == .automated, let lookup = delivery.lineTypeLookup else { return false }
        var lineType: String?
        if let cached = try await store.cachedLineType(message.to) {
            lineType = cached.lineType
        } else {
            do {
                let answer = try await lookup.lineType(of: message.to, now: now)
                lineType = answer.rawValue
                try await store.cacheLineType(CachedLineType(phone: message.to, lineType: answer.rawValue, checkedAt: now))
            } catch {
                logger.warning("line type lookup failed; the text goes out unchecked", metadata: ["message_id": "\(message.id)", "error": "\(error)"])
            }
        }
        guard lineType == LineType.landline.rawValue else { return false }
        _ = try await finishDelivery(FinishDelivery(
            claim: claim, messageID: message.id, expected: .queued, status: .cancelled, error: "landline",
            decisions: [decision(message, .skip, ["landline"],
                                 "No text: the carrier's lookup says this number is a landline, which cannot receive texts.", now)],
            now: now))
        return true
    }

    /// The text as the carrier receives it, with the receipt URL that names our message.
    func outgoingSMS(_ message: MessageRecord) -> OutgoingSMS {
        var callback: URL?
        if let base = delivery.publicURL {
            switch message.carrier {
            case "twilio": callback = TwilioRequest.statusCallbackURL(publicBaseURL: base, messageID: message.id)
            case "telnyx": callback = TelnyxRequest.webhookURL(publicBaseURL: base, messageID: message.id)
            default: callback = nil
            }
        }
        return OutgoingSMS(idempotencyKey: message.idempotencyKey ?? "msg:\(message.id)", from: message.from, to: message.to,
                           body: message.body, messageID: message.id, statusCallbackURL: callback)
    }

    func hand(_ message: MessageRecord, to carrier: any Carrier, claim: JobClaim, job: JobRecord) async throws {
        let attemptedAt = clock.now()
        let outcome: Result<CarrierReceipt, CarrierFailure>
        do {
            outcome = .success(try await carrier.submit(outgoingSMS(message), now: attemptedAt))
        } catch {
            outcome = .failure(error)
        }
        let now = clock.now()
        switch outcome {
        case .success(let receipt):
            if carrierHealth.clear(carrier.name) {
                logger.notice("carrier accepts our credentials again; sending resumed", metadata: ["carrier": "\(carrier.name)"])
            }
            _ = try await finishDelivery(FinishDelivery(claim: claim, messageID: message.id, expected: .sending, status: .sent,
                                                              carrierMessageID: receipt.carrierMessageID, sentAt: receipt.acceptedAt, now: now))
        case .failure(let failure):
            try await handleSendFailure(failure, job: job, claim: claim, message: message, carrier: carrier, attemptedAt: attemptedAt, now: now)
        }
    }

    func handleSendFailure(_ failure: CarrierFailure, job: JobRecord, claim: JobClaim, message: MessageRecord, carrier: any Carrier,
                           attemptedAt: Date, now: Date) async throws {
        let fail = { (detail: CarrierErrorDetail?, error: String, action: DecisionAction, reasons: [String], sentence: String,
                      suppression: SuppressionRecord?) in
            _ = try await self.finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .sending, status: .failed, error: error, errorCode: detail?.code,
                decisions: [self.decision(message, action, reasons, sentence, now)], suppression: suppression, now: now))
        }
        let who = Self.carrierTitle(carrier.name)
        switch failure {
        case .transient(_, let retryAfter, let detail):
            // The carrier refused before accepting anything: safe to try again, with backoff.
            let attempts = job.attempts
            if attempts >= delivery.maxSendAttempts {
                try await fail(detail, "gave up after \(attempts) attempts" + (detail.map { ": \($0.meaning)" } ?? ""), .skip,
                               ["carrier_unavailable"],
                               "\(who) kept refusing for \(attempts) attempts (\(detail.map { "\($0.code): \($0.meaning)" } ?? "temporary errors")); the text was not sent.",
                               nil)
                return
            }
            let retryAt = now.addingTimeInterval(delivery.retryDelay(attempt: attempts, messageID: message.id, retryAfter: retryAfter))
            _ = try await finishDelivery(FinishDelivery(claim: claim, messageID: message.id, expected: .sending, status: .queued,
                                                              next: .retry(at: retryAt), now: now))
        case .ambiguous:
            try await reconcile(message, carrier: carrier, claim: claim, attemptedAt: attemptedAt, now: now)
        case .recipientOptedOut(let detail):
            try await fail(detail, detail.meaning, .suppress, ["carrier_opt_out", "carrier_error_\(detail.code)"],
                           "\(who) reports that the recipient opted out (\(detail.code): \(detail.meaning)); the text was not sent and the number is now suppressed.",
                           SuppressionRecord(phone: message.to, reason: "carrier_opt_out", source: "\(carrier.name):\(detail.code)", createdAt: now,
                                             business: message.business))
        case .permanent(let detail):
            try await fail(detail, detail.meaning, .skip, ["carrier_rejected", "carrier_error_\(detail.code)"],
                           "\(who) refused the text (\(detail.code): \(detail.meaning)); it is not retried.", nil)
        case .authenticationFailed(let detail):
            // Every text through this carrier would fail the same way: stop the carrier, keep the text.
            let pause = carrierHealth.pause(carrier.name, detail: detail.description, now: now, for: delivery.authenticationPause)
            logger.critical("carrier refused our credentials; sending through it is paused until the configuration is fixed", metadata: [
                "carrier": "\(carrier.name)", "code": "\(detail.code)", "meaning": "\(detail.meaning)",
                "retry_at": "\(Self.iso(pause.until))",
            ])
            _ = try await finishDelivery(FinishDelivery(
                // The code goes on the timeline, not on the message: the text itself has not failed.
                claim: claim, messageID: message.id, expected: .sending, status: .queued, next: .retry(at: pause.until),
                decisions: [decision(message, .defer, ["carrier_authentication_failed"],
                                     "\(who) refused TextBack's credentials (\(detail.code): \(detail.meaning)). Sending through \(who) is paused; this text waits and goes out once the credentials work.",
                                     now, until: pause.until)],
                now: now))
        case .unknown:
            // The carrier's own words may quote the message or the number: keep them out of storage.
            try await fail(nil, "unrecognized carrier response", .skip, ["carrier_rejected"],
                           "\(who) answered in a way TextBack does not recognize; the text is not retried.", nil)
        }
    }

    /// Asks the carrier whether it took a text whose answer was lost, before anything else happens to it.
    func reconcile(_ message: MessageRecord, carrier: any Carrier, claim: JobClaim, attemptedAt: Date, now: Date) async throws {
        let who = Self.carrierTitle(carrier.name)
        let answer = await carrier.reconcile(ReconciliationQuery(sms: outgoingSMS(message), attemptedAt: attemptedAt,
                                                                 carrierMessageID: message.carrierMessageID, now: now))
        switch answer {
        case .accepted(let receipt):
            _ = try await finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .sending, status: .sent, carrierMessageID: receipt.carrierMessageID,
                sentAt: receipt.acceptedAt,
                decisions: [decision(message, .send, ["reconciled"], "\(who) confirmed it had accepted this text before the answer was lost.", now)],
                now: now))
        case .notFound:
            // The carrier's complete answer says it never got the text: sending it now is the first copy.
            let retryAt = now.addingTimeInterval(delivery.retryDelay(attempt: 1, messageID: message.id, retryAfter: nil))
            _ = try await finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .sending, status: .queued, next: .retry(at: retryAt),
                decisions: [decision(message, .schedule, ["reconciled_not_found"],
                                     "The carrier's answer was lost; \(who) confirmed it never received the text, so it is sent again.", now)],
                now: now))
        case .cannotTell(let reason):
            logger.warning("a text's outcome could not be settled; it is marked unknown", metadata: [
                "message_id": "\(message.id)", "carrier": "\(carrier.name)", "reason": "\(reason)",
            ])
            _ = try await finishDelivery(FinishDelivery(
                claim: claim, messageID: message.id, expected: .sending, status: .unknown, error: "outcome unknown",
                decisions: [decision(message, .send, ["ambiguous_outcome"],
                                     "The carrier's answer was lost and \(who) cannot confirm either way; the text may have gone out and is not sent again, to avoid a duplicate.", now)],
                now: now))
        }
    }

    func decision(_ message: MessageRecord, _ action: DecisionAction, _ reasons: [String], _ sentence: String, _ now: Date,
                  until: Date? = nil) -> DecisionRecord {
        DecisionRecord(id: DecisionID(ids.next("dec")), contactID: message.contactID, runID: message.runID, messageID: message.id,
                       action: action, reasons: reasons, sentence: sentence, until: until, decidedAt: now)
    }

    static func carrierTitle(_ name: String) -> String {
        switch name {
        case "twilio": "Twilio"
        case "telnyx": "Telnyx"
        case "bandwidth": "Bandwidth"
        case "simulator": "The simulator carrier"
        default: "The carrier"
        }
    }
}
