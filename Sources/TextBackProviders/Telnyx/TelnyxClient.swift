// The Telnyx carrier and its Number Lookup client over a `ProviderTransport`.

import Foundation
import TextBackConfig
import TextBackCore

public struct TelnyxCarrier: Carrier {
    public let name = "telnyx"
    let apiKey: CarrierSettings.Secret
    let baseURL: String
    let transport: any ProviderTransport
    let timeout: Duration

    public init(settings: CarrierSettings.Telnyx, transport: any ProviderTransport, timeout: Duration = .seconds(10)) {
        self.apiKey = settings.apiKey
        self.baseURL = settings.baseURL?.absoluteString ?? TelnyxRequest.productionBaseURL
        self.transport = transport
        self.timeout = timeout
    }

    public func submit(_ sms: OutgoingSMS, now: Date) async throws(CarrierFailure) -> CarrierReceipt {
        let response: ProviderResponse
        do {
            response = try await transport.perform(TelnyxRequest.send(sms, apiKey: apiKey.reveal()), baseURL: baseURL, timeout: timeout)
        } catch {
            throw FailureClassification.failure(error)
        }
        guard response.isSuccess else { throw Self.failure(response, now: now) }
        guard let receipt = Self.receipt(response.body, now: now) else {
            throw .ambiguous(reason: "Telnyx accepted the request (HTTP \(response.status)) but its answer named no message")
        }
        return receipt
    }

    public func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        do { return try await submit(sms, now: now) } catch { throw error.carrierError }
    }

    /// Telnyx has no lookup by our key: `reconcile(_:)` needs the Telnyx id.
    public func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? { nil }

    /// Telnyx can only be asked about a message by its id (a message detail record); texts cannot be
    /// searched by number or body. Without the id the answer is `.cannotTell`.
    public func reconcile(_ query: ReconciliationQuery) async -> Reconciliation {
        guard let id = query.carrierMessageID else {
            return .cannotTell(reason: "Telnyx can only look a text up by its Telnyx id, which the lost answer would have carried")
        }
        let response: ProviderResponse
        do {
            response = try await transport.perform(TelnyxRequest.message(id: id, apiKey: apiKey.reveal()), baseURL: baseURL, timeout: timeout)
        } catch {
            return .cannotTell(reason: "Telnyx could not be asked: \(error)")
        }
        if response.status == 404 { return .notFound }
        guard response.isSuccess, let receipt = Self.receipt(response.body, now: query.now) else {
            return .cannotTell(reason: "Telnyx's message record could not be read (HTTP \(response.status))")
        }
        return .accepted(receipt)
    }

    static func receipt(_ body: Data, now: Date) -> CarrierReceipt? {
        guard let data = JSON.object(body)?["data"] as? [String: Any], let id = JSON.string(data["id"]) else { return nil }
        let recipients = data["to"] as? [[String: Any]] ?? []
        return CarrierReceipt(
            carrierMessageID: id, acceptedAt: JSON.date(data["received_at"]) ?? JSON.date(data["created_at"]) ?? now,
            carrierStatus: JSON.string(recipients.first?["status"]), segments: JSON.int(data["parts"]))
    }

    static func failure(_ response: ProviderResponse, now: Date) -> CarrierFailure {
        let errors = JSON.object(response.body)?["errors"] as? [[String: Any]] ?? []
        let detail = JSON.string(errors.first?["code"]).map { TelnyxErrorCode(code: $0).detail() }
        return FailureClassification.failure(
            status: response.status, detail: detail, retryAfter: RetryAfter.parse(response.header("Retry-After"), now: now),
            carrier: "telnyx", requestID: response.header("X-Request-Id"))
    }
}

/// Telnyx Number Lookup with carrier data.
public struct TelnyxLookupClient: LineTypeLookup {
    let apiKey: CarrierSettings.Secret
    let baseURL: String
    let transport: any ProviderTransport
    let timeout: Duration

    public init(settings: CarrierSettings.Telnyx, transport: any ProviderTransport, timeout: Duration = .seconds(10)) {
        self.apiKey = settings.apiKey
        self.baseURL = settings.baseURL?.absoluteString ?? TelnyxRequest.productionBaseURL
        self.transport = transport
        self.timeout = timeout
    }

    public func lineType(of number: PhoneNumber, now: Date) async throws(CarrierFailure) -> LineType {
        let response: ProviderResponse
        do {
            response = try await transport.perform(TelnyxRequest.numberLookup(number, apiKey: apiKey.reveal()), baseURL: baseURL, timeout: timeout)
        } catch {
            throw FailureClassification.failure(error)
        }
        guard response.isSuccess else { throw TelnyxCarrier.failure(response, now: now) }
        guard let data = JSON.object(response.body)?["data"] as? [String: Any] else {
            throw .unknown(reason: "Telnyx Number Lookup's answer has no data")
        }
        let carrierType = JSON.string((data["carrier"] as? [String: Any])?["type"])
        let portabilityType = JSON.string((data["portability"] as? [String: Any])?["line_type"])
        let fromCarrier = Self.lineType(carrierType)
        return fromCarrier != .unknown ? fromCarrier : Self.lineType(portabilityType)
    }

    /// carrier.type: "mobile", "fixed line", "voip", "fixed line or mobile", "toll free", ...;
    /// portability.line_type uses "wireless" and "landline" as well.
    static func lineType(_ word: String?) -> LineType {
        switch word?.lowercased() {
        case "mobile"?, "wireless"?: .mobile
        case "fixed line"?, "landline"?: .landline
        case "voip"?: .voip
        default: .unknown
        }
    }
}
