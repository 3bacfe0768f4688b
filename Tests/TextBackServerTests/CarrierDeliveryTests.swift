// Real carriers end to end: a missed call or a reply is texted back through Twilio, Telnyx or
// Bandwidth (local fakes that check method, path, auth and body as the real APIs do), receipts and
// inbound texts come back through each carrier's verified webhook, and failures are handled per the
// delivery algorithm (retries, reconciliation, opt-outs, paused credentials).

import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage
import Synchronization

@Suite(.serialized) struct TwilioDeliveryTests {
    @Test func aMissedCallIsTextedThroughTwilioAndItsReceiptsOnlyMoveForward() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            try await harness.missedCall(to: Carriers.twilioNumber)
            let sends = twilio.requests(to: .send)
            try #require(sends.count == 1)
            let request = sends[0]
            #expect(request.method == "POST")
            #expect(request.path == "/2010-04-01/Accounts/AC123/Messages.json")
            #expect(request.header("authorization") == "Basic " + Data("AC123:\(Carriers.twilioToken)".utf8).base64EncodedString())
            #expect(request.header("content-type")?.hasPrefix("application/x-www-form-urlencoded") == true)
            let message = try #require(try await harness.outbound().first)
            #expect(request.form["To"] == "+14155550123")
            #expect(request.form["From"] == Carriers.twilioNumber)
            #expect(request.form["Body"] == message.body)
            let callback = "\(Carriers.publicURL)/webhooks/twilio/status?message_id=\(message.id.rawValue)"
            #expect(request.form["StatusCallback"] == callback)
            let sid = try #require(twilio.messages.first?.id)
            #expect(message.status == .sent)
            #expect(message.carrierMessageID == sid)

