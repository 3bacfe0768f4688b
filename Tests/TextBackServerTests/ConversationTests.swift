// Conversations end to end: a missed call, its text, the contact's reply through the simulator
// carrier, and what the agent does with it — through the real router, a real SQLite file and a
// virtual clock. The clock starts Tuesday 2026-03-03 10:00 in California (12:00 in Chicago, the
// demo business's zone; callback hours are weekdays 08:00–20:00 there).

import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage

let dana = "+14155550123"
let acme = "+15125550100"
let staff = "+15125550199"

extension TestClientProtocol {
    @discardableResult
    func reply(_ body: String, from: String = dana) async throws -> HTTPResult {
        let result = try await call("/v1/simulator/inbound", .post, json: ["from": from, "to": acme, "body": body])
        #expect(result.status == .accepted, "\(result.body)")
        return result
    }

    func conversations(_ query: String = "") async throws -> [[String: Any]] {
        let result = try await call("/v1/conversations\(query)")
        #expect(result.status == .ok, "\(result.body)")
        return result.json["conversations"] as? [[String: Any]] ?? []
    }

    func conversation(_ id: String) async throws -> [String: Any] {
        let result = try await call("/v1/conversations/\(id)")
        #expect(result.status == .ok, "\(result.body)")
        return result.json
    }

    func callbacks(_ query: String = "") async throws -> [[String: Any]] {
        let result = try await call("/v1/callbacks\(query)")
        #expect(result.status == .ok, "\(result.body)")
        return result.json["callbacks"] as? [[String: Any]] ?? []
    }

    func bodies(to phone: String) async throws -> [String] {
        try await outbox().filter { $0["to"] as? String == phone }.compactMap { $0["body"] as? String }
    }
}

/// The demo configuration with staff notified by SMS.
func staffConfiguration() throws -> TextBackConfiguration {
    var configuration = try ConfigurationLoader.demo()
    configuration.agent.staffNumbers = [try PhoneNumber(parsing: staff)]
    return configuration
}

/// A missed call from Dana and its text two minutes later.
func missedCallTexted(_ harness: Harness, _ client: any TestClientProtocol) async throws {
    try await client.postCall(callEvent())
    try await harness.advance(0)
    try await harness.advance(120)
    #expect(try await client.bodies(to: dana).count == 1)
}

@Suite struct ConversationTests {
    @Test func aProposedTimeIsBookedAndConfirmedInTheContactsLocalTime() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            let reply = try await client.reply("tomorrow around 4")
            #expect(reply.json["intent"] as? String == "propose_time")
            try await harness.advance(0)
            let bodies = try await client.bodies(to: dana)
            #expect(bodies.count == 2)
            // Wednesday 16:00 in California is 18:00 in Chicago: inside callback hours.
            #expect(bodies.last == "Great, Acme Home Services will call you Wed, Mar 4 at 4:00 PM.")
            let callbacks = try await client.callbacks()
            #expect(callbacks.count == 1)
            #expect((callbacks.first?["at"] as? String)?.hasPrefix("2026-03-05T00:00:00") == true)
            #expect(callbacks.first?["status"] as? String == "requested")
            #expect(callbacks.first?["phone"] as? String == dana)
            #expect(callbacks.first?["source_message_id"] as? String == reply.json["message_id"] as? String)

