// Bandwidth messaging error codes (https://dev.bandwidth.com/docs/messaging/errors) → meaning and
// class. Bandwidth reports these only in callbacks (message-failed `errorCode`); a refused create
// request carries an HTTP status and a `type` word instead (see `BandwidthAPIError`).
//
// 4xxx: Bandwidth or the carrier found the request unacceptable; repeating it gives the same result.
// 47xx: reported by the destination carrier. 5xxx: a service failure, worth one retry. 9902: no
// receipt arrived, which does not mean the text was lost. "Billable" codes are those where the text
// left Bandwidth, which is what separates undelivered from failed.

import Foundation

public enum BandwidthErrorCode: Sendable, Hashable {
    case serviceNotAllowed               // 4001
    case invalidEncoding                 // 4301
    case invalidFromNumber               // 4302
    case invalidToNumber                 // 4303
    case malformedForDestination         // 4350
    case expirationPassed                // 4360
    case routingError                    // 4401
    case forbiddenFromNumber             // 4403
    case forbiddenToNumber               // 4404
    case unallocatedFromNumber           // 4405
    case unallocatedToNumber             // 4406
    case fromNotOnAccount                // 4407
    case toNotOnAccount                  // 4408
    case invalidDestinationProfile       // 4409
    case mediaUnavailable                // 4410
    case mediaTooLarge                   // 4411
    case mediaContentInvalid             // 4412
    case noCarrierRoute                  // 4420
    case destinationNotProvisioned       // 4421
    case shortCodeForbidden              // 4431
    case countryForbidden                // 4432
    case tollFreeForbidden               // 4433
    case toTollFreeForbidden             // 4434
    case tooManyRecipients               // 4435
    case wrongUserID                     // 4451
    case wrongApplicationID              // 4452
    case spamDetected                    // 4470
    case fromBlacklisted                 // 4481
    case toBlacklisted                   // 4482
    case emergencyNumber                 // 4492
    case unauthorizedSender              // 4493
    case invalidServiceType              // 4700
    case destinationServiceUnavailable   // 4701
    case subscriberUnavailable           // 4702
    case invalidDestinationAddress       // 4720
    case deactivatedNumber               // 4721
    case noRouteToCarrier                // 4730
    case invalidSourceAddress            // 4740
    case destinationRejected             // 4750
    case invalidMessageLength            // 4751
    case malformedForCarrier             // 4752
    case carrierSpam                     // 4770
    case userOptedOut                    // 4775
    case p2pVolumeViolation              // 4780
    case shortCodeRestricted             // 4790
    case shortCodeCampaignNotAllowed     // 4791
    case shortCodeNotProvisioned         // 4792
    case shortCodeExpired                // 4793
    case temporaryAppError               // 5100
    case appShutdown                     // 5101
    case impossibleToRoute               // 5106
    case connectionClosed                // 5111
    case retriesExceeded                 // 5201
    case appBusy                         // 5211
    case storeError                      // 5220
    case concatenationTimeout            // 5231
    case sendFailed                      // 5500
    case noDestinationAvailable          // 5501
    case bandwidthUnknownError           // 5999
    case carrierQueueFull                // 5600
    case carrierSubmitFailed             // 5610
    case carrierRetriesExceeded          // 5611
    case carrierAppError                 // 5620
    case carrierNoAck                    // 5630
    case carrierFailed                   // 5650
    case deliveryReceiptExpired          // 9902
    case downstreamUnknownError          // 9999
    case unknown(String)

