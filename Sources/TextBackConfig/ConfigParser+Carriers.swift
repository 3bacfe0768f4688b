// carriers: — credentials per carrier. Secrets must be written env:NAME and are read from the
// injected environment; a variable that is not set only matters when a number uses that carrier,
// so one file can describe every carrier and run on a machine that has keys for some.

import Foundation
import TextBackCore
import Yams

extension ConfigParser {
    private struct CarrierField {
        let key: String
        let secret: Bool
        let required: Bool
    }

    private static let carrierFields: [CarrierKind: [CarrierField]] = [
        .twilio: [
            CarrierField(key: "account_sid", secret: false, required: true),
            CarrierField(key: "auth_token", secret: true, required: true),
            CarrierField(key: "base_url", secret: false, required: false),
            CarrierField(key: "lookup_base_url", secret: false, required: false),
        ],
        .telnyx: [
            CarrierField(key: "api_key", secret: true, required: true),
            CarrierField(key: "public_key", secret: false, required: true),
            CarrierField(key: "base_url", secret: false, required: false),
        ],
        .bandwidth: [
            CarrierField(key: "account_id", secret: false, required: true),
            CarrierField(key: "username", secret: false, required: true),
            CarrierField(key: "password", secret: true, required: true),
            CarrierField(key: "application_id", secret: false, required: false),
            CarrierField(key: "base_url", secret: false, required: false),
            CarrierField(key: "callback_username", secret: false, required: false),
            CarrierField(key: "callback_password", secret: true, required: false),
        ],
    ]

    /// A field's value after env: resolution.
    private enum Resolved {
        case value(String, variable: String?)
        /// env:NAME with NAME unset, on a carrier no number uses.
        case unset(variable: String)
        case invalid
    }

    func parseCarriers(_ entry: Entry?, numbers: [(config: NumberConfig, carrierNode: Node)]) -> CarrierSettings {
        var settings = CarrierSettings()
        var sections: [String: Entry] = [:]
        if let entry, !Self.isNull(entry.value) {
            sections = fields(entry.value, at: "carriers", allowed: ["twilio", "telnyx", "bandwidth"]) ?? [:]
        }
        let used = Set(numbers.map(\.config.carrier))

        for kind in [CarrierKind.twilio, .telnyx, .bandwidth] {
            guard let section = sections[kind.rawValue] else {
                if used.contains(kind), let first = numbers.first(where: { $0.config.carrier == kind }) {
                    let example = (Self.carrierFields[kind] ?? []).filter(\.required)
                        .map { "\($0.key): \($0.secret ? "env:" + Self.variableName(kind, $0.key) : "...")" }
                        .joined(separator: ", ")
                    error("this number uses \(kind.rawValue), but carriers.\(kind.rawValue) is not configured; add carriers: {\(kind.rawValue): {\(example)}}", at: first.carrierNode)
                }
                continue
            }
            let values = carrierValues(kind, section, used: used.contains(kind))
            guard let values else { continue }
            switch kind {
            case .twilio:
                if let sid = values.text["account_sid"], let token = values.secrets["auth_token"] {
                    settings.twilio = CarrierSettings.Twilio(
                        accountSID: sid, authToken: token, baseURL: values.urls["base_url"], lookupBaseURL: values.urls["lookup_base_url"])
                }
            case .telnyx:
                if let key = values.secrets["api_key"], let publicKey = values.text["public_key"] {
                    if !Self.isEd25519PublicKey(publicKey), let node = values.nodes["public_key"] {
                        warning("carriers.telnyx.public_key is not an Ed25519 public key (base64 of 32 bytes, as the Telnyx portal shows it); every Telnyx webhook will be refused until it is", at: node)
                    }
                    settings.telnyx = CarrierSettings.Telnyx(apiKey: key, publicKey: publicKey, baseURL: values.urls["base_url"])
                }
            case .bandwidth:
                if let account = values.text["account_id"], let user = values.text["username"], let password = values.secrets["password"],
                    bandwidthCallbacks(values, section: section, used: used.contains(kind))
                {
                    settings.bandwidth = CarrierSettings.Bandwidth(
                        accountID: account, username: user, password: password,
                        applicationID: values.text["application_id"], baseURL: values.urls["base_url"],
                        callbackUsername: values.text["callback_username"], callbackPassword: values.secrets["callback_password"])
                }
            case .simulator:
                break
            }
        }
        return settings
    }

    private struct CarrierValues {
        var text: [String: String] = [:]
        var secrets: [String: CarrierSettings.Secret] = [:]
        /// Keys ending in _url.
        var urls: [String: URL] = [:]
        /// Where each key's value is written, for findings about it.
        var nodes: [String: Node] = [:]
    }

