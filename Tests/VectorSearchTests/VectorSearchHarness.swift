import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnPostgres
import CairnProtos
import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Testing
@testable import VectorSearchApp

/// A query embedder for tests: vectors for known texts, a failure for anything else.
struct FixedQueryEmbedder: QueryEmbedder {
    struct Unknown: Error {}
    var vectors: [String: [Float]] = [:]

    func embed(_ text: String, tenantID: UUID) async throws -> [Float] {
        guard let vector = vectors[text] else { throw Unknown() }
        return vector
    }
}

/// The vector-search app on a fresh database and fresh topics, with its real services running
/// (Postgres, the chunk consumer, the producer of confirmations), driven through the router
/// test client.
struct VectorSearchHarness {
    let client: any TestClientProtocol
    let database: PostgresSettings
    let environment: [String: String]
    let tokens: TestTokens
    let producer: KafkaProducer
    let registry: IndexRegistry

    static let logger = TestInfra.logger(level: .error)

    static var kafka: KafkaSettings {
        KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
    }

    /// Fresh topics and group for one test, and the environment the service reads.
    static func environment(database: String, overrides: [String: String] = [:]) async throws -> [String: String] {
        let suffix = TestInfra.uniqueSuffix()
        let chunks = "test.chunks-embedded.\(suffix)"
        let deletions = "test.documents-deleted.\(suffix)"
        let indexed = "test.documents-indexed.\(suffix)"
        try await KafkaAdmin.ensureTopics([
            TopicSpec(name: chunks, partitions: 3), TopicSpec(name: chunks + ".dlq", partitions: 1),
            TopicSpec(name: deletions, partitions: 3), TopicSpec(name: deletions + ".dlq", partitions: 1),
            TopicSpec(name: indexed, partitions: 1),
        ], settings: kafka)
        return TestInfra.serviceEnvironment(database: database, overrides: [
            "CAIRN_SEARCH_CHUNKS_TOPIC": chunks, "CAIRN_SEARCH_DELETIONS_TOPIC": deletions, "CAIRN_SEARCH_INDEXED_TOPIC": indexed,
            "CAIRN_SEARCH_CONSUMER_GROUP": "vector-search-\(suffix)", "CAIRN_SEARCH_EXACT_BELOW": "0",
        ].merging(overrides) { $1 })
    }