    public init(code: String) {
        switch code.trimmingCharacters(in: .whitespaces) {
        case "4001": self = .serviceNotAllowed
        case "4301": self = .invalidEncoding
        case "4302": self = .invalidFromNumber
        case "4303": self = .invalidToNumber
        case "4350": self = .malformedForDestination
        case "4360": self = .expirationPassed
        case "4401": self = .routingError
        case "4403": self = .forbiddenFromNumber
        case "4404": self = .forbiddenToNumber
        case "4405": self = .unallocatedFromNumber
        case "4406": self = .unallocatedToNumber
        case "4407": self = .fromNotOnAccount
        case "4408": self = .toNotOnAccount
        case "4409": self = .invalidDestinationProfile
        case "4410": self = .mediaUnavailable
        case "4411": self = .mediaTooLarge
        case "4412": self = .mediaContentInvalid
        case "4420": self = .noCarrierRoute
        case "4421": self = .destinationNotProvisioned
        case "4431": self = .shortCodeForbidden
        case "4432": self = .countryForbidden
        case "4433": self = .tollFreeForbidden
        case "4434": self = .toTollFreeForbidden
        case "4435": self = .tooManyRecipients
        case "4451": self = .wrongUserID
        case "4452": self = .wrongApplicationID
        case "4470": self = .spamDetected
        case "4481": self = .fromBlacklisted
        case "4482": self = .toBlacklisted
        case "4492": self = .emergencyNumber
        case "4493": self = .unauthorizedSender
        case "4700": self = .invalidServiceType
        case "4701": self = .destinationServiceUnavailable
        case "4702": self = .subscriberUnavailable
        case "4720": self = .invalidDestinationAddress
        case "4721": self = .deactivatedNumber
        case "4730": self = .noRouteToCarrier
        case "4740": self = .invalidSourceAddress
        case "4750": self = .destinationRejected
        case "4751": self = .invalidMessageLength
        case "4752": self = .malformedForCarrier
        case "4770": self = .carrierSpam
        case "4775": self = .userOptedOut
        case "4780": self = .p2pVolumeViolation
        case "4790": self = .shortCodeRestricted
        case "4791": self = .shortCodeCampaignNotAllowed
        case "4792": self = .shortCodeNotProvisioned
        case "4793": self = .shortCodeExpired
        case "5100": self = .temporaryAppError
        case "5101": self = .appShutdown
        case "5106": self = .impossibleToRoute
        case "5111": self = .connectionClosed
        case "5201": self = .retriesExceeded
        case "5211": self = .appBusy
        case "5220": self = .storeError
        case "5231": self = .concatenationTimeout
        case "5500": self = .sendFailed
        case "5501": self = .noDestinationAvailable
        case "5999": self = .bandwidthUnknownError
        case "5600": self = .carrierQueueFull
        case "5610": self = .carrierSubmitFailed
        case "5611": self = .carrierRetriesExceeded
        case "5620": self = .carrierAppError
        case "5630": self = .carrierNoAck
        case "5650": self = .carrierFailed
        case "9902": self = .deliveryReceiptExpired
        case "9999": self = .downstreamUnknownError
        case let other: self = .unknown(other)
        }
    }

    public var code: String {
        switch self {
        case .serviceNotAllowed: "4001"
        case .invalidEncoding: "4301"
        case .invalidFromNumber: "4302"
        case .invalidToNumber: "4303"
        case .malformedForDestination: "4350"
        case .expirationPassed: "4360"
        case .routingError: "4401"
        case .forbiddenFromNumber: "4403"
        case .forbiddenToNumber: "4404"
        case .unallocatedFromNumber: "4405"
        case .unallocatedToNumber: "4406"
        case .fromNotOnAccount: "4407"
        case .toNotOnAccount: "4408"
        case .invalidDestinationProfile: "4409"
        case .mediaUnavailable: "4410"
        case .mediaTooLarge: "4411"
        case .mediaContentInvalid: "4412"
        case .noCarrierRoute: "4420"
        case .destinationNotProvisioned: "4421"
        case .shortCodeForbidden: "4431"
        case .countryForbidden: "4432"
        case .tollFreeForbidden: "4433"
        case .toTollFreeForbidden: "4434"
        case .tooManyRecipients: "4435"
        case .wrongUserID: "4451"
        case .wrongApplicationID: "4452"
        case .spamDetected: "4470"
        case .fromBlacklisted: "4481"
        case .toBlacklisted: "4482"
        case .emergencyNumber: "4492"
        case .unauthorizedSender: "4493"
        case .invalidServiceType: "4700"
        case .destinationServiceUnavailable: "4701"
        case .subscriberUnavailable: "4702"
        case .invalidDestinationAddress: "4720"
        case .deactivatedNumber: "4721"
        case .noRouteToCarrier: "4730"
        case .invalidSourceAddress: "4740"
        case .destinationRejected: "4750"
        case .invalidMessageLength: "4751"
        case .malformedForCarrier: "4752"
        case .carrierSpam: "4770"
        case .userOptedOut: "4775"
        case .p2pVolumeViolation: "4780"
        case .shortCodeRestricted: "4790"
        case .shortCodeCampaignNotAllowed: "4791"
        case .shortCodeNotProvisioned: "4792"
        case .shortCodeExpired: "4793"
        case .temporaryAppError: "5100"
        case .appShutdown: "5101"
        case .impossibleToRoute: "5106"
        case .connectionClosed: "5111"
        case .retriesExceeded: "5201"
        case .appBusy: "5211"
        case .storeError: "5220"
        case .concatenationTimeout: "5231"
        case .sendFailed: "5500"
        case .noDestinationAvailable: "5501"
        case .bandwidthUnknownError: "5999"
        case .carrierQueueFull: "5600"
        case .carrierSubmitFailed: "5610"
        case .carrierRetriesExceeded: "5611"
        case .carrierAppError: "5620"
        case .carrierNoAck: "5630"
        case .carrierFailed: "5650"
        case .deliveryReceiptExpired: "9902"
        case .downstreamUnknownError: "9999"
        case .unknown(let code): code
        }
    }

