// Twilio webhooks, normalized: the voice callbacks (status callback and <Dial action>) into call
// events, inbound texts (with Twilio's own OptOutType), and message status callbacks into delivery
// receipts. `TwilioWebhook.verifiedForm` checks the signature before a single field is read.

import Foundation
import TextBackCore

public enum TwilioWebhook {
    /// Checks X-Twilio-Signature over `url` (exactly as Twilio requested it, query included) and the
    /// raw form body, and only then decodes the form.
    public static func verifiedForm(body: String, url: String, signature: String?, authToken: String) throws(WebhookError) -> [String: String] {
        let pairs = FormEncoding.decode(body)
        try TwilioSignature.verify(signature: signature, authToken: authToken, url: url, parameters: pairs)
        var form: [String: String] = [:]
        for (name, value) in pairs { form[name] = value }
        return form
    }
}

public enum TwilioMessaging {
    /// An inbound text (the number's "A message comes in" webhook). Twilio answers STOP, START and
    /// HELP itself and says so in OptOutType.
    public static func inbound(from form: [String: String], receivedAt: Date) throws(WebhookError) -> InboundSMS {
        guard let sid = nonEmpty(form["MessageSid"]) ?? nonEmpty(form["SmsSid"]) else { throw .missingField("MessageSid") }
        let from = try WebhookError.phone(form["From"], field: "From")
        let to = try WebhookError.phone(form["To"], field: "To")
        return InboundSMS(from: from, to: to, body: form["Body"] ?? "", carrier: "twilio", carrierMessageID: sid,
                          carrierOptOutKeyword: nonEmpty(form["OptOutType"])?.uppercased(), receivedAt: receivedAt)
    }

    /// A message status callback. `messageID` is the `message_id` our StatusCallback URL carried.
    /// Progress reports (queued, sending, accepted, ...) are `.ignored`: only sent and the final
    /// states change what we know.
    public static func statusCallback(from form: [String: String], messageID: MessageID?, receivedAt: Date) throws(WebhookError) -> CarrierWebhookEvent {
        guard let sid = nonEmpty(form["MessageSid"]) ?? nonEmpty(form["SmsSid"]) else { throw .missingField("MessageSid") }
        guard let word = nonEmpty(form["MessageStatus"]) ?? nonEmpty(form["SmsStatus"]) else { throw .missingField("MessageStatus") }
        guard let status = receiptStatus(word) else { return .ignored("Twilio message status \(word.lowercased())") }
        var error: CarrierErrorDetail?
        if let code = nonEmpty(form["ErrorCode"]), code != "0" {
            error = TwilioErrorCode(code: code).detail()
        }
        return .receipt(DeliveryReceipt(carrier: "twilio", carrierMessageID: sid, messageID: messageID, status: status,
                                        error: error, at: receivedAt))
    }

    /// Twilio's MessageStatus vocabulary in ours; nil for progress reports and words we do not know.
    static func receiptStatus(_ word: String) -> DeliveryReceipt.Status? {
        switch word.lowercased() {
        case "sent": .sent
        case "delivered", "read": .delivered
        case "undelivered": .undelivered
        // canceled: a scheduled text withdrawn before it was sent.
        case "failed", "canceled": .failed
        default: nil
        }
    }
}

public enum TwilioVoice {
    /// True for the child leg Twilio creates when TwiML <Dial>s onward (Direction=outbound-dial): its
    /// "To" is the agent's or forwarding phone, not a contact. The parent call's <Dial action> callback
    /// carries the outcome that matters (DialCallStatus), so these legs are acknowledged and ignored.
    public static func isForwardingLeg(_ form: [String: String]) -> Bool {
        form["Direction"] == "outbound-dial"
    }

    /// Normalizes a voice status callback or a <Dial action> callback into a call event.
    /// A <Dial action> callback carries DialCallStatus, the outcome of the forwarded leg; it wins over
    /// CallStatus, which for an inbound call describes the caller's leg to Twilio (usually "in-progress").
    public static func callEvent(from form: [String: String], receivedAt: Date) throws(WebhookError) -> CallEvent {
        guard let callSid = nonEmpty(form["CallSid"]) else { throw .missingField("CallSid") }
        // Twilio sends "Anonymous" or a placeholder number for hidden callers: kept, and never texted.
        guard let fromRaw = form["From"] else { throw .missingField("From") }
        guard let toRaw = form["To"] else { throw .missingField("To") }
        let from = PhoneNumber(callerID: fromRaw)
        let to = PhoneNumber(callerID: toRaw)

        let direction: CallDirection = (form["Direction"] ?? "inbound").hasPrefix("outbound") ? .outbound : .inbound
        let status = nonEmpty(form["DialCallStatus"]) ?? nonEmpty(form["CallStatus"])
        guard let status else { throw .missingField("CallStatus") }
        var (stage, outcome) = mapStatus(status)
        var voicemail = Voicemail()
        if let answeredBy = form["AnsweredBy"], stage == .ended, outcome == .completed {
            switch answeredBy {
            case "machine_end_beep", "machine_end_silence", "machine_end_other":
                voicemail = Voicemail(detected: true, left: true)
                outcome = .leftVoicemail
            case "machine_start":
                voicemail = Voicemail(detected: true, left: false)
                outcome = .noAnswer
            case "fax":
                outcome = .failed
            default: break
            }
        }
        if form["DialCallStatus"] == nil, form["RecordingUrl"] != nil, direction == .inbound, stage == .ended {
            // The caller recorded a message on our own voicemail TwiML.
            voicemail = Voicemail(detected: true, left: true)
            outcome = .leftVoicemail
        }
        let duration = Int(form["DialCallDuration"] ?? form["CallDuration"] ?? "") ?? 0
        if stage != .ended { outcome = .unknown }
        return CallEvent(provider: "twilio", providerCallID: callSid, stage: stage,
                         occurredAt: parseTimestamp(form["Timestamp"]) ?? receivedAt, direction: direction,
                         outcome: outcome, durationSeconds: duration, from: from, to: to,
                         agentID: nil,
                         voicemail: voicemail, contact: ContactHint(name: nonEmpty(form["CallerName"])))
    }

    /// Twilio's CallStatus / DialCallStatus vocabulary; unknown words end the call as `unknown`.
    static func mapStatus(_ status: String) -> (CallStage, CallOutcome) {
        switch status.lowercased() {
        case "queued", "initiated": (.queued, .unknown)
        case "ringing": (.ringing, .unknown)
        case "in-progress": (.inProgress, .unknown)
        case "completed", "answered": (.ended, .completed)
        case "busy": (.ended, .busy)
        case "failed": (.ended, .failed)
        case "no-answer": (.ended, .noAnswer)
        case "canceled": (.ended, .canceled)
        default: (.ended, .unknown)
        }
    }

    /// Twilio's Timestamp parameter is RFC 2822 ("Mon, 16 Aug 2010 03:45:01 +0000").
    static func parseTimestamp(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.date(from: text)
    }
}

func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
    return s
}
