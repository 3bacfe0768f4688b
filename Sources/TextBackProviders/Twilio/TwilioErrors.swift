// Twilio error codes (https://www.twilio.com/docs/api/errors) → meaning and class. The same table
// reads send refusals (`{"code": 21211, "message": ..., "status": 400}`) and the ErrorCode of
// message status callbacks. Meanings are ours: Twilio's own messages quote the number.

import Foundation

public enum TwilioErrorCode: Sendable, Hashable {
    case authenticationFailed        // 20003
    case resourceNotFound            // 20404
    case tooManyRequests             // 20429
    case internalError               // 20500
    case serviceUnavailable          // 20503
    case invalidToNumber             // 21211
    case invalidFromNumber           // 21212
    case regionNotEnabled            // 21408
    case bodyRequired                // 21602
    case fromRequired                // 21603
    case toRequired                  // 21604
    case fromNotMessagingCapable     // 21606
    case unverifiedTrialRecipient    // 21608
    case invalidStatusCallback       // 21609
    case unsubscribedRecipient       // 21610
    case fromQueueFull               // 21611
    case toNotReachable              // 21612
    case notAMobileNumber            // 21614
    case bodyTooLong                 // 21617
    case queueOverflow               // 30001
    case accountSuspended            // 30002
    case unreachableHandset          // 30003
    case messageBlocked              // 30004
    case unknownDestination          // 30005
    case landlineOrUnreachableCarrier // 30006
    case filtered                    // 30007
    case unknownError                // 30008
    case missingSegment              // 30009
    case priceExceedsMaxPrice        // 30010
    case carrierCongestion           // 30017
    case tenDLCRateLimit             // 30022
    case tenDLCDailyCap              // 30023
    case tollFreeNotVerified         // 30032
    case unregistered10DLC           // 30034
    case validityPeriodExpired       // 30036
    case unknown(String)

    public init(code: String) {
        switch code.trimmingCharacters(in: .whitespaces) {
        case "20003": self = .authenticationFailed
        case "20404": self = .resourceNotFound
        case "20429": self = .tooManyRequests
        case "20500": self = .internalError
        case "20503": self = .serviceUnavailable
        case "21211": self = .invalidToNumber
        case "21212": self = .invalidFromNumber
        case "21408": self = .regionNotEnabled
        case "21602": self = .bodyRequired
        case "21603": self = .fromRequired
        case "21604": self = .toRequired
        case "21606": self = .fromNotMessagingCapable
        case "21608": self = .unverifiedTrialRecipient
        case "21609": self = .invalidStatusCallback
        case "21610": self = .unsubscribedRecipient
        case "21611": self = .fromQueueFull
        case "21612": self = .toNotReachable
        case "21614": self = .notAMobileNumber
        case "21617": self = .bodyTooLong
        case "30001": self = .queueOverflow
        case "30002": self = .accountSuspended
        case "30003": self = .unreachableHandset
        case "30004": self = .messageBlocked
        case "30005": self = .unknownDestination
        case "30006": self = .landlineOrUnreachableCarrier
        case "30007": self = .filtered
        case "30008": self = .unknownError
        case "30009": self = .missingSegment
        case "30010": self = .priceExceedsMaxPrice
        case "30017": self = .carrierCongestion
        case "30022": self = .tenDLCRateLimit
        case "30023": self = .tenDLCDailyCap
        case "30032": self = .tollFreeNotVerified
        case "30034": self = .unregistered10DLC
        case "30036": self = .validityPeriodExpired
        case let other: self = .unknown(other)
        }
    }

    public var code: String {
        switch self {
        case .authenticationFailed: "20003"
        case .resourceNotFound: "20404"
        case .tooManyRequests: "20429"
        case .internalError: "20500"
        case .serviceUnavailable: "20503"
        case .invalidToNumber: "21211"
        case .invalidFromNumber: "21212"
        case .regionNotEnabled: "21408"
        case .bodyRequired: "21602"
        case .fromRequired: "21603"
        case .toRequired: "21604"
        case .fromNotMessagingCapable: "21606"
        case .unverifiedTrialRecipient: "21608"
        case .invalidStatusCallback: "21609"
        case .unsubscribedRecipient: "21610"
        case .fromQueueFull: "21611"
        case .toNotReachable: "21612"
        case .notAMobileNumber: "21614"
        case .bodyTooLong: "21617"
        case .queueOverflow: "30001"
        case .accountSuspended: "30002"
        case .unreachableHandset: "30003"
        case .messageBlocked: "30004"
        case .unknownDestination: "30005"
        case .landlineOrUnreachableCarrier: "30006"
        case .filtered: "30007"
        case .unknownError: "30008"
        case .missingSegment: "30009"
        case .priceExceedsMaxPrice: "30010"
        case .carrierCongestion: "30017"
        case .tenDLCRateLimit: "30022"
        case .tenDLCDailyCap: "30023"
        case .tollFreeNotVerified: "30032"
        case .unregistered10DLC: "30034"
        case .validityPeriodExpired: "30036"
        case .unknown(let code): code
        }
    }