    public var meaning: String {
        switch self {
        case .serviceNotAllowed: "service not allowed for this account or message"
        case .invalidEncoding: "malformed message encoding"
        case .invalidFromNumber: "malformed 'from' number"
        case .invalidToNumber: "malformed 'to' number"
        case .malformedForDestination: "malformed for the destination (likely an invalid 'to' number)"
        case .expirationPassed: "expired before it could be sent"
        case .routingError: "Bandwidth cannot route the message"
        case .forbiddenFromNumber: "messaging is forbidden on the 'from' number"
        case .forbiddenToNumber: "messaging is forbidden to the 'to' number"
        case .unallocatedFromNumber: "the 'from' number is unallocated"
        case .unallocatedToNumber: "the 'to' number is not assigned to any carrier"
        case .fromNotOnAccount: "the 'from' number is not on this account"
        case .toNotOnAccount: "the 'to' number is not associated with an account"
        case .invalidDestinationProfile: "invalid destination profile (often: no MMS support)"
        case .mediaUnavailable: "the media could not be downloaded"
        case .mediaTooLarge: "the media is too large"
        case .mediaContentInvalid: "unsupported media content type"
        case .noCarrierRoute: "no route to the destination carrier"
        case .destinationNotProvisioned: "the account may not send to this destination"
        case .shortCodeForbidden: "the account is not provisioned for short codes"
        case .countryForbidden: "messaging to this country is not enabled"
        case .tollFreeForbidden: "the account is not enabled for toll-free messaging"
        case .toTollFreeForbidden: "messaging to this toll-free number is not allowed"
        case .tooManyRecipients: "too many recipients in a group message"
        case .wrongUserID: "invalid user id"
        case .wrongApplicationID: "invalid application id for this account"
        case .spamDetected: "rejected as spam by a downstream carrier"
        case .fromBlacklisted: "the 'from' number is blocked from sending"
        case .toBlacklisted: "the 'to' number is blocked from receiving"
        case .emergencyNumber: "texts to emergency numbers are forbidden"
        case .unauthorizedSender: "the sender is not authorized to send from this account"
        case .invalidServiceType: "the carrier or handset does not support messaging"
        case .destinationServiceUnavailable: "destination unreachable or SMS service unavailable"
        case .subscriberUnavailable: "the subscriber is unavailable (handset off, out of reach)"
        case .invalidDestinationAddress: "invalid destination: not in the numbering plan or not text-enabled (e.g. a landline)"
        case .deactivatedNumber: "the 'to' number has been deactivated"
        case .noRouteToCarrier: "no route to the destination carrier"
        case .invalidSourceAddress: "the carrier rejected the source address"
        case .destinationRejected: "the destination carrier rejected the message"
        case .invalidMessageLength: "message too long for the carrier"
        case .malformedForCarrier: "message malformed for the carrier"
        case .carrierSpam: "the carrier blocked it as spam"
        case .userOptedOut: "the recipient opted out of texts from this sender"
        case .p2pVolumeViolation: "sent faster than allowed for person-to-person traffic"
        case .shortCodeRestricted: "the destination cannot receive this short code"
        case .shortCodeCampaignNotAllowed: "short code campaign not allowed by the carrier"
        case .shortCodeNotProvisioned: "short code not provisioned on the carrier"
        case .shortCodeExpired: "short code expired with the carrier"
        case .temporaryAppError: "Bandwidth application error (temporary)"
        case .appShutdown: "Bandwidth application shutting down"
        case .impossibleToRoute: "impossible to route after retries"
        case .connectionClosed: "Bandwidth connection closed"
        case .retriesExceeded: "Bandwidth gave up after retries"
        case .appBusy: "Bandwidth application busy"
        case .storeError: "Bandwidth could not store the message"
        case .concatenationTimeout: "not every part of the message arrived"
        case .sendFailed: "general send failure reported by the destination carrier"
        case .noDestinationAvailable: "no destination available"
        case .bandwidthUnknownError: "unknown Bandwidth error"
        case .carrierQueueFull: "the carrier's queue is full or throttling"
        case .carrierSubmitFailed: "the carrier failed to accept the message"
        case .carrierRetriesExceeded: "the carrier gave up after retries"
        case .carrierAppError: "carrier application error"
        case .carrierNoAck: "no acknowledgement from the carrier"
        case .carrierFailed: "the carrier failed to deliver"
        case .deliveryReceiptExpired: "no delivery receipt within two hours; the text may well have arrived"
        case .downstreamUnknownError: "unknown error from the downstream carrier"
        case .unknown(let code): "Bandwidth error \(code)"
        }
    }

