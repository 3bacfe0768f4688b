// integrations: — services that are not carriers. Thoughtly's call webhook carries no signature of its
// own, so the server checks a shared token; `crm:` names the CRMs TextBack logs texts and contact updates
// to (HubSpot, Salesforce, a signed webhook). Like every secret, tokens are env:NAME.

import Foundation
import TextBackCore
import Yams

public struct IntegrationSettings: Sendable, Hashable {
    public struct Thoughtly: Sendable, Hashable {
        public var webhookToken: CarrierSettings.Secret
        public init(webhookToken: CarrierSettings.Secret) { self.webhookToken = webhookToken }
    }

    public var thoughtly: Thoughtly?
    public var crm: CRMSettings
    public init(thoughtly: Thoughtly? = nil, crm: CRMSettings = CRMSettings()) { self.thoughtly = thoughtly; self.crm = crm }
}

/// Where texts and contact updates are logged. Each configured CRM gets its own outbox entry per event.
public struct CRMSettings: Sendable, Hashable {
    public struct HubSpot: Sendable, Hashable {
        public static let defaultBaseURL = URL(string: "https://api.hubapi.com")!
        /// A private app's access token (Bearer).
        public var token: CarrierSettings.Secret
        public var baseURL: URL
        public init(token: CarrierSettings.Secret, baseURL: URL = HubSpot.defaultBaseURL) { self.token = token; self.baseURL = baseURL }
    }

    public struct Salesforce: Sendable, Hashable {
        public static let defaultAPIVersion = "62.0"
        /// An OAuth access token (Bearer).
        public var token: CarrierSettings.Secret
        /// The org's instance, e.g. https://example.my.salesforce.com.
        public var instanceURL: URL
        /// "62.0": the REST paths are /services/data/v62.0/….
        public var apiVersion: String
        public init(token: CarrierSettings.Secret, instanceURL: URL, apiVersion: String = Salesforce.defaultAPIVersion) {
            self.token = token; self.instanceURL = instanceURL; self.apiVersion = apiVersion
        }
    }

    public struct Webhook: Sendable, Hashable {
        public var url: URL
        public var secret: CarrierSettings.Secret
        public init(url: URL, secret: CarrierSettings.Secret) { self.url = url; self.secret = secret }
    }

    public var hubspot: HubSpot?
    public var salesforce: Salesforce?
    public var webhook: Webhook?
    public init(hubspot: HubSpot? = nil, salesforce: Salesforce? = nil, webhook: Webhook? = nil) {
        self.hubspot = hubspot; self.salesforce = salesforce; self.webhook = webhook
    }

    /// The configured CRMs by name, in a fixed order: `hubspot`, `salesforce`, `webhook`.
    public var providers: [String] {
        (hubspot != nil ? ["hubspot"] : []) + (salesforce != nil ? ["salesforce"] : []) + (webhook != nil ? ["webhook"] : [])
    }
}

extension ConfigParser {
    func parseIntegrations(_ entry: Entry?) -> IntegrationSettings {
        var settings = IntegrationSettings()
        guard let entry, !Self.isNull(entry.value),
              let sections = fields(entry.value, at: "integrations", allowed: ["thoughtly", "crm"]) else { return settings }
        if let section = sections["crm"], !Self.isNull(section.value) { settings.crm = parseCRM(section) }
        if let section = sections["thoughtly"],
           let values = fields(section.value, at: "integrations.thoughtly", allowed: ["webhook_token"])
        {
            guard let tokenEntry = values["webhook_token"] else {
                error("integrations.thoughtly.webhook_token is required, e.g. webhook_token: env:THOUGHTLY_WEBHOOK_TOKEN", at: section.keyNode)
                return settings
            }
            if let token = environmentSecret(tokenEntry.value, at: "integrations.thoughtly.webhook_token", suggested: "THOUGHTLY_WEBHOOK_TOKEN") {
                settings.thoughtly = .init(webhookToken: token)
            }
        }
        return settings
    }

