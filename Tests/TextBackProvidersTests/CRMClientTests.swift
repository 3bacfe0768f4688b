// The CRM clients against the local HubSpot and Salesforce fakes: the answer table every CRM shares
// (2xx on, 408/429/5xx or no answer again later, any other 4xx given up), progress kept across a
// retry, and the fakes refusing what the real services refuse.

import Foundation
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
import TextBackProviders

struct CRMClientTests {
    static let token = "pat-crm-test"
    static let zone = TimeZone(identifier: "America/Chicago")!
    static let sent = CRMActivity(entryID: "crm_1", event: .messageSent, phone: Fixture.contact, contactName: "Dana",
                                  number: Fixture.business, messageID: "msg_1", body: Fixture.body, automated: true,
                                  occurredAt: Date(timeIntervalSince1970: 1_772_560_800), zone: zone)

    static func hubspot(_ fake: FakeHubSpot, token: String = token) -> HubSpotCRM {
        HubSpotCRM(settings: .init(token: Fixture.secret(token), baseURL: fake.baseURL), transport: Fixture.transport)
    }

    enum Outcome: Equatable { case delivered, retry(after: TimeInterval?), giveUp }

    static func outcome(_ attempt: CRMAttempt) -> Outcome {
        switch attempt {
        case .delivered: .delivered
        case .retry(_, let after, _): .retry(after: after)
        case .giveUp: .giveUp
        }
    }

    @Test(arguments: [
        (FakeReply.success, Outcome.delivered),
        (.serverError, .retry(after: nil)),
        (.rateLimited(retryAfterSeconds: 7), .retry(after: 7)),
        (.refuse(code: "VALIDATION_ERROR"), .giveUp),
    ])
    func theAnswerToTheCommunicationDecidesWhatHappensNext(reply: FakeReply, expected: Outcome) async throws {
        try await FakeHubSpot.run(token: Self.token) { fake in
            fake.addContact(phone: Fixture.contact.e164)
            fake.script(reply)
            let attempt = await Self.hubspot(fake).deliver(Self.sent, progress: [:], now: Self.sent.occurredAt)
            #expect(Self.outcome(attempt) == expected)
            if case .retry(let reason, _, let progress) = attempt {
                #expect(progress == ["contact_id": "contact1001"], "the contact found is kept for the retry")
                #expect(!reason.contains(Fixture.contact.e164) && !reason.contains("Dana"), "\(reason)")
            }
        }
    }

    @Test func aRetryCarriesOnAfterWhatAlreadySucceeded() async throws {
        try await FakeHubSpot.run(token: Self.token) { fake in
            fake.addContact(phone: Fixture.contact.e164)
            let attempt = await Self.hubspot(fake).deliver(Self.sent, progress: ["contact_id": "contact1001", "communication_id": "c-9"],
                                                           now: Self.sent.occurredAt)
            #expect(attempt == .delivered(progress: ["contact_id": "contact1001", "communication_id": "c-9"]))
            #expect(fake.requests.map { "\($0.method) \($0.path)" } == ["PATCH /crm/v3/objects/contacts/contact1001"])
            #expect(fake.communications.isEmpty)
        }
    }

    @Test func aWrongTokenIsGivenUpAndNoAnswerIsRetried() async throws {
        try await FakeHubSpot.run(token: Self.token) { fake in
            let refused = await Self.hubspot(fake, token: "wrong").deliver(Self.sent, progress: [:], now: Self.sent.occurredAt)
            #expect(refused == .giveUp(reason: "HubSpot answered HTTP 401 (INVALID_AUTHENTICATION) to the contact search", progress: [:]))
        }
        // Nothing listens on this port: the request never left, so it is tried again.
        let closed = HubSpotCRM(settings: .init(token: Fixture.secret(Self.token), baseURL: URL(string: "http://127.0.0.1:9")!),
                                transport: Fixture.transport)
        #expect(Self.outcome(await closed.deliver(Self.sent, progress: [:], now: Self.sent.occurredAt)) == .retry(after: nil))
    }

    @Test func theHubSpotFakeRefusesACommunicationWithoutItsAssociationType() async throws {
        try await FakeHubSpot.run(token: Self.token) { fake in
            let contact = fake.addContact(phone: Fixture.contact.e164)
            let request = ProviderRequest(
                method: .POST, path: "/crm/v3/objects/communications",
                headers: [.init("Authorization", "Bearer \(Self.token)"), .init("Content-Type", "application/json")],
                body: Data(#"{"properties":{"hs_communication_channel_type":"SMS","hs_communication_logged_from":"CRM","hs_timestamp":"2026-03-03T18:00:00Z"},"associations":[{"to":{"id":"\#(contact)"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]}]}"#.utf8))
            let response = try await Fixture.transport.perform(request, baseURL: fake.baseURL.absoluteString, timeout: Fixture.deadline)
            #expect(response.status == 400)
            #expect(fake.communications.isEmpty)
        }
    }

    @Test func salesforceAsksForTheContactThenTheLeadAndRemembersWhoItFound() async throws {
        try await FakeSalesforce.run(token: Self.token) { fake in
            fake.addPerson("Contact", id: "0035e00000AbCdE", phone: Fixture.contact.e164)
            let client = SalesforceCRM(settings: .init(token: Fixture.secret(Self.token), instanceURL: fake.baseURL), transport: Fixture.transport)
            fake.script(.serverError)
            let first = await client.deliver(Self.sent, progress: [:], now: Self.sent.occurredAt)
            guard case .retry(let reason, nil, let progress) = first else {
                Issue.record("expected a retry, got \(first)")
                return
            }
            #expect(reason == "Salesforce answered HTTP 500 (SERVER_UNAVAILABLE) to the task")
            #expect(progress == ["who_id": "0035e00000AbCdE", "who_type": "Contact"])
            let second = await client.deliver(Self.sent, progress: progress, now: Self.sent.occurredAt)
            guard case .delivered(let done) = second else {
                Issue.record("expected delivery, got \(second)")
                return
            }
            #expect(done["task_id"]?.isEmpty == false)
            #expect(fake.requests.filter { $0.path.hasSuffix("/query") }.count == 1, "found once, not asked again")
            #expect(fake.records("Task").first?.fields["WhoId"] == "0035e00000AbCdE")
        }
    }
}
