// Telnyx error codes → meaning and class: the API's own codes (10xxx request, 20xxx account;
// https://developers.telnyx.com/development/api-fundamentals/api-errors) and the messaging codes
// (40xxx; https://developers.telnyx.com/docs/messaging/messages/error-codes) that appear both in send
// refusals (`{"errors": [{"code": "40300", "title": ..., "detail": ...}]}`) and in the `errors` of
// message.finalized. Meanings are ours: Telnyx's `detail` may quote the number.

import Foundation

public enum TelnyxErrorCode: Sendable, Hashable {
    case inactivePhoneNumber             // 10001
    case invalidPhoneNumber              // 10002
    case missingParameter                // 10004
    case resourceNotFound                // 10005
    case unexpectedError                 // 10007
    case requestTimeout                  // 10008
    case authenticationFailed            // 10009
    case authorizationFailed             // 10010
    case tooManyRequests                 // 10011
    case badRequest                      // 10015
    case notE164                         // 10016
    case apiKeyRevoked                   // 20002
    case accessTokenExpired              // 20006
    case accountInactive                 // 20012
    case accountBlocked                  // 20013
    case insufficientFunds               // 20100
    case notRoutable                     // 40001
    case spamTemporary                   // 40002
    case spamPermanent                   // 40003
    case rejectedByDestination           // 40004
    case expiredInTransmission           // 40005
    case recipientUnavailable            // 40006
    case undeliverable                   // 40008
    case invalidBody                     // 40009
    case unregistered10DLC               // 40010
    case upstreamRateLimit               // 40011
    case invalidDestination              // 40012
    case invalidSource                   // 40013
    case expiredInQueue                  // 40014
    case spamInternal                    // 40015
    case tMobileDailyLimit               // 40016
    case attSpam                         // 40017
    case attRateLimit                    // 40018
    case notMessagingEnabled             // 40100
    case tollFreeNotInVoiceRegistry      // 40150
    case enablementPending               // 40151
    case blockedBySTOP                   // 40300
    case unsupportedMessageType          // 40301
    case messageTooLarge                 // 40302
    case invalidContentCombination       // 40304
    case invalidFrom                     // 40305
    case alphaSenderNotConfigured        // 40306
    case invalidFromForMMS               // 40308
    case destinationRegionNotAllowed     // 40309
    case invalidTo                       // 40310
    case invalidProfileSecret            // 40311
    case profileDisabled                 // 40312
    case missingProfileSecret            // 40313
    case messagingDisabled               // 40314
    case unhealthyFrom                   // 40315
    case noContent                       // 40316
    case invalidMMSContent               // 40317
    case queueFull                       // 40318
    case incompatibleMessageType         // 40319
    case fromTemporarilyUnusable         // 40320
    case noUsableNumbers                 // 40321
    case blockedContent                  // 40322
    case exceedsRecommendedSize          // 40328
    case tollFreeNotVerified             // 40329
    case unknown(String)

    public init(code: String) {
        switch code.trimmingCharacters(in: .whitespaces) {
        case "10001": self = .inactivePhoneNumber
        case "10002": self = .invalidPhoneNumber
        case "10004": self = .missingParameter
        case "10005": self = .resourceNotFound
        case "10007": self = .unexpectedError
        case "10008": self = .requestTimeout
        case "10009": self = .authenticationFailed
        case "10010": self = .authorizationFailed
        case "10011": self = .tooManyRequests
        case "10015": self = .badRequest
        case "10016": self = .notE164
        case "20002": self = .apiKeyRevoked
        case "20006": self = .accessTokenExpired
        case "20012": self = .accountInactive
        case "20013": self = .accountBlocked
        case "20100": self = .insufficientFunds
        case "40001": self = .notRoutable
        case "40002": self = .spamTemporary
        case "40003": self = .spamPermanent
        case "40004": self = .rejectedByDestination
        case "40005": self = .expiredInTransmission
        case "40006": self = .recipientUnavailable
        case "40008": self = .undeliverable
        case "40009": self = .invalidBody
        case "40010": self = .unregistered10DLC
        case "40011": self = .upstreamRateLimit
        case "40012": self = .invalidDestination
        case "40013": self = .invalidSource
        case "40014": self = .expiredInQueue
        case "40015": self = .spamInternal
        case "40016": self = .tMobileDailyLimit
        case "40017": self = .attSpam
        case "40018": self = .attRateLimit
        case "40100": self = .notMessagingEnabled
        case "40150": self = .tollFreeNotInVoiceRegistry
        case "40151": self = .enablementPending
        case "40300": self = .blockedBySTOP
        case "40301": self = .unsupportedMessageType
        case "40302": self = .messageTooLarge
        case "40304": self = .invalidContentCombination
        case "40305": self = .invalidFrom
        case "40306": self = .alphaSenderNotConfigured
        case "40308": self = .invalidFromForMMS
        case "40309": self = .destinationRegionNotAllowed
        case "40310": self = .invalidTo
        case "40311": self = .invalidProfileSecret
        case "40312": self = .profileDisabled
        case "40313": self = .missingProfileSecret
        case "40314": self = .messagingDisabled
        case "40315": self = .unhealthyFrom
        case "40316": self = .noContent
        case "40317": self = .invalidMMSContent
        case "40318": self = .queueFull
        case "40319": self = .incompatibleMessageType
        case "40320": self = .fromTemporarilyUnusable
        case "40321": self = .noUsableNumbers
        case "40322": self = .blockedContent
        case "40328": self = .exceedsRecommendedSize
        case "40329": self = .tollFreeNotVerified
        case let other: self = .unknown(other)
        }
    }

