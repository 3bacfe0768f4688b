// Logging to a CRM: what one outbox entry says happened (`CRMActivity`), what an attempt to tell the
// CRM came to (`CRMAttempt`), and the one rule every CRM shares for classifying an HTTP answer:
// 2xx goes on; 408, 429 (with Retry-After) and 5xx, or no answer at all, are tried again later;
// any other 4xx will not get better by retrying, so the entry is given up with the reason recorded.
//
// A CRM call is not idempotent (HubSpot and Salesforce have no idempotency keys for activities), so a
// client reports which steps already succeeded (`progress`) and a retry starts after them: a timeout on
// the last step can still log an activity twice, never lose one.

import Foundation
import TextBackConfig
import TextBackCore

/// One event to log, resolved from the outbox entry and the stored message and contact.
public struct CRMActivity: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable {
        case messageSent = "message.sent"
        case messageReceived = "message.received"
        case contactUpdated = "contact.updated"
    }

    /// The outbox entry's id: stable across retries (the webhook sends it for de-duplication).
    public var entryID: String
    public var event: Event
    /// The contact's number.
    public var phone: PhoneNumber
    public var contactName: String?
    /// Our number, for texts.
    public var number: PhoneNumber?
    public var messageID: String?
    public var body: String?
    /// An automated follow-up (it sets `last_missed_call_sms_at` in HubSpot).
    public var automated: Bool
    /// Attributes an `update_contact` step set.
    public var properties: [String: String]
    public var occurredAt: Date
    /// The business's zone: a Salesforce task's ActivityDate is the business's day.
    public var zone: TimeZone

    public init(entryID: String, event: Event, phone: PhoneNumber, contactName: String? = nil, number: PhoneNumber? = nil,
                messageID: String? = nil, body: String? = nil, automated: Bool = false, properties: [String: String] = [:],
                occurredAt: Date, zone: TimeZone) {
        self.entryID = entryID; self.event = event; self.phone = phone; self.contactName = contactName; self.number = number
        self.messageID = messageID; self.body = body; self.automated = automated; self.properties = properties
        self.occurredAt = occurredAt; self.zone = zone
    }
}

/// What one attempt came to. `progress` is what the CRM already holds (ids of records found or created),
/// kept with the entry for the next attempt.
public enum CRMAttempt: Sendable, Hashable {
    case delivered(progress: [String: String])
    case retry(reason: String, retryAfter: TimeInterval?, progress: [String: String])
    case giveUp(reason: String, progress: [String: String])
}

/// A CRM TextBack logs to.
public protocol CRMClient: Sendable {
    /// `hubspot`, `salesforce` or `webhook`.
    var provider: String { get }
    func deliver(_ activity: CRMActivity, progress: [String: String], now: Date) async -> CRMAttempt
}

/// A step of a CRM conversation that stopped: try again later, or give up.
enum CRMStop: Error, Sendable, Hashable {
    case retry(reason: String, retryAfter: TimeInterval?)
    case giveUp(reason: String)

    func attempt(progress: [String: String]) -> CRMAttempt {
        switch self {
        case .retry(let reason, let after): .retry(reason: reason, retryAfter: after, progress: progress)
        case .giveUp(let reason): .giveUp(reason: reason, progress: progress)
        }
    }
}

/// Runs one request with an explicit deadline and classifies the answer. `step` names the request in
/// the reason ("the contact search"); `code` reads the CRM's own error code from a refusal body (a
/// code, never the CRM's message, which can quote the phone number).
struct CRMCall {
    static let timeout: Duration = .seconds(10)

    let transport: any ProviderTransport
    let baseURL: String
    let title: String
    let code: @Sendable (Data) -> String?

    func perform(_ request: ProviderRequest, step: String, now: Date) async throws(CRMStop) -> ProviderResponse {
        let response: ProviderResponse
        do {
            response = try await transport.perform(request, baseURL: baseURL, timeout: Self.timeout)
        } catch {
            throw .retry(reason: "\(title) did not answer \(step): \(error)", retryAfter: nil)
        }
        if response.isSuccess { return response }
        let detail = code(response.body).map { " (\($0))" } ?? ""
        let reason = "\(title) answered HTTP \(response.status)\(detail) to \(step)"
        switch response.status {
        case 408, 429, 500...599:
            let after = RetryAfter.parse(response.header("Retry-After"), now: now)
            throw .retry(reason: reason, retryAfter: after.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 })
        default:
            throw .giveUp(reason: reason)
        }
    }

    /// A JSON request with the bearer token.
    static func json(_ method: ProviderRequest.Method, _ path: String, query: [ProviderRequest.Field] = [], token: String,
                     body: [String: Any]? = nil) -> ProviderRequest {
        var headers = [ProviderRequest.Field("Authorization", "Bearer \(token)"), ProviderRequest.Field("Accept", "application/json")]
        if body != nil { headers.append(ProviderRequest.Field("Content-Type", "application/json")) }
        return ProviderRequest(method: method, path: path, query: query, headers: headers, body: body.map(JSON.encode))
    }
}

public enum CRMClients {
    /// One client per configured CRM, over `transport`.
    public static func make(_ settings: CRMSettings, transport: any ProviderTransport) -> [any CRMClient] {
        var clients: [any CRMClient] = []
        if let hubspot = settings.hubspot { clients.append(HubSpotCRM(settings: hubspot, transport: transport)) }
        if let salesforce = settings.salesforce { clients.append(SalesforceCRM(settings: salesforce, transport: transport)) }
        if let webhook = settings.webhook { clients.append(CRMWebhook(settings: webhook, transport: transport)) }
        return clients
    }
}