            try await harness.test { (client: any TestClientProtocol) async throws in
                let listed = try await client.call("/v1/messages")
                let first = (listed.json["messages"] as? [[String: Any]])?.first
                #expect(first?["carrier_message_id"] as? String == sid)

                func status(_ word: String, error: String? = nil) async throws -> HTTPResult {
                    var params = [("AccountSid", "AC123"), ("From", Carriers.twilioNumber), ("MessageSid", sid),
                                  ("MessageStatus", word), ("To", "+14155550123")]
                    if let error { params.append(("ErrorCode", error)) }
                    let (body, headers) = twilioSigned(params, url: callback)
                    return try await client.call("/webhooks/twilio/status?message_id=\(message.id.rawValue)", .post, raw: body,
                                                 headers: headers, auth: false)
                }
                // A forged, a missing and a mis-addressed signature are refused and store nothing.
                let (body, headers) = twilioSigned([("MessageSid", sid), ("MessageStatus", "failed"), ("ErrorCode", "21610")],
                                                   url: callback)
                var forged = headers
                forged[HTTPField.Name("X-Twilio-Signature")!] = "AAAAAAAAAAAAAAAAAAAAAAAAAAA="
                var unsigned = headers
                unsigned[HTTPField.Name("X-Twilio-Signature")!] = nil
                for attempt in [forged, unsigned] {
                    #expect(try await client.call("/webhooks/twilio/status?message_id=\(message.id.rawValue)", .post, raw: body,
                                                  headers: attempt, auth: false).status == .forbidden)
                }
                // Signed for another message's URL: the signature covers the exact URL, query included.
                #expect(try await client.call("/webhooks/twilio/status?message_id=other", .post, raw: body, headers: headers,
                                              auth: false).status == .forbidden)
                #expect(try await harness.store.message(message.id, scope: .all)?.status == .sent)
                #expect(try await harness.store.suppression(phone: PhoneNumber(trustedE164: "+14155550123"), channel: "sms", for: .default) == nil)

                #expect(try await status("delivered").status == .noContent)
                #expect(try await harness.store.message(message.id, scope: .all)?.status == .delivered)
                // Late and repeated receipts change nothing.
                #expect(try await status("sent").status == .noContent)
                #expect(try await status("delivered").status == .noContent)
                #expect(try await status("undelivered", error: "30003").status == .noContent)
                let after = try await harness.store.message(message.id, scope: .all)
                #expect(after?.status == .delivered)
                #expect(after?.errorCode == nil)

            }
        }
    }

    @Test func anUndeliveredReceiptPutsTheCodeAndMeaningOnTheMessageAndTimeline() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            try await harness.missedCall(to: Carriers.twilioNumber)
            let message = try #require(try await harness.outbound().first)
            let sid = try #require(message.carrierMessageID)
            let callback = "\(Carriers.publicURL)/webhooks/twilio/status?message_id=\(message.id.rawValue)"
            try await harness.test { (client: any TestClientProtocol) async throws in
                let (body, headers) = twilioSigned([("MessageSid", sid), ("MessageStatus", "undelivered"), ("ErrorCode", "30003")],
                                                   url: callback)
                #expect(try await client.call("/webhooks/twilio/status?message_id=\(message.id.rawValue)", .post, raw: body,
                                              headers: headers, auth: false).status == .noContent)
                let entries = try await client.timeline("+14155550123")
                let text = entries.first { $0["type"] as? String == "message" }
                #expect(text?["status"] as? String == "undelivered")
                #expect(text?["error_code"] as? String == "30003")
                #expect((text?["error"] as? String)?.isEmpty == false)
                let reasons = entries.compactMap { $0["reasons"] as? [String] }.flatMap { $0 }
                #expect(reasons.contains("carrier_error_30003"))
            }
        }
    }

    @Test func aPermanentRefusalIsNotRetriedAndAnOptOutCodeSuppresses() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            twilio.script(.refuse(code: "21211"), .refuse(code: "21610"))
            try await harness.missedCall(to: Carriers.twilioNumber, from: "+14155550123", id: "c-1")
            try await harness.missedCall(to: Carriers.twilioNumber, from: "+14155550124", id: "c-2")
            try await harness.advance(3600)
            #expect(twilio.requests(to: .send).count == 2)
            #expect(twilio.messages.isEmpty)
            let messages = try await harness.outbound()
            let invalid = messages.first { $0.to.e164 == "+14155550123" }
            #expect(invalid?.status == .failed)
            #expect(invalid?.errorCode == "21211")
            #expect(invalid?.error?.contains("+1415") == false)
            let optedOut = messages.first { $0.to.e164 == "+14155550124" }
            #expect(optedOut?.status == .failed)
            #expect(optedOut?.errorCode == "21610")
            let suppression = try await harness.store.suppression(phone: PhoneNumber(trustedE164: "+14155550124"), channel: "sms", for: .default)
            #expect(suppression?.reason == "carrier_opt_out")
            #expect(try await harness.store.suppression(phone: PhoneNumber(trustedE164: "+14155550123"), channel: "sms", for: .default) == nil)
        }
    }

    @Test func rateLimitsAndServerErrorsAreRetriedAndTheTextIsSentOnce() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            twilio.script(.rateLimited(retryAfterSeconds: 30), .serverError)
            try await harness.missedCall(to: Carriers.twilioNumber)
            #expect(twilio.requests(to: .send).count == 1)
            #expect(try await harness.outbound().first?.status == .queued)
            // Retry-After is honoured: nothing before 30 s.
            try await harness.advance(20)
            #expect(twilio.requests(to: .send).count == 1)
            try await harness.advance(11)
            #expect(twilio.requests(to: .send).count == 2)
            // The 500 is retried within seconds (backoff with jitter).
            try await harness.advance(6)
            #expect(twilio.requests(to: .send).count == 3)
            try await harness.advance(3600)
            #expect(twilio.requests(to: .send).count == 3)
            #expect(twilio.messages.count == 1)
            #expect(try await harness.outbound().first?.status == .sent)
            #expect(try await harness.outbound().first?.carrierMessageID == twilio.messages.first?.id)
        }
    }

    @Test func aHangAfterTheRequestArrivedIsReconciledAndSentOnce() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL),
                                                   timeout: .seconds(2))
            twilio.script(.hang)
            try await harness.missedCall(to: Carriers.twilioNumber)
            try await harness.advance(3600)
            #expect(twilio.requests(to: .send).count == 1)
            #expect(twilio.requests(to: .query).count >= 1)
            #expect(twilio.messages.count == 1)
            let message = try await harness.outbound().first
            #expect(message?.status == .sent)
            #expect(message?.carrierMessageID == twilio.messages.first?.id)
        }
    }

    @Test func refusedCredentialsPauseTheCarrierLoudlyAndTheTextWaits() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            twilio.script(.refuse(code: "20003"))
            try await harness.missedCall(to: Carriers.twilioNumber, from: "+14155550123", id: "c-1")
            try await harness.missedCall(to: Carriers.twilioNumber, from: "+14155550124", id: "c-2")
            // The second text did not try: the carrier is paused.
            #expect(twilio.requests(to: .send).count == 1)
            #expect(try await harness.outbound().allSatisfy { $0.status == .queued })
            try await harness.test { (client: any TestClientProtocol) async throws in
                let health = try await client.call("/healthz", auth: false)
                #expect(health.json["status"] as? String == "degraded")
                let twilioHealth = (health.json["carriers"] as? [String: Any])?["twilio"] as? [String: Any]
                #expect(twilioHealth?["status"] as? String == "paused")
                #expect(health.body.contains(Carriers.twilioToken) == false)
            }
            // After the pause one text tries again; it works, and both go out.
            try await harness.advance(301)
            try await harness.advance(5)
            #expect(try await harness.outbound().allSatisfy { $0.status == .sent })
            #expect(twilio.messages.count == 2)
            try await harness.test { (client: any TestClientProtocol) async throws in
                #expect(try await client.call("/healthz", auth: false).json["status"] as? String == "ok")
            }
        }
    }

    @Test func aTextFromANumberNotConfiguredIsRefusedWithAReason() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            try await harness.missedCall(to: "+15125550999")
            #expect(try await harness.outbound().isEmpty)
            #expect(twilio.requests.isEmpty)
            let contact = try #require(try await harness.store.contact(phone: PhoneNumber(trustedE164: "+14155550123"), business: .default))
            let reasons = try await harness.store.timeline(contactID: contact.id, scope: .all).compactMap { entry -> [String]? in
                if case .decision(let decision) = entry { return decision.reasons } else { return nil }
            }.flatMap { $0 }
            #expect(reasons.contains("sender_not_configured"))
        }
    }

    @Test func stopThroughTwilioSuppressesAndIsAnsweredFromTheNumberTexted() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            try await harness.test { (client: any TestClientProtocol) async throws in
                let (body, headers) = twilioSigned([("MessageSid", "SM900"), ("From", "+14155550123"), ("To", Carriers.secondTwilioNumber),
                                                    ("Body", "STOP")], url: "\(Carriers.publicURL)/webhooks/twilio/sms")
                #expect(try await client.call("/webhooks/twilio/sms", .post, raw: body, headers: headers, auth: false).status == .ok)
            }
            try await harness.advance(0)
            #expect(try await harness.store.suppression(phone: PhoneNumber(trustedE164: "+14155550123"), channel: "sms", for: .default)?.reason == "opt_out")
            let confirmation = twilio.requests(to: .send).first
            #expect(confirmation?.form["From"] == Carriers.secondTwilioNumber)
            #expect(confirmation?.form["To"] == "+14155550123")
        }
    }
}

