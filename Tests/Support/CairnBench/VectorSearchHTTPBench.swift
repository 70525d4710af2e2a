import CairnAuthKit
import CairnKafka
import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import NIOCore
import ServiceKit
import VectorSearchApp

/// `POST /v1/search` p50/p99 over HTTP (loopback, keep-alive, a verified service token) through
/// the real vector-search app, against the benchmark's vectors in one collection (target p50 ≤ 3 ms).
enum VectorSearchHTTPBench {
    static let targetHTTPp50Milliseconds = 3.0
    static let httpSearches = 2_000
    static let dimensions = VectorSearchBench.dimensions

    /// `POST /v1/search` (strategy vector, top_k 10, the configured efSearch) through the real
    /// app: routing, token verification, JSON both ways, the graph walk, the answer's excerpts.
    static func run(base: [Float], queries: [[Float]], logger: Logger) async throws -> String {
        try await TestDatabase.withFresh(prefix: "bench_vectors") { database in
            let suffix = TestInfra.uniqueSuffix()
            let kafka = KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
            let topics = ["chunks", "deleted", "indexed"].map { "bench.vectors-\($0).\(suffix)" }
            try await KafkaAdmin.ensureTopics(topics.map { TopicSpec(name: $0, partitions: 1) } + topics.prefix(2).map { TopicSpec(name: $0 + ".dlq", partitions: 1) },
                                              settings: kafka)
            let key = try EdDSA.PrivateKey()
            let kid = JWKIdentifier(string: "bench-vector-search")
            let jwk = JWK.octetKeyPair(.eddsa, identifier: kid, x: key.publicKey.rawRepresentation.base64URLEncodedString(), y: nil, curve: .ed25519)
            let verifier = TokenVerifier(keys: PublicKeyCache(source: AuthBench.StaticKeySource(jwks: JWKS(keys: [jwk])), logger: logger),
                                         settings: TokenVerificationSettings())
            let identity = Identity(kind: .service, subject: "chat-orchestrator", tenantID: nil, role: .service, scopes: Role.service.permissions)
            let token = try await JWTKeyCollection().add(eddsa: key, kid: kid).sign(
                AccessTokenClaims(identity: identity, issuer: "cairn-auth", audience: "cairn", issuedAt: Date(), lifetime: .seconds(3600), tokenID: suffix), kid: kid
            )
            let environment = TestInfra.serviceEnvironment(database: database.database, overrides: [
                "CAIRN_SEARCH_CHUNKS_TOPIC": topics[0], "CAIRN_SEARCH_DELETIONS_TOPIC": topics[1], "CAIRN_SEARCH_INDEXED_TOPIC": topics[2],
                "CAIRN_SEARCH_CONSUMER_GROUP": "bench-\(suffix)", "CAIRN_LOG_LEVEL": "error",
            ])
            let config = try VectorSearchService.configuration(environment: environment)
            let registry = IndexRegistry(settings: config.index)
            let tenant = UUID()
            let collection = CollectionKey(tenantID: tenant.uuidString.lowercased(), collectionID: "bench")
            let index = CollectionIndex(dimensions: dimensions, settings: config.index, capacity: base.count / dimensions)
            index.upsert((0..<base.count / dimensions).map { i in
                IndexedChunk(
                    record: ChunkRecord(chunkID: "c\(i)", documentID: "d\(i / 20)", documentVersion: 1, ordinal: i % 20,
                                        text: "Chunk \(i) of document \(i / 20), about five hundred characters in a real deployment.", title: "Document \(i / 20)"),
                    vector: Array(base[i * dimensions..<(i + 1) * dimensions])
                )
            })
            registry.install(index, for: collection)
            let app = try await VectorSearchService.buildApplication(
                config: config, verifier: verifier, embedder: NoQueryEmbedder(), registry: registry, logger: logger
            )
            return try await app.test(.live) { client in
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(token)"
                headers[.contentType] = "application/json"
                let bodies = try queries.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["vector": $0, "top_k": 10, "strategy": "vector"])) }
                let uri = "/v1/search?tenant_id=\(tenant.uuidString.lowercased())"
                func search(_ i: Int) async throws {
                    let status = try await client.execute(uri: uri, method: .post, headers: headers, body: bodies[i % bodies.count]) { $0.status }
                    guard status == .ok else { throw Bench.ToolFailed(tool: "vector search", status: Int32(status.code)) }
                }
                for i in 0..<200 { try await search(i) }
                let timing = try await AuthBench.measureAsync(count: httpSearches) { try await search($0) }
                return Bench.line([
                    "bench": "vector_search_http", "transport": "http (loopback, keep-alive)", "chunks": base.count / dimensions,
                    "searches": httpSearches, "ef": config.index.hnsw.efSearch, "p50_ms": (timing.p50 / 10).rounded() / 100,
                    "p99_ms": (timing.p99 / 10).rounded() / 100, "target_p50_ms": targetHTTPp50Milliseconds,
                    "meets_target": timing.p50 / 1000 <= targetHTTPp50Milliseconds,
                ])
            }
        }
    }

    /// Searches here pass vectors; no text is embedded.
    struct NoQueryEmbedder: QueryEmbedder {
        struct Unavailable: Error {}
        func embed(_ text: String, tenantID: UUID) async throws -> [Float] { throw Unavailable() }
    }
}
