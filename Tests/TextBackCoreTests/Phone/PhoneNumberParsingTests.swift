// Table tests of PhoneNumber parsing (from the shared Basics): the national spellings people type are
// accepted and normalised to E.164, and numbers the NANP cannot assign are refused with a reason.

import Testing
@testable import TextBackCore

@Suite("PhoneNumber parsing")
struct PhoneNumberParsingTests {
    @Test("accepts common spellings", arguments: [
        ("(415) 555-0142", "+14155550142"),
        ("1-415-555-0142", "+14155550142"),
        ("4155550142", "+14155550142"),
        ("+14155550142", "+14155550142"),
        ("+1 415 555 0142", "+14155550142"),
        ("415.555.0142", "+14155550142"),
        ("  1 (415) 555-0142 ", "+14155550142"),
        ("+44 20 7946 0000", "+442079460000"),
        ("011 44 20 7946 0000", "+442079460000"),
        ("+1 (800) 555-0199", "+18005550199"),
        // An N11 exchange is an assignable number (libphonenumber accepts it); only N11 area codes are not.
        ("+1 813 211 8852", "+18132118852"),
        ("(415) 911-0142", "+14159110142"),
    ])
    func valid(raw: String, e164: String) throws {
        #expect(try PhoneNumber(parsing: raw).e164 == e164)
    }

    @Test("refuses impossible numbers", arguments: [
        ("", PhoneNumberError.empty),
        ("   ", .empty),
        ("415-555-014x", .invalidCharacter),
        ("(015) 555-0142", .areaCodeStartsWith(0)),
        ("115-555-0142", .areaCodeStartsWith(1)),
        ("1-115-555-0142", .areaCodeStartsWith(1)),
        ("911-555-1234", .serviceCodeAreaCode),
        ("411-555-1234", .serviceCodeAreaCode),
        ("415-055-0142", .exchangeStartsWith(0)),
        ("415-155-0142", .exchangeStartsWith(1)),
        ("555-0142", .wrongLength(7)),
        ("41555501421", .wrongLength(11)),
        ("+1415555014", .wrongLength(9)),
        ("+141555501422", .wrongLength(11)),
        ("+44 20", .wrongLength(4)),
        ("+0 20 7946 0000", .invalidCountryCode),
    ])
    func invalid(raw: String, error: PhoneNumberError) {
        #expect(throws: error) { try PhoneNumber(parsing: raw) }
    }

    @Test("errors never repeat the digits", arguments: ["911-555-1234", "415-155-0142", "555-0142"])
    func errorsAreRedacted(raw: String) {
        do {
            _ = try PhoneNumber(parsing: raw)
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("555"))
        }
    }

    @Test("caller ids are kept whatever they are, and say whether they can be texted", arguments: [
        ("+1 813 211 8852", "+18132118852", nil),
        ("(415) 555-0142", "+14155550142", nil),
        ("911-555-1234", "9115551234", "invalid_number"),
        ("555-0142", "5550142", "invalid_number"),
        ("Anonymous", "anonymous", "caller_id_withheld"),
        ("", "unknown", "caller_id_withheld"),
        ("+266696687", "+266696687", "caller_id_withheld"),
        ("+44 20 7946 0000", "+442079460000", "international_number"),
    ])
    func callerIDs(raw: String, stored: String, reason: String?) {
        let number = PhoneNumber(callerID: raw)
        #expect(number.e164 == stored)
        switch number.reachability {
        case .textable: #expect(reason == nil)
        case .unreachable(let code, let sentence):
            #expect(code == reason)
            #expect(!sentence.contains("555"))
        }
    }
}