    func parseCRM(_ section: Entry) -> CRMSettings {
        var crm = CRMSettings()
        guard let providers = fields(section.value, at: "integrations.crm", allowed: ["hubspot", "salesforce", "webhook"]) else { return crm }
        if let entry = providers["hubspot"],
           let values = fields(entry.value, at: "integrations.crm.hubspot", allowed: ["token", "base_url"]) {
            let token = requiredSecret(values["token"], at: "integrations.crm.hubspot.token", in: entry, suggested: "HUBSPOT_TOKEN")
            let base = values["base_url"].map { httpURL($0, at: "integrations.crm.hubspot.base_url", example: "https://api.hubapi.com") }
            if let token, base != .some(nil) {
                crm.hubspot = .init(token: token, baseURL: base.flatMap { $0 } ?? CRMSettings.HubSpot.defaultBaseURL)
            }
        }
        if let entry = providers["salesforce"],
           let values = fields(entry.value, at: "integrations.crm.salesforce", allowed: ["token", "instance_url", "api_version"]) {
            let token = requiredSecret(values["token"], at: "integrations.crm.salesforce.token", in: entry, suggested: "SALESFORCE_TOKEN")
            let example = "https://example.my.salesforce.com"
            let instance = requiredURL(values["instance_url"], at: "integrations.crm.salesforce.instance_url", in: entry, example: example)
            var version: String? = CRMSettings.Salesforce.defaultAPIVersion
            if let field = values["api_version"] {
                version = scalar(field.value, at: "integrations.crm.salesforce.api_version").flatMap { raw in
                    let digits = raw.hasPrefix("v") ? String(raw.dropFirst()) : raw
                    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
                    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
                        error("integrations.crm.salesforce.api_version must be a REST API version such as \"62.0\"", at: field.value)
                        return nil
                    }
                    return digits
                }
            }
            if let token, let instance, let version { crm.salesforce = .init(token: token, instanceURL: instance, apiVersion: version) }
        }
        if let entry = providers["webhook"],
           let values = fields(entry.value, at: "integrations.crm.webhook", allowed: ["url", "secret"]) {
            let url = requiredURL(values["url"], at: "integrations.crm.webhook.url", in: entry, example: "https://crm.example.com/hooks/textback")
            let secret = requiredSecret(values["secret"], at: "integrations.crm.webhook.secret", in: entry, suggested: "TEXTBACK_CRM_WEBHOOK_SECRET")
            if let url, let secret { crm.webhook = .init(url: url, secret: secret) }
        }
        return crm
    }

    func requiredSecret(_ entry: Entry?, at path: String, in parent: Entry, suggested: String) -> CarrierSettings.Secret? {
        guard let entry else {
            error("\(path) is required, e.g. \(path.split(separator: ".").last ?? ""): env:\(suggested)", at: parent.keyNode)
            return nil
        }
        return environmentSecret(entry.value, at: path, suggested: suggested)
    }

    func requiredURL(_ entry: Entry?, at path: String, in parent: Entry, example: String) -> URL? {
        guard let entry else {
            error("\(path) is required, e.g. \(path.split(separator: ".").last ?? ""): \(example)", at: parent.keyNode)
            return nil
        }
        return httpURL(entry, at: path, example: example)
    }

    /// An absolute http(s) URL with a host; an error naming `path` otherwise.
    func httpURL(_ entry: Entry, at path: String, example: String) -> URL? {
        guard let raw = scalar(entry.value, at: path) else { return nil }
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            error("\(path) must be an http(s) URL, e.g. \(example)", at: entry.value)
            return nil
        }
        return url
    }

    /// Reads `env:NAME` and the variable's value; a literal value or an unset variable is an error.
    func environmentSecret(_ node: Node, at path: String, suggested: String) -> CarrierSettings.Secret? {
        guard let raw = scalar(node, at: path) else { return nil }
        guard raw.hasPrefix("env:") else {
            error("\(path) must not be written in the file; write secrets as env:NAME (e.g. env:\(suggested)) and set NAME in the environment", at: node)
            return nil
        }
        let variable = String(raw.dropFirst("env:".count)).trimmingCharacters(in: .whitespaces)
        guard Self.isVariableName(variable) else {
            error("\(path): env: must be followed by an environment variable name, e.g. env:\(suggested)", at: node)
            return nil
        }
        guard let value = environment[variable], !value.isEmpty else {
            error("environment variable \(variable) is not set; \(path) needs it", at: node)
            return nil
        }
        return CarrierSettings.Secret(environmentVariable: variable, value: value)
    }
}