    public var code: String {
        switch self {
        case .inactivePhoneNumber: "10001"
        case .invalidPhoneNumber: "10002"
        case .missingParameter: "10004"
        case .resourceNotFound: "10005"
        case .unexpectedError: "10007"
        case .requestTimeout: "10008"
        case .authenticationFailed: "10009"
        case .authorizationFailed: "10010"
        case .tooManyRequests: "10011"
        case .badRequest: "10015"
        case .notE164: "10016"
        case .apiKeyRevoked: "20002"
        case .accessTokenExpired: "20006"
        case .accountInactive: "20012"
        case .accountBlocked: "20013"
        case .insufficientFunds: "20100"
        case .notRoutable: "40001"
        case .spamTemporary: "40002"
        case .spamPermanent: "40003"
        case .rejectedByDestination: "40004"
        case .expiredInTransmission: "40005"
        case .recipientUnavailable: "40006"
        case .undeliverable: "40008"
        case .invalidBody: "40009"
        case .unregistered10DLC: "40010"
        case .upstreamRateLimit: "40011"
        case .invalidDestination: "40012"
        case .invalidSource: "40013"
        case .expiredInQueue: "40014"
        case .spamInternal: "40015"
        case .tMobileDailyLimit: "40016"
        case .attSpam: "40017"
        case .attRateLimit: "40018"
        case .notMessagingEnabled: "40100"
        case .tollFreeNotInVoiceRegistry: "40150"
        case .enablementPending: "40151"
        case .blockedBySTOP: "40300"
        case .unsupportedMessageType: "40301"
        case .messageTooLarge: "40302"
        case .invalidContentCombination: "40304"
        case .invalidFrom: "40305"
        case .alphaSenderNotConfigured: "40306"
        case .invalidFromForMMS: "40308"
        case .destinationRegionNotAllowed: "40309"
        case .invalidTo: "40310"
        case .invalidProfileSecret: "40311"
        case .profileDisabled: "40312"
        case .missingProfileSecret: "40313"
        case .messagingDisabled: "40314"
        case .unhealthyFrom: "40315"
        case .noContent: "40316"
        case .invalidMMSContent: "40317"
        case .queueFull: "40318"
        case .incompatibleMessageType: "40319"
        case .fromTemporarilyUnusable: "40320"
        case .noUsableNumbers: "40321"
        case .blockedContent: "40322"
        case .exceedsRecommendedSize: "40328"
        case .tollFreeNotVerified: "40329"
        case .unknown(let code): code
        }
    }

