// The entry point: reads a YAML configuration (a file, a string, or the built-in demo), validates
// every section, and returns the typed configuration or every problem found, each located at
// file:line:column with what is wrong and how to fix it.

import Foundation
import TextBackCore
import Yams

public enum ConfigurationLoader {
    static let topLevelKeys = ["business", "numbers", "carriers", "integrations", "policy", "templates", "variables", "automations", "agent",
                               "api_tokens"]

    public static func load(path: String, environment: [String: String]) throws(ConfigurationError) -> TextBackConfiguration {
        let (configuration, diagnostics) = lint(path: path, environment: environment)
        guard let configuration else { throw ConfigurationError(diagnostics: diagnostics) }
        return configuration
    }

    public static func load(yaml: String, fileName: String, environment: [String: String]) throws(ConfigurationError) -> TextBackConfiguration {
        let (configuration, diagnostics) = lint(yaml: yaml, fileName: fileName, environment: environment)
        guard let configuration else { throw ConfigurationError(diagnostics: diagnostics) }
        return configuration
    }

    public static var demoYAML: String { DemoConfiguration.yaml }

    /// The configuration `textback serve` runs without --config: simulator carrier, one number,
    /// the five DESIGN templates and the default missed-call automation.
    public static func demo(environment: [String: String] = [:]) throws(ConfigurationError) -> TextBackConfiguration {
        try load(yaml: demoYAML, fileName: "<demo>", environment: environment)
    }

    /// For `textback lint`: never throws; the configuration is nil when any error was found.
    public static func lint(path: String, environment: [String: String]) -> (configuration: TextBackConfiguration?, diagnostics: [ConfigDiagnostic]) {
        let source: String
        do {
            source = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path)
                ? "cannot read the configuration file (check its permissions and that it is UTF-8 text)"
                : "the configuration file does not exist"
            return (nil, [ConfigDiagnostic(file: path, line: 0, column: 0, severity: .error, message: reason)])
        }
        return lint(yaml: source, fileName: path, environment: environment)
    }

    public static func lint(yaml: String, fileName: String, environment: [String: String]) -> (configuration: TextBackConfiguration?, diagnostics: [ConfigDiagnostic]) {
        let root: Node
        do {
            guard let document = try Yams.compose(yaml: yaml) else {
                return (nil, [ConfigDiagnostic(
                    file: fileName, line: 1, column: 1, severity: .error,
                    message: "the configuration is empty; it needs at least business: and numbers:")])
            }
            root = document
        } catch {
            return (nil, [YAMLSyntax.diagnostic(for: error, file: fileName)])
        }
        let parser = ConfigParser(file: fileName, source: yaml, environment: environment)
        let configuration = read(root, with: parser)
        let diagnostics = parser.diagnostics.enumerated()
            .sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
        guard !parser.hasErrors, let configuration else { return (nil, diagnostics) }
        var result = configuration
        result.warnings = diagnostics.filter { $0.severity == .warning }
        return (result, diagnostics)
    }

    /// Reads every section, even after errors, so one run reports as much as it can.
    private static func read(_ root: Node, with parser: ConfigParser) -> TextBackConfiguration? {
        guard let top = parser.fields(root, at: "", allowed: topLevelKeys) else { return nil }
        let business = parser.parseBusiness(top["business"], root: root)
        let numbers = parser.parseNumbers(top["numbers"], root: root)
        let variables = parser.parseVariables(top["variables"])
        let (templates, templateNames) = parser.parseTemplates(top["templates"], businessName: business?.name)
        let policy = parser.parsePolicy(top["policy"], business: business, firstNumber: numbers.first?.config.number)
        let carriers = parser.parseCarriers(top["carriers"], numbers: numbers)
        let integrations = parser.parseIntegrations(top["integrations"])
        let automations = parser.parseAutomations(top["automations"], templates: templateNames, numbers: numbers.map(\.config.number))
        let agent = parser.parseAgent(top["agent"], business: business)
        let tokens = parser.parseAPITokens(top["api_tokens"])
        parser.checkPlaceholders(variables: variables)
        guard let business, let policy else { return nil }
        var configuration = TextBackConfiguration(
            business: business, numbers: numbers.map(\.config), carriers: carriers, integrations: integrations, policy: policy,
            templates: templates, variables: variables, automations: automations, agent: agent)
        configuration.apiTokens = tokens.map(\.token)
        configuration.tokenMarks = tokens.map { SourceMark(file: parser.file, line: $0.node.mark?.line ?? 1, column: $0.node.mark?.column ?? 1) }
        configuration.numberMarks = parser.numberMarks
        return configuration
    }
}
