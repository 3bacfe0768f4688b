// The machinery every section reader shares: collecting diagnostics with file:line:column, reading
// YAML nodes as mappings, lists and scalars with messages that name the key and the fix, and
// mapping a column inside a scalar (a condition, a template) back to its place in the file.

import Foundation
import TextBackCore
import Yams

/// One `key: value` of a mapping, with the key's node for pointing at the key itself.
struct Entry {
    let key: String
    let keyNode: Node
    let value: Node
}

/// A template met while reading, kept so placeholders can be checked once `variables:` is known.
struct TemplateUse {
    let template: MessageTemplate
    let node: Node
    /// How messages refer to it: "template 'home_services'", "policy.help_text".
    let label: String
}

final class ConfigParser {
    let file: String
    let environment: [String: String]
    private let lines: [[Unicode.Scalar]]
    private(set) var diagnostics: [ConfigDiagnostic] = []
    var templateUses: [TemplateUse] = []
    /// Where each number of numbers: is written, for the install-wide "one business per number" check.
    var numberMarks: [PhoneNumber: SourceMark] = [:]

    init(file: String, source: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
        var lines: [[Unicode.Scalar]] = [[]]
        for scalar in source.unicodeScalars {
            if scalar == "\n" { lines.append([]) } else if scalar != "\r" { lines[lines.count - 1].append(scalar) }
        }
        self.lines = lines
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    // MARK: diagnostics

    func error(_ message: String, line: Int, column: Int) {
        diagnostics.append(ConfigDiagnostic(file: file, line: line, column: column, severity: .error, message: message))
    }

    func error(_ message: String, at node: Node) {
        let mark = node.mark
        error(message, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// An error at a column inside a scalar, e.g. the `{Nmae}` inside a template.
    func error(_ message: String, at node: Node, offset: Int) {
        let position = location(of: node, offset: offset)
        error(message, line: position.line, column: position.column)
    }

    func warning(_ message: String, at node: Node) {
        let mark = node.mark
        diagnostics.append(ConfigDiagnostic(
            file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, severity: .warning, message: message))
    }

    // MARK: node readers

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: "a single value"
        case .alias: "an alias"
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The entries of a mapping in file order; an error (and nil) for anything else.
    func entries(_ node: Node, at path: String) -> [Entry]? {
        let subject = path.isEmpty ? "the top level of the file" : path
        guard case .mapping(let mapping) = node else {
            error("\(subject) must be a mapping of key: value pairs, not \(Self.describe(node))", at: node)
            return nil
        }
        var result: [Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                error("a key in \(subject) must be a plain name, not \(Self.describe(keyNode))", at: keyNode)
                continue
            }
            result.append(Entry(key: key.string, keyNode: keyNode, value: value))
        }
        return result
    }

    /// Entries by key, with an error for each key not in `allowed` (suggesting the closest).
    func fields(_ node: Node, at path: String, allowed: [String]) -> [String: Entry]? {
        guard let entries = entries(node, at: path) else { return nil }
        var result: [String: Entry] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                result[entry.key] = entry
            } else {
                error(unknownKeyMessage(entry.key, in: path, allowed: allowed), at: entry.keyNode)
            }
        }
        return result
    }

    /// `candidates` may hold accepted spellings beyond those listed (e.g. "monday" beside "mon").
    func unknownKeyMessage(_ key: String, in path: String, allowed: [String], candidates: [String]? = nil) -> String {
        let place = path.isEmpty ? "at the top level" : "in \(path)"
        var message = "unknown key '\(key)' \(place); "
        if let suggestion = SpellingSuggestion.closest(to: key, among: candidates ?? allowed) {
            message += "did you mean '\(suggestion)'? "
        }
        return message + "allowed: " + allowed.joined(separator: ", ")
    }