@Suite(.serialized) struct TelnyxDeliveryTests {
    func finalized(_ id: String, status: String, messageID: MessageID, error: String? = nil) -> [String: Any] {
        var payload: [String: Any] = [
            "id": id, "to": [["phone_number": "+14155550123", "status": status]],
            "from": ["phone_number": Carriers.telnyxNumber],
            "webhook_url": "\(Carriers.publicURL)/webhooks/telnyx?message_id=\(messageID.rawValue)",
        ]
        if let error { payload["errors"] = [["code": error, "title": "x"]] }
        return ["data": ["event_type": "message.finalized", "id": UUID().uuidString, "occurred_at": "2026-03-03T18:03:00Z",
                         "payload": payload], "meta": ["attempt": 1]]
    }

    @Test func aMissedCallIsTextedThroughTelnyxAndSignedReceiptsApply() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            try await harness.missedCall(to: Carriers.telnyxNumber)
            let request = try #require(telnyx.requests(to: .send).first)
            #expect(telnyx.requests(to: .send).count == 1)
            #expect(request.method == "POST")
            #expect(request.path == "/v2/messages")
            #expect(request.header("authorization") == "Bearer \(Carriers.telnyxKey)")
            let message = try #require(try await harness.outbound().first)
            let json = try #require(request.jsonObject())
            #expect(json["from"] as? String == Carriers.telnyxNumber)
            #expect(json["to"] as? String == "+14155550123")
            #expect(json["text"] as? String == message.body)
            #expect(json["webhook_url"] as? String == "\(Carriers.publicURL)/webhooks/telnyx?message_id=\(message.id.rawValue)")
            let id = try #require(telnyx.messages.first?.id)
            #expect(message.carrierMessageID == id)

