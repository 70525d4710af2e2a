import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import EmbeddingApp
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceKit
import ServiceLifecycle
import Synchronization
import Testing

/// The embedding app on fresh topics (chunks in, embedded chunks out, usage out) with its real
/// services (Redis, the producer, the batcher and, unless switched off, the Kafka worker),
/// driven through the router test client. The weights are loaded once per test process.
struct EmbeddingHarness {
    let client: any TestClientProtocol
    let config: EmbeddingConfig
    let tokens: TestTokens
    let local: LocalEmbedder
    /// A fresh tenant per harness, so usage events are told apart.
    let tenant = UUID()

    static let logger = TestInfra.logger(level: .error)

    static var kafka: KafkaSettings {
        // A short session timeout: a group whose member was killed rebalances in seconds.
        KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) }, properties: ["session.timeout.ms": "6000"])
    }

    /// Fresh topics and group for one test, and the environment embedding reads.
    static func environment(_ overrides: [String: String] = [:]) async throws -> [String: String] {
        let suffix = TestInfra.uniqueSuffix()
        let chunks = "test.chunks.\(suffix)"
        let embedded = "test.embedded.\(suffix)"
        let usage = "test.embedding-usage.\(suffix)"
        try await KafkaAdmin.ensureTopics([
            TopicSpec(name: chunks, partitions: 3), TopicSpec(name: chunks + ".dlq", partitions: 1),
            TopicSpec(name: embedded, partitions: 3), TopicSpec(name: usage, partitions: 1),
        ], settings: kafka)
        return TestInfra.serviceEnvironment(overrides: [
            "CAIRN_EMBEDDING_CHUNKS_TOPIC": chunks, "CAIRN_EMBEDDING_EMBEDDED_TOPIC": embedded, "CAIRN_EMBEDDING_USAGE_TOPIC": usage,
            "CAIRN_EMBEDDING_WORKER_GROUP": "embedding-\(suffix)", "CAIRN_KAFKA_OPT_SESSION_TIMEOUT_MS": "6000",
        ].merging(overrides) { $1 })
    }

    /// Runs `body` against a fresh app. The worker is off unless `worker` is true.
    static func run(
        worker: Bool = false, _ overrides: [String: String] = [:], _ body: @Sendable (EmbeddingHarness) async throws -> Void
    ) async throws {
        let environment = try await environment(overrides.merging(["CAIRN_EMBEDDING_WORKER": worker ? "on" : "off"]) { old, _ in old })
        let config = try EmbeddingService.configuration(environment: environment)
        let tokens = try TestTokens()
        let local = try await TestModel.embedder(batching: config.batching)
        let app = try EmbeddingService.buildApplication(config: config, verifier: tokens.verifier(), local: local, logger: logger)
        try await app.test(.router) { client in
            try await body(EmbeddingHarness(client: client, config: config, tokens: tokens, local: local))
        }
    }

    // MARK: HTTP

    func call(
        _ method: HTTPRequest.Method, _ path: String, json: Any? = nil, raw: String? = nil, token: String?, headers extra: HTTPFields = [:]
    ) async throws -> JSONReply {
        var headers = extra
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        let body: ByteBuffer? = if let raw { ByteBuffer(string: raw) } else if let json { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) } else { nil }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            JSONReply(status: response.status, text: String(buffer: response.body), headers: response.headers)
        }
    }

    var tenantQuery: String { "?tenant_id=\(tenant.uuidString.lowercased())" }

    /// A token of the chat orchestrator: a service, the kind of caller that holds
    /// `embeddings:create` today (README "Embedding").
    func serviceToken() async throws -> String {
        try await tokens.token(.service, tenant: nil, subject: "chat-orchestrator")
    }

    /// `POST /v1/embeddings?tenant_id=<the harness's tenant>` as the chat orchestrator.
    func embed(_ body: [String: Any]) async throws -> JSONReply {
        try await call(.post, "/v1/embeddings" + tenantQuery, json: body, token: try await serviceToken())
    }

    /// The vectors of a float answer.
    static func vectors(_ reply: JSONReply) -> [[Float]] {
        (reply.array("data") ?? []).map { item in ((item["embedding"] as? [Any]) ?? []).map { Float(($0 as? NSNumber)?.doubleValue ?? .nan) } }
    }

    // MARK: Kafka

    var chunksTopic: String { config.chunksTopic }
    var embeddedTopic: String { config.embeddedTopic }
    var usageTopic: String { config.usageTopic }

    static func chunksCreated(
        tenant: UUID, document: UUID = UUID(), version: UInt32 = 1, texts: [String], metadata: [String: String] = [:],
        batchIndex: UInt32 = 0, batchCount: UInt32 = 1
    ) -> Cairn_V1_ChunksCreated {
        Cairn_V1_ChunksCreated.make(tenantID: tenant.uuidString.lowercased(), producer: "ingestion", correlationID: "req-\(document.uuidString.prefix(8))") {
            $0.documentID = document.uuidString.lowercased()
            $0.documentVersion = version
            $0.batchIndex = batchIndex
            $0.batchCount = batchCount
            $0.chunker = "recursive-256/32@1"
            $0.title = "Document \(document.uuidString.prefix(8))"
            $0.sourceUri = "s3://bucket/\(document.uuidString.lowercased()).md"
            var offset: UInt32 = 0
            $0.chunks = texts.enumerated().map { index, text in
                var chunk = Cairn_V1_Chunk()
                chunk.chunkID = "\(document.uuidString.lowercased()):\(version):\(index)"
                chunk.ordinal = UInt32(index)
                chunk.text = text
                chunk.tokenCount = UInt32(text.split(separator: " ").count)
                chunk.charStart = offset
                chunk.charEnd = offset + UInt32(text.unicodeScalars.count)
                offset = chunk.charEnd
                chunk.metadata = metadata.merging(["page": "\(index + 1)"]) { old, _ in old }
                return chunk
            }
        }
    }

    static func publish(_ records: [KafkaRecord]) async throws {
        let producer = try KafkaProducer(settings: kafka, clientID: "embedding-test", logger: logger)
        defer { producer.close() }
        for result in try await producer.send(records) { _ = try result.get() }
    }

    func publish(_ events: [Cairn_V1_ChunksCreated]) async throws {
        try await Self.publish(events.map { KafkaRecord(topic: chunksTopic, key: $0.partitionKey, value: EventCodec.encode($0)) })
    }
}

/// all-MiniLM-L6-v2, loaded once per test process; each app gets its own batcher over it.
actor TestModel {
    static let shared = TestModel()
    private var loading: Task<LocalEmbedder, any Error>?

    private func prototype() async throws -> LocalEmbedder {
        let task = loading ?? Task {
            try await LocalEmbedder.load(directory: TestInfra.modelDirectory, threads: 2, batching: .init(window: .zero, maxBatch: 1))
        }
        loading = task
        return try await task.value
    }

    static func embedder(batching: BatchingSettings) async throws -> LocalEmbedder {
        LocalEmbedder(sharing: try await shared.prototype(), batching: batching)
    }
}

/// What a handler saw, shared between it and the test.
final class Seen<Element: Sendable>: Sendable {
    private let elements = Mutex<[Element]>([])

    func append(_ element: Element) { elements.withLock { $0.append(element) } }
    var all: [Element] { elements.withLock { $0 } }
}
