// swift-tools-version:6.1
// TextBack — a self-hostable missed-call follow-up engine.
//
// Targets follow the layers of docs/ARCHITECTURE.md; imports only point downwards:
// textback → Server → Engine → (Providers, Storage, Config) → Core, with Providers reading the
// typed carrier settings of Config.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "textback",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "textback", targets: ["textback"]),
        .executable(name: "textback-bench", targets: ["textback-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Tests only: the DevTools protocol client that drives headless Chromium in the dashboard's browser test.
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
    ],
    targets: [
        // Pure domain: phone numbers and NANP data, call events, the expression language, templates,
        // SMS encoding, sending windows, reply understanding and the policy decision.
        // No I/O, no clock reads, no random IDs: time and identifiers come in as parameters.
        .target(name: "TextBackCore", swiftSettings: strict),

        // The YAML configuration file: typed model, loader with file:line:column diagnostics,
        // validation of expressions and templates, and the built-in demo configuration.
        .target(
            name: "TextBackConfig",
            dependencies: ["TextBackCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),

        // The `Store` contract and its SQLite implementation (GRDB, WAL): contacts, calls,
        // automation runs, durable jobs, messages, decisions, consent and suppression.
        .target(
            name: "TextBackStorage",
            dependencies: ["TextBackCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),

        // The same `Store` contract on PostgreSQL (PostgresNIO) for several processes on one database:
        // the same tables and unique keys, row locks where SQLite relies on its single writer,
        // `FOR UPDATE SKIP LOCKED` claims, LISTEN/NOTIFY wake-ups, advisory-locked migrations.
        .target(
            name: "TextBackPostgres",
            dependencies: [
                "TextBackCore", "TextBackStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Provider adapters, one folder each (Twilio, Telnyx, Bandwidth, Thoughtly, Native, Simulator):
        // the `Carrier` interface and its normalized values (Shared), request building, error tables,
        // webhook parsing and signature verification, and thin AsyncHTTPClient transports with
        // explicit deadlines and bounded bodies.
        .target(
            name: "TextBackProviders",
            dependencies: [
                "TextBackCore", "TextBackStorage", "TextBackConfig",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        // Test support only (no production target may depend on it): a local fake of each carrier's
        // HTTP API on Hummingbird, bound to 127.0.0.1 port 0. Each checks requests the way the real
        // service does, records what it accepted, and is scriptable per request (success, a coded
        // refusal, 429 with Retry-After, 500, or a hang after the request arrived).
        .target(
            name: "TextBackCarrierFakes",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Ingestion, the automation interpreter, the durable job runner and the send path.
        .target(
            name: "TextBackEngine",
            dependencies: [
                "TextBackCore", "TextBackConfig", "TextBackStorage", "TextBackProviders",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // HTTP: webhooks, the /v1 API, simulator routes, health, the figures and Prometheus /metrics;
        // problem+json errors; the server-rendered dashboard at / (signed session cookies, CSRF tokens).
        .target(
            name: "TextBackServer",
            dependencies: [
                "TextBackCore", "TextBackConfig", "TextBackStorage", "TextBackProviders", "TextBackEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),

        // The executable: argument parsing and the composition root, nothing else.
        .executableTarget(
            name: "textback",
            dependencies: [
                "TextBackCore", "TextBackConfig", "TextBackStorage", "TextBackPostgres", "TextBackProviders", "TextBackEngine",
                "TextBackServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Benchmarks that wrk alone cannot make (seeding, lateness of due texts, following a run); see BENCHMARKS.md.
        .executableTarget(
            name: "textback-bench",
            dependencies: [
                "TextBackCore", "TextBackConfig", "TextBackStorage", "TextBackProviders", "TextBackEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "TextBackCoreTests", dependencies: ["TextBackCore"]),
        .testTarget(name: "TextBackConfigTests", dependencies: ["TextBackConfig", "TextBackCore"]),
        // The provider adapters against their fakes, the error tables, webhook parsing and signatures.
        .testTarget(
            name: "TextBackProvidersTests",
            dependencies: [
                "TextBackProviders", "TextBackCore", "TextBackConfig", "TextBackStorage", "TextBackCarrierFakes",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The storage contract run against every engine (PostgreSQL when TEXTBACK_TEST_POSTGRES_URL names a
        // server), plus SQLite's own crash, migration and back-pressure tests and PostgreSQL's own.
        .testTarget(
            name: "TextBackStorageTests",
            dependencies: ["TextBackStorage", "TextBackPostgres", "TextBackCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Runs the built `textback` executable as a user would; depending on it makes sure it is built.
        .testTarget(name: "TextBackCLITests", dependencies: ["textback", "TextBackProviders", "TextBackCarrierFakes", "TextBackPostgres", "TextBackStorage"]),
        .testTarget(
            name: "TextBackEngineTests",
            dependencies: [
                "TextBackEngine", "TextBackStorage", "TextBackConfig", "TextBackCore", "TextBackProviders", "TextBackCarrierFakes",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TextBackServerTests",
            dependencies: [
                "TextBackServer", "TextBackEngine", "TextBackStorage", "TextBackConfig", "TextBackCore",
                "TextBackProviders", "TextBackCarrierFakes",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "WSClient", package: "swift-websocket"),
            ]
        ),
    ]
)
