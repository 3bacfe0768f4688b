// Each carrier's error table, row by row: the code reads back, the class is what the engine should
// do, the meaning is ours (no digits of a number), and anything unlisted is `.unknown` with no class.

import Foundation
import Testing
import TextBackProviders

@Suite struct ErrorTableTests {
    @Test(arguments: [
        ("20003", CarrierErrorClass?.some(.authentication), "authentication"),
        ("21211", .permanent, "invalid 'To' number"),
        ("21610", .recipientOptedOut, "unsubscribed"),
        ("21614", .permanent, "not a mobile number"),
        ("30003", .permanent, "unreachable"),
        ("30004", .permanent, "blocked"),
        ("30005", .permanent, "unknown destination"),
        ("30006", .permanent, "landline"),
        ("30007", .permanent, "filtered"),
        ("30008", .transient, "unknown delivery error"),
        ("30034", .permanent, "not registered for US A2P 10DLC"),
        ("20429", .transient, "too many requests"),
        ("30022", .transient, "rate limit"),
        ("21602", .permanent, "body is required"),
        ("99999", nil, "Twilio error 99999"),
    ])
    func twilio(code: String, errorClass: CarrierErrorClass?, meaning: String) {
        let entry = TwilioErrorCode(code: code)
        #expect(entry.code == code)
        #expect(entry.errorClass == errorClass)
        #expect(entry.meaning.contains(meaning))
        #expect(entry.detail(httpStatus: 400).description == "twilio \(code): \(entry.meaning)")
    }

    @Test func twilioUnknownCodesStayUnknown() {
        #expect(TwilioErrorCode(code: "12345") == .unknown("12345"))
        #expect(TwilioErrorCode(code: " 21610 ") == .unsubscribedRecipient)
    }

    @Test(arguments: [
        ("10009", CarrierErrorClass?.some(.authentication), "authentication failed"),
        ("10010", .authentication, "authorization failed"),
        ("10011", .transient, "too many requests"),
        ("40001", .permanent, "landline"),
        ("40002", .transient, "spam"),
        ("40003", .permanent, "spam"),
        ("40008", .permanent, "undeliverable"),
        ("40010", .permanent, "10DLC"),
        ("40012", .permanent, "invalid destination"),
        ("40016", .transient, "T-Mobile"),
        ("40300", .recipientOptedOut, "STOP"),
        ("40305", .permanent, "invalid 'from'"),
        ("40310", .permanent, "invalid 'to'"),
        ("40311", .authentication, "profile secret"),
        ("40318", .transient, "queue is full"),
        ("10008", nil, "timed out"),
        ("49999", nil, "Telnyx error 49999"),
    ])
    func telnyx(code: String, errorClass: CarrierErrorClass?, meaning: String) {
        let entry = TelnyxErrorCode(code: code)
        #expect(entry.code == code)
        #expect(entry.errorClass == errorClass)
        #expect(entry.meaning.contains(meaning))
        #expect(entry.detail().carrier == "telnyx")
    }

    @Test(arguments: [
        ("4001", CarrierErrorClass?.some(.permanent), false, "not allowed"),
        ("4301", .permanent, false, "encoding"),
        ("4405", .permanent, false, "unallocated"),
        ("4432", .permanent, false, "country"),
        ("4470", .permanent, true, "spam"),
        ("4702", .transient, true, "unavailable"),
        ("4720", .permanent, true, "landline"),
        ("4750", .permanent, true, "rejected"),
        ("4770", .permanent, true, "spam"),
        ("4775", .recipientOptedOut, true, "opted out"),
        ("4780", .transient, true, "person-to-person"),
        ("5100", .transient, false, "temporary"),
        ("5600", .transient, true, "queue"),
        ("5620", .transient, true, "carrier application error"),
        ("9902", nil, true, "delivery receipt"),
        ("9999", nil, true, "unknown error"),
        ("4799", nil, true, "Bandwidth error 4799"),
        ("4499", nil, false, "Bandwidth error 4499"),
    ])
    func bandwidth(code: String, errorClass: CarrierErrorClass?, reachedCarrier: Bool, meaning: String) {
        let entry = BandwidthErrorCode(code: code)
        #expect(entry.code == code)
        #expect(entry.errorClass == errorClass)
        #expect(entry.reachedCarrier == reachedCarrier)
        #expect(entry.meaning.contains(meaning))
    }

    @Test(arguments: [
        ("request-validation", 400, CarrierErrorClass?.some(.permanent)), ("unauthorized", 401, nil), ("forbidden", 403, nil),
        ("too-many-requests", 429, nil), ("internal-server-error", 500, nil), ("invalid-media-type", 415, .permanent),
    ])
    func bandwidthAPIRefusals(type: String, status: Int, errorClass: CarrierErrorClass?) {
        let detail = BandwidthAPIError.detail(type: type, fields: [], status: status, requestID: nil)
        #expect(detail.code == type)
        #expect(detail.errorClass == errorClass)
        #expect(detail.httpStatus == status)
    }
}
