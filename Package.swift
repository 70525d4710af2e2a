// swift-tools-version:6.1
import PackageDescription

/// One list of compiler settings for every target of ours: Swift 6 language mode
/// (strict concurrency is part of it) plus the upcoming features the anchors use.
let ourSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let postgres = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
let jwtKit = Target.Dependency.product(name: "JWTKit", package: "jwt-kit")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let ahc = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
let kafka: [Target.Dependency] = ["CairnKafka", "CairnEvents", "CairnProtos"]

/// The eight deployables: (directory and target stem, executable name, extra dependencies).
let services: [(name: String, product: String, uses: [Target.Dependency])] = [
    ("Gateway", "gateway", ["CairnAuthKit", "CairnBillingAPI", "CairnRedis", crypto, ahc,
                            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
                            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket")]),
    ("Auth", "auth", ["CairnPostgres", "CairnOutbox", "CairnAuthKit", jwtKit, crypto,
                      .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                      .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                      .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio")] + kafka),
    ("Billing", "billing", ["CairnPostgres", "CairnOutbox", "CairnRedis", "CairnAuthKit", "CairnBillingAPI", postgres,
                            .product(name: "Metrics", package: "swift-metrics"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio")] + kafka),
    ("Ingestion", "ingestion", ["CairnPostgres", "CairnOutbox", "CairnAuthKit", "CairnTokenizer", postgres, crypto, lifecycle,
                                .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "NIOCore", package: "swift-nio"),
                                .product(name: "Metrics", package: "swift-metrics")] + kafka),
    ("Embedding", "embedding", ["MiniLM", "CairnTokenizer", "CairnRedis", "CairnAuthKit", ahc, crypto, lifecycle,
                                .product(name: "Metrics", package: "swift-metrics"),
                                .product(name: "NIOConcurrencyHelpers", package: "swift-nio")] + kafka),
    ("VectorSearch", "vector-search", ["CairnPostgres", "CairnAuthKit", "CairnServiceClients", "CVectorKernels", postgres, ahc,
                                       .product(name: "Metrics", package: "swift-metrics")] + kafka),
    ("Generation", "generation", ["CairnAuthKit", "CairnServiceClients", "CairnRedis", "CairnTokenizer", crypto, ahc,
                                  .product(name: "Metrics", package: "swift-metrics"), .product(name: "NIOCore", package: "swift-nio")] + kafka),
    ("ChatOrchestrator", "chat-orchestrator", ["CairnPostgres", "CairnOutbox", "CairnAuthKit", "CairnRedis", postgres, ahc, crypto,
                                               .product(name: "Metrics", package: "swift-metrics"), .product(name: "NIOCore", package: "swift-nio"),
                                               .product(name: "NIOPosix", package: "swift-nio"),
                                               .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                                               .product(name: "HTTPTypes", package: "swift-http-types")] + kafka),
]

/// Stamps out a service the same way every time: `<Name>App` library (everything testable)
/// and a tiny executable `main` over it.
func serviceTargets(_ name: String, uses: [Target.Dependency]) -> [Target] {
    [
        .target(
            name: "\(name)App",
            dependencies: ["ServiceKit", hummingbird, logging] + uses,
            path: "Services/\(name)/\(name)App",
            swiftSettings: ourSettings
        ),
        .executableTarget(
            name: name,
            dependencies: [.target(name: "\(name)App"), "ServiceKit"],
            path: "Services/\(name)/\(name)",
            swiftSettings: ourSettings
        ),
    ]
}

let package = Package(
    name: "cairn",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: $0.product, targets: [$0.name]) }
        + [.executable(name: "cairn-bench", targets: ["CairnBench"]), .executable(name: "cairn-admin", targets: ["CairnAdmin"]),
           .executable(name: "cairn", targets: ["CairnCLI"])],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Already built for postgres-nio; Redis script hashes, key encryption, token hashes.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // Ed25519 JWTs and JWKS (auth signs, every service verifies).
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        // bcrypt and TOTP for auth.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // The chat orchestrator's WebSocket endpoint (the same events as its SSE stream).
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // Already built for HummingbirdTesting; the one HTTP client (JWKS fetches, service calls).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // DOCX extraction (a DOCX is a zip of XML parts).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // The `cairn` command-line tool's commands, options and help.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(
            name: "ServiceKit",
            dependencies: [
                hummingbird, lifecycle, logging,
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: ourSettings
        ),
        .target(
            name: "CairnPostgres",
            dependencies: ["ServiceKit", postgres, logging, .product(name: "NIOSSL", package: "swift-nio-ssl")],
            path: "Shared/CairnPostgres",
            swiftSettings: ourSettings
        ),
        // Identity for every service: token verification (JWKS), roles, permissions, authorize().
        .target(
            name: "CairnAuthKit",
            dependencies: [
                "ServiceKit", hummingbird, logging, jwtKit, ahc,
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Shared/CairnAuthKit",
            swiftSettings: ourSettings
        ),
        // Clients of one service's API used by several others (the embedding service's vectors).
        .target(name: "CairnServiceClients", dependencies: ["CairnAuthKit"], path: "Shared/CairnServiceClients", swiftSettings: ourSettings),
        // Billing's HTTP contract (quota checks, plans) shared with its callers; Foundation only.
        .target(name: "CairnBillingAPI", path: "Shared/CairnBillingAPI", swiftSettings: ourSettings),
        // Messaging: librdkafka and hiredis through system-library targets (found with pkg-config;
        // `deploy/local/env.sh` points PKG_CONFIG_PATH at the repo-local librdkafka 2.8).
        .systemLibrary(name: "CRdKafka", path: "Shared/CRdKafka", pkgConfig: "rdkafka"),
        .target(
            name: "CairnKafka",
            dependencies: ["CRdKafka", "ServiceKit", lifecycle, logging, .product(name: "Metrics", package: "swift-metrics")],
            path: "Shared/CairnKafka",
            swiftSettings: ourSettings
        ),
        // The transactional outbox's relay (Postgres rows → Kafka), shared by auth and billing.
        .target(
            name: "CairnOutbox",
            dependencies: ["CairnKafka", "CairnPostgres", "ServiceKit", postgres, lifecycle, logging],
            path: "Shared/CairnOutbox",
            swiftSettings: ourSettings
        ),
        // Debian puts hiredis in /usr/include; its pkg-config file only adds a flag SwiftPM rejects.
        .systemLibrary(name: "CHiredis", path: "Shared/CHiredis"),
        .target(
            name: "CairnRedis",
            dependencies: [
                "CHiredis", "ServiceKit", logging, lifecycle,
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/CairnRedis",
            swiftSettings: ourSettings
        ),
        // Generated protobuf code only (`make protos`); never edited by hand.
        .target(
            name: "CairnProtos",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Protos",
            exclude: ["cairn", "README.md"],
            sources: ["Swift"],
            swiftSettings: ourSettings
        ),
        // Event envelopes, topics and schema-version checks over the generated types.
        .target(
            name: "CairnEvents",
            dependencies: ["CairnProtos", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/CairnEvents",
            swiftSettings: ourSettings
        ),
        // The uncased BERT WordPiece tokenizer of all-MiniLM-L6-v2: embedding encodes with it and
        // ingestion counts chunk sizes with it, so a token means the same thing to both.
        .target(name: "CairnTokenizer", path: "Shared/CairnTokenizer", swiftSettings: ourSettings),
        // Debian's OpenBLAS (cblas_sgemm) for the model's matrix work.
        .systemLibrary(name: "COpenBLAS", path: "Shared/COpenBLAS"),
        // float16 conversions in C for the model's weights and the vector-search graph.
        .target(name: "CFloat16", path: "Shared/CFloat16"),
        // The model's elementwise kernels (GELU, softmax, layer norm) in C, vectorised for AVX2/FMA
        // with a portable fallback chosen at load time.
        .target(
            name: "CMiniLMKernels",
            dependencies: ["CFloat16"],
            path: "Services/Embedding/CMiniLMKernels",
            exclude: ["kernels_impl.inc"],
            // Optimised in debug builds too (tests run the model); reassociation lets the row sums
            // vectorise, and no errno lets floorf/fminf become single instructions.
            cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-ffp-contract=fast", "-fassociative-math",
                                      "-fno-signed-zeros", "-fno-trapping-math"])]
        ),
        // vector-search's distance kernels, exact scan and HNSW graph in C, vectorised for
        // AVX2/FMA with a portable fallback chosen at load time (like CMiniLMKernels).
        .target(
            name: "CVectorKernels",
            dependencies: ["CFloat16"],
            path: "Services/VectorSearch/CVectorKernels",
            exclude: ["kernels_impl.inc"],
            cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-ffp-contract=fast", "-fassociative-math",
                                      "-fno-signed-zeros", "-fno-trapping-math"])]
        ),
        // all-MiniLM-L6-v2 in Swift: safetensors weights, the 6-layer encoder, mean pooling.
        .target(
            name: "MiniLM",
            dependencies: ["COpenBLAS", "CMiniLMKernels", crypto],
            path: "Services/Embedding/MiniLM",
            swiftSettings: ourSettings
        ),
        .target(
            name: "CairnTesting",
            dependencies: [
                "ServiceKit", "CairnPostgres", "CairnAuthKit", "CairnKafka", "CairnEvents", jwtKit, hummingbird, postgres, logging, lifecycle,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Shared/CairnTesting",
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: [
                "ServiceKit", "CairnTesting", hummingbird, lifecycle, logging,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "CairnPostgresTests",
            dependencies: ["CairnPostgres", "CairnTesting", postgres, logging],
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "CairnKafkaTests",
            dependencies: ["CairnKafka", "CairnTesting", "ServiceKit", logging],
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "CairnRedisTests",
            dependencies: ["CairnRedis", "CairnTesting", "ServiceKit", logging],
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "CairnAuthKitTests",
            dependencies: ["CairnAuthKit", "CairnTesting", "ServiceKit", jwtKit, crypto, hummingbird, logging,
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "AuthTests",
            dependencies: ["AuthApp", "CairnAuthKit", "CairnTesting", "CairnPostgres", "ServiceKit", jwtKit, crypto, postgres, logging,
                           hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HummingbirdOTP", package: "hummingbird-auth")] + kafka,
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "BillingTests",
            dependencies: ["BillingApp", "CairnBillingAPI", "CairnAuthKit", "CairnTesting", "CairnPostgres", "CairnRedis", "ServiceKit",
                           jwtKit, postgres, logging, hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")] + kafka,
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: ["GatewayApp", "AuthApp", "BillingApp", "CairnAuthKit", "CairnTesting", "CairnRedis", "ServiceKit", ahc, hummingbird, logging,
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                           .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")] + kafka,
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "CairnTokenizerTests",
            dependencies: ["CairnTokenizer"],
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "VectorSearchTests",
            dependencies: ["VectorSearchApp", "CairnAuthKit", "CairnTesting", "CairnPostgres", "ServiceKit", jwtKit, postgres, ahc, logging,
                           hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")] + kafka,
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "EmbeddingTests",
            dependencies: ["EmbeddingApp", "MiniLM", "CMiniLMKernels", "CFloat16", "CairnTokenizer", "CairnTesting", "CairnRedis", "CairnAuthKit", "ServiceKit", ahc, logging, jwtKit,
                           hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")] + kafka,
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "IngestionTests",
            dependencies: ["IngestionApp", "CairnTokenizer", "CairnTesting", "CairnPostgres", "CairnAuthKit", "ServiceKit", logging, jwtKit, postgres,
                           lifecycle, .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")] + kafka,
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "GenerationTests",
            dependencies: ["GenerationApp", "EmbeddingApp", "CairnServiceClients", "CairnTokenizer", "CairnTesting", "CairnRedis", "CairnAuthKit", "ServiceKit", ahc, jwtKit, logging,
                           hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")] + kafka,
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "ChatOrchestratorTests",
            dependencies: ["ChatOrchestratorApp", "GenerationApp", "VectorSearchApp", "CairnTesting", "CairnPostgres", "CairnAuthKit", "ServiceKit",
                           jwtKit, postgres, ahc, logging, lifecycle, hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                           .product(name: "HTTPTypes", package: "swift-http-types")] + kafka,
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "CairnEventsTests",
            dependencies: ["CairnEvents", "CairnProtos", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: ourSettings
        ),
        // A consumer process the crash-safety test starts and kills (SIGKILL) mid-batch.
        .executableTarget(
            name: "KafkaCrashWorker",
            dependencies: ["CairnKafka", "ServiceKit", logging],
            path: "Tests/Support/KafkaCrashWorker",
            swiftSettings: ourSettings
        ),
        // Operational one-offs (topic creation for `make up` and deployments).
        .executableTarget(
            name: "CairnAdmin",
            dependencies: ["CairnKafka", "CairnEvents", "ServiceKit"],
            path: "deploy/tools/CairnAdmin",
            swiftSettings: ourSettings
        ),
        // The `cairn` command-line tool: its commands and HTTP client in a library, a tiny `main`.
        .target(
            name: "CairnCLIKit",
            dependencies: [ahc, .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "NIOFoundationCompat", package: "swift-nio")],
            path: "Tools/CLI/CairnCLIKit",
            swiftSettings: ourSettings
        ),
        .executableTarget(
            name: "CairnCLI",
            dependencies: ["CairnCLIKit"],
            path: "Tools/CLI/CairnCLI",
            swiftSettings: ourSettings
        ),
        .testTarget(name: "CairnCLITests", dependencies: ["CairnCLIKit"], swiftSettings: ourSettings),
        // `make bench`: our Kafka and Redis clients, measured beside kcat and redis-benchmark.
        .executableTarget(
            name: "CairnBench",
            dependencies: ["CairnKafka", "CairnRedis", "CairnAuthKit", "AuthApp", "BillingApp", "GatewayApp", "EmbeddingApp", "VectorSearchApp", "GenerationApp", "IngestionApp", "MiniLM", "CairnTokenizer", "CairnBillingAPI", "CairnEvents", "CairnProtos", "CairnPostgres", "CairnTesting", "ServiceKit", logging, jwtKit, crypto,
                           hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "Tests/Support/CairnBench",
            swiftSettings: ourSettings
        ),
        .testTarget(
            name: "ServicesTests",
            dependencies: ["CairnTesting", "ServiceKit", .product(name: "HummingbirdTesting", package: "hummingbird")]
                + services.map { .target(name: "\($0.name)App") },
            swiftSettings: ourSettings
        ),
    ] + services.flatMap { serviceTargets($0.name, uses: $0.uses) }
)
