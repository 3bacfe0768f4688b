// Twilio: webhook signature verification and the voice callbacks (status callback and <Dial action>).
//
// Signature (https://www.twilio.com/docs/usage/security): base64(HMAC-SHA1(auth token, full URL +
// every POST parameter name and value, sorted by name)), sent as X-Twilio-Signature. A JSON body is
// covered instead by a `bodySHA256` query parameter (hex SHA-256 of the body) inside the signed URL.

import Crypto
import Foundation
import TextBackCore

public enum TwilioSignature {
    public static func compute(authToken: String, url: String, parameters: [(name: String, value: String)]) -> String {
        var payload = url
        for (name, value) in parameters.sorted(by: { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }) {
            payload += name + value
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Verifies a form-encoded webhook. Comparison is constant-time.
    public static func verify(signature: String?, authToken: String, url: String,
                              parameters: [(name: String, value: String)]) throws(WebhookError) {
        guard let signature, !signature.isEmpty else { throw .badSignature("missing X-Twilio-Signature header") }
        let expected = compute(authToken: authToken, url: url, parameters: parameters)
        guard constantTimeEqual(Array(expected.utf8), Array(signature.utf8)) else {
            throw .badSignature("X-Twilio-Signature does not match the request")
        }
    }

    /// Verifies a JSON webhook: the signed URL carries bodySHA256, which must match the body.
    public static func verifyJSON(signature: String?, authToken: String, url: String, body: Data) throws(WebhookError) {
        guard let components = URLComponents(string: url),
              let claimed = components.queryItems?.first(where: { $0.name == "bodySHA256" })?.value
        else { throw .badSignature("a JSON Twilio webhook must carry bodySHA256 in its URL") }
        let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        guard constantTimeEqual(Array(digest.utf8), Array(claimed.lowercased().utf8)) else {
            throw .badSignature("bodySHA256 does not match the request body")
        }
        try verify(signature: signature, authToken: authToken, url: url, parameters: [])
    }
}

/// Compares two byte strings in time that depends only on their lengths.
public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
    for i in 0..<max(a.count, b.count) {
        let x = i < a.count ? a[i] : 0
        let y = i < b.count ? b[i] : 0
        difference |= x ^ y
    }
    return difference == 0
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