            let list = try await client.conversations()
            #expect(list.count == 1)
            #expect(list.first?["state"] as? String == "open")
            #expect(list.first?["number"] as? String == acme)
            #expect((list.first?["last_message"] as? [String: Any])?["body"] as? String == bodies.last)
            let detail = try await client.conversation(list.first?["id"] as? String ?? "")
            let messages = detail["messages"] as? [[String: Any]] ?? []
            #expect(messages.map { $0["direction"] as? String } == ["outbound", "inbound", "outbound"])
            #expect((detail["callbacks"] as? [[String: Any]])?.count == 1)
            let decisions = detail["decisions"] as? [[String: Any]] ?? []
            #expect(decisions.contains { ($0["reasons"] as? [String] ?? []).contains("callback_booked") })
        }
    }

    @Test func aTimeOutsideCallbackHoursGetsTheNearestOpenSlot() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            // 19:00 in California is 21:00 in Chicago, after closing at 20:00: the nearest open quarter
            // hour is 19:45 Chicago, 17:45 for Dana.
            try await client.reply("tomorrow at 7pm")
            try await harness.advance(0)
            #expect(try await client.bodies(to: dana).last
                == "Acme Home Services can't call then. The nearest time we can is Wed, Mar 4 at 5:45 PM. Reply with another time if that doesn't work.")
            #expect((try await client.callbacks().first?["at"] as? String)?.hasPrefix("2026-03-05T01:45:00") == true)
        }
    }

    @Test func yesRequestsACallbackNowAndCancelsThePendingFollowUp() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await client.postCall(callEvent())
            try await harness.advance(0)
            try await harness.advance(30)
            try await client.reply("yes")
            try await harness.advance(0)
            try await harness.advance(600)
            // Only the agent's answer: the missed-call text was cancelled by the reply.
            #expect(try await client.bodies(to: dana) == ["Thanks! Acme Home Services will call you in the next few minutes."])
            let cancelled = try await client.timeline(dana).filter { $0["action"] as? String == "cancel" }
            #expect(cancelled.count == 1)
            #expect((cancelled.first?["reasons"] as? [String]) == ["replied"])
            let callbacks = try await client.callbacks("?status=requested")
            #expect(callbacks.count == 1)
            #expect((callbacks.first?["at"] as? String)?.hasPrefix("2026-03-03T18:00:30") == true)
        }
    }

    @Test func aReplyThatWaitedPastTheDirectAnswerWindowWaitsForTheMorning() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            // Dana answers at 20:52 her time; the agent's answer is queued at once, but the job runner
            // does not get to it until 21:12 (a backlog): no longer a direct answer, and after 21:00.
            harness.clock.advance(10 * 3600 + 50 * 60)
            try await client.reply("yes")
            harness.clock.advance(20 * 60)
            try await harness.engine.runDueJobs()
            #expect(try await client.bodies(to: dana).count == 1, "nothing after 21:00")
            let held = try await client.timeline(dana).filter { ($0["reasons"] as? [String] ?? []).contains("reply_waited") }
            #expect(held.count == 1)
            #expect(held.first?["action"] as? String == "defer")
            // 08:00 in California on Wednesday is 16:00 UTC.
            #expect((held.first?["until"] as? String)?.hasPrefix("2026-03-04T16:00:00") == true, "\(held)")

            try await harness.advance(10 * 3600 + 48 * 60)
            #expect(try await client.bodies(to: dana).count == 2, "sent in the morning")
        }
    }

    @Test func aQuestionGoesToAPersonWhoIsNotifiedThenReleased() async throws {
        let harness = try await Harness(configuration: try staffConfiguration())
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            try await client.reply("who is this?")
            try await harness.advance(0)
            #expect(try await client.bodies(to: dana).count == 1, "no automatic reply")
            let toStaff = try await client.bodies(to: staff)
            #expect(toStaff.count == 1)
            #expect(toStaff.first?.contains("needs a person") == true)
            let waiting = try await client.conversations("?state=needs_human")
            #expect(waiting.count == 1)
            let id = waiting.first?["id"] as? String ?? ""

            // While a person owns the thread, the agent stays silent even for a "yes".
            try await client.reply("yes")
            try await harness.advance(0)
            #expect(try await client.bodies(to: dana).count == 1)

            let released = try await client.call("/v1/conversations/\(id)/release", .post)
            #expect(released.status == .ok, "\(released.body)")
            #expect(released.json["state"] as? String == "open")
            let again = try await client.call("/v1/conversations/\(id)/release", .post)
            #expect(again.status == .conflict)
            #expect((again.json["detail"] as? String)?.contains("needs_human") == true)

            try await client.reply("yes please call")
            try await harness.advance(0)
            #expect(try await client.bodies(to: dana).last == "Thanks! Acme Home Services will call you in the next few minutes.")
            // The callback notified staff too.
            #expect(try await client.bodies(to: staff).count == 2)
        }
    }

    @Test func wrongNumberApologisesOnceAndSuppressesForThisBusiness() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            try await client.reply("wrong number")
            try await harness.advance(0)
            let bodies = try await client.bodies(to: dana)
            #expect(bodies.count == 2)
            #expect(bodies.last == "Sorry about that! We'll remove this number and won't text it again. - Acme Home Services")
            let contact = try await client.call("/v1/contacts/\(dana)")
            #expect((contact.json["suppression"] as? [String: Any])?["reason"] as? String == "wrong_number")
            #expect(try await client.conversations("?state=closed").count == 1)
            // A new missed call is not texted.
            try await client.postCall(callEvent(id: "c-2", at: harness.clock.now()))
            try await harness.advance(0)
            try await harness.advance(3600)
            #expect(try await client.bodies(to: dana).count == 2)
        }
    }

    @Test func aPersonsReplyGoesOutAndIsRefusedAfterStop() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            try await client.reply("what do you charge for a water heater?")
            let id = try await client.conversations().first?["id"] as? String ?? ""
            let sent = try await client.call("/v1/conversations/\(id)/messages", .post, json: ["body": "About $150 for a visit. Want us to come by?"])
            #expect(sent.status == .accepted, "\(sent.body)")
            #expect((sent.json["message_id"] as? String)?.isEmpty == false)
            try await harness.advance(0)
            #expect(try await client.bodies(to: dana).last == "About $150 for a visit. Want us to come by?")

            try await client.reply("STOP")
            try await harness.advance(0)
            let refused = try await client.call("/v1/conversations/\(id)/messages", .post, json: ["body": "Are you sure?"])
            #expect(refused.status == .conflict)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let detail = refused.json["detail"] as? String ?? ""
            #expect(detail.contains("refused"))
            #expect(!detail.contains(dana) && !detail.contains("Are you sure"))
            #expect(!(try await client.bodies(to: dana)).contains("Are you sure?"))
            #expect(try await client.conversations("?state=closed").count == 1)
        }
    }

    @Test func badConversationRequestsGetProblemDocuments() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let missing = try await client.call("/v1/conversations/conv_nope")
            #expect(missing.status == .notFound)
            let post = try await client.call("/v1/conversations/conv_nope/messages", .post, json: ["body": "hi"])
            #expect(post.status == .notFound)
            let badState = try await client.call("/v1/conversations?state=sleeping")
            #expect(badState.status == .badRequest)
            #expect(badState.json["field"] as? String == "state")
            let badStatus = try await client.call("/v1/callbacks?status=later")
            #expect(badStatus.status == .badRequest)
            let badCursor = try await client.call("/v1/conversations?after=zzz")
            #expect(badCursor.status == .badRequest)
            try await missedCallTexted(harness, client)
            try await client.reply("hmm")
            let id = try await client.conversations().first?["id"] as? String ?? ""
            let empty = try await client.call("/v1/conversations/\(id)/messages", .post, json: ["body": "  "])
            #expect(empty.status == .badRequest)
            #expect(empty.json["field"] as? String == "body")
        }
    }

    @Test func spanishStopRevokesAndSpanishBookingIsAnsweredInSpanish() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            let booking = try await client.reply("el viernes a las 4")
            #expect(booking.json["intent"] as? String == "propose_time")
            try await harness.advance(0)
            let answer = try await client.bodies(to: dana).last ?? ""
            #expect(answer.hasPrefix("Perfecto, Acme Home Services le llamara el vie"), "\(answer)")
            #expect(answer.contains("16:00"))
            let callbacks = try await client.callbacks()
            // Friday 16:00 in California.
            #expect((callbacks.first?["at"] as? String)?.hasPrefix("2026-03-07T00:00:00") == true)

            let stop = try await client.reply("ALTO")
            #expect(stop.json["revokes_consent"] as? Bool == true)
            try await harness.advance(0)
            // The opt-out closes the thread and cancels the call it had booked.
            #expect(try await client.callbacks("?status=cancelled").count == 1)
            let contact = try await client.call("/v1/contacts/\(dana)")
            #expect(contact.json["suppressed"] as? Bool == true)
        }
    }

    @Test func automaticRepliesStopAtTheDailyCap() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            for _ in 0..<4 {
                try await client.reply("yes")
                try await harness.advance(60)
            }
            let answers = try await client.bodies(to: dana).dropFirst()
            #expect(answers.count == 3)
            #expect(try await client.conversations("?state=needs_human").count == 1)
        }
    }

    @Test func theMissedCallTextOpensTheThreadAndStartReopensWhatStopClosed() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            let opened = try await client.conversations("?phone=\(dana)")
            #expect(opened.count == 1)
            #expect(opened.first?["state"] as? String == "open")
            #expect((opened.first?["last_message"] as? [String: Any])?["kind"] as? String == "automated")
            #expect(try await client.conversations("?phone=%2B14155550177").isEmpty)

            try await client.reply("STOP")
            try await harness.advance(0)
            #expect(try await client.conversations("?state=closed").count == 1)
            try await client.reply("START")
            try await harness.advance(0)
            let reopened = try await client.conversations()
            #expect(reopened.count == 1, "still the same thread")
            #expect(reopened.first?["id"] as? String == opened.first?["id"] as? String)
            #expect(reopened.first?["state"] as? String == "open")
        }
    }

    @Test func conversationsArePaginatedNewestFirst() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            for i in 0..<3 {
                try await client.reply("who is this?", from: "+1415555020\(i)")
                harness.clock.advance(1)
            }
            let first = try await client.call("/v1/conversations?limit=2")
            let page = first.json["conversations"] as? [[String: Any]] ?? []
            #expect(page.map { $0["phone"] as? String } == ["+14155550202", "+14155550201"])
            let next = try #require(first.json["next"] as? String)
            let second = try await client.call("/v1/conversations?limit=2&after=\(next)")
            #expect((second.json["conversations"] as? [[String: Any]])?.map { $0["phone"] as? String } == ["+14155550200"])
            #expect(second.json["next"] is NSNull)
        }
    }

    @Test func aConnectedCallCompletesTheCallbackAndAnUnmadeOneIsMissed() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            try await client.reply("yes")
            try await harness.advance(0)
            try await client.postCall(callEvent(id: "c-back", direction: "outbound", outcome: "completed", at: harness.clock.now(), duration: 180))
            try await harness.advance(0)
            #expect(try await client.callbacks("?status=completed").count == 1)

            // Another contact books a time and nobody calls: missed once the window (2 h) has passed.
            let other = "+14155550177"
            try await client.postCall(callEvent(id: "c-other", contact: other))
            try await harness.advance(0)
            try await harness.advance(120)
            try await client.reply("today at 3pm", from: other)
            try await harness.advance(0)
            #expect(try await client.callbacks("?status=requested&phone=\(other)").count == 1)
            try await harness.advance(7 * 3600)
            #expect(try await client.callbacks("?status=missed").count == 1)
            #expect(try await client.callbacks("?status=completed").count == 1)
        }
    }
}

