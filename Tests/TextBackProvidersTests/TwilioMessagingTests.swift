// Twilio's messaging webhooks: status callbacks for every MessageStatus, inbound texts with
// OptOutType, and the signature checked before the form is read.

import Foundation
import Testing
import TextBackCore
import TextBackProviders

@Suite struct TwilioMessagingTests {
    static let now = Date(timeIntervalSince1970: 1_772_463_845)

    static func statusForm(_ status: String, errorCode: String? = nil) -> [String: String] {
        var form = ["MessageSid": "SM123", "MessageStatus": status, "To": "+14155550123", "From": "+15125550100",
                    "AccountSid": "AC1", "ApiVersion": "2010-04-01"]
        form["ErrorCode"] = errorCode
        return form
    }

    @Test(arguments: [
        ("sent", DeliveryReceipt.Status?.some(.sent)), ("delivered", .delivered), ("read", .delivered),
        ("undelivered", .undelivered), ("failed", .failed), ("canceled", .failed),
        ("queued", nil), ("accepted", nil), ("scheduled", nil), ("sending", nil), ("receiving", nil), ("received", nil),
        ("partially_delivered", nil), ("something-new", nil),
    ])
    func everyMessageStatus(status: String, expected: DeliveryReceipt.Status?) throws {
        let event = try TwilioMessaging.statusCallback(from: Self.statusForm(status), messageID: "msg_42", receivedAt: Self.now)
        if let expected {
            let receipt = try #require(event.receipt)
            #expect(receipt.status == expected)
            #expect(receipt.carrierMessageID == "SM123")
            #expect(receipt.messageID == "msg_42")
            #expect(receipt.carrier == "twilio")
            #expect(receipt.at == Self.now)
            #expect(receipt.error == nil)
        } else {
            #expect(event.isIgnored)
        }
    }

    @Test(arguments: [
        ("30003", CarrierErrorClass.permanent), ("30005", .permanent), ("30006", .permanent), ("30007", .permanent),
        ("30008", .transient), ("21610", .recipientOptedOut), ("30034", .permanent), ("12345", nil),
    ])
    func receiptErrorsUseTheSameTable(code: String, expectedClass: CarrierErrorClass?) throws {
        let event = try TwilioMessaging.statusCallback(from: Self.statusForm("undelivered", errorCode: code), messageID: nil, receivedAt: Self.now)
        let error = try #require(event.receipt?.error)
        #expect(error.code == code)
        #expect(error.errorClass == expectedClass)
        #expect(error.meaning == TwilioErrorCode(code: code).meaning)
    }

    @Test func errorCodeZeroIsNoError() throws {
        let event = try TwilioMessaging.statusCallback(from: Self.statusForm("delivered", errorCode: "0"), messageID: nil, receivedAt: Self.now)
        #expect(event.receipt?.error == nil)
    }

    @Test func aStatusCallbackNeedsItsFields() {
        #expect(throws: WebhookError.missingField("MessageSid")) {
            try TwilioMessaging.statusCallback(from: ["MessageStatus": "sent"], messageID: nil, receivedAt: Self.now)
        }
        #expect(throws: WebhookError.missingField("MessageStatus")) {
            try TwilioMessaging.statusCallback(from: ["MessageSid": "SM1"], messageID: nil, receivedAt: Self.now)
        }
    }

    @Test(arguments: [("STOP", "STOP"), ("stop", "STOP"), ("START", "START"), ("HELP", "HELP")])
    func keywordsTwilioActedOnComeThrough(body: String, optOutType: String) throws {
        let text = try TwilioMessaging.inbound(from: [
            "MessageSid": "SM9", "From": "+14155550123", "To": "+15125550100", "Body": body, "OptOutType": optOutType,
        ], receivedAt: Self.now)
        #expect(text == InboundSMS(from: Fixture.contact, to: Fixture.business, body: body, carrier: "twilio",
                                   carrierMessageID: "SM9", carrierOptOutKeyword: optOutType.uppercased(), receivedAt: Self.now))
    }

    @Test func anOrdinaryReplyHasNoKeyword() throws {
        let text = try TwilioMessaging.inbound(from: ["MessageSid": "SM9", "From": "(415) 555-0123", "To": "+15125550100", "Body": "tomorrow after 5"],
                                               receivedAt: Self.now)
        #expect(text.carrierOptOutKeyword == nil)
        #expect(text.from == Fixture.contact)
    }

    @Test func aNumberInAnErrorIsNeverRepeated() {
        do {
            _ = try TwilioMessaging.inbound(from: ["MessageSid": "SM9", "From": "+1415555", "To": "+15125550100"], receivedAt: Self.now)
            Issue.record("expected a refusal")
        } catch {
            #expect(!error.description.contains("1415555"))
        }
    }

    // MARK: signature first

    static let url = "https://textback.example.com/webhooks/twilio/status?message_id=msg_42"
    static let body = "MessageSid=SM123&MessageStatus=delivered&To=%2B14155550123&From=%2B15125550100"

    @Test func aSignedCallbackIsReadAfterItsSignatureIsChecked() throws {
        let signature = TwilioSignature.compute(authToken: "tok", url: Self.url, parameters: FormEncoding.decode(Self.body))
        let form = try TwilioWebhook.verifiedForm(body: Self.body, url: Self.url, signature: signature, authToken: "tok")
        #expect(form["MessageStatus"] == "delivered")
        #expect(form["To"] == "+14155550123")
    }

    @Test(arguments: [String?.none, "", "forged+signature=", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="])
    func aForgedOrMissingSignatureIsRefused(signature: String?) {
        #expect(throws: WebhookError.self) {
            try TwilioWebhook.verifiedForm(body: Self.body, url: Self.url, signature: signature, authToken: "tok")
        }
    }

    @Test func theSignatureCoversTheMessageIDInTheURL() {
        let signature = TwilioSignature.compute(authToken: "tok", url: Self.url, parameters: FormEncoding.decode(Self.body))
        #expect(throws: WebhookError.self) {
            try TwilioWebhook.verifiedForm(body: Self.body, url: Self.url.replacingOccurrences(of: "msg_42", with: "msg_43"),
                                           signature: signature, authToken: "tok")
        }
    }

    @Test func theCallbackURLNamesOurMessage() throws {
        let base = try #require(URL(string: "https://tb.example.com/"))
        let url = try #require(TwilioRequest.statusCallbackURL(publicBaseURL: base, messageID: "msg 42/x"))
        #expect(url.absoluteString == "https://tb.example.com/webhooks/twilio/status?message_id=msg%2042%2Fx")
    }
}
