// Shared test data: DESIGN §5's sample call (Dana Reyes, a missed inbound call about a water
// heater) and the Acme business, at a pinned instant.

import Foundation
import TextBackCore

typealias Expression = TextBackCore.Expression

enum Fixtures {
    /// 2026-03-02T15:04:05Z, 09:04 in America/Chicago.
    static let now = Date(timeIntervalSince1970: 1_772_463_845)
    static let business = PhoneNumber(trustedE164: "+15125550100")
    static let caller = PhoneNumber(trustedE164: "+14155550123")

    static let acme = BusinessProfile(name: "Acme Home Services", phone: business, timeZone: "America/Chicago")

    static func call(
        direction: CallDirection = .inbound, outcome: CallOutcome = .noAnswer, stage: CallStage = .ended,
        agent: String? = "agent-1", voicemail: Voicemail = Voicemail(), contactName: String? = "Dana Reyes",
        variables: [String: String] = ["service": "water heater repair"]
    ) -> CallEvent {
        CallEvent(
            provider: "native", providerCallID: "c-1001", stage: stage, occurredAt: now.addingTimeInterval(-60),
            direction: direction, outcome: outcome, durationSeconds: 0,
            from: direction == .inbound ? caller : business, to: direction == .inbound ? business : caller,
            agentID: agent, voicemail: voicemail,
            contact: ContactHint(name: contactName, attributes: ["lead_source": "web_form"]),
            variables: variables, campaign: "spring")
    }

    static func dana(name: String? = "Dana Reyes", attributes: [String: String] = [:]) -> Contact {
        Contact(
            id: "contact-1", phone: caller, name: name,
            attributes: [
                "lead_source": "web_form",
                "last_missed_call_sms_at": "2026-03-02T03:04:05Z",
                "score": "42",
            ].merging(attributes) { $1 },
            createdAt: now.addingTimeInterval(-86_400 * 30))
    }

    static func context(_ call: CallEvent = call(), contact: Contact? = dana()) -> ExpressionContext {
        ExpressionContext(call: call, contact: contact, now: now)
    }
}
