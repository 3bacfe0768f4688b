// The automation of DESIGN §6 compiled to a program: which action each kind of call reaches,
// resuming at the returned pc, the flat listing, the fingerprint and trigger scoping.

import Foundation
import Testing
import TextBackCore

struct AutomationProgramTests {
    static func designSteps(voicemailDelay: TimeSpan = .minutes(20)) throws -> [Step] {
        [
            .branch(condition: try Expression(parsing: "call.outcome == \"completed\""), then: [.stop], otherwise: []),
            .branch(
                condition: try Expression(parsing: "call.outcome == \"left_voicemail\""),
                then: [.delay(voicemailDelay)],
                otherwise: [
                    .branch(
                        condition: try Expression(parsing: "call.direction == \"inbound\""),
                        then: [.delay(.minutes(2))], otherwise: [.delay(.minutes(3))]),
                ]),
            .sendSMS(template: "home_services"),
            .updateContact(["last_missed_call_sms_at": try MessageTemplate(parsing: "{now}")]),
        ]
    }

    /// Runs a program to its end the way the engine does, collecting every action.
    static func run(_ program: AutomationProgram, _ call: CallEvent) throws -> [ProgramAction] {
        var actions: [ProgramAction] = []
        var pc = 0
        let context = Fixtures.context(call)
        while actions.count < 20 {
            let action = try program.next(from: pc, context: context)
            actions.append(action)
            switch action {
            case .delay(_, let next), .sendSMS(_, let next), .updateContact(_, let next): pc = next
            case .stop, .finished: return actions
            }
        }
        return actions
    }

    @Test func completedCallsStop() throws {
        let program = AutomationProgram(steps: try Self.designSteps())
        #expect(try program.next(from: 0, context: Fixtures.context(Fixtures.call(outcome: .completed))) == .stop)
    }

    @Test func voicemailWaitsTwentyMinutesThenSendsThenRecords() throws {
        let program = AutomationProgram(steps: try Self.designSteps())
        let call = Fixtures.call(outcome: .leftVoicemail, voicemail: Voicemail(detected: true, left: true))
        let update = try MessageTemplate(parsing: "{now}")
        #expect(try Self.run(program, call) == [
            .delay(.minutes(20), resumeAt: 4),
            .sendSMS(template: "home_services", resumeAt: 10),
            .updateContact(["last_missed_call_sms_at": update], resumeAt: 11),
            .finished,
        ])
    }

    @Test("missed calls wait by direction", arguments: [
        (CallDirection.inbound, TimeSpan.minutes(2), 7),
        (CallDirection.outbound, TimeSpan.minutes(3), 9),
    ])
    func missedCallsWaitByDirection(direction: CallDirection, delay: TimeSpan, resume: Int) throws {
        let program = AutomationProgram(steps: try Self.designSteps())
        let actions = try Self.run(program, Fixtures.call(direction: direction, outcome: .noAnswer))
        #expect(actions.first == .delay(delay, resumeAt: resume))
        #expect(actions.dropFirst().first == .sendSMS(template: "home_services", resumeAt: 10))
        #expect(actions.last == .finished)
        #expect(actions.count == 4)
    }

    @Test func resumingAfterADelayContinuesWithTheSend() throws {
        let program = AutomationProgram(steps: try Self.designSteps())
        let context = Fixtures.context(Fixtures.call(direction: .inbound))
        guard case .delay(_, let resume) = try program.next(from: 0, context: context) else {
            Issue.record("expected a delay first")
            return
        }
        // A different worker picks the run up later with only the stored pc.
        #expect(try program.next(from: resume, context: context) == .sendSMS(template: "home_services", resumeAt: 10))
    }

    @Test func listingShowsTheFlatProgram() throws {
        let program = AutomationProgram(steps: try Self.designSteps())
        #expect(program.instructionCount == 11)
        #expect(program.listing == [
            #"0: if "call.outcome == \"completed\"" else goto 2"#,
            "1: stop",
            #"2: if "call.outcome == \"left_voicemail\"" else goto 5"#,
            "3: delay 20m",
            "4: goto 9",
            #"5: if "call.direction == \"inbound\"" else goto 8"#,
            "6: delay 2m",
            "7: goto 9",
            "8: delay 3m",
            #"9: send_sms "home_services""#,
            #"10: update_contact "last_missed_call_sms_at"="{now}""#,
        ])
    }

    @Test func outOfRangePcsAreFinished() throws {
        let program = AutomationProgram(steps: try Self.designSteps())
        #expect(try program.next(from: 11, context: Fixtures.context()) == .finished)
        #expect(try program.next(from: -1, context: Fixtures.context()) == .finished)
        #expect(try AutomationProgram(steps: []).next(from: 0, context: Fixtures.context()) == .finished)
    }

    @Test func conditionErrorsPropagate() throws {
        let program = AutomationProgram(steps: [
            .branch(condition: try Expression(parsing: "contact.name > 5"), then: [.stop], otherwise: []),
        ])
        #expect(throws: ExpressionError.self) { try program.next(from: 0, context: Fixtures.context()) }
    }

    @Test func fingerprintIsStableAndFollowsChanges() throws {
        let a = AutomationProgram(steps: try Self.designSteps())
        let b = AutomationProgram(steps: try Self.designSteps())
        let changed = AutomationProgram(steps: try Self.designSteps(voicemailDelay: .minutes(25)))
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint.count == 16)
        #expect(a.fingerprint.allSatisfy { $0.isHexDigit })
        #expect(a.fingerprint != changed.fingerprint)
    }

    @Test func changingStepsRecompilesTheProgram() throws {
        var automation = Automation(id: "missed-call-textback", status: .live, steps: try Self.designSteps())
        let before = automation.program.fingerprint
        automation.steps = [.stop]
        #expect(automation.program.instructionCount == 1)
        #expect(automation.program.fingerprint != before)
        #expect(automation.requiresConsent == ConsentRequirement.none)
        #expect(automation.messageType == "missed_call")
    }

    @Test func triggerScopesAgentsNumbersAndStage() {
        let all = Trigger()
        #expect(all.matches(Fixtures.call()))
        #expect(!all.matches(Fixtures.call(stage: .ringing)))

        let agentOne = Trigger(agents: .only(["agent-1"]))
        #expect(agentOne.matches(Fixtures.call(agent: "agent-1")))
        #expect(!agentOne.matches(Fixtures.call(agent: "agent-2")))
        #expect(!agentOne.matches(Fixtures.call(agent: nil)))

        // The business side of the call: `to` for inbound, `from` for outbound.
        let ourNumber = Trigger(numbers: .only([Fixtures.business]))
        #expect(ourNumber.matches(Fixtures.call(direction: .inbound)))
        #expect(ourNumber.matches(Fixtures.call(direction: .outbound)))
        let otherNumber = Trigger(numbers: .only([PhoneNumber(trustedE164: "+15125550199")]))
        #expect(!otherNumber.matches(Fixtures.call()))

        #expect(!Trigger(event: "sms.received").matches(Fixtures.call()))
    }
}