@Suite struct CallbackTriggerTests {
    static let yaml = #"""
        business: {name: Acme Home Services, phone: "+15125550100", timezone: America/Chicago}
        numbers:
          - {number: "+15125550100", carrier: simulator}
        templates:
          hello: "Hi {Name|there}, {Company} here about your missed call. Reply YES for a call back or STOP to opt out."
        automations:
          - id: textback
            status: live
            trigger: {event: call.completed}
            steps:
              - if: 'call.outcome == "completed"'
                then: [stop]
              - delay: 2m
              - send_sms: {template: hello}
          - id: route-callbacks
            status: live
            trigger: {event: callback.requested}
            steps:
              - update_contact: {callback_requested_at: "{now}", callback_route: "sales"}
        agent:
          enabled: true
        """#

    @Test func aBookedCallbackStartsTheCallbackRequestedAutomation() async throws {
        let configuration = try ConfigurationLoader.load(yaml: Self.yaml, fileName: "t.yaml", environment: [:])
        let harness = try await Harness(configuration: configuration)
        try await harness.test { client in
            try await missedCallTexted(harness, client)
            let before = try await client.call("/v1/contacts/\(dana)")
            #expect((before.json["attributes"] as? [String: Any])?["callback_route"] == nil)
            try await client.reply("yes")
            try await harness.advance(0)
            let after = try await client.call("/v1/contacts/\(dana)")
            let attributes = after.json["attributes"] as? [String: Any] ?? [:]
            #expect(attributes["callback_route"] as? String == "sales")
            #expect((attributes["callback_requested_at"] as? String)?.hasPrefix("2026-03-03T18:02:00") == true)
            // A reply that books nothing starts nothing.
            let runsBefore = try await harness.store.pendingJobs(limit: 100).count
            try await client.reply("who is this?")
            #expect(try await harness.store.pendingJobs(limit: 100).count == runsBefore)
        }
    }
}