            try await harness.test { (client: any TestClientProtocol) async throws in
                let (body, headers) = try telnyxSigned(finalized(id, status: "delivered", messageID: message.id), at: clock.now())
                #expect(try await client.call("/webhooks/telnyx", .post, raw: body, headers: headers, auth: false).status == .noContent)
                #expect(try await harness.store.message(message.id, scope: .all)?.status == .delivered)
                // Out of order: a failure after delivery changes nothing.
                let (late, lateHeaders) = try telnyxSigned(finalized(id, status: "delivery_failed", messageID: message.id, error: "40002"),
                                                           at: clock.now())
                #expect(try await client.call("/webhooks/telnyx", .post, raw: late, headers: lateHeaders, auth: false).status == .noContent)
                #expect(try await harness.store.message(message.id, scope: .all)?.status == .delivered)

                // Stale, forged and unsigned webhooks are refused and change nothing.
                let (stale, staleHeaders) = try telnyxSigned(finalized(id, status: "sending_failed", messageID: message.id),
                                                             at: clock.now().addingTimeInterval(-301))
                #expect(try await client.call("/webhooks/telnyx", .post, raw: stale, headers: staleHeaders, auth: false).status == .forbidden)
                let (forged, forgedHeaders) = try telnyxSigned(finalized(id, status: "sending_failed", messageID: message.id),
                                                               at: clock.now(), key: .init())
                #expect(try await client.call("/webhooks/telnyx", .post, raw: forged, headers: forgedHeaders, auth: false).status == .forbidden)
                #expect(try await client.call("/webhooks/telnyx", .post, raw: forged, headers: [.contentType: "application/json"],
                                              auth: false).status == .forbidden)
                #expect(try await harness.store.message(message.id, scope: .all)?.status == .delivered)
            }
        }
    }

    @Test func telnyxOptOutCodeSuppressesAndAHangUpIsACall() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            telnyx.script(.refuse(code: "40300"))
            try await harness.test { (client: any TestClientProtocol) async throws in
                let hangup: [String: Any] = ["data": ["event_type": "call.hangup", "id": "ev-1", "occurred_at": "2026-03-03T18:00:00Z",
                                                      "payload": ["call_leg_id": "leg-1", "from": "+14155550123", "to": Carriers.telnyxNumber,
                                                                  "direction": "incoming", "hangup_cause": "user_busy"]]]
                let (body, headers) = try telnyxSigned(hangup, at: clock.now())
                #expect(try await client.call("/webhooks/telnyx", .post, raw: body, headers: headers, auth: false).status == .noContent)
            }
            try await harness.advance(0)
            try await harness.advance(120)
            #expect(telnyx.requests(to: .send).count == 1)
            let message = try await harness.outbound().first
            #expect(message?.status == .failed)
            #expect(message?.errorCode == "40300")
            #expect(try await harness.store.suppression(phone: PhoneNumber(trustedE164: "+14155550123"), channel: "sms", for: .default)?.reason == "carrier_opt_out")
            let contact = try #require(try await harness.store.contact(phone: PhoneNumber(trustedE164: "+14155550123"), business: .default))
            let calls = try await harness.store.timeline(contactID: contact.id, scope: .all).compactMap { entry -> CallEvent? in
                if case .call(let call) = entry { return call.event } else { return nil }
            }
            #expect(calls.first?.outcome == .busy)
        }
    }

    @Test func stopThroughTelnyxSuppressesAndIsConfirmedFromTheNumberTexted() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            let received: [String: Any] = ["data": ["event_type": "message.received", "id": "ev-2", "occurred_at": "2026-03-03T18:00:00Z",
                                                    "payload": ["id": "in-1", "text": "STOP", "from": ["phone_number": "+14155550123"],
                                                                "to": [["phone_number": Carriers.telnyxNumber]]]]]
            let (body, headers) = try telnyxSigned(received, at: clock.now())
            try await harness.test { (client: any TestClientProtocol) async throws in
                #expect(try await client.call("/webhooks/telnyx", .post, raw: body, headers: headers, auth: false).status == .noContent)
                // A retry of the same webhook changes nothing.
                #expect(try await client.call("/webhooks/telnyx", .post, raw: body, headers: headers, auth: false).status == .noContent)
            }
            try await harness.advance(0)
            #expect(try await harness.store.suppression(phone: PhoneNumber(trustedE164: "+14155550123"), channel: "sms", for: .default)?.reason == "opt_out")
            #expect(telnyx.requests(to: .send).count == 1)
            #expect(telnyx.requests(to: .send).first?.jsonObject()?["from"] as? String == Carriers.telnyxNumber)
        }
    }
}

