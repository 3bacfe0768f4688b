// The Bandwidth carrier over a `ProviderTransport`.

import Foundation
import TextBackConfig
import TextBackCore

public struct BandwidthCarrier: Carrier {
    public let name = "bandwidth"
    let accountID: String
    let applicationID: String?
    let username: String
    let password: CarrierSettings.Secret
    let baseURL: String
    let transport: any ProviderTransport
    let timeout: Duration

    /// The search window around an ambiguous attempt: our clock and Bandwidth's may disagree a little.
    static let reconciliationSlack: TimeInterval = 5 * 60
    static let reconciliationLimit = 100

    public init(settings: CarrierSettings.Bandwidth, transport: any ProviderTransport, timeout: Duration = .seconds(10)) {
        self.accountID = settings.accountID
        self.applicationID = settings.applicationID
        self.username = settings.username
        self.password = settings.password
        self.baseURL = settings.baseURL?.absoluteString ?? BandwidthRequest.productionBaseURL
        self.transport = transport
        self.timeout = timeout
    }

    public func submit(_ sms: OutgoingSMS, now: Date) async throws(CarrierFailure) -> CarrierReceipt {
        guard let applicationID else {
            throw .permanent(CarrierErrorDetail(
                carrier: name, code: "configuration", meaning: "carriers.bandwidth.application_id is not set", errorClass: .permanent))
        }
        let request = BandwidthRequest.send(sms, accountID: accountID, applicationID: applicationID,
                                            username: username, password: password.reveal())
        let response: ProviderResponse
        do {
            response = try await transport.perform(request, baseURL: baseURL, timeout: timeout)
        } catch {
            throw FailureClassification.failure(error)
        }
        guard response.isSuccess else { throw Self.failure(response, now: now) }
        guard let object = JSON.object(response.body), let id = JSON.string(object["id"]) else {
            throw .ambiguous(reason: "Bandwidth accepted the request (HTTP \(response.status)) but its answer named no message")
        }
        return CarrierReceipt(carrierMessageID: id, acceptedAt: JSON.date(object["time"]) ?? now,
                              carrierStatus: "accepted", segments: JSON.int(object["segmentCount"]))
    }

    public func send(_ sms: OutgoingSMS, now: Date) async throws(CarrierError) -> CarrierReceipt {
        do { return try await submit(sms, now: now) } catch { throw error.carrierError }
    }

    /// Bandwidth has no lookup by our key: see `reconcile(_:)`.
    public func lookup(idempotencyKey: String) async throws(CarrierError) -> CarrierReceipt? { nil }

    /// Bandwidth's message list can be filtered by numbers, direction and time, but not by `tag`, and
    /// it keeps no message text, only its length. So: the outbound texts between the two numbers from
    /// shortly before the attempt until now. One whose length matches ours (or that has no length) is
    /// taken as ours; texts that are all of another length leave the question open; an empty,
    /// complete answer is `.notFound`.
    public func reconcile(_ query: ReconciliationQuery) async -> Reconciliation {
        let request = BandwidthRequest.listMessages(
            from: query.sms.from, to: query.sms.to,
            between: query.attemptedAt.addingTimeInterval(-Self.reconciliationSlack),
            and: query.now.addingTimeInterval(Self.reconciliationSlack), limit: Self.reconciliationLimit,
            accountID: accountID, username: username, password: password.reveal())
        let response: ProviderResponse
        do {
            response = try await transport.perform(request, baseURL: baseURL, timeout: timeout)
        } catch {
            return .cannotTell(reason: "Bandwidth could not be asked: \(error)")
        }
        guard response.isSuccess, let object = JSON.object(response.body) else {
            return .cannotTell(reason: "Bandwidth's message list could not be read (HTTP \(response.status))")
        }
        let messages = object["messages"] as? [[String: Any]] ?? []
        let lengths = Set([query.sms.body.count, query.sms.body.utf16.count, query.sms.body.unicodeScalars.count,
                           query.sms.body.utf8.count])
        for message in messages where JSON.string(message["messageDirection"])?.uppercased() != "INBOUND" {
            guard let id = JSON.string(message["messageId"]) else { continue }
            if let length = JSON.int(message["messageLength"]), !lengths.contains(length) { continue }
            return .accepted(CarrierReceipt(
                carrierMessageID: id, acceptedAt: JSON.date(message["receiveTime"]) ?? query.now,
                carrierStatus: JSON.string(message["messageStatus"]), segments: JSON.int(message["segmentCount"])))
        }
        if !messages.isEmpty {
            return .cannotTell(reason: "Bandwidth lists other texts to this number in that window, none of this text's length")
        }
        let pageInfo = object["pageInfo"] as? [String: Any]
        if let next = JSON.string(pageInfo?["nextPageToken"]) ?? JSON.string(pageInfo?["nextPage"]), !next.isEmpty {
            return .cannotTell(reason: "Bandwidth's list continues on another page")
        }
        return .notFound
    }

    static func failure(_ response: ProviderResponse, now: Date) -> CarrierFailure {
        let object = JSON.object(response.body)
        let fields = (object?["fieldErrors"] as? [[String: Any]] ?? []).compactMap { JSON.string($0["fieldName"]) }
        let requestID = response.header("X-Request-Id") ?? response.header("X-Bandwidth-Request-Id")
        let detail = object.map { BandwidthAPIError.detail(type: JSON.string($0["type"]), fields: fields,
                                                           status: response.status, requestID: requestID) }
        return FailureClassification.failure(
            status: response.status, detail: detail, retryAfter: RetryAfter.parse(response.header("Retry-After"), now: now),
            carrier: "bandwidth", requestID: requestID)
    }
}
