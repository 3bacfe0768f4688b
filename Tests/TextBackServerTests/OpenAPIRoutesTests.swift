// The OpenAPI document and the router must describe the same surface: a route added to Server.swift
// without a description (or a description left behind after a route is removed) fails here.

import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TextBackServer

@Suite struct OpenAPIRoutesTests {
    /// "METHOD /path/{param}" for every operation under `paths:` in the served document.
    static func documentedOperations(_ yaml: String) -> Set<String> {
        var operations: Set<String> = []
        var inPaths = false
        var path: String?
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:"; path = nil; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.dropFirst(4).prefix { $0 != ":" }
                if methods.contains(String(key)) { operations.insert("\(key.uppercased()) \(path)") }
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        let harness = try await Harness()
        // As `textback serve` builds it: with Prometheus, so /metrics is routed too.
        let router = TextBackHTTP.router(engine: harness.engine, settings: ServerSettings(apiToken: apiToken, simulatorOutbox: harness.store,
                                                                                          metrics: TextBackMetrics()))
        let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        #expect(routed.count > 20, "the router lists its routes")
        try await harness.test { client in
            let result = try await client.call("/openapi.yaml", auth: false)
            #expect(result.status == .ok)
            let documented = Self.documentedOperations(result.body)
            #expect(routed.subtracting(documented).sorted() == [], "routes missing from /openapi.yaml")
            #expect(documented.subtracting(routed).sorted() == [], "documented in /openapi.yaml but not routed")
        }
    }

    @Test func theScanReadsPathsAndMethods() {
        let yaml = "openapi: 3.1.0\npaths:\n  /a/{id}:\n    get:\n      parameters: []\n    post:\n      responses: {}\n  /b:\n    delete: {}\ncomponents:\n  x:\n    get: {}\n"
        #expect(Self.documentedOperations(yaml) == ["GET /a/{id}", "POST /a/{id}", "DELETE /b"])
    }

    @Test func aKnownPathWithAnotherMethodIs405WithAllow() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            let put = try await client.call("/v1/suppressions", .put, auth: false)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "DELETE, GET, POST")
            #expect(put.headers[.contentType] == "application/problem+json")
            let get = try await client.call("/v1/conversations/c-1/release")
            #expect(get.status == .methodNotAllowed)
            #expect(get.headers[.allow] == "POST")
            let root = try await client.call("/", .delete, auth: false)
            #expect(root.status == .methodNotAllowed)
            #expect(root.headers[.allow] == "GET")
            let unknown = try await client.call("/v1/nowhere", .put, auth: false)
            #expect(unknown.status == .notFound)
        }
    }

    /// Requests schemathesis found the document and the server disagreeing on, answered as documented.
    @Test func inputsTheDocumentRefusesAreRefusedAndOnesItAllowsAreAccepted() async throws {
        let harness = try await Harness()
        try await harness.test { client in
            var event = callEvent()
            event["occurred_at"] = "2026-03-03T18:00:00+05:00*"
            #expect(try await client.postCall(event).status == .badRequest)
            let revokeWord = try await client.call("/v1/consents", .post, json: ["phone": "+14155550123", "kind": "implied", "revoke": "yes"] as [String: any Sendable])
            #expect(revokeWord.status == .badRequest)
            let badKind = try await client.call("/v1/consents", .post, json: ["phone": "+14155550123", "kind": "maybe", "revoke": true] as [String: any Sendable])
            #expect(badKind.status == .badRequest)
            let revoked = try await client.call("/v1/consents", .post, json: ["phone": "+14155550123", "revoke": true] as [String: any Sendable])
            #expect(revoked.status == .ok)
            // A space form-encoded as "+" in the query, and an E.164 "+" sent raw, name the same number.
            let spaced = try await client.call("/v1/conversations?phone=%2B1+415+555+0123")
            #expect(spaced.status == .ok)
            let raw = try await client.call("/v1/callbacks?phone=+14155550123")
            #expect(raw.status == .ok)
            let long = String(repeating: "%C3%A9", count: 100)
            #expect(try await client.call("/v1/conversations/\(long)").status == .notFound)
        }
    }
}
