// Parsing and validation of conditions: syntax errors, unknown names with suggestions, outcome and
// direction literals checked against their vocabularies, each with the column it points at.

import Testing
import TextBackCore

struct ExpressionParsingTests {
    @Test("mistakes are refused with a message and the column of the culprit", arguments: [
        ("cal.outcome == \"no_answer\"", 0, "unknown name 'cal.outcome'; did you mean 'call.outcome'?"),
        ("outcome == \"busy\"", 0, "unknown name 'outcome'; did you mean 'call.outcome'?"),
        ("call.outcom == \"busy\"", 0, "unknown name 'call.outcom'; did you mean 'call.outcome'?"),
        ("call.colour == \"red\"", 0,
         "unknown name 'call.colour'; call fields are call.outcome, call.direction, call.duration_s, call.agent_id, call.campaign, call.lead_source, call.voicemail.left, call.voicemail.detected, call.from, call.to, call.occurred_at, call.provider and call.variables.<name>"),
        ("frobnicate", 0, "unknown name 'frobnicate'; names are now or start with call. or contact. (e.g. call.outcome, contact.name)"),
        ("True", 0, "unknown name 'True'; did you mean 'true'?"),
        ("call == 1", 0, "'call' is not a value by itself; name a field such as call.outcome"),
        ("call.outcome == \"no-answer\"", 16,
         "'no-answer' is not a call outcome; did you mean 'no_answer'? allowed: completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown"),
        ("\"missed\" == call.outcome", 0,
         "'missed' is not a call outcome; allowed: completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown"),
        ("call.outcome in [\"busy\", \"no answer\"]", 25,
         "'no answer' is not a call outcome; did you mean 'no_answer'? allowed: completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown"),
        ("call.direction != \"incoming\"", 18, "'incoming' is not a call direction; allowed: inbound, outbound"),
        ("call.outcome == 3", 16, "call.outcome is compared with a quoted string, one of: completed, no_answer, busy, failed, canceled, left_voicemail, transferred, unknown"),
        ("call.outcome < \"busy\"", 0, "call.outcome has no order; compare it with ==, != or in"),
        ("call.duration_s > 90s", 18, "call.duration_s is a number of seconds; write 90 rather than 90s"),
        ("call.voicemail.left == \"yes\"", 23, "call.voicemail.left is true or false"),
        ("now > 5", 6, "now is a timestamp; to compare an age subtract, as in now - contact.last_missed_call_sms_at < 24h"),
        ("call.duration_s > 2min", 18, "'2min' is not a duration; write a whole number followed by s, m, h or d, e.g. 90s, 2m, 12h, 1d"),
        ("call.duration_s > 1.5h", 18, "'1.5h' is not a duration; write a whole number followed by s, m, h or d, e.g. 90s, 2m, 12h, 1d"),
        ("call.outcome == ", 16, "unexpected end of condition; expected a value"),
        ("(call.outcome == \"busy\"", 23, "missing ')' to close the '(' at column 1"),
        ("call.outcome == \"busy\")", 22, "unexpected ')' without a matching '('"),
        ("call.outcome = \"busy\"", 13, "'=' is not an operator; compare with =="),
        ("true & false", 5, "'&' is not an operator; combine conditions with &&"),
        ("1 < 2 < 3", 6, "comparisons cannot be chained; combine them with &&, as in a < b && b < c"),
        ("call.outcome == \"busy\" and call.direction == \"inbound\"", 23, "unexpected 'and'; combine conditions with &&"),
        ("call.outcome == \"busy\" \"x\"", 23, "unexpected string; combine conditions with && or ||"),
        ("call.outcome == \"busy", 16, "unterminated string; close it with \""),
        ("", 0, "the condition is empty; write one such as call.outcome == \"no_answer\""),
        ("has(foo)", 4, "has() takes a field such as has(contact.email)"),
        ("has contact.email", 0, "has needs a field in parentheses, as in has(contact.email)"),
        ("[1, 2", 5, "expected ',' or ']' in the list opened at column 1"),
        ("call.campaign == 'spring' # comment", 26, "unexpected character '#'"),
    ])
    func refusals(source: String, offset: Int, message: String) {
        #expect(throws: ExpressionError(message, offset: offset)) {
            try Expression(parsing: source)
        }
    }

    @Test("valid names parse", arguments: [
        "call.variables.anything_at_all == 'x'",
        "contact.any_attribute == 'x'",
        "contact.attributes.lead_source == 'x'",
        "call.voicemail.detected && call.voicemail.left",
        "call.outcome in ['no_answer', 'busy', 'failed', 'canceled']",
        "call.direction == 'outbound'",
        "now - contact.last_missed_call_sms_at < 24h",
        "call.outcome == null",
    ])
    func accepted(source: String) throws {
        _ = try Expression(parsing: source)
    }

    @Test func referencedPathsListsEachNameOnceInOrder() throws {
        let expression = try Expression(parsing:
            "call.outcome == \"busy\" && has(contact.email) || now - contact.x < 1h && call.outcome != \"failed\"")
        #expect(expression.referencedPaths == ["call.outcome", "contact.email", "now", "contact.x"])
    }

    @Test func sourceIdentifiesTheExpression() throws {
        let a = try Expression(parsing: "call.outcome == 'busy'")
        let b = try Expression(parsing: "call.outcome == 'busy'")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.source == "call.outcome == 'busy'")
        #expect("\(a)" == "call.outcome == 'busy'")
    }

    @Test func offsetsCountUnicodeScalars() {
        // "é" is one scalar (two UTF-8 bytes): the bad literal is at offset 41 either way of writing é.
        #expect(throws: ExpressionError(
            "'x' is not a call direction; allowed: inbound, outbound", offset: 41)) {
            try Expression(parsing: "contact.name == \"é\" && call.direction == \"x\"")
        }
    }
}
