// Configuration sources used by several tests: DESIGN §6's example file, verbatim, and a small
// valid file that error tests copy and break one line at a time.

import Foundation
import TextBackConfig
import TextBackCore

typealias Expression = TextBackCore.Expression

enum ConfigFixtures {
    static let designExample = #"""
        business:
          name: Acme Home Services          # fills {Company}, {Agency}, {School}, {Lender}, {Practice}
          phone: "+15125550100"              # fills {number}
          timezone: America/Chicago          # fallback when the recipient's zone is unknown
        numbers:
          - number: "+15125550100"
            carrier: simulator               # simulator | twilio | telnyx | bandwidth
            kind: long_code                  # long_code | toll_free | short_code (sets default throughput)
        carriers:
          twilio: {account_sid: "env:TWILIO_ACCOUNT_SID", auth_token: "env:TWILIO_AUTH_TOKEN"}
        policy:
          frequency_cap: {max: 1, per: 24h}  # missed-call texts per contact
          quiet_hours: {start: "21:00", end: "08:00"}   # recipient local time; state rules apply on top
          stale_after: 12h                   # a held text older than this is dropped, with its reason
        templates:
          home_services: "Hey {Name}, {Company} here. Tried to reach you about your {service} request. Still need help? Reply YES and I'll call you right back."
        automations:
          - id: missed-call-textback
            status: live                     # draft | live | paused
            trigger: {event: call.completed, agents: all}
            steps:
              - if: 'call.outcome == "completed"'
                then: [stop]
              - if: 'call.outcome == "left_voicemail"'
                then: [{delay: 20m}]
                else:
                  - if: 'call.direction == "inbound"'
                    then: [{delay: 2m}]
                    else: [{delay: 3m}]
              - send_sms: {template: home_services}
              - update_contact: {last_missed_call_sms_at: "{now}"}
        """#

    /// Valid. Line numbers matter: tests replace a line and assert the position of the error.
    static let minimal = #"""
        business:
          name: Acme
          timezone: America/Chicago
        numbers:
          - {number: "+15125550100", carrier: simulator}
        templates:
          hello: "Hi {Name}, it's {Company} about your missed call. Reply YES for a call back or STOP to opt out."
        automations:
          - id: textback
            status: live
            trigger: {event: call.completed}
            steps:
              - if: 'call.outcome == "completed"'
                then: [stop]
              - delay: 2m
              - send_sms: {template: hello}
        """#

    /// `minimal` with 1-based line `number` replaced by `text`.
    static func minimal(replacingLine number: Int, with text: String) -> String {
        var lines = minimal.components(separatedBy: "\n")
        lines[number - 1] = text
        return lines.joined(separator: "\n")
    }

    /// The descriptions of the errors a source produces; empty when it loads.
    static func errors(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigurationLoader.load(yaml: yaml, fileName: "textback.yaml", environment: environment)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    static let now = Date(timeIntervalSince1970: 1_772_463_845)
    static let businessNumber = PhoneNumber(trustedE164: "+15125550100")
    static let caller = PhoneNumber(trustedE164: "+14155550123")

    static func call(direction: CallDirection = .inbound, outcome: CallOutcome) -> CallEvent {
        CallEvent(
            provider: "native", providerCallID: "c-1", occurredAt: now, direction: direction, outcome: outcome,
            from: direction == .inbound ? caller : businessNumber, to: direction == .inbound ? businessNumber : caller,
            agentID: "agent-1", contact: ContactHint(name: "Dana Reyes"), variables: ["service": "water heater repair"])
    }
}
