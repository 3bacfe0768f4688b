// business.id and api_tokens: — which business of the install a file is, and the tokens its own
// API clients present. Tokens are secrets: written env:NAME, read from the environment, never echoed.

import Foundation
import TextBackCore
import Yams

extension ConfigParser {
    /// A business id: lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 64.
    static func isBusinessID(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard let first = text.first, first != "-", first != "_", text.count <= 64 else { return false }
        return text.allSatisfy(allowed.contains)
    }

    func parseBusinessID(_ entry: Entry?) -> BusinessID? {
        guard let entry, let raw = scalar(entry.value, at: "business.id") else { return nil }
        guard Self.isBusinessID(raw) else {
            error("business.id must be lower-case letters, digits, '-' or '_' (at most 64), e.g. id: acme-plumbing", at: entry.value)
            return nil
        }
        return BusinessID(raw)
    }

    /// `api_tokens: [env:NAME, …]`: each resolved from the environment; an unset variable is an error.
    func parseAPITokens(_ entry: Entry?) -> [(token: CarrierSettings.Secret, node: Node)] {
        guard let entry, !Self.isNull(entry.value) else { return [] }
        guard let list = items(entry.value, at: "api_tokens", example: "api_tokens: [env:ACME_API_TOKEN]") else { return [] }
        var tokens: [(token: CarrierSettings.Secret, node: Node)] = []
        for (index, item) in list.enumerated() {
            guard let raw = scalar(item, at: "api_tokens[\(index)]") else { continue }
            guard raw.hasPrefix("env:") else {
                // Never echo the value: it is the token.
                error("api_tokens[\(index)] must not be written in the file; write env:NAME and set NAME in the environment", at: item)
                continue
            }
            let variable = String(raw.dropFirst("env:".count)).trimmingCharacters(in: .whitespaces)
            guard Self.isVariableName(variable) else {
                error("api_tokens[\(index)]: env: must be followed by an environment variable name, e.g. env:ACME_API_TOKEN", at: item)
                continue
            }
            guard let value = environment[variable], !value.isEmpty else {
                error("environment variable \(variable) is not set; api_tokens[\(index)] needs it", at: item)
                continue
            }
            guard value.utf8.count >= 16 else {
                error("the token in \(variable) is shorter than 16 characters; use a long random value (openssl rand -hex 32)", at: item)
                continue
            }
            tokens.append((CarrierSettings.Secret(environmentVariable: variable, value: value), item))
        }
        return tokens
    }
}