@Suite(.serialized) struct BandwidthDeliveryTests {
    @Test func aMissedCallIsTextedThroughBandwidthAndCallbacksNeedTheirCredentials() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            try await harness.missedCall(to: Carriers.bandwidthNumber)
            let request = try #require(bandwidth.requests(to: .send).first)
            #expect(request.method == "POST")
            #expect(request.path == "/api/v2/users/9900001/messages")
            #expect(request.header("authorization") == "Basic " + Data("bw-user:bw-pass".utf8).base64EncodedString())
            let message = try #require(try await harness.outbound().first)
            let json = try #require(request.jsonObject())
            #expect(json["from"] as? String == Carriers.bandwidthNumber)
            #expect(json["to"] as? [String] == ["+14155550123"])
            #expect(json["text"] as? String == message.body)
            #expect(json["applicationId"] as? String == "app-1")
            #expect(json["tag"] as? String == message.id.rawValue)
            let id = try #require(bandwidth.messages.first?.id)
            #expect(message.carrierMessageID == id)

            @Sendable func event(_ type: String, errorCode: Int? = nil) -> [[String: Any]] {
                var item: [String: Any] = ["type": type, "time": "2026-03-03T18:02:30.000Z", "description": "x", "to": "+14155550123",
                                           "message": ["id": id, "owner": Carriers.bandwidthNumber, "from": Carriers.bandwidthNumber,
                                                       "to": ["+14155550123"], "text": "", "tag": message.id.rawValue,
                                                       "direction": "out"] as [String: Any]]
                if let errorCode { item["errorCode"] = errorCode }
                return [item]
            }
            let failed = try jsonText(event("message-failed", errorCode: 4720))
            let delivered = try jsonText(event("message-delivered"))
            try await harness.test { (client: any TestClientProtocol) async throws in
                // Without credentials: 401; with wrong ones: 403; nothing changes.
                #expect(try await client.call("/webhooks/bandwidth/messaging", .post, raw: failed, headers: [.contentType: "application/json"],
                                              auth: false).status == .unauthorized)
                #expect(try await client.call("/webhooks/bandwidth/messaging", .post, raw: failed,
                                              headers: bandwidthAuthorized(password: "wrong"), auth: false).status == .forbidden)
                #expect(try await harness.store.message(message.id, scope: .all)?.status == .sent)

                #expect(try await client.call("/webhooks/bandwidth/messaging", .post, raw: delivered, headers: bandwidthAuthorized(),
                                              auth: false).status == .noContent)
                #expect(try await harness.store.message(message.id, scope: .all)?.status == .delivered)
                #expect(try await client.call("/webhooks/bandwidth/messaging", .post, raw: failed, headers: bandwidthAuthorized(),
                                              auth: false).status == .noContent)
                #expect(try await harness.store.message(message.id, scope: .all)?.status == .delivered)
            }
        }
    }

    @Test func aBandwidthDisconnectIsACallAndStopIsHonoured() async throws {
        let clock = VirtualClock(morning)
        try await Carriers.withFakes(clock: clock) { twilio, telnyx, bandwidth in
            let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: twilio.baseURL, telnyx: telnyx.baseURL,
                                                                                       bandwidth: bandwidth.baseURL))
            try await harness.test { (client: any TestClientProtocol) async throws in
                let disconnect = try jsonText(["eventType": "disconnect", "callId": "c-bw-1", "direction": "inbound",
                                               "from": "+14155550123", "to": Carriers.bandwidthNumber,
                                               "startTime": "2026-03-03T17:59:30.000Z", "endTime": "2026-03-03T18:00:00.000Z",
                                               "cause": "timeout"])
                #expect(try await client.call("/webhooks/bandwidth/voice", .post, raw: disconnect, headers: [.contentType: "application/json"],
                                              auth: false).status == .unauthorized)
                #expect(try await harness.store.contact(phone: PhoneNumber(trustedE164: "+14155550123"), business: .default) == nil)
                #expect(try await client.call("/webhooks/bandwidth/voice", .post, raw: disconnect, headers: bandwidthAuthorized(),
                                              auth: false).status == .noContent)
            }
            try await harness.advance(0)
            try await harness.advance(120)
            #expect(bandwidth.requests(to: .send).count == 1)
            try await harness.test { (client: any TestClientProtocol) async throws in
                let stop = try jsonText([["type": "message-received", "time": "2026-03-03T18:05:00.000Z", "description": "x",
                                          "to": Carriers.bandwidthNumber,
                                          "message": ["id": "in-bw-1", "owner": Carriers.bandwidthNumber, "from": "+14155550123",
                                                      "to": [Carriers.bandwidthNumber], "text": "stop", "direction": "in"] as [String: Any]]])
                #expect(try await client.call("/webhooks/bandwidth/messaging", .post, raw: stop, headers: bandwidthAuthorized(),
                                              auth: false).status == .noContent)
            }
            // The confirmation waits for the number's next 1/s slot.
            try await harness.advance(1)
            #expect(try await harness.store.suppression(phone: PhoneNumber(trustedE164: "+14155550123"), channel: "sms", for: .default)?.reason == "opt_out")
            let sends = bandwidth.requests(to: .send)
            #expect(sends.count == 2, "the missed-call text and the one opt-out confirmation")
            #expect(sends.last?.jsonObject()?["from"] as? String == Carriers.bandwidthNumber)
        }
    }
}