    /// nil for codes that are not a verdict (9902: unconfirmed, 9999) and codes not in this table.
    public var errorClass: CarrierErrorClass? {
        switch self {
        case .userOptedOut:
            .recipientOptedOut
        case .subscriberUnavailable, .p2pVolumeViolation, .temporaryAppError, .appShutdown, .impossibleToRoute,
            .connectionClosed, .retriesExceeded, .appBusy, .storeError, .concatenationTimeout, .sendFailed,
            .noDestinationAvailable, .bandwidthUnknownError, .carrierQueueFull, .carrierSubmitFailed,
            .carrierRetriesExceeded, .carrierAppError, .carrierNoAck, .carrierFailed:
            .transient
        case .serviceNotAllowed, .invalidEncoding, .invalidFromNumber, .invalidToNumber,
            .malformedForDestination, .expirationPassed, .routingError, .forbiddenFromNumber,
            .forbiddenToNumber, .unallocatedFromNumber, .unallocatedToNumber, .fromNotOnAccount,
            .toNotOnAccount, .invalidDestinationProfile, .mediaUnavailable, .mediaTooLarge,
            .mediaContentInvalid, .noCarrierRoute, .destinationNotProvisioned, .shortCodeForbidden,
            .countryForbidden, .tollFreeForbidden, .toTollFreeForbidden, .tooManyRecipients, .wrongUserID,
            .wrongApplicationID, .spamDetected, .fromBlacklisted, .toBlacklisted, .emergencyNumber,
            .unauthorizedSender, .invalidServiceType, .destinationServiceUnavailable,
            .invalidDestinationAddress, .deactivatedNumber, .noRouteToCarrier, .invalidSourceAddress,
            .destinationRejected, .invalidMessageLength, .malformedForCarrier, .carrierSpam,
            .shortCodeRestricted, .shortCodeCampaignNotAllowed, .shortCodeNotProvisioned, .shortCodeExpired:
            .permanent
        case .deliveryReceiptExpired, .downstreamUnknownError, .unknown:
            nil
        }
    }

    /// True when the text left Bandwidth for the destination network (Bandwidth bills these): a
    /// failure then is "undelivered", otherwise "failed". Unknown codes count by their range.
    public var reachedCarrier: Bool {
        switch self {
        case .spamDetected, .toBlacklisted, .invalidServiceType, .destinationServiceUnavailable,
            .subscriberUnavailable, .invalidDestinationAddress, .deactivatedNumber, .noRouteToCarrier,
            .invalidSourceAddress, .destinationRejected, .invalidMessageLength, .malformedForCarrier,
            .carrierSpam, .userOptedOut, .p2pVolumeViolation, .shortCodeRestricted,
            .shortCodeCampaignNotAllowed, .shortCodeNotProvisioned, .shortCodeExpired, .carrierQueueFull,
            .carrierSubmitFailed, .carrierRetriesExceeded, .carrierAppError, .carrierNoAck, .carrierFailed,
            .deliveryReceiptExpired, .downstreamUnknownError:
            true
        case .unknown(let code):
            code.hasPrefix("47") || code.hasPrefix("56") || code.hasPrefix("9")
        default:
            false
        }
    }

    public func detail(httpStatus: Int? = nil, requestID: String? = nil) -> CarrierErrorDetail {
        CarrierErrorDetail(carrier: "bandwidth", code: code, meaning: meaning, errorClass: errorClass,
                           httpStatus: httpStatus, requestID: requestID)
    }
}

/// The `type` of a refused API request (`{"type": "request-validation", "description": ...,
/// "fieldErrors": [...]}`). Only the type and the names of the fields are kept; descriptions can
/// quote the number.
public enum BandwidthAPIError {
    public static func detail(type: String?, fields: [String], status: Int, requestID: String?) -> CarrierErrorDetail {
        let word = type ?? "http_\(status)"
        var meaning: String
        switch word {
        case "request-validation": meaning = "the request was refused as invalid"
        case "unauthorized": meaning = "authentication failed: the API username or password is wrong"
        case "forbidden": meaning = "access denied: these credentials may not use this account's messaging API"
        case "not-found": meaning = "not found (check the account id)"
        case "invalid-media-type": meaning = "unsupported content type"
        case "max-message-queue-size-exceeded", "too-many-requests": meaning = "too many requests"
        default: meaning = FailureClassification.httpMeaning(status)
        }
        if !fields.isEmpty { meaning += " (fields: " + fields.joined(separator: ", ") + ")" }
        // A refused 4xx request (other than 401, 403, 429) will be refused again; otherwise the HTTP
        // status decides: 401/403 authentication, 429 and 5xx transient.
        let errorClass: CarrierErrorClass? = (400..<500).contains(status) && ![401, 403, 429].contains(status) ? .permanent : nil
        return CarrierErrorDetail(carrier: "bandwidth", code: word, meaning: meaning, errorClass: errorClass,
                                  httpStatus: status, requestID: requestID)
    }
}
