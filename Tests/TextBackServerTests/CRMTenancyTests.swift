// CRM logging with several businesses in one install: each business's entries carry its business and go
// to its own CRM (one to a signed webhook, the other to HubSpot), never to the other's, over one SQLite
// file and one claim loop on the virtual clock.

import Foundation
import Testing
import TextBackCarrierFakes
import TextBackConfig
import TextBackCore
import TextBackEngine
import TextBackProviders
import TextBackStorage

@Suite struct CRMTenancyTests {
    @Test func eachBusinessLogsToItsOwnCRM() async throws {
        let receiver = WebhookReceiver(failFirst: 0)
        try await receiver.run { url in
            try await FakeHubSpot.run(token: "pat-bolt") { hubspot in
                var acme = try ConfigurationLoader.demo()
                acme.business.id = BusinessID("acme")
                acme.integrations.crm = CRMSettings(webhook: .init(url: url, secret: CarrierSettings.Secret(environmentVariable: "ACME_CRM", value: "k-acme-0123")))
                var bolt = try ConfigurationLoader.demo()
                bolt.business.id = BusinessID("bolt")
                bolt.business.name = "Bolt Insurance"
                bolt.numbers[0].number = PhoneNumber(trustedE164: "+15125550200")
                bolt.integrations.crm = CRMSettings(hubspot: .init(token: CarrierSettings.Secret(environmentVariable: "BOLT_CRM", value: "pat-bolt"),
                                                                   baseURL: hubspot.baseURL))
                let harness = try await Harness()
                let ids = sequentialIDs()
                let tenants = Tenants(engines: [acme, bolt].map { configuration in
                    Engine(store: harness.store, configuration: configuration, clock: harness.clock, ids: ids,
                           carriers: [SimulatorCarrier(outbox: harness.store, ids: ids)], workerID: "test#1",
                           transport: HTTPClientTransport.shared)
                })
                for (business, number) in [("acme", "+15125550100"), ("bolt", "+15125550200")] {
                    let engine = try #require(tenants.engine(for: BusinessID(business)))
                    _ = try await engine.ingest(CallEvent(provider: "native", providerCallID: "c-\(business)", occurredAt: harness.clock.now(),
                                                          direction: .inbound, outcome: .noAnswer, from: try PhoneNumber(parsing: dana),
                                                          to: try PhoneNumber(parsing: number), contact: ContactHint(name: "Dana Reyes")))
                }
                try await tenants.runDueJobs()
                harness.clock.advance(120)
                try await tenants.runDueJobs()

                let entries = try await harness.store.crmEntries(limit: 10)
                #expect(entries.count == 4)
                #expect(entries.allSatisfy { $0.status == .delivered })
                #expect(Set(entries.filter { $0.business == BusinessID("acme") }.map(\.provider)) == ["webhook"])
                #expect(Set(entries.filter { $0.business == BusinessID("bolt") }.map(\.provider)) == ["hubspot"])

                let delivered = receiver.received.withLock { $0 }
                #expect(delivered.count == 2)
                let acmeText = try #require(delivered.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] }
                    .first { $0["event"] as? String == "message.sent" })
                #expect(acmeText["number"] as? String == "+15125550100")
                #expect(hubspot.communications.count == 1)
                #expect(hubspot.communications.first?.properties["hs_communication_body"]?.contains("Bolt Insurance") == true)
                let acmeBody = (acmeText["message"] as? [String: Any])?["body"] as? String
                #expect(acmeBody?.contains("Acme Home Services") == true)
            }
        }
    }

    @Test func anEntryOfABusinessNoLongerConfiguredIsGivenUpNotSentElsewhere() async throws {
        try await FakeHubSpot.run(token: "pat-crm") { hubspot in
            let crm = CRMSettings(hubspot: .init(token: CarrierSettings.Secret(environmentVariable: "CRM_TOKEN", value: "pat-crm"),
                                                 baseURL: hubspot.baseURL))
            var acme = try ConfigurationLoader.demo()
            acme.business.id = BusinessID("acme")
            acme.integrations.crm = crm
            var bolt = acme
            bolt.business.id = BusinessID("bolt")
            bolt.numbers[0].number = PhoneNumber(trustedE164: "+15125550200")
            let harness = try await Harness()
            let ids = sequentialIDs()
            let engines = [acme, bolt].map { configuration in
                Engine(store: harness.store, configuration: configuration, clock: harness.clock, ids: ids,
                       carriers: [SimulatorCarrier(outbox: harness.store, ids: ids)], workerID: "test#1", transport: HTTPClientTransport.shared)
            }
            _ = try await engines[1].receive(InboundText(from: try PhoneNumber(parsing: dana), to: PhoneNumber(trustedE164: "+15125550200"),
                                                         body: "hello", carrier: "simulator", carrierMessageID: "SM-in-1"))

            // A reload removed Bolt: Acme's engine alone sweeps, and Acme's CRM must not get Bolt's log.
            try await Tenants(engines: [engines[0]]).runDueJobs()

            let entry = try #require(try await harness.store.crmEntries(limit: 10).first)
            #expect(entry.business == BusinessID("bolt"))
            #expect(entry.status == .failed)
            #expect(entry.lastError == "its business is no longer configured on this server")
            #expect(hubspot.requests.isEmpty)
        }
    }
}
