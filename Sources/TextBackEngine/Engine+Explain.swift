// Every call explained: an ended call that starts no run gets a decision on the contact's timeline
// saying why (issue 11, "every call explained"): the automations it would match are drafts or paused,
// or none covers its agent or number, or there is none for calls at all.

import Foundation
import TextBackCore
import TextBackStorage

extension Engine {
    /// The note for an ended, textable call that no live automation took; nil when one did.
    func noRunNote(for event: CallEvent) -> PlannedDecision? {
        let forCalls = configuration.automations.filter { $0.trigger.event == Trigger.callCompleted }
        let matching = forCalls.filter { $0.trigger.matches(event) }
        if matching.contains(where: { $0.status == .live }) { return nil }
        let reason: String
        let sentence: String
        if let draft = matching.first(where: { $0.status == .draft }) {
            reason = "automation_draft"
            sentence = "No text: automation \(draft.id) would handle this call, but it is a draft, and drafts never execute."
        } else if let paused = matching.first(where: { $0.status == .paused }) {
            reason = "automation_paused"
            sentence = "No text: automation \(paused.id) would handle this call, but it is paused."
        } else if forCalls.isEmpty {
            reason = "no_automation"
            sentence = "No text: no automation in the configuration starts on a completed call."
        } else {
            reason = "out_of_scope"
            sentence = "No text: no automation covers this call's agent and number (\(forCalls.map(\.id.rawValue).joined(separator: ", ")) are scoped to others)."
        }
        return PlannedDecision(id: DecisionID(ids.next("dec")), action: .skip, reasons: [reason], sentence: sentence)
    }
}