    /// Bandwidth needs an application to send from, and callback credentials to accept its webhooks.
    /// False when something is missing that makes the section unusable (reported).
    private func bandwidthCallbacks(_ values: CarrierValues, section: Entry, used: Bool) -> Bool {
        var usable = true
        if used, values.text["application_id"] == nil {
            error("carriers.bandwidth.application_id is required: Bandwidth refuses a message without the id of the application its number belongs to, e.g. application_id: 93de2206-9669-4e07-948d-329f4b722ee2", at: section.keyNode)
            usable = false
        }
        switch (values.text["callback_username"], values.secrets["callback_password"]) {
        case (.some, .none):
            error("carriers.bandwidth.callback_username needs callback_password too, e.g. callback_password: env:BANDWIDTH_CALLBACK_PASSWORD", at: values.nodes["callback_username"] ?? section.keyNode)
            usable = false
        case (.none, .some):
            error("carriers.bandwidth.callback_password needs callback_username too, e.g. callback_username: textback", at: values.nodes["callback_password"] ?? section.keyNode)
            usable = false
        case (.none, .none):
            if used {
                warning("carriers.bandwidth has no callback_username and callback_password: Bandwidth's callbacks (replies, STOP, delivery receipts, calls) will be refused; set the same HTTP Basic credentials here and on the Bandwidth application", at: section.keyNode)
            }
        case (.some, .some):
            break
        }
        return usable
    }

    /// Raw 32-byte keys (as the Telnyx portal shows them) and DER SubjectPublicKeyInfo both work.
    static func isEd25519PublicKey(_ text: String) -> Bool {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespaces)) else { return false }
        let spkiPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
        return data.count == 32 || (data.count == 44 && Array(data.prefix(12)) == spkiPrefix)
    }

    /// nil when the section cannot be used (errors reported, or a warning when unused and unset).
    private func carrierValues(_ kind: CarrierKind, _ section: Entry, used: Bool) -> CarrierValues? {
        let specs = Self.carrierFields[kind] ?? []
        let path = "carriers.\(kind.rawValue)"
        guard let fields = fields(section.value, at: path, allowed: specs.map(\.key)) else { return nil }
        var values = CarrierValues()
        var unset: [String] = []
        var usable = true
        for spec in specs {
            guard let field = fields[spec.key] else {
                if spec.required {
                    let example = spec.secret ? "env:\(Self.variableName(kind, spec.key))" : "..."
                    error("\(path).\(spec.key) is required, e.g. \(spec.key): \(example)", at: section.keyNode)
                    usable = false
                }
                continue
            }
            switch resolve(field.value, at: "\(path).\(spec.key)", kind: kind, key: spec.key, secret: spec.secret, used: used) {
            case .invalid:
                usable = false
            case .unset(let variable):
                unset.append(variable)
            case .value(let value, let variable):
                values.nodes[spec.key] = field.value
                if spec.secret {
                    values.secrets[spec.key] = CarrierSettings.Secret(environmentVariable: variable ?? "", value: value)
                } else if spec.key.hasSuffix("_url") {
                    guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                        error("\(path).\(spec.key) must be an http(s) URL such as https://api.example.com", at: field.value)
                        usable = false
                        continue
                    }
                    values.urls[spec.key] = url
                } else {
                    values.text[spec.key] = value
                }
            }
        }
        guard usable else { return nil }
        if !unset.isEmpty {
            let names = unset.joined(separator: ", ")
            warning("\(path) is ignored: no configured number uses \(kind.rawValue) and \(names) \(unset.count == 1 ? "is" : "are") not set", at: section.keyNode)
            return nil
        }
        return values
    }

    private func resolve(_ node: Node, at path: String, kind: CarrierKind, key: String, secret: Bool, used: Bool) -> Resolved {
        guard let raw = scalar(node, at: path) else { return .invalid }
        let suggested = Self.variableName(kind, key)
        guard raw.hasPrefix("env:") else {
            if secret {
                // Never echo the value: it is the secret.
                error("\(path) must not be written in the file; write secrets as env:NAME (e.g. \(key): env:\(suggested)) and set NAME in the environment", at: node)
                return .invalid
            }
            return .value(raw, variable: nil)
        }
        let variable = String(raw.dropFirst("env:".count)).trimmingCharacters(in: .whitespaces)
        guard Self.isVariableName(variable) else {
            error("\(path): env: must be followed by an environment variable name, e.g. env:\(suggested)", at: node)
            return .invalid
        }
        if let value = environment[variable], !value.isEmpty {
            return .value(value, variable: variable)
        }
        guard used else { return .unset(variable: variable) }
        error("environment variable \(variable) is not set; \(path) needs it because a configured number uses \(kind.rawValue)", at: node)
        return .invalid
    }

    static func variableName(_ kind: CarrierKind, _ key: String) -> String {
        (kind.rawValue + "_" + key).uppercased()
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
