// Every business one install serves. `--config FILE` is one business, exactly as before tenancy;
// `--config DIR` is one YAML file per business, the file name without `.yaml` being its id. The whole
// set is validated together: a number claimed by two businesses, an id used twice or a token shared
// by two businesses refuses all of it, each finding at file:line:column.

import Foundation
import TextBackCore

public struct TextBackInstall: Sendable {
    /// Sorted by id.
    public let businesses: [TextBackConfiguration]
    private let owners: [PhoneNumber: BusinessID]

    /// Checks what no single file can: numbers and tokens each belong to one business. (Ids are file names,
    /// unique by construction; a `business.id` that differs from its file name is refused when loading.)
    public static func validated(_ configurations: [TextBackConfiguration]) -> (install: TextBackInstall?, errors: [ConfigDiagnostic]) {
        var errors: [ConfigDiagnostic] = []
        var owners: [PhoneNumber: (BusinessID, SourceMark?)] = [:]
        var tokens: [String: BusinessID] = [:]
        for configuration in configurations {
            let id = configuration.business.id
            for number in configuration.numbers {
                let mark = configuration.numberMarks[number.number]
                if let (owner, first) = owners[number.number] {
                    let message = "number \(number.number.e164) is already claimed by business '\(owner)'"
                        + (first.map { " (\($0))" } ?? "") + "; a number belongs to one business"
                    errors.append(mark?.error(message)
                                  ?? ConfigDiagnostic(file: "<configuration>", line: 0, column: 0, severity: .error, message: message))
                } else {
                    owners[number.number] = (id, mark)
                }
            }
            for (index, token) in configuration.apiTokens.enumerated() {
                if let owner = tokens[token.reveal()], owner != id {
                    let message = "the token in \(token.environmentVariable) is also business '\(owner)''s; each business needs its own tokens"
                    errors.append(index < configuration.tokenMarks.count ? configuration.tokenMarks[index].error(message)
                                  : ConfigDiagnostic(file: "<configuration>", line: 0, column: 0, severity: .error, message: message))
                } else {
                    tokens[token.reveal()] = id
                }
            }
        }
        guard errors.isEmpty, !configurations.isEmpty else { return (nil, errors) }
        return (TextBackInstall(businesses: configurations.sorted { $0.business.id < $1.business.id },
                                owners: owners.mapValues(\.0)), [])
    }

    private init(businesses: [TextBackConfiguration], owners: [PhoneNumber: BusinessID]) {
        self.businesses = businesses; self.owners = owners
    }

    /// One business, as `--config FILE` and the demo give.
    public init(single configuration: TextBackConfiguration) {
        businesses = [configuration]
        owners = Dictionary(configuration.numbers.map { ($0.number, configuration.business.id) }, uniquingKeysWith: { first, _ in first })
    }

    public func business(_ id: BusinessID) -> TextBackConfiguration? { businesses.first { $0.business.id == id } }

    /// The business whose number this is.
    public func owner(of number: PhoneNumber) -> BusinessID? { owners[number] }

    public var warnings: [ConfigDiagnostic] { businesses.flatMap(\.warnings) }
}

extension ConfigurationLoader {
    /// A file (one business) or a directory of `<id>.yaml` files; every problem in every file is reported.
    public static func lintInstall(path: String, environment: [String: String]) -> (install: TextBackInstall?, diagnostics: [ConfigDiagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let (configuration, diagnostics) = lint(path: path, environment: environment)
            return (configuration.map(TextBackInstall.init(single:)), diagnostics)
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            return (nil, [ConfigDiagnostic(file: path, line: 0, column: 0, severity: .error,
                                           message: "cannot list the configuration directory (check its permissions)")])
        }
        var diagnostics: [ConfigDiagnostic] = []
        var configurations: [TextBackConfiguration] = []
        var failed = false
        for name in names where !name.hasPrefix(".") {
            let file = (path as NSString).appendingPathComponent(name)
            if name.hasSuffix(".yml") {
                diagnostics.append(ConfigDiagnostic(file: file, line: 0, column: 0, severity: .error,
                                                    message: "business files end in .yaml; rename it so it is not silently left out"))
                failed = true
                continue
            }
            guard name.hasSuffix(".yaml") else { continue }
            let id = String(name.dropLast(".yaml".count))
            guard ConfigParser.isBusinessID(id) else {
                diagnostics.append(ConfigDiagnostic(file: file, line: 0, column: 0, severity: .error,
                                                    message: "the file name is the business id: use lower-case letters, digits, '-' or '_' (e.g. acme-plumbing.yaml)"))
                failed = true
                continue
            }
            let (configuration, found) = lint(path: file, environment: environment)
            diagnostics += found
            guard var configuration else { failed = true; continue }
            if configuration.business.id != .default, configuration.business.id.rawValue != id {
                diagnostics.append(ConfigDiagnostic(file: file, line: 0, column: 0, severity: .error,
                                                    message: "business.id '\(configuration.business.id)' differs from the file name '\(id)'; remove it or make them equal"))
                failed = true
                continue
            }
            configuration.business.id = BusinessID(id)
            configurations.append(configuration)
        }
        if configurations.isEmpty, !failed {
            diagnostics.append(ConfigDiagnostic(file: path, line: 0, column: 0, severity: .error,
                                                message: "the configuration directory holds no <business-id>.yaml file"))
        }
        // A business token that is also the admin token would make that business's clients the admin.
        if let admin = environment["TEXTBACK_API_TOKEN"], !admin.isEmpty {
            for configuration in configurations {
                for (index, token) in configuration.apiTokens.enumerated() where token.reveal() == admin {
                    let message = "the token in \(token.environmentVariable) is also the admin token (TEXTBACK_API_TOKEN); each business needs its own tokens"
                    diagnostics.append(index < configuration.tokenMarks.count ? configuration.tokenMarks[index].error(message)
                                       : ConfigDiagnostic(file: path, line: 0, column: 0, severity: .error, message: message))
                    failed = true
                }
            }
        }
        let (install, errors) = TextBackInstall.validated(configurations)
        diagnostics += errors
        return (failed ? nil : install, diagnostics)
    }

    public static func loadInstall(path: String, environment: [String: String]) throws(ConfigurationError) -> TextBackInstall {
        let (install, diagnostics) = lintInstall(path: path, environment: environment)
        guard let install else { throw ConfigurationError(diagnostics: diagnostics) }
        return install
    }
}
