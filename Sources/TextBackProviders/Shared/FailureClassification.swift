// One set of rules, shared by every carrier, for turning a refused request into a `CarrierFailure`:
// the provider's code decides when our table knows it, the HTTP status otherwise. A transport that
// failed decides by whether the request could have reached the carrier.

import Foundation

enum FailureClassification {
    /// A non-2xx answer. `detail` is the provider's code looked up in its table (nil when the body
    /// named none); `retryAfter` is the parsed Retry-After header.
    static func failure(status: Int, detail: CarrierErrorDetail?, retryAfter: Duration?, carrier: String,
                        requestID: String?) -> CarrierFailure {
        var detail = detail
        detail?.httpStatus = status
        detail?.requestID = requestID
        // A code our table knows wins over the status: Telnyx answers a STOP block with 403, which
        // is an opt-out and not a credentials problem.
        switch detail?.errorClass {
        case .recipientOptedOut?: if let detail { return .recipientOptedOut(detail) }
        case .authentication?: if let detail { return .authenticationFailed(detail) }
        case .transient?: return .transient(reason: detail?.meaning ?? "HTTP \(status)", retryAfter: retryAfter, detail: detail)
        case .permanent?: if let detail { return .permanent(detail) }
        case nil: break
        }
        let known = detail ?? CarrierErrorDetail(
            carrier: carrier, code: "http_\(status)", meaning: httpMeaning(status), errorClass: nil,
            httpStatus: status, requestID: requestID)
        switch status {
        case 401, 403:
            return .authenticationFailed(known)
        case 429:
            return .transient(reason: "rate limited (HTTP 429)", retryAfter: retryAfter, detail: known)
        case 504:
            // A gateway that gave up waiting on the carrier's backend: the backend may have taken it.
            return .ambiguous(reason: "the carrier's gateway timed out (HTTP 504); the text may have been accepted")
        case 500...599:
            return .transient(reason: "the carrier failed (HTTP \(status))", retryAfter: retryAfter, detail: known)
        case 400...499:
            if detail != nil { return .permanent(known) }
            return .unknown(reason: "HTTP \(status) without an error code TextBack recognizes")
        default:
            return .unknown(reason: "unexpected HTTP status \(status)")
        }
    }

    /// A request that produced no HTTP answer.
    static func failure(_ transport: TransportFailure) -> CarrierFailure {
        switch transport {
        case .notSent(let reason):
            .transient(reason: "the request never reached the carrier: \(reason)", retryAfter: nil, detail: nil)
        case .mayHaveBeenSent(let reason):
            .ambiguous(reason: reason)
        }
    }

    static func httpMeaning(_ status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "authentication failed"
        case 403: "access denied"
        case 404: "not found"
        case 415: "unsupported content type"
        case 422: "unprocessable request"
        case 429: "too many requests"
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        default: "HTTP \(status)"
        }
    }
}

/// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
public enum RetryAfter {
    public static func parse(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? .seconds(seconds) : nil }
        guard let date = HTTPDate.parse(value) else { return nil }
        return .milliseconds(max(0, Int((date.timeIntervalSince(now) * 1000).rounded())))
    }
}

/// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the form HTTP dates are sent in; Twilio also
/// writes its message dates this way with a numeric zone ("+0000").
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd MMM yyyy HH:mm:ss Z"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
