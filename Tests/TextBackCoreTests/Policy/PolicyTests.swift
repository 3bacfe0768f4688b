// The one decision function: each rule alone, then the order between them.

import Foundation
import Testing
import TextBackCore

private func at(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0)
}

private func phone(_ raw: String) -> PhoneNumber { PhoneNumber(trustedE164: raw) }

private let policy = SendPolicy(
    frequencyCap: FrequencyCap(max: 1, per: .hours(24)),
    sendingRules: SendingRules(quietHours: QuietHours(start: "21:00", end: "08:00"), staleAfter: .hours(18)),
    consentMode: .universal, businessTimeZone: "America/Chicago")

/// Tuesday 2026-03-03, 13:00 in New York: inside every window.
private let noonish = at("2026-03-03T18:00:00Z")
/// Tuesday 2026-03-03, 22:30 in New York: federal quiet hours.
private let lateNight = at("2026-03-04T03:30:00Z")

private func contact(_ number: String = "+12125550123", attributes: [String: String] = [:]) -> Contact {
    Contact(id: "contact-1", phone: phone(number), name: "Dana Reyes", attributes: attributes, createdAt: noonish)
}

private func text(_ number: String = "+12125550123", requires: ConsentKind = .none, status: String = "live",
                  kind: OutgoingKind = .automated, triggeredAt: Date = noonish) -> OutgoingText {
    OutgoingText(kind: kind, to: phone(number), requiredConsent: requires, automationID: "auto", automationStatus: status,
                 triggeredAt: triggeredAt)
}

private let optedOut = SuppressionRecord(phone: phone("+12125550123"), reason: "opt_out", source: "reply:STOP", createdAt: noonish)

@Suite struct PolicyTests {
    @Test func aClearTextIsSent() {
        let decision = Policy.decide(text(), contact: contact(), history: PolicyHistory(), policy: policy, now: noonish)
        #expect(decision.verdict == .send)
        #expect(!decision.sentence.isEmpty)
    }

    @Test func anOptedOutContactInQuietHoursIsSuppressedNotDeferred() {
        let decision = Policy.decide(text(triggeredAt: lateNight), contact: contact(), history: PolicyHistory(suppression: optedOut),
                                     policy: policy, now: lateNight)
        #expect(decision.verdict == .suppress)
        #expect(decision.reasons.contains("opted_out"))
    }

    @Test func quietHoursDeferToTheNextMorningInTheRecipientsZone() {
        let decision = Policy.decide(text(triggeredAt: lateNight), contact: contact(), history: PolicyHistory(), policy: policy, now: lateNight)
        #expect(decision.verdict == .defer(until: at("2026-03-04T13:00:00Z")))
        #expect(decision.reasons.contains("federal_quiet_hours"))
    }

    @Test func theContactsOwnTimeZoneWins() {
        // 22:30 in New York is 19:30 in Los Angeles: allowed there.
        let decision = Policy.decide(text(triggeredAt: lateNight), contact: contact(attributes: ["timezone": "America/Los_Angeles"]),
                                     history: PolicyHistory(), policy: policy, now: lateNight)
        #expect(decision.verdict == .send)
    }

    @Test(arguments: ["EST", "Eastern", "US/Eastern", "Etc/GMT+5", "GMT-5"])
    func crmZoneNamesDoNotFreezeDaylightSaving(zone: String) {
        // 21:30 EDT on a July evening: fixed "EST" (UTC-5) would call it 20:30 and send.
        let july = at("2026-07-02T01:30:00Z")
        let decision = Policy.decide(text(triggeredAt: july), contact: contact(attributes: ["timezone": zone]), history: PolicyHistory(),
                                     policy: policy, now: july)
        #expect(decision.verdict == .defer(until: at("2026-07-02T12:00:00Z")))
    }

    @Test func aHoldPastTheStalenessLimitIsDropped() {
        let tight = SendPolicy(sendingRules: SendingRules(quietHours: QuietHours(start: "21:00", end: "08:00"), staleAfter: .hours(2)),
                               businessTimeZone: "America/Chicago")
        let decision = Policy.decide(text(triggeredAt: lateNight), contact: contact(), history: PolicyHistory(), policy: tight, now: lateNight)
        #expect(decision.verdict == .suppress)
        #expect(decision.reasons.contains("stale"))
    }

    @Test func aTextFallingDueLongAfterItsCallIsDroppedEvenInsideTheWindow() {
        let decision = Policy.decide(text(triggeredAt: noonish.addingTimeInterval(-20 * 3600)), contact: contact(), history: PolicyHistory(),
                                     policy: policy, now: noonish)
        #expect(decision.verdict == .suppress)
        #expect(decision.reasons == ["stale"])
    }

    @Test func consentRequiredButMissingIsSuppressed() {
        let decision = Policy.decide(text(requires: .expressWritten), contact: contact(),
                                     history: PolicyHistory(consents: [ConsentRecord(id: "c", phone: phone("+12125550123"), kind: .implied, source: "inbound_call", recordedAt: noonish)]),
                                     policy: policy, now: noonish)
        #expect(decision.verdict == .suppress)
        #expect(decision.reasons == ["consent_missing"])
    }