@Suite struct ThroughputTests {
    /// 600 texts on one long code leave at 1/s, none dropped, while another number's texts are not held up.
    @Test func sixHundredTextsOnOneLongCodeLeaveAtOnePerSecond() async throws {
        let clock = VirtualClock(morning)
        let recorder = RecordingCarrier(name: "twilio", clock: clock)
        let base = try #require(URL(string: "http://127.0.0.1:9"))
        let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: base, telnyx: base, bandwidth: base),
                                               carriers: [recorder])
        // Missed calls from 600 people to the busy number and from 3 to the other, all at once: each is
        // texted from the number that was called, two minutes later.
        try await harness.ingestMissedCalls(from: (0..<600).map { "+1415556\(String(format: "%04d", $0))" }, to: Carriers.twilioNumber,
                                            idPrefix: "busy")
        try await harness.ingestMissedCalls(from: (0..<3).map { "+1212555\(String(format: "%04d", $0))" },
                                            to: Carriers.secondTwilioNumber, idPrefix: "other")
        try await harness.engine.runDueJobs()
        try await harness.advance(120)
        for _ in 0..<620 {
            try await harness.advance(1)
        }
        let start = morning.addingTimeInterval(120)
        let busy = recorder.sends.filter { $0.from == Carriers.twilioNumber }.map { $0.at.timeIntervalSince(start) }
        let other = recorder.sends.filter { $0.from == Carriers.secondTwilioNumber }.map { $0.at.timeIntervalSince(start) }
        #expect(busy.count == 600)
        #expect(busy.sorted() == busy)
        let gaps = zip(busy.dropFirst(), busy).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 0.999 }, "never faster than 1 text a second")
        #expect((busy.last ?? 0) <= 600, "and no slower than one a second")
        #expect(other.count == 3)
        #expect((other.max() ?? 99) <= 2, "the other number is not held up behind the busy one")
        let statuses = try await harness.outbound().map(\.status)
        #expect(statuses.count == 603)
        #expect(statuses.allSatisfy { $0 == .sent })
    }
}