    /// Runs `body` against a fresh app (and database), `restarts` times over the same database
    /// and topics when asked: each run builds a new app that loads its indexes from Postgres.
    static func run(
        embedder: FixedQueryEmbedder = FixedQueryEmbedder(), overrides: [String: String] = [:],
        _ body: @Sendable (VectorSearchHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh(prefix: "vectors") { database in
            let environment = try await environment(database: database.database, overrides: overrides)
            try await run(database: database, environment: environment, tokens: try TestTokens(), embedder: embedder, body)
        }
    }

    static func run(
        database: PostgresSettings, environment: [String: String], tokens: TestTokens, embedder: FixedQueryEmbedder = FixedQueryEmbedder(),
        _ body: @Sendable (VectorSearchHarness) async throws -> Void
    ) async throws {
        let config = try VectorSearchService.configuration(environment: environment)
        let registry = IndexRegistry(settings: config.index)
        let app = try await VectorSearchService.buildApplication(
            config: config, verifier: tokens.verifier(), embedder: embedder, registry: registry, logger: logger
        )
        let producer = try KafkaProducer(settings: kafka, clientID: "vector-search-test", logger: logger)
        defer { producer.close() }
        try await app.test(.router) { client in
            try await body(VectorSearchHarness(
                client: client, database: database, environment: environment, tokens: tokens, producer: producer, registry: registry
            ))
        }
    }

    var chunksTopic: String { environment["CAIRN_SEARCH_CHUNKS_TOPIC"]! }
    var deletionsTopic: String { environment["CAIRN_SEARCH_DELETIONS_TOPIC"]! }
    var indexedTopic: String { environment["CAIRN_SEARCH_INDEXED_TOPIC"]! }

    // MARK: HTTP

    func call(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil, raw: String? = nil, token: String?) async throws -> JSONReply {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        let body: ByteBuffer? = if let raw { ByteBuffer(string: raw) } else if let json { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) } else { nil }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            JSONReply(status: response.status, text: String(buffer: response.body), headers: response.headers)
        }
    }

    /// `POST /v1/search` as the service (naming the tenant) unless a token is given.
    func search(_ tenant: UUID, _ body: [String: Any], token: String? = nil) async throws -> JSONReply {
        let token = if let token { token } else { try await tokens.token(.service, tenant: nil) }
        return try await call(.post, "/v1/search?tenant_id=\(tenant.uuidString.lowercased())", json: body, token: token)
    }

    // MARK: Events

    /// A `ChunksEmbedded` batch of `vectors.count` chunks (`<document>-v<version>-<ordinal>`).
    static func embedded(
        tenant: UUID, document: String, version: Int = 1, collection: String = "docs", vectors: [[Float]], texts: [String]? = nil,
        metadata: [String: String] = [:], batch: (index: Int, count: Int) = (0, 1), firstOrdinal: Int = 0, title: String = "A title"
    ) -> Cairn_V1_ChunksEmbedded {
        Cairn_V1_ChunksEmbedded.make(tenantID: tenant.uuidString.lowercased(), producer: "embedding") { event in
            event.documentID = document
            event.documentVersion = UInt32(version)
            event.model = "test-model"
            event.dimensions = UInt32(vectors.first?.count ?? 4)
            event.batchIndex = UInt32(batch.index)
            event.batchCount = UInt32(batch.count)
            event.normalized = true
            event.title = title
            event.sourceUri = "https://example.com/\(document)"
            event.chunks = vectors.enumerated().map { offset, vector in
                var chunk = Cairn_V1_EmbeddedChunk()
                let ordinal = firstOrdinal + offset
                chunk.chunkID = "\(document)-v\(version)-\(ordinal)"
                chunk.ordinal = UInt32(ordinal)
                chunk.text = texts?[offset] ?? "chunk \(ordinal) of \(document)"
                chunk.vector = vector
                chunk.metadata = metadata.merging(["collection_id": collection]) { $1 }
                return chunk
            }
        }
    }

    static func deleted(tenant: UUID, document: String, version: Int?) -> Cairn_V1_DocumentDeleted {
        Cairn_V1_DocumentDeleted.make(tenantID: tenant.uuidString.lowercased(), producer: "ingestion") { event in
            event.documentID = document
            if let version { event.version = UInt32(version) } else { event.allVersions = Cairn_V1_AllVersions() }
            event.reason = .userRequest
        }
    }

    func publish(_ event: some CairnEvent, to topic: String) async throws {
        _ = try await producer.send(KafkaRecord(topic: topic, key: event.partitionKey, value: EventCodec.encode(event)))
    }

    func publish(_ events: [Cairn_V1_ChunksEmbedded]) async throws {
        let records = events.map { KafkaRecord(topic: chunksTopic, key: $0.partitionKey, value: EventCodec.encode($0)) }
        for result in try await producer.send(records) { _ = try result.get() }
    }

    // MARK: Database

    func withDatabase<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await withPostgresClient(database, body)
    }

    /// Chunk ids stored for a tenant.
    func storedChunks(_ tenant: UUID) async throws -> Set<String> {
        try await withDatabase { client in
            let rows = try await client.query("SELECT chunk_id FROM cairn_vectors WHERE tenant_id = \(tenant)")
            var ids = Set<String>()
            for try await id in rows.decode(String.self) { ids.insert(id) }
            return ids
        }
    }

    func indexedChunks(_ tenant: UUID, collection: String = "docs") -> Int {
        registry.index(CollectionKey(tenantID: tenant.uuidString.lowercased(), collectionID: collection))?.count ?? 0
    }

    /// Waits until the tenant's collection index holds `count` chunks and Postgres `total` of
    /// the tenant's (all its collections; `count` unless given).
    func awaitChunks(
        _ tenant: UUID, _ count: Int, collection: String = "docs", total: Int? = nil, within timeout: Duration = .seconds(60)
    ) async throws {
        let reached = await eventually(within: timeout, every: .milliseconds(50)) {
            (try? await storedChunks(tenant).count) == (total ?? count) && indexedChunks(tenant, collection: collection) == count
        }
        let stored = try await storedChunks(tenant).count
        try #require(reached, "Postgres has \(stored) chunks and the index \(indexedChunks(tenant, collection: collection)), expected \(count)")
    }
}

/// Unit vectors for tests: `axis(i, of: d)` is the i-th basis vector, `near` tilts one toward another.
func axis(_ i: Int, of dimensions: Int = 8) -> [Float] {
    var v = [Float](repeating: 0, count: dimensions)
    v[i % dimensions] = 1
    return v
}

func blend(_ a: [Float], _ b: [Float], _ t: Float) -> [Float] {
    normalized(zip(a, b).map { $0 * (1 - t) + $1 * t })
}