    public var meaning: String {
        switch self {
        case .authenticationFailed: "authentication failed: the account SID or auth token is wrong"
        case .resourceNotFound: "resource not found (check the account SID)"
        case .tooManyRequests: "too many requests"
        case .internalError: "Twilio internal error"
        case .serviceUnavailable: "Twilio service unavailable"
        case .invalidToNumber: "invalid 'To' number"
        case .invalidFromNumber: "invalid 'From' number"
        case .regionNotEnabled: "sending to this region is not enabled on the account"
        case .bodyRequired: "message body is required"
        case .fromRequired: "'From' number is required"
        case .toRequired: "'To' number is required"
        case .fromNotMessagingCapable: "the 'From' number is not a message-capable Twilio number on this account"
        case .unverifiedTrialRecipient: "trial accounts may only text verified numbers"
        case .invalidStatusCallback: "invalid StatusCallback URL"
        case .unsubscribedRecipient: "the recipient unsubscribed (replied STOP) from this sender"
        case .fromQueueFull: "the 'From' number has too many queued messages"
        case .toNotReachable: "the 'To' number cannot be reached by SMS from this sender"
        case .notAMobileNumber: "the 'To' number is not a mobile number"
        case .bodyTooLong: "message body exceeds 1600 characters"
        case .queueOverflow: "queue overflow: sent faster than the number's throughput for too long"
        case .accountSuspended: "the Twilio account is suspended"
        case .unreachableHandset: "unreachable destination handset (off or out of coverage)"
        case .messageBlocked: "message blocked by the destination or its carrier"
        case .unknownDestination: "unknown destination handset (the number does not exist)"
        case .landlineOrUnreachableCarrier: "landline or unreachable carrier"
        case .filtered: "filtered by the carrier as spam or a policy violation"
        case .unknownError: "unknown delivery error"
        case .missingSegment: "a segment of the message was lost"
        case .priceExceedsMaxPrice: "the message price exceeds the configured maximum"
        case .carrierCongestion: "carrier network congestion"
        case .tenDLCRateLimit: "US A2P 10DLC rate limit exceeded"
        case .tenDLCDailyCap: "US A2P 10DLC daily message cap reached"
        case .tollFreeNotVerified: "toll-free number not verified"
        case .unregistered10DLC: "sent from a number not registered for US A2P 10DLC"
        case .validityPeriodExpired: "validity period expired before the message could be sent"
        case .unknown(let code): "Twilio error \(code)"
        }
    }

    /// nil for codes not in this table: the HTTP status decides.
    public var errorClass: CarrierErrorClass? {
        switch self {
        case .authenticationFailed: .authentication
        case .unsubscribedRecipient: .recipientOptedOut
        case .tooManyRequests, .internalError, .serviceUnavailable, .fromQueueFull, .queueOverflow, .unknownError,
            .missingSegment, .carrierCongestion, .tenDLCRateLimit, .tenDLCDailyCap:
            .transient
        case .resourceNotFound, .invalidToNumber, .invalidFromNumber, .regionNotEnabled, .bodyRequired, .fromRequired,
            .toRequired, .fromNotMessagingCapable, .unverifiedTrialRecipient, .invalidStatusCallback, .toNotReachable,
            .notAMobileNumber, .bodyTooLong, .accountSuspended, .unreachableHandset, .messageBlocked, .unknownDestination,
            .landlineOrUnreachableCarrier, .filtered, .priceExceedsMaxPrice, .tollFreeNotVerified, .unregistered10DLC,
            .validityPeriodExpired:
            .permanent
        case .unknown: nil
        }
    }

    public func detail(httpStatus: Int? = nil, requestID: String? = nil) -> CarrierErrorDetail {
        CarrierErrorDetail(carrier: "twilio", code: code, meaning: meaning, errorClass: errorClass,
                           httpStatus: httpStatus, requestID: requestID)
    }
}