    public var meaning: String {
        switch self {
        case .inactivePhoneNumber: "the phone number is inactive"
        case .invalidPhoneNumber: "invalid phone number"
        case .missingParameter: "a required parameter is missing"
        case .resourceNotFound: "resource not found"
        case .unexpectedError: "Telnyx unexpected error"
        case .requestTimeout: "Telnyx timed out handling the request"
        case .authenticationFailed: "authentication failed: the API key is wrong or missing"
        case .authorizationFailed: "authorization failed: the API key may not do this"
        case .tooManyRequests: "too many requests"
        case .badRequest: "bad request"
        case .notE164: "a phone number is not in +E.164 format"
        case .apiKeyRevoked: "the API key was revoked"
        case .accessTokenExpired: "the access token expired"
        case .accountInactive: "the Telnyx account is inactive"
        case .accountBlocked: "the Telnyx account is blocked"
        case .insufficientFunds: "insufficient funds on the Telnyx account"
        case .notRoutable: "not routable: a landline or a number that cannot receive texts"
        case .spamTemporary: "blocked as spam (temporarily)"
        case .spamPermanent: "blocked as spam (permanently, for this sender)"
        case .rejectedByDestination: "rejected by the destination carrier"
        case .expiredInTransmission: "expired during transmission"
        case .recipientUnavailable: "the recipient's carrier is unavailable"
        case .undeliverable: "undeliverable"
        case .invalidBody: "invalid message body"
        case .unregistered10DLC: "sent from a number not registered for US A2P 10DLC"
        case .upstreamRateLimit: "the carrier's rate limit was exceeded"
        case .invalidDestination: "invalid destination number"
        case .invalidSource: "invalid source number"
        case .expiredInQueue: "expired in Telnyx's queue before it was sent"
        case .spamInternal: "blocked as spam by Telnyx"
        case .tMobileDailyLimit: "T-Mobile 10DLC daily sending limit reached"
        case .attSpam: "AT&T rejected it as spam"
        case .attRateLimit: "AT&T 10DLC sending rate exceeded"
        case .notMessagingEnabled: "the number is not enabled for messaging"
        case .tollFreeNotInVoiceRegistry: "toll-free number not in the voice registry"
        case .enablementPending: "messaging enablement pending with another provider"
        case .blockedBySTOP: "blocked: the recipient replied STOP to this sender"
        case .unsupportedMessageType: "message type not supported for the 'to' address"
        case .messageTooLarge: "message too large"
        case .invalidContentCombination: "invalid combination of message content"
        case .invalidFrom: "invalid 'from' address (not on this messaging profile)"
        case .alphaSenderNotConfigured: "alphanumeric sender not configured"
        case .invalidFromForMMS: "invalid 'from' address for MMS"
        case .destinationRegionNotAllowed: "destination region not allowed on the messaging profile"
        case .invalidTo: "invalid 'to' address"
        case .invalidProfileSecret: "invalid messaging profile secret"
        case .profileDisabled: "the messaging profile is disabled"
        case .missingProfileSecret: "missing messaging profile secret"
        case .messagingDisabled: "messaging is disabled on the account"
        case .unhealthyFrom: "the 'from' number has poor deliverability"
        case .noContent: "no content provided"
        case .invalidMMSContent: "invalid MMS content"
        case .queueFull: "Telnyx's message queue is full"
        case .incompatibleMessageType: "message type incompatible with the 'to' address"
        case .fromTemporarilyUnusable: "the 'from' number is temporarily unusable"
        case .noUsableNumbers: "no usable numbers on the messaging profile"
        case .blockedContent: "blocked because of its content"
        case .exceedsRecommendedSize: "SMS exceeds the recommended size"
        case .tollFreeNotVerified: "toll-free number not verified"
        case .unknown(let code): "Telnyx error \(code)"
        }
    }

    /// nil for codes not in this table (and for 10008, a timeout that may hide a success): the HTTP
    /// status decides.
    public var errorClass: CarrierErrorClass? {
        switch self {
        case .blockedBySTOP: .recipientOptedOut
        case .authenticationFailed, .authorizationFailed, .apiKeyRevoked, .accessTokenExpired,
            .invalidProfileSecret, .missingProfileSecret: .authentication
        case .unexpectedError, .tooManyRequests, .spamTemporary, .rejectedByDestination,
            .expiredInTransmission, .recipientUnavailable, .upstreamRateLimit, .expiredInQueue,
            .tMobileDailyLimit, .attRateLimit, .queueFull, .fromTemporarilyUnusable:
            .transient
        case .inactivePhoneNumber, .invalidPhoneNumber, .missingParameter, .resourceNotFound, .badRequest,
            .notE164, .accountInactive, .accountBlocked, .insufficientFunds, .notRoutable, .spamPermanent,
            .undeliverable, .invalidBody, .unregistered10DLC, .invalidDestination, .invalidSource,
            .spamInternal, .attSpam, .notMessagingEnabled, .tollFreeNotInVoiceRegistry, .enablementPending,
            .unsupportedMessageType, .messageTooLarge, .invalidContentCombination, .invalidFrom,
            .alphaSenderNotConfigured, .invalidFromForMMS, .destinationRegionNotAllowed, .invalidTo,
            .profileDisabled, .messagingDisabled, .unhealthyFrom, .noContent, .invalidMMSContent,
            .incompatibleMessageType, .noUsableNumbers, .blockedContent, .exceedsRecommendedSize,
            .tollFreeNotVerified:
            .permanent
        case .requestTimeout, .unknown: nil
        }
    }

    public func detail(httpStatus: Int? = nil, requestID: String? = nil) -> CarrierErrorDetail {
        CarrierErrorDetail(carrier: "telnyx", code: code, meaning: meaning, errorClass: errorClass,
                           httpStatus: httpStatus, requestID: requestID)
    }
}
