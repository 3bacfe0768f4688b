// Turns a Yams/libyaml syntax error into a file:line:column diagnostic, with a hint for the
// mistakes people actually make (unquoted ": ", tabs, unclosed quotes and brackets).

import Foundation
import Yams

enum YAMLSyntax {
    static func diagnostic(for error: any Error, file: String) -> ConfigDiagnostic {
        func make(_ line: Int, _ column: Int, _ message: String) -> ConfigDiagnostic {
            ConfigDiagnostic(file: file, line: max(line, 1), column: max(column, 1), severity: .error, message: message)
        }
        guard let yamlError = error as? YamlError else {
            return make(1, 1, "cannot parse the file as YAML")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text) started on line \(context.mark.line), column \(context.mark.column))"
            }
            if let hint = hint(for: problem) { message += "; \(hint)" }
            return make(mark.line, mark.column, message)
        case .reader(let problem, let offset, _, let yaml):
            let (line, column) = offset.map { position(ofCharacter: $0, in: yaml) } ?? (1, 1)
            return make(line, column, "cannot read the file: \(problem); save it as UTF-8 text")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return make(context.mark.line, context.mark.column, "duplicate key \(keys) in the same mapping; write each key once")
        default:
            return make(1, 1, "cannot parse the file as YAML: \(yamlError)")
        }
    }

    static func hint(for problem: String) -> String? {
        switch problem {
        case let p where p.contains("mapping values are not allowed"):
            "quote a value that contains ': ', and indent nested keys under their parent"
        case let p where p.contains("tab character"):
            "indent with spaces; YAML does not allow tabs for indentation"
        case let p where p.contains("cannot start any token"):
            "indent with spaces, not tabs, and quote a value that starts with a special character such as @ or `"
        case let p where p.contains("did not find expected key") || p.contains("did not find expected '-'"):
            "check this line's indentation against the lines above, and that every quote opened above is closed"
        case let p where p.contains("end of stream") || p.contains("unexpected end"):
            "a quote or bracket opened above is never closed"
        case let p where p.contains("did not find expected ',' or"):
            "a [list] or {mapping} written on one line is not closed, or a value in it needs quotes"
        case let p where p.contains("undefined alias"):
            "define the &anchor before using the *alias"
        default:
            nil
        }
    }

    private static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for (index, character) in text.enumerated() {
            if index == offset { break }
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
