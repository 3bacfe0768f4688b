// templates: and variables:, and the load-time check that every placeholder in every template
// (message templates, update_contact values, policy texts) can resolve: a built-in name, a
// standard lead field, a declared variable, or one with an inline default.

import Foundation
import TextBackCore
import Yams

extension ConfigParser {
    /// The valid templates, and the names of all written ones: a send_sms naming a template that is
    /// written but broken gets that template's error only, not a second "unknown template".
    func parseTemplates(_ entry: Entry?, businessName: String?) -> (templates: [String: MessageTemplate], names: Set<String>) {
        guard let entry, !Self.isNull(entry.value), let entries = entries(entry.value, at: "templates") else { return ([:], []) }
        var templates: [String: MessageTemplate] = [:]
        var names = Set<String>()
        for item in entries {
            names.insert(item.key)
            guard !item.key.isEmpty else {
                error("a template needs a name, e.g. home_services: \"Hey {Name}, ...\"", at: item.keyNode)
                continue
            }
            if let template = template(item.value, at: "templates.\(item.key)", label: "template '\(item.key)'") {
                templates[item.key] = template
                lintMessage(template, named: item.key, businessName: businessName, at: item.value)
            }
        }
        return (templates, names)
    }

    /// Message lint (encoding and segments, the four elements, link shorteners, SHAFT content):
    /// a public link shortener is an error because carriers filter such texts; the rest are warnings.
    func lintMessage(_ template: MessageTemplate, named name: String, businessName: String?, at node: Node) {
        for finding in MessageLint.lint(template: template.source, businessName: businessName, isFirstMessage: true) {
            let message = "template '\(name)': \(finding.message) [\(finding.code)]"
            if finding.severity == .error { error(message, at: node) } else { warning(message, at: node) }
        }
    }

    func parseVariables(_ entry: Entry?) -> [String: String?] {
        guard let entry, !Self.isNull(entry.value), let entries = entries(entry.value, at: "variables") else { return [:] }
        var variables: [String: String?] = [:]
        for item in entries {
            guard MessageTemplate.isValidPlaceholderName(item.key) else {
                error("'\(item.key)' cannot be a placeholder name; use letters, digits, _ . or -, starting with a letter", at: item.keyNode)
                continue
            }
            if TemplateVariables.builtInNames.contains(item.key.lowercased()) {
                warning("variables.\(item.key) has the name of a built-in placeholder; the built-in value is used", at: item.keyNode)
            }
            if Self.isNull(item.value) {
                variables[item.key] = .some(nil)
            } else if let value = scalar(item.value, at: "variables.\(item.key)") {
                variables[item.key] = .some(value)
            }
        }
        return variables
    }

    /// Refuses placeholders that could never resolve. Runs after every section is read, so a
    /// variable may be declared anywhere in the file.
    func checkPlaceholders(variables: [String: String?]) {
        let declared = Set(variables.keys.map { $0.lowercased() })
        let known = TemplateVariables.builtInNames.union(TemplateVariables.standardLeadFields).union(declared)
        let suggestions = TemplateVariables.builtInSpellings + TemplateVariables.standardLeadFields.sorted() + variables.keys.sorted()
        for use in templateUses {
            for placeholder in use.template.placeholders where placeholder.defaultValue == nil {
                guard !known.contains(placeholder.name.lowercased()) else { continue }
                var message = "unknown placeholder {\(placeholder.name)} in \(use.label); "
                if let suggestion = SpellingSuggestion.closest(to: placeholder.name, among: suggestions) {
                    message += "did you mean {\(suggestion)}?"
                } else {
                    message += "declare it under `variables:` or give a default like {\(placeholder.name)|...}"
                }
                error(message, at: use.node, offset: placeholder.offset)
            }
        }
    }
}