    /// A scalar's text; an error for a list or mapping. Quoted empty strings are returned as "".
    func scalar(_ node: Node, at path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(path) must be a single value, not \(Self.describe(node))", at: node)
            return nil
        }
        return scalar.string
    }

    /// A required, non-empty scalar.
    func text(_ entry: Entry?, at path: String, in parent: Node, example: String) -> String? {
        guard let entry, !Self.isNull(entry.value) else {
            error("\(path) is required, e.g. \(example)", at: entry?.keyNode ?? parent)
            return nil
        }
        guard let value = scalar(entry.value, at: path) else { return nil }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            error("\(path) must not be empty, e.g. \(example)", at: entry.value)
            return nil
        }
        return value
    }

    /// A list's items; an error (and nil) for anything else.
    func items(_ node: Node, at path: String, example: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error("\(path) must be a list (items starting with '- ' or [a, b]), not \(Self.describe(node)); e.g. \(example)", at: node)
            return nil
        }
        return Array(sequence)
    }

    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, at path: String, noun: String, as type: E.Type) -> E?
    where E.RawValue == String {
        guard let raw = scalar(node, at: path) else { return nil }
        if let value = E(rawValue: raw) { return value }
        let allowed = E.allCases.map(\.rawValue)
        var message = "unknown \(noun) '\(raw)' in \(path); "
        if let suggestion = SpellingSuggestion.closest(to: raw, among: allowed) {
            message += "did you mean '\(suggestion)'? "
        }
        error(message + "allowed: " + allowed.joined(separator: ", "), at: node)
        return nil
    }

    /// A positive duration written 90s, 2m, 12h or 1d.
    func duration(_ node: Node, at path: String) -> TimeSpan? {
        guard let raw = scalar(node, at: path) else { return nil }
        guard let span = TimeSpan(parsing: raw) else {
            error("invalid duration '\(raw)' for \(path); write a whole number followed by s, m, h or d, e.g. 90s, 2m, 12h, 1d", at: node)
            return nil
        }
        guard span.seconds > 0 else {
            error("\(path) must be longer than zero, e.g. 2m", at: node)
            return nil
        }
        return span
    }

    func bool(_ node: Node, at path: String) -> Bool? {
        guard let raw = scalar(node, at: path) else { return nil }
        switch raw {
        case "true": return true
        case "false": return false
        default:
            error("\(path) must be true or false", at: node)
            return nil
        }
    }

    func phoneNumber(_ node: Node, at path: String) -> PhoneNumber? {
        guard let raw = scalar(node, at: path) else { return nil }
        do {
            return try PhoneNumber(parsing: raw)
        } catch {
            self.error("\(path) is not a valid phone number: \(error.description); write it as E.164, e.g. \"+15125550100\"", at: node)
            return nil
        }
    }

    /// Parses a template and remembers it for the placeholder check.
    func template(_ node: Node, at path: String, label: String) -> MessageTemplate? {
        guard case .scalar = node, !Self.isNull(node) else {
            error("\(path) must be the message text, in quotes, not \(Self.isNull(node) ? "empty" : Self.describe(node))", at: node)
            return nil
        }
        guard let source = scalar(node, at: path) else { return nil }
        do {
            let template = try MessageTemplate(parsing: source)
            templateUses.append(TemplateUse(template: template, node: node, label: label))
            return template
        } catch {
            self.error("invalid \(label): \(error.message)", at: node, offset: error.offset)
            return nil
        }
    }

    // MARK: positions inside scalars

    /// Where the scalar's `offset`-th Unicode scalar sits in the file. Exact for single-line plain
    /// and quoted scalars (escapes included) and for literal blocks (`|`); the start of the node
    /// for folded text, where line breaks were rewritten and no column is reliable.
    func location(of node: Node, offset: Int) -> (line: Int, column: Int) {
        guard let mark = node.mark else { return (1, 1) }
        let start = (line: mark.line, column: mark.column)
        guard case .scalar(let scalar) = node, mark.line - 1 < lines.count, offset >= 0 else { return start }
        let raw = lines[mark.line - 1]
        let cooked = Array(scalar.string.unicodeScalars)
        let begin = mark.column - 1

        switch scalar.style {
        case .plain, .any:
            let end = begin + min(offset, cooked.count)
            guard end <= raw.count, Array(raw[begin..<end]) == Array(cooked.prefix(end - begin)) else { return start }
            return (mark.line, mark.column + offset)
        case .singleQuoted, .doubleQuoted:
            let quote: Unicode.Scalar = scalar.style == .singleQuoted ? "'" : "\""
            var i = begin + 1
            var produced = 0
            while i < raw.count {
                if produced == offset { return (mark.line, i + 1) }
                let c = raw[i]
                if c == quote {
                    guard quote == "'", i + 1 < raw.count, raw[i + 1] == "'" else { break }
                    i += 2
                } else if c == "\\", quote == "\"" {
                    guard i + 1 < raw.count else { return start }
                    switch raw[i + 1] {
                    case "x": i += 4
                    case "u": i += 6
                    case "U": i += 10
                    default: i += 2
                    }
                } else {
                    i += 1
                }
                produced += 1
            }
            return produced == offset && i < raw.count ? (mark.line, i + 1) : start
        case .literal:
            var lineIndex = 0
            var column = 0
            for c in cooked.prefix(offset) {
                if c == "\n" { lineIndex += 1; column = 0 } else { column += 1 }
            }
            let firstContent = lines[mark.line...].first { !$0.allSatisfy { $0 == " " } }
            let indent = firstContent?.prefix { $0 == " " }.count ?? 0
            return (mark.line + 1 + lineIndex, indent + column + 1)
        case .folded:
            return start
        }
    }
}
