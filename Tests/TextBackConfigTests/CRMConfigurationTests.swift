// integrations.crm: — HubSpot, Salesforce and a signed webhook, their defaults, and each mistake with
// its file:line:column (a malformed section is refused whole, never half-read).

import Foundation
import Testing
import TextBackConfig
import TextBackCore

struct CRMConfigurationTests {
    typealias F = ConfigFixtures

    @Test func everyCRMIsReadWithItsDefaultsAndTokensFromTheEnvironment() throws {
        let yaml = F.minimal + "\n" + #"""
            integrations:
              crm:
                hubspot: {token: env:HUBSPOT_TOKEN}
                salesforce: {token: env:SF_TOKEN, instance_url: "https://acme.my.salesforce.com", api_version: v61.0}
                webhook: {url: "https://crm.example.com/hooks/textback", secret: env:CRM_SECRET}
            """#
        let configuration = try ConfigurationLoader.load(yaml: yaml, fileName: "textback.yaml",
                                                         environment: ["HUBSPOT_TOKEN": "pat-1", "SF_TOKEN": "00D!x", "CRM_SECRET": "s3cret"])
        let crm = configuration.integrations.crm
        #expect(crm.providers == ["hubspot", "salesforce", "webhook"])
        #expect(crm.hubspot?.token.reveal() == "pat-1")
        #expect(crm.hubspot?.baseURL.absoluteString == "https://api.hubapi.com")
        #expect(crm.salesforce?.instanceURL.absoluteString == "https://acme.my.salesforce.com")
        #expect(crm.salesforce?.apiVersion == "61.0")
        #expect(crm.webhook?.secret.reveal() == "s3cret")
        #expect("\(crm)".contains("pat-1") == false, "a token never prints")
    }

    @Test func withoutTheSectionNothingIsLogged() throws {
        let configuration = try ConfigurationLoader.load(yaml: F.minimal, fileName: "textback.yaml", environment: [:])
        #expect(configuration.integrations.crm.providers.isEmpty)
    }

    @Test(arguments: [
        ("    hubspot: {token: plain}",
         "textback.yaml:19:22: error: integrations.crm.hubspot.token must not be written in the file; write secrets as env:NAME (e.g. env:HUBSPOT_TOKEN) and set NAME in the environment"),
        ("    hubspot: {token: env:MISSING_TOKEN}",
         "textback.yaml:19:22: error: environment variable MISSING_TOKEN is not set; integrations.crm.hubspot.token needs it"),
        ("    hubspot: {token: env:SF, base_url: \"api.hubapi.com\"}",
         "textback.yaml:19:40: error: integrations.crm.hubspot.base_url must be an http(s) URL, e.g. https://api.hubapi.com"),
        ("    salesforce: {token: env:SF}",
         "textback.yaml:19:5: error: integrations.crm.salesforce.instance_url is required, e.g. instance_url: https://example.my.salesforce.com"),
        ("    salesforce: {token: env:SF, instance_url: \"https://x.my.salesforce.com\", api_version: \"sixty\"}",
         "textback.yaml:19:91: error: integrations.crm.salesforce.api_version must be a REST API version such as \"62.0\""),
        ("    webhook: {url: \"https://crm.example.com/hook\"}",
         "textback.yaml:19:5: error: integrations.crm.webhook.secret is required, e.g. secret: env:TEXTBACK_CRM_WEBHOOK_SECRET"),
        ("    hubspt: {token: env:SF}",
         "textback.yaml:19:5: error: unknown key 'hubspt' in integrations.crm; did you mean 'hubspot'? allowed: hubspot, salesforce, webhook"),
    ])
    func mistakesNameTheKeyAndThePlace(line: String, expected: String) {
        let errors = F.errors(F.minimal + "\nintegrations:\n  crm:\n" + line, environment: ["SF": "x"])
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(expected) == true, "\(errors)")
    }
}