/// A carrier whose answer takes as long as it takes every number to be in flight at once (up to a
/// bound): a runner that sent one text at a time would never see two in flight.
final class BarrierCarrier: Carrier, Sendable {
    let name = "twilio"
    let expected: Int
    private let state = Mutex<(inFlight: Int, most: Int, sent: Int, waiting: [CheckedContinuation<Void, Never>])>((0, 0, 0, []))

    init(expected: Int) { self.expected = expected }

    var mostInFlight: Int { state.withLock { $0.most } }
    var sent: Int { state.withLock { $0.sent } }

    func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let release = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                        state.inFlight += 1
                        state.most = max(state.most, state.inFlight)
                        state.waiting.append(continuation)
                        if state.inFlight >= self.expected { defer { state.waiting = [] }; return state.waiting }
                        return []
                    }
                    for waiter in release { waiter.resume() }
                }
            }
            // The bound: a sequential runner gets its answer after this and the test sees one in flight.
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                self.releaseAll()
            }
            _ = await group.next()
            group.cancelAll()
        }
        let count = state.withLock { state -> Int in
            state.inFlight -= 1
            state.sent += 1
            return state.sent
        }
        return CarrierReceipt(carrierMessageID: "B\(count)", acceptedAt: now)
    }

    func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? { nil }

    /// Lets every parked send go (the bound passed).
    private func releaseAll() {
        let parked = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in parked { waiter.resume() }
    }
}

@Suite struct ConcurrentNumbersTests {
    @Test func textsOnDifferentNumbersAreHandedToTheCarrierAtTheSameTime() async throws {
        let clock = VirtualClock(morning)
        let carrier = BarrierCarrier(expected: 2)
        let base = try #require(URL(string: "http://127.0.0.1:9"))
        let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: base, telnyx: base, bandwidth: base),
                                               carriers: [carrier])
        for (index, number) in [Carriers.twilioNumber, Carriers.secondTwilioNumber].enumerated() {
            _ = try await harness.engine.receive(InboundText(from: PhoneNumber(trustedE164: "+1415556000\(index)"),
                                                             to: PhoneNumber(trustedE164: number), body: "HELP", carrier: "twilio",
                                                             carrierMessageID: "in-\(index)"))
        }
        let runner = JobRunner(engine: harness.engine, options: JobRunnerOptions(concurrency: 8, poll: .milliseconds(50)))
        let task = Task { try await runner.run() }
        // Wait for the event (both texts handed over), not for a delay: bounded by the carrier's own bound.
        for _ in 0..<400 where carrier.sent < 2 { try await Task.sleep(for: .milliseconds(25)) }
        task.cancel()
        _ = try? await task.value
        #expect(carrier.sent == 2)
        #expect(carrier.mostInFlight == 2)
    }
}

