// CRM logging end to end: a missed call, its text and a reply through the real router, engine and SQLite
// file on the virtual clock, delivered from the durable outbox to local fakes of HubSpot and Salesforce
// and to a signed webhook receiver. Each test checks the exact requests (method, path, headers, JSON),
// and that an outage is retried until nothing is lost while a refusal is given up with its reason.

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackServer
import TextBackStorage

private let crmToken = "pat-test-crm-0123"

private func secret(_ name: String, _ value: String) -> CarrierSettings.Secret {
    CarrierSettings.Secret(environmentVariable: name, value: value)
}

private func configuration(_ crm: CRMSettings) throws -> TextBackConfiguration {
    var configuration = try ConfigurationLoader.demo()
    configuration.integrations.crm = crm
    return configuration
}

/// The request's JSON body equals `expected`: both written back with sorted keys, then compared.
private func json(_ request: RecordedRequest, equals expected: [String: Any]) -> Bool {
    func canonical(_ object: Any) -> Data? { try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }
    guard let object = request.jsonObject(), let got = canonical(object) else { return false }
    return got == canonical(expected)
}

@Suite struct CRMTests {
    @Test func hubSpotGetsTheContactTheCommunicationAndTheContactProperties() async throws {
        try await FakeHubSpot.run(token: crmToken) { hubspot in
            let harness = try await Harness(configuration: configuration(CRMSettings(hubspot: .init(
                token: secret("HUBSPOT_TOKEN", crmToken), baseURL: hubspot.baseURL))), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)

                let requests = hubspot.requests
                #expect(requests.map { "\($0.method) \($0.path)" } == [
                    // The automation's update_contact step, written with the step.
                    "POST /crm/v3/objects/contacts/search", "POST /crm/v3/objects/contacts", "PATCH /crm/v3/objects/contacts/contact1001",
                    // The text the carrier accepted.
                    "POST /crm/v3/objects/contacts/search", "POST /crm/v3/objects/communications",
                    "PATCH /crm/v3/objects/contacts/contact1001",
                ])
                #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer \(crmToken)" && $0.header("Content-Type") == "application/json" })
                let search: [String: Any] = [
                    "filterGroups": [["filters": [["propertyName": "phone", "operator": "EQ", "value": dana]]]],
                    "properties": ["phone"], "limit": 1,
                ]
                #expect(json(requests[0], equals: search))
                #expect(json(requests[1], equals: ["properties": ["phone": dana, "firstname": "Dana", "lastname": "Reyes"]]))
                let contact = try #require(try await harness.store.contact(phone: PhoneNumber(parsing: dana), business: .default))
                let stamped = try #require(contact.attributes["last_missed_call_sms_at"])
                #expect(json(requests[2], equals: ["properties": ["last_missed_call_sms_at": stamped]]))
                #expect(json(requests[3], equals: search))
                let message = try #require(try await harness.store.messages(scope: .all, limit: 10, after: nil).items.first { $0.direction == .outbound })
                let sentAt = ISO8601Timestamp.format(try #require(message.sentAt))
                #expect(json(requests[4], equals: [
                    "properties": ["hs_communication_channel_type": "SMS", "hs_communication_logged_from": "CRM",
                                   "hs_communication_body": message.body, "hs_timestamp": sentAt],
                    "associations": [["to": ["id": "contact1001"],
                                      "types": [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 81]]]],
                ]))
                #expect(json(requests[5], equals: ["properties": ["last_missed_call_sms_at": sentAt]]))
                #expect(hubspot.contacts.count == 1)
                #expect(hubspot.contacts.first?.properties["last_missed_call_sms_at"] == sentAt)

                // A reply is logged too, to the contact found this time; it sets no property.
                try await client.reply("who is this?")
                try await harness.advance(0)
                let inbound = try #require(hubspot.communications.last)
                #expect(inbound.properties["hs_communication_body"] == "who is this?")
                #expect(inbound.properties["associated_contact"] == "contact1001")
                #expect(hubspot.contacts.count == 1)
                let entries = try await harness.store.crmEntries(limit: 10)
                #expect(entries.count >= 3)
                #expect(entries.allSatisfy { $0.status == .delivered && $0.provider == "hubspot" })
                #expect(hubspot.communications.count == entries.filter { $0.kind == .message }.count)
            }
        }
    }

    @Test func anOutageIsRetriedWithBackoffAndLosesNothing() async throws {
        try await FakeHubSpot.run(token: crmToken) { hubspot in
            hubspot.script(.serverError, .rateLimited(retryAfterSeconds: 120), for: .query)
            let harness = try await Harness(configuration: configuration(CRMSettings(hubspot: .init(
                token: secret("HUBSPOT_TOKEN", crmToken), baseURL: hubspot.baseURL))), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                var entries = try await harness.store.crmEntries(limit: 10)
                #expect(entries.map(\.status) == [.pending, .pending])
                #expect(entries[0].lastError == "HubSpot answered HTTP 500 (INTERNAL_ERROR) to the contact search")
                #expect(entries[1].lastError == "HubSpot answered HTTP 429 (INTERNAL_ERROR) to the contact search")
                #expect(hubspot.requests.count == 2)

                // The 500 is tried again after 30 s, the 429 not before its Retry-After.
                try await harness.advance(20)
                #expect(hubspot.requests.count == 2)
                try await harness.advance(15)
                entries = try await harness.store.crmEntries(limit: 10)
                #expect(entries.map(\.status) == [.delivered, .pending])
                #expect(hubspot.communications.isEmpty)
                try await harness.advance(90)
                entries = try await harness.store.crmEntries(limit: 10)
                #expect(entries.map(\.status) == [.delivered, .delivered])
                #expect(entries.map(\.attempts) == [2, 2])
                #expect(hubspot.contacts.count == 1)
                #expect(hubspot.communications.count == 1)

                try await harness.advance(3600)
                #expect(hubspot.communications.count == 1, "a delivered entry is not sent again")
            }
        }
    }

    @Test func aRefusalIsGivenUpWithItsReasonAndAStepThatSucceededIsNotRepeated() async throws {
        try await FakeHubSpot.run(token: crmToken) { hubspot in
            hubspot.addContact(phone: dana)
            // The contact update's PATCH succeeds; the communication fails twice, then is refused.
            hubspot.script(.success, .serverError, .refuse(code: "VALIDATION_ERROR"))
            let harness = try await Harness(configuration: configuration(CRMSettings(hubspot: .init(
                token: secret("HUBSPOT_TOKEN", crmToken), baseURL: hubspot.baseURL))), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                try await harness.advance(31)

                let entries = try await harness.store.crmEntries(limit: 10)
                #expect(entries.map(\.status) == [.delivered, .failed])
                #expect(entries[1].lastError == "HubSpot answered HTTP 400 (INTERNAL_ERROR) to the communication")
                #expect(entries[1].progress == ["contact_id": "contact1001"])
                // The retry started after the search that had succeeded.
                #expect(hubspot.requests.filter { $0.path.hasSuffix("/search") }.count == 2)
                let count = hubspot.requests.count
                try await harness.advance(7200)
                #expect(hubspot.requests.count == count, "a 4xx is not retried")
            }
        }
    }

    @Test func salesforceGetsATaskForTheLeadFoundByPhoneAndItsFieldsUpdated() async throws {
        try await FakeSalesforce.run(token: crmToken, version: "61.0") { salesforce in
            salesforce.addPerson("Lead", id: "00Q5e000001AbCd", phone: dana)
            let harness = try await Harness(configuration: configuration(CRMSettings(salesforce: .init(
                token: secret("SALESFORCE_TOKEN", crmToken), instanceURL: salesforce.baseURL, apiVersion: "61.0"))),
                transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)

                let requests = salesforce.requests
                #expect(requests.map { "\($0.method) \($0.path)" } == [
                    "GET /services/data/v61.0/query", "GET /services/data/v61.0/query", "PATCH /services/data/v61.0/sobjects/Lead/00Q5e000001AbCd",
                    "GET /services/data/v61.0/query", "GET /services/data/v61.0/query", "POST /services/data/v61.0/sobjects/Task",
                ])
                #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer \(crmToken)" })
                #expect(requests[0].query["q"] == "SELECT Id FROM Contact WHERE (Phone = '\(dana)' OR MobilePhone = '\(dana)') ORDER BY LastModifiedDate DESC LIMIT 1")
                #expect(requests[1].query["q"] == "SELECT Id FROM Lead WHERE (Phone = '\(dana)' OR MobilePhone = '\(dana)') AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 1")
                let contact = try #require(try await harness.store.contact(phone: PhoneNumber(parsing: dana), business: .default))
                #expect(json(requests[2], equals: ["last_missed_call_sms_at": try #require(contact.attributes["last_missed_call_sms_at"])]))
                let message = try #require(try await harness.store.messages(scope: .all, limit: 10, after: nil).items.first { $0.direction == .outbound })
                // 18:00 UTC is noon in the demo business's zone: the same day.
                #expect(json(requests[5], equals: ["WhoId": "00Q5e000001AbCd", "Subject": "Text message sent", "Description": message.body,
                                                   "Status": "Completed", "ActivityDate": "2026-03-03"]))
                #expect(salesforce.records("Task").count == 1)
                #expect(try await harness.store.crmEntries(limit: 10).map(\.status) == [.delivered, .delivered])
            }
        }
    }

    @Test func salesforceWithoutAMatchLogsTheTextAloneAndGivesUpTheUpdate() async throws {
        try await FakeSalesforce.run(token: crmToken) { salesforce in
            let harness = try await Harness(configuration: configuration(CRMSettings(salesforce: .init(
                token: secret("SALESFORCE_TOKEN", crmToken), instanceURL: salesforce.baseURL))), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                let entries = try await harness.store.crmEntries(limit: 10)
                #expect(entries.map(\.status) == [.failed, .delivered])
                #expect(entries[0].lastError == "no Salesforce Contact or Lead has this contact's phone number")
                let task = try #require(salesforce.records("Task").first)
                #expect(task.fields["WhoId"] == nil)
                #expect(task.fields["Subject"] == "Text message sent")
            }
        }
    }

    @Test func theWebhookIsSignedAndCarriesEachEvent() async throws {
        let receiver = WebhookReceiver(failFirst: 0)
        let key = "crm-whsec-0123456789"
        try await receiver.run { url in
            let harness = try await Harness(configuration: configuration(CRMSettings(webhook: .init(
                url: url, secret: secret("TEXTBACK_CRM_WEBHOOK_SECRET", key)))), transport: HTTPClientTransport.shared)
            try await harness.test { client in
                try await missedCallTexted(harness, client)
                let received = receiver.received.withLock { $0 }
                #expect(received.count == 2)
                let entries = try await harness.store.crmEntries(limit: 10)
                for (delivery, entry) in zip(received, entries) {
                    let header = try #require(delivery.signature)
                    #expect(SignedWebhook.verify(header: header, secret: key, body: delivery.body, now: harness.clock.now()))
                    #expect(!SignedWebhook.verify(header: header, secret: "another", body: delivery.body, now: harness.clock.now()))
                    let body = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any])
                    #expect(body["id"] as? String == entry.id)
                    #expect(body["phone"] as? String == dana)
                    #expect(body["contact_name"] as? String == "Dana Reyes")
                }
                let first = try #require(try JSONSerialization.jsonObject(with: Data(received[0].body.utf8)) as? [String: Any])
                #expect(first["event"] as? String == "contact.updated")
                #expect((first["properties"] as? [String: String])?.keys.sorted() == ["last_missed_call_sms_at"])
                #expect(first["message"] is NSNull)
                let second = try #require(try JSONSerialization.jsonObject(with: Data(received[1].body.utf8)) as? [String: Any])
                #expect(second["event"] as? String == "message.sent")
                #expect(second["number"] as? String == acme)
                let message = try #require(second["message"] as? [String: Any])
                #expect(message["direction"] as? String == "outbound")
                #expect(message["automated"] as? Bool == true)
                #expect(message["body"] as? String == (try await client.bodies(to: dana).first))
            }
        }
    }

    @Test func prometheusCountsCRMAttemptsPendingEntriesAndOptOutCancellations() async throws {
        let receiver = WebhookReceiver(failFirst: 1)
        try await receiver.run { url in
            let harness = try await Harness()
            let (engine, router) = try PrometheusTests.metered(harness, configuration: try configuration(CRMSettings(webhook: .init(
                url: url, secret: secret("TEXTBACK_CRM_WEBHOOK_SECRET", "k-0123456789")))), transport: HTTPClientTransport.shared)
            try await Application(router: router).test(.router) { client in
                #expect(try await client.postCall(callEvent()).status == .accepted)
                try await engine.runDueJobs()
                harness.clock.advance(120)
                try await engine.runDueJobs()
                var lines = PrometheusTests.lines(try await client.call("/metrics", auth: false).body)
                #expect(lines.contains(#"textback_crm_deliveries_total{provider="webhook",result="retry"} 1"#), "\(lines.sorted())")
                #expect(lines.contains(#"textback_crm_deliveries_total{provider="webhook",result="delivered"} 1"#))
                #expect(lines.contains("textback_crm_pending 1.0"))

                harness.clock.advance(30)
                try await engine.runDueJobs()
                // A second caller whose run is waiting on its delay opts out: the run's cancellation is counted.
                #expect(try await client.postCall(callEvent(id: "c-2", at: harness.clock.now(), contact: "+14155550177")).status == .accepted)
                try await engine.runDueJobs()
                let stop = try await client.call("/v1/simulator/inbound", .post, json: ["from": "+14155550177", "to": acme, "body": "STOP"])
                #expect(stop.status == .accepted)
                let scrape = try await client.call("/metrics", auth: false).body
                lines = PrometheusTests.lines(scrape)
                #expect(lines.contains(#"textback_crm_deliveries_total{provider="webhook",result="delivered"} 2"#), "\(lines.sorted())")
                #expect(lines.contains(#"textback_decisions_total{action="cancel",reason="opted_out"} 1"#))
                // The inbound STOP waits in the outbox for the next sweep.
                #expect(lines.contains("textback_crm_pending 1.0"))
                #expect(!scrape.contains("555"), "a phone number reached a label")
            }
        }
    }
}
