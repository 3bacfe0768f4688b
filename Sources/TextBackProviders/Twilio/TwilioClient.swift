// The Twilio carrier and its Lookup v2 client over a `ProviderTransport`: requests from
// `TwilioRequest`, refusals through `TwilioErrorCode` and the shared classification, an explicit
// deadline on every call.

import Foundation
import TextBackConfig
import TextBackCore

public struct TwilioCarrier: Carrier {
    public let name = "twilio"
    let accountSID: String
    let authToken: CarrierSettings.Secret
    let baseURL: String
    let transport: any ProviderTransport
    let timeout: Duration

    /// Texts whose DateCreated is this much older than the ambiguous attempt are not it (clock skew
    /// between us and Twilio fits comfortably inside).
    static let reconciliationSlack: TimeInterval = 10 * 60
    static let reconciliationPageSize = 50

    public init(settings: CarrierSettings.Twilio, transport: any ProviderTransport, timeout: Duration = .seconds(10)) {
        self.accountSID = settings.accountSID
        self.authToken = settings.authToken
        self.baseURL = settings.baseURL?.absoluteString ?? TwilioRequest.productionBaseURL
        self.transport = transport
        self.timeout = timeout
    }

    public func submit(_ sms: OutgoingSMS, now: Date) async throws(CarrierFailure) -> CarrierReceipt {
        let request = TwilioRequest.send(sms, accountSID: accountSID, authToken: authToken.reveal())
        let response: ProviderResponse
        do {
            response = try await transport.perform(request, baseURL: baseURL, timeout: timeout)
        } catch {
            throw FailureClassification.failure(error)
        }
        guard response.isSuccess else { throw Self.failure(response, now: now) }
        guard let object = JSON.object(response.body), let sid = JSON.string(object["sid"]) else {
            throw .ambiguous(reason: "Twilio accepted the request (HTTP \(response.status)) but its answer named no message")
        }
        return CarrierReceipt(
            carrierMessageID: sid, acceptedAt: JSON.string(object["date_created"]).flatMap(HTTPDate.parse) ?? now,
            carrierStatus: JSON.string(object["status"]), segments: JSON.int(object["num_segments"]))
    }

    public func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        do { return try await submit(sms, now: now) } catch { throw error.carrierError }
    }

    /// Twilio has no lookup by our key: `reconcile(_:)` searches by number, day and body instead.
    public func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? { nil }

    /// Lists the texts between the two numbers and matches the body. First with `DateSent>=` the day
    /// of the attempt, then without a date: Twilio gives a text no DateSent until it leaves the queue,
    /// so a text still queued only shows in the second list. `.notFound` only when both lists were
    /// complete (no next page).
    public func reconcile(_ query: ReconciliationQuery) async -> Reconciliation {
        var complete = true
        for day in [Optional(query.attemptedAt.addingTimeInterval(-Self.reconciliationSlack)), nil] {
            let request = TwilioRequest.listMessages(
                from: query.sms.from, to: query.sms.to, sentOnOrAfter: day, pageSize: Self.reconciliationPageSize,
                accountSID: accountSID, authToken: authToken.reveal())
            let response: ProviderResponse
            do {
                response = try await transport.perform(request, baseURL: baseURL, timeout: timeout)
            } catch {
                return .cannotTell(reason: "Twilio could not be asked: \(error)")
            }
            guard response.isSuccess, let object = JSON.object(response.body),
                  let messages = object["messages"] as? [[String: Any]]
            else { return .cannotTell(reason: "Twilio's message list could not be read (HTTP \(response.status))") }
            let earliest = query.attemptedAt.addingTimeInterval(-Self.reconciliationSlack)
            for message in messages {
                guard (JSON.string(message["direction"]) ?? "").hasPrefix("outbound"),
                      let sid = JSON.string(message["sid"]),
                      TextMatch.same(JSON.string(message["body"]) ?? "", query.sms.body)
                else { continue }
                let created = JSON.string(message["date_created"]).flatMap(HTTPDate.parse)
                // An unreadable date counts as a match: a duplicate is worse than a gap.
                if let created, created < earliest { continue }
                return .accepted(CarrierReceipt(carrierMessageID: sid, acceptedAt: created ?? query.now,
                                                carrierStatus: JSON.string(message["status"]),
                                                segments: JSON.int(message["num_segments"])))
            }
            if let next = object["next_page_uri"], !(next is NSNull) { complete = false }
        }
        return complete ? .notFound : .cannotTell(reason: "more texts between these numbers than one page of Twilio's list holds")
    }

    static func failure(_ response: ProviderResponse, now: Date) -> CarrierFailure {
        let detail = JSON.object(response.body).flatMap { JSON.string($0["code"]) }.map { TwilioErrorCode(code: $0).detail() }
        return FailureClassification.failure(
            status: response.status, detail: detail, retryAfter: RetryAfter.parse(response.header("Retry-After"), now: now),
            carrier: "twilio", requestID: response.header("Twilio-Request-Id"))
    }
}

/// Twilio Lookup v2 with Line Type Intelligence.
public struct TwilioLookupClient: LineTypeLookup {
    let accountSID: String
    let authToken: CarrierSettings.Secret
    let baseURL: String
    let transport: any ProviderTransport
    let timeout: Duration

    public init(settings: CarrierSettings.Twilio, transport: any ProviderTransport, timeout: Duration = .seconds(10)) {
        self.accountSID = settings.accountSID
        self.authToken = settings.authToken
        self.baseURL = settings.lookupBaseURL?.absoluteString ?? TwilioRequest.productionLookupBaseURL
        self.transport = transport
        self.timeout = timeout
    }

    public func lineType(of number: PhoneNumber, now: Date) async throws(CarrierFailure) -> LineType {
        let request = TwilioRequest.lookup(number, accountSID: accountSID, authToken: authToken.reveal())
        let response: ProviderResponse
        do {
            response = try await transport.perform(request, baseURL: baseURL, timeout: timeout)
        } catch {
            throw FailureClassification.failure(error)
        }
        guard response.isSuccess else { throw TwilioCarrier.failure(response, now: now) }
        guard let object = JSON.object(response.body) else { throw .unknown(reason: "Twilio Lookup's answer is not JSON") }
        let intelligence = object["line_type_intelligence"] as? [String: Any]
        return Self.lineType(JSON.string(intelligence?["type"]))
    }

    /// Line Type Intelligence's `type`: landline, mobile, fixedVoip, nonFixedVoip, personal, tollFree,
    /// premium, sharedCost, uan, voicemail, pager, unknown.
    static func lineType(_ word: String?) -> LineType {
        switch word {
        case "mobile": .mobile
        case "landline": .landline
        case "fixedVoip", "nonFixedVoip": .voip
        default: .unknown
        }
    }
}

/// Compares a body we sent with the body a carrier lists, forgiving what carriers rewrite on the way
/// (Twilio's Smart Encoding turns curly quotes and dashes into ASCII) and surrounding whitespace.
enum TextMatch {
    static func same(_ a: String, _ b: String) -> Bool {
        normalize(a) == normalize(b)
    }

    static func normalize(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{2018}", "\u{2019}", "\u{201A}", "\u{2032}": result += "'"
            case "\u{201C}", "\u{201D}", "\u{201E}", "\u{2033}": result += "\""
            case "\u{2013}", "\u{2014}", "\u{2212}": result += "-"
            case "\u{2026}": result += "..."
            case "\u{00A0}", "\u{2009}", "\u{202F}": result += " "
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