    @Test func revokedConsentBlocksInUniversalModeUntilGivenAgain() {
        let revoked = ConsentRecord(id: "c1", phone: phone("+12125550123"), kind: .expressWritten, scope: "marketing", source: "form",
                                    recordedAt: noonish.addingTimeInterval(-7200), revokedAt: noonish.addingTimeInterval(-3600))
        let universal = Policy.decide(text(), contact: contact(), history: PolicyHistory(consents: [revoked]), policy: policy, now: noonish)
        #expect(universal.reasons == ["consent_revoked"])
        var granularPolicy = policy
        granularPolicy.consentMode = .granular
        let granular = Policy.decide(text(), contact: contact(), history: PolicyHistory(consents: [revoked]), policy: granularPolicy, now: noonish)
        #expect(granular.verdict == .send)
        let regiven = ConsentRecord(id: "c2", phone: phone("+12125550123"), kind: .implied, source: "reply:START", recordedAt: noonish.addingTimeInterval(-60))
        let again = Policy.decide(text(), contact: contact(), history: PolicyHistory(consents: [revoked, regiven]), policy: policy, now: noonish)
        #expect(again.verdict == .send)
    }

    @Test func theFrequencyCapIsRolling() {
        let history = PolicyHistory(sameTypeTextTimes: [noonish.addingTimeInterval(-23 * 3600)])
        #expect(Policy.decide(text(), contact: contact(), history: history, policy: policy, now: noonish).reasons == ["frequency_cap"])
        let older = PolicyHistory(sameTypeTextTimes: [noonish.addingTimeInterval(-25 * 3600)])
        #expect(Policy.decide(text(), contact: contact(), history: older, policy: policy, now: noonish).verdict == .send)
    }

    @Test(arguments: ["+13055550123", "+14055550123", "+14105550123"])
    func floridaOklahomaAndMarylandAllowThreeAutomatedTextsADay(number: String) {
        let generous = SendPolicy(frequencyCap: FrequencyCap(max: 10, per: .hours(24)), sendingRules: SendingRules(),
                                  businessTimeZone: "America/Chicago")
        let two = PolicyHistory(automatedTextTimes: [noonish.addingTimeInterval(-3600), noonish.addingTimeInterval(-7200)])
        let three = PolicyHistory(automatedTextTimes: [noonish.addingTimeInterval(-600), noonish.addingTimeInterval(-3600), noonish.addingTimeInterval(-7200)])
        #expect(Policy.decide(text(number), contact: contact(number), history: two, policy: generous, now: noonish).verdict == .send)
        let capped = Policy.decide(text(number), contact: contact(number), history: three, policy: generous, now: noonish)
        #expect(capped.verdict == .suppress)
        #expect(capped.reasons.contains("state_cap"))
        // Texas has no such limit.
        #expect(Policy.decide(text("+12145550123"), contact: contact("+12145550123"), history: three, policy: generous, now: noonish).verdict == .send)
    }

    @Test(arguments: [("draft", "automation_draft"), ("paused", "automation_paused")])
    func draftAndPausedAutomationsDoNotSend(status: String, reason: String) {
        let decision = Policy.decide(text(status: status), contact: contact(), history: PolicyHistory(), policy: policy, now: noonish)
        #expect(decision.verdict == .suppress)
        #expect(decision.reasons == [reason])
    }

    @Test func connectingOrReplyingSinceTheCallCancels() {
        let connected = Policy.decide(text(), contact: contact(), history: PolicyHistory(connectedCallTimes: [noonish.addingTimeInterval(60)]),
                                      policy: policy, now: noonish.addingTimeInterval(120))
        #expect(connected.isCancellation)
        #expect(connected.reasons == ["connected"])
        let replied = Policy.decide(text(), contact: contact(), history: PolicyHistory(inboundMessageTimes: [noonish.addingTimeInterval(30)]),
                                    policy: policy, now: noonish.addingTimeInterval(120))
        #expect(replied.reasons == ["replied"])
        let before = Policy.decide(text(), contact: contact(), history: PolicyHistory(connectedCallTimes: [noonish.addingTimeInterval(-60)]),
                                   policy: policy, now: noonish.addingTimeInterval(120))
        #expect(before.verdict == .send)
    }

    @Test func helpAndTheOptOutConfirmationReachAnOptedOutContact() {
        for kind in [OutgoingKind.help, .optOutConfirmation] {
            let decision = Policy.decide(text(kind: kind, triggeredAt: lateNight), contact: contact(), history: PolicyHistory(suppression: optedOut),
                                         policy: policy, now: lateNight)
            #expect(decision.verdict == .send, "\(kind)")
        }
        let dnc = SuppressionRecord(phone: phone("+12125550123"), reason: "dnc", source: "import", createdAt: noonish)
        let optIn = Policy.decide(text(kind: .optInConfirmation), contact: contact(), history: PolicyHistory(suppression: dnc), policy: policy, now: noonish)
        #expect(optIn.verdict == .suppress)
    }

    @Test func connecticutHoldsUntilNineAndLegalComesBeforeTiming() {
        let ct = "+12035550123"
        let evening = at("2026-03-04T01:57:00Z") // 20:57 in Connecticut
        let decision = Policy.decide(text(ct, triggeredAt: at("2026-03-04T01:55:00Z")), contact: contact(ct), history: PolicyHistory(),
                                     policy: policy, now: evening)
        #expect(decision.verdict == .defer(until: at("2026-03-04T14:00:00Z")))
        #expect(decision.reasons.contains("state_quiet_hours"))
    }
}
