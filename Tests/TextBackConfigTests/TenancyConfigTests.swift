// A configuration directory: one business per <id>.yaml, validated together. A number claimed by two
// businesses or a token shared by two refuses the whole set at the exact place it is written.

import Foundation
import Testing
import TextBackConfig
import TextBackCore

@Suite struct TenancyConfigTests {
    static func business(_ name: String, number: String, extra: String = "") -> String {
        ConfigurationLoader.demoYAML
            .replacingOccurrences(of: "Acme Home Services", with: name)
            .replacingOccurrences(of: "+15125550100", with: number) + extra
    }

    static func directory(_ files: [String: String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("textback-businesses-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url.path
    }

    @Test func aDirectoryIsOneBusinessPerFileNamedByItsFile() throws {
        let path = try Self.directory([
            "acme.yaml": Self.business("Acme", number: "+15125550100", extra: "\napi_tokens: [env:ACME_TOKEN]\n"),
            "bolt.yaml": Self.business("Bolt", number: "+15125550200"),
            "notes.txt": "not a business",
        ])
        let install = try ConfigurationLoader.loadInstall(path: path, environment: ["ACME_TOKEN": "acme-token-0123456789"])
        #expect(install.businesses.map(\.business.id) == ["acme", "bolt"])
        #expect(install.owner(of: PhoneNumber(trustedE164: "+15125550200")) == "bolt")
        #expect(install.business("acme")?.apiTokens.map { $0.reveal() } == ["acme-token-0123456789"])
        #expect(install.business("bolt")?.apiTokens.isEmpty == true)
    }

    @Test func aNumberClaimedByTwoBusinessesRefusesTheWholeDirectoryAtItsExactPlace() throws {
        let bolt = Self.business("Bolt", number: "+15125550100")
        let path = try Self.directory(["acme.yaml": Self.business("Acme", number: "+15125550100"), "bolt.yaml": bolt])
        let (install, diagnostics) = ConfigurationLoader.lintInstall(path: path, environment: [:])
        #expect(install == nil)
        let lines = bolt.components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.contains("- number: \"+15125550100\"") }) + 1
        let column = try #require(lines[line - 1].firstIndex(of: "\"")).utf16Offset(in: lines[line - 1]) + 1
        let expected = "\(path)/bolt.yaml:\(line):\(column): error: number +15125550100 is already claimed by business 'acme' (\(path)/acme.yaml:\(line):\(column)); a number belongs to one business"
        #expect(diagnostics.map(\.description) == [expected])
    }

    @Test func aFileConfigurationIsOneBusinessAsBefore() throws {
        let path = try Self.directory(["textback.yaml": Self.business("Acme", number: "+15125550100")])
        let install = try ConfigurationLoader.loadInstall(path: path + "/textback.yaml", environment: [:])
        #expect(install.businesses.map(\.business.id) == [.default])
        let named = try ConfigurationLoader.load(
            yaml: ConfigurationLoader.demoYAML.replacingOccurrences(of: "business:\n", with: "business:\n  id: acme\n"),
            fileName: "one.yaml", environment: [:])
        #expect(named.business.id == "acme")
    }

    @Test func aBusinessTokenThatIsTheAdminTokenIsRefusedWithItsLocation() throws {
        // Its clients would otherwise be the admin: every business's data, and reloads.
        let path = try Self.directory([
            "acme.yaml": Self.business("Acme", number: "+15125550100", extra: "\napi_tokens: [env:ACME_TOKEN]\n"),
            "bolt.yaml": Self.business("Bolt", number: "+15125550200"),
        ])
        let (install, diagnostics) = ConfigurationLoader.lintInstall(
            path: path, environment: ["ACME_TOKEN": "admin-token-0123456789", "TEXTBACK_API_TOKEN": "admin-token-0123456789"])
        #expect(install == nil)
        #expect(diagnostics.map(\.description).contains {
            $0.hasPrefix("\(path)/acme.yaml:") && $0.contains("the token in ACME_TOKEN is also the admin token (TEXTBACK_API_TOKEN)")
        }, "\(diagnostics)")
        #expect(!diagnostics.description.contains("admin-token-0123456789"))
    }

    @Test func tokensAndIdsAreCheckedWithTheirLocations() throws {
        let shared = "\napi_tokens: [env:SHARED_TOKEN]\n"
        let path = try Self.directory([
            "acme.yaml": Self.business("Acme", number: "+15125550100", extra: shared),
            "bolt.yaml": Self.business("Bolt", number: "+15125550200", extra: shared),
        ])
        let (install, diagnostics) = ConfigurationLoader.lintInstall(path: path, environment: ["SHARED_TOKEN": "shared-token-0123456789"])
        #expect(install == nil)
        #expect(diagnostics.map(\.description).contains { $0.hasPrefix("\(path)/bolt.yaml:") && $0.contains("SHARED_TOKEN is also business 'acme''s") })
        #expect(!diagnostics.description.contains("shared-token-0123456789"))

        let written = ConfigurationLoader.lint(yaml: ConfigurationLoader.demoYAML + "\napi_tokens: [literally-the-token]\n",
                                                   fileName: "a.yaml", environment: [:])
        #expect(written.configuration == nil)
        #expect(written.diagnostics.contains { $0.message.hasPrefix("api_tokens[0] must not be written in the file") })
        #expect(!written.diagnostics.description.contains("literally-the-token"))
        let unset = ConfigurationLoader.lint(yaml: ConfigurationLoader.demoYAML + "\napi_tokens: [env:NOPE_TOKEN]\n", fileName: "a.yaml",
                                             environment: [:])
        #expect(unset.diagnostics.map(\.message) == ["environment variable NOPE_TOKEN is not set; api_tokens[0] needs it"])

        let badName = try Self.directory(["Acme Co.yaml": Self.business("Acme", number: "+15125550100")])
        #expect(ConfigurationLoader.lintInstall(path: badName, environment: [:]).install == nil)
        let empty = try Self.directory([:])
        #expect(ConfigurationLoader.lintInstall(path: empty, environment: [:]).diagnostics.map(\.message)
            == ["the configuration directory holds no <business-id>.yaml file"])
    }
}
