// Evaluation of conditions: precedence, `in`, `!`, has(), durations, string and number
// comparisons, timestamp arithmetic with ISO 8601 attributes, and null handling.

import Foundation
import Testing
import TextBackCore

struct ExpressionEvaluationTests {
    private func truth(_ source: String, _ context: ExpressionContext = Fixtures.context()) throws -> Bool {
        try Expression(parsing: source).isTrue(in: context)
    }

    @Test("precedence: && binds tighter than ||, ! tighter than both, parentheses win", arguments: [
        ("true || false && false", true),
        ("(true || false) && false", false),
        ("!false && false", false),
        ("!(false && false)", true),
        ("false && false || true", true),
        ("!true || true", true),
        ("1 + 2 == 3", true),
        ("10 - 2 - 3 == 5", true),
        ("-1 < 0", true),
        ("call.outcome == \"no_answer\" || call.outcome == \"busy\" && false", true),
        ("(call.outcome == \"no_answer\" || call.outcome == \"busy\") && false", false),
        ("call.direction == \"inbound\" && call.duration_s < 5", true),
    ])
    func precedence(source: String, expected: Bool) throws {
        #expect(try truth(source) == expected)
    }

    @Test("in tests list membership", arguments: [
        ("call.outcome in [\"no_answer\", \"busy\"]", true),
        ("call.outcome in [\"completed\", \"transferred\", \"unknown\"]", false),
        ("!(call.outcome in [\"completed\"])", true),
        ("call.campaign in [\"spring\", \"fall\"]", true),
        ("contact.lead_source in ['web_form']", true),
        ("contact.email in [\"a\"]", false),
        ("call.duration_s in [0, 1]", true),
        ("call.outcome in []", false),
    ])
    func membership(source: String, expected: Bool) throws {
        #expect(try truth(source) == expected)
    }

    @Test("has() tests presence", arguments: [
        ("has(contact.lead_source)", true),
        ("has(contact.attributes.lead_source)", true),
        ("has(contact.email)", false),
        ("!has(contact.email)", true),
        ("has(call.agent_id)", true),
        ("has(call.variables.service)", true),
        ("has(call.variables.zip)", false),
        ("has(contact.id)", true),
    ])
    func presence(source: String, expected: Bool) throws {
        #expect(try truth(source) == expected)
    }

    @Test("duration literals", arguments: [
        ("2m == 120s", true),
        ("1d == 24h", true),
        ("90s > 1m", true),
        ("20m < 1h", true),
        ("12h >= 720m", true),
        ("1h + 30m == 90m", true),
        ("-2m < 0s", true),
    ])
    func durations(source: String, expected: Bool) throws {
        #expect(try truth(source) == expected)
    }

    @Test("strings and numbers compare; attribute strings read as numbers next to numbers", arguments: [
        ("contact.name == \"Dana Reyes\"", true),
        ("contact.first_name == 'Dana'", true),
        ("contact.last_name == 'Reyes'", true),
        ("contact.phone == \"+14155550123\"", true),
        ("\"abc\" < \"abd\"", true),
        ("call.variables.service != \"roof repair\"", true),
        ("call.variables.SERVICE == \"water heater repair\"", true),
        ("call.lead_source == \"web_form\"", true),
        ("call.agent_id == \"agent-1\"", true),
        ("contact.score > 40", true),
        ("contact.score == 42", true),
        ("contact.score <= 41.5", false),
        ("call.duration_s >= 0", true),
        ("1.5 > 1", true),
        ("call.voicemail.left == false", true),
        ("!call.voicemail.detected", true),
        ("\"a\" + \"b\" == \"ab\"", true),
    ])
    func comparisons(source: String, expected: Bool) throws {
        #expect(try truth(source) == expected)
    }

    @Test("timestamps: now minus an ISO 8601 attribute is a duration", arguments: [
        ("now - contact.last_missed_call_sms_at < 24h", true),
        ("now - contact.last_missed_call_sms_at > 12h", false),
        ("now - contact.last_missed_call_sms_at >= 12h", true),
        ("now - contact.last_missed_call_sms_at == 12h", true),
        ("contact.last_missed_call_sms_at < now", true),
        ("now - 1d < contact.last_missed_call_sms_at", true),
        ("contact.last_missed_call_sms_at + 12h == now", true),
        ("call.occurred_at <= now", true),
        ("now - call.occurred_at == 1m", true),
        ("now - contact.created_at > 29d", true),
        ("contact.last_missed_call_sms_at == \"2026-03-02T03:04:05Z\"", true),
    ])
    func timestamps(source: String, expected: Bool) throws {
        #expect(try truth(source) == expected)
    }

    @Test("an absent field is null: unequal to values, false in orderings and conditions", arguments: [
        ("contact.email == null", true),
        ("contact.email == \"x\"", false),
        ("contact.email != \"x\"", true),
        ("now - contact.never_texted_at < 24h", false),
        ("!(now - contact.never_texted_at < 24h)", true),
        ("contact.vip", false),
        ("!contact.vip", true),
        ("contact.vip || true", true),
    ])
    func nulls(source: String, expected: Bool) throws {
        #expect(try truth(source) == expected)
    }

    @Test func fractionalSecondsAndOffsetsParse() throws {
        let contact = Fixtures.dana(attributes: ["last_missed_call_sms_at": "2026-03-02T10:04:05.250+05:00"])
        let value = try Expression(parsing: "now - contact.last_missed_call_sms_at").evaluate(in: Fixtures.context(contact: contact))
        #expect(value == .duration(10 * 3600 - 0.25))
    }

    @Test func withoutAStoredContactTheCallDescribesThem() throws {
        let context = Fixtures.context(contact: nil)
        #expect(try truth("contact.first_name == \"Dana\" && contact.lead_source == \"web_form\"", context))
        #expect(try truth("contact.phone == \"+14155550123\" && !has(contact.id)", context))
    }

    @Test("type errors throw with a message that names fields, not values", arguments: [
        ("contact.name > 5", 13, "cannot compare contact.name (string) with number; the string is not a number"),
        ("now - contact.name < 1h", 4, "cannot subtract contact.name (string) from now (timestamp); the string is not an ISO 8601 timestamp"),
        ("!call.voicemail.left && \"yes\"", 21, "'&&' needs true or false, not string"),
        ("true == 1", 5, "cannot compare bool with number"),
        ("call.outcome in \"busy\"", 13, "'in' needs a list on its right, as in call.outcome in [\"busy\", \"failed\"], not string"),
        ("!call.agent_id", 0, "'!' needs true or false, not call.agent_id (string)"),
        ("call.duration_s", 0, "the condition gives a number, not true or false"),
        ("true < false", 5, "'<' cannot order bool values"),
    ])
    func typeErrors(source: String, offset: Int, message: String) throws {
        let expression = try Expression(parsing: source)
        #expect(throws: ExpressionError(message, offset: offset)) {
            try expression.isTrue(in: Fixtures.context())
        }
    }

    @Test func evaluateReturnsTypedValues() throws {
        #expect(try Expression(parsing: "call.duration_s + 5").evaluate(in: Fixtures.context()) == .number(5))
        #expect(try Expression(parsing: "call.outcome").evaluate(in: Fixtures.context()) == .string("no_answer"))
        #expect(try Expression(parsing: "now").evaluate(in: Fixtures.context()) == .timestamp(Fixtures.now))
        #expect(try Expression(parsing: "[1, 'a']").evaluate(in: Fixtures.context()) == .list([.number(1), .string("a")]))
        #expect(try Expression(parsing: "contact.email").evaluate(in: Fixtures.context()) == .null)
    }
}
