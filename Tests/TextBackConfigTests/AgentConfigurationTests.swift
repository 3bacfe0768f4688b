// agent: — the settings a file gives the conversation agent, per-number overrides, staff
// notifications, and each mistake with its file:line:column.

import Foundation
import Testing
import TextBackConfig
import TextBackCore

struct AgentConfigurationTests {
    typealias F = ConfigFixtures

    static let agent = #"""
        agent:
          enabled: true
          max_replies_per_day: 2
          callback_window: 90m
          callback_hours: {weekdays: "09:00-17:00"}
          templates: {callback_now: "On it! {Company} calls you shortly."}
          notify:
            sms: ["+15125550199"]
            webhook: {url: "https://crm.example.com/hooks/textback", secret: env:HOOK_SECRET}
          numbers:
            "+15125550100": {enabled: false}
        """#

    @Test func theSectionIsReadWithItsDefaultsAndOverrides() throws {
        let configuration = try ConfigurationLoader.load(yaml: F.minimal + "\n" + Self.agent, fileName: "textback.yaml",
                                                         environment: ["HOOK_SECRET": "s3cret"])
        let agent = configuration.agent
        #expect(agent.settings.enabled)
        #expect(agent.settings.maxRepliesPerDay == 2)
        #expect(agent.settings.callbackWindow == TimeSpan(seconds: 5400))
        #expect(agent.settings.callbackHours.days[.monday]?.first?.description == "09:00–17:00"
            || agent.settings.callbackHours.days[.monday]?.count == 1)
        #expect(agent.settings.callbackHours.days[.saturday] == nil)
        #expect(agent.settings.english.callbackNow == "On it! {Company} calls you shortly.")
        #expect(agent.settings.english.close == AgentTemplates.english.close)
        #expect(agent.staffNumbers == [PhoneNumber(trustedE164: "+15125550199")])
        #expect(agent.webhook?.url.absoluteString == "https://crm.example.com/hooks/textback")
        #expect(agent.webhook?.secret.reveal() == "s3cret")
        #expect("\(agent.webhook?.secret as Any)".contains("s3cret") == false)
        let number = PhoneNumber(trustedE164: "+15125550100")
        #expect(agent.settings(for: number).enabled == false)
        #expect(agent.settings(for: number).maxRepliesPerDay == 2)
        #expect(agent.settings(for: PhoneNumber(trustedE164: "+15125550101")).enabled)
    }

    @Test func withoutTheSectionTheAgentIsOff() throws {
        let configuration = try ConfigurationLoader.load(yaml: F.minimal, fileName: "textback.yaml", environment: [:])
        #expect(configuration.agent.settings.enabled == false)
        #expect(configuration.agent.staffNumbers.isEmpty)
    }

    @Test func theDemoHasTheAgentOn() throws {
        let demo = try ConfigurationLoader.demo()
        #expect(demo.agent.settings.enabled)
        #expect(demo.agent.settings.spanish != nil)
    }

    @Test(arguments: [
        ("agent:\n  enabled: maybe", "textback.yaml:18:12: error: agent.enabled must be true or false"),
        ("agent:\n  max_replies_per_day: -1", "textback.yaml:18:24: error: agent.max_replies_per_day must be a whole number, 0 or more"),
        ("agent:\n  notify: {webhook: {url: \"ftp://x\", secret: env:HOOK_SECRET}}",
         "textback.yaml:18:27: error: agent.notify.webhook.url must be an http(s) URL, e.g. https://crm.example.com/hooks/textback"),
        ("agent:\n  notify: {webhook: {url: \"https://x.example\", secret: plain}}",
         "textback.yaml:18:56: error: agent.notify.webhook.secret must not be written in the file; write secrets as env:NAME (e.g. env:TEXTBACK_WEBHOOK_SECRET) and set NAME in the environment"),
        ("agent:\n  notify: {sms: [\"12\"]}", "textback.yaml:18:18: error: agent.notify.sms[0] is not a valid phone number"),
    ])
    func mistakesNameTheKeyAndThePlace(section: String, expected: String) {
        let errors = F.errors(F.minimal + "\n" + section, environment: ["HOOK_SECRET": "x"])
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(expected) == true, "\(errors)")
    }
}

struct LanguageModelConfigurationTests {
    @Test func theModelIsReadWithItsKeyFromTheEnvironment() throws {
        let yaml = ConfigFixtures.minimal + "\nagent:\n  enabled: true\n  llm: {base_url: \"http://127.0.0.1:11434/v1\", model: llama3, api_key: env:LLM_KEY, timeout: 3s}"
        let configuration = try ConfigurationLoader.load(yaml: yaml, fileName: "t.yaml", environment: ["LLM_KEY": "k"])
        let model = try #require(configuration.agent.languageModel)
        #expect(model.baseURL.absoluteString == "http://127.0.0.1:11434/v1")
        #expect(model.model == "llama3")
        #expect(model.apiKey?.reveal() == "k")
        #expect(model.timeout == TimeSpan(seconds: 3))
        #expect(try ConfigurationLoader.load(yaml: ConfigFixtures.minimal, fileName: "t.yaml", environment: [:]).agent.languageModel == nil)
    }

    @Test func aModelWithoutItsNameIsRefused() {
        let errors = ConfigFixtures.errors(ConfigFixtures.minimal + "\nagent:\n  llm: {base_url: \"https://api.openai.com/v1\"}")
        #expect(errors == ["textback.yaml:18:3: error: agent.llm.model is required, e.g. model: gpt-4o-mini"])
    }
}
