// integrations: — services that call us but are not carriers. Thoughtly's call webhook carries no
// signature of its own, so the server checks a shared token; like every secret it is env:NAME.

import Foundation
import TextBackCore
import Yams

public struct IntegrationSettings: Sendable, Hashable {
    public struct Thoughtly: Sendable, Hashable {
        public var webhookToken: CarrierSettings.Secret
        public init(webhookToken: CarrierSettings.Secret) { self.webhookToken = webhookToken }
    }

    public var thoughtly: Thoughtly?
    public init(thoughtly: Thoughtly? = nil) { self.thoughtly = thoughtly }
}

extension ConfigParser {
    func parseIntegrations(_ entry: Entry?) -> IntegrationSettings {
        var settings = IntegrationSettings()
        guard let entry, !Self.isNull(entry.value),
              let sections = fields(entry.value, at: "integrations", allowed: ["thoughtly"]) else { return settings }
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