@Suite struct PacedTextsStillPassTheLawTests {
    @Test func aTextWaitingForItsSlotIsStoppedByAnOptOutThatArrivesMeanwhile() async throws {
        let clock = VirtualClock(morning)
        let recorder = RecordingCarrier(name: "twilio", clock: clock)
        let base = try #require(URL(string: "http://127.0.0.1:9"))
        let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: base, telnyx: base, bandwidth: base),
                                               carriers: [recorder])
        for (index, contact) in ["+14155550123", "+14155550124"].enumerated() {
            _ = try await harness.engine.ingest(CallEvent(
                provider: "native", providerCallID: "c-\(index)", occurredAt: clock.now(), direction: .inbound, outcome: .noAnswer,
                from: PhoneNumber(trustedE164: contact), to: PhoneNumber(trustedE164: Carriers.twilioNumber),
                contact: ContactHint(name: "Dana Reyes"), variables: ["service": "water heater"]))
        }
        try await harness.advance(0)
        try await harness.advance(120)
        // Both texts fell due at once on a 1/s long code: one went, the other waits for the next second.
        #expect(recorder.sends.count == 1)
        let waiting = try #require(try await harness.outbound().first { $0.status == .queued })
        _ = try await harness.engine.receive(InboundText(from: waiting.to, to: PhoneNumber(trustedE164: Carriers.twilioNumber),
                                                         body: "STOP", carrier: "twilio", carrierMessageID: "in-stop"))
        for _ in 0..<5 { try await harness.advance(1) }
        #expect(try await harness.store.message(waiting.id, scope: .all)?.status == .cancelled)
        let toOptedOut = try await harness.outbound().filter { $0.to == waiting.to && $0.status == .sent }
        #expect(toOptedOut.map(\.kind) == [.optOutConfirmation], "only the one confirmation reaches the opted-out number")
    }
}

@Suite struct UrgentTextsSkipTheBacklogTests {
    @Test func anOptOutConfirmationIsNotQueuedBehindANumbersBacklog() async throws {
        let clock = VirtualClock(morning)
        let recorder = RecordingCarrier(name: "twilio", clock: clock)
        let base = try #require(URL(string: "http://127.0.0.1:9"))
        let harness = try await CarrierHarness(clock: clock, yaml: Carriers.yaml(twilio: base, telnyx: base, bandwidth: base),
                                               carriers: [recorder])
        try await harness.ingestMissedCalls(from: (0..<30).map { "+1415556\(String(format: "%04d", $0))" }, to: Carriers.twilioNumber,
                                            idPrefix: "backlog")
        try await harness.engine.runDueJobs()
        try await harness.advance(120)
        #expect(recorder.sends.count == 1, "a 30-second backlog on a 1/s long code")
        let stopAt = clock.now()
        _ = try await harness.engine.receive(InboundText(from: PhoneNumber(trustedE164: "+12125550199"),
                                                         to: PhoneNumber(trustedE164: Carriers.twilioNumber), body: "STOP",
                                                         carrier: "twilio", carrierMessageID: "in-stop"))
        try await harness.engine.runDueJobs()
        let confirmation = try #require(try await harness.outbound().first { $0.kind == .optOutConfirmation })
        #expect(confirmation.status == .sent)
        #expect(recorder.sends.count == 2)
        #expect(recorder.sends.last?.at == stopAt)
        // The backlog still drains at the pace, none dropped.
        for _ in 0..<40 { try await harness.advance(1) }
        #expect(try await harness.outbound().filter { $0.kind == .automated && $0.status == .sent }.count == 30)
    }
}
