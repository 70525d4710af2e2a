import AsyncHTTPClient
import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import ChatOrchestratorApp
import Foundation
import GenerationApp
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import ServiceKit
import Testing
import VectorSearchApp

/// The orchestrator on a fresh database and usage topic, in front of the real vector-search
/// (fresh database and topics, lexical retrieval: its query embedder is down) and the real
/// generation (the extractive generator), each on a live socket; the three verify the same
/// test-signed tokens.
struct ChatHarness {
    let client: any TestClientProtocol
    let port: Int
    let tokens: TestTokens
    let usageTopic: String
    /// generation's usage events: one pair (tokens in/out) per generated answer.
    let generationUsageTopic: String
    let chunksTopic: String
    let vectorSearchPort: Int
    let database: PostgresSettings
    let tenant = UUID()

    static let logger = TestInfra.logger(level: .error)

    static var kafka: KafkaSettings {
        KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
    }

    /// vector-search's query embedder with the embedding service down: hybrid searches degrade
    /// to lexical, as they do in production.
    struct EmbeddingDown: QueryEmbedder {
        struct Unavailable: Error {}
        func embed(_ text: String, tenantID: UUID) async throws -> [Float] { throw Unavailable() }
    }

    /// `orchestrator` overrides the orchestrator's environment; `generation` generation's.
    static func run(
        orchestrator: [String: String] = [:], generation: [String: String] = [:], _ body: @Sendable (ChatHarness) async throws -> Void
    ) async throws {
        let tokens = try TestTokens()
        let suffix = TestInfra.uniqueSuffix()
        let topics = (chunks: "test.chat-chunks.\(suffix)", deletions: "test.chat-deletions.\(suffix)", indexed: "test.chat-indexed.\(suffix)",
                      usage: "test.chat-usage.\(suffix)", generationUsage: "test.chat-generation-usage.\(suffix)")
        try await KafkaAdmin.ensureTopics([
            TopicSpec(name: topics.chunks, partitions: 1), TopicSpec(name: topics.chunks + ".dlq", partitions: 1),
            TopicSpec(name: topics.deletions, partitions: 1), TopicSpec(name: topics.deletions + ".dlq", partitions: 1),
            TopicSpec(name: topics.indexed, partitions: 1), TopicSpec(name: topics.usage, partitions: 1), TopicSpec(name: topics.generationUsage, partitions: 1),
        ], settings: kafka)
        try await TestDatabase.withFresh(prefix: "vectors") { vectors in
            try await TestDatabase.withFresh(prefix: "chat") { chat in
                let searchConfig = try VectorSearchService.configuration(environment: TestInfra.serviceEnvironment(database: vectors.database, overrides: [
                    "CAIRN_SEARCH_CHUNKS_TOPIC": topics.chunks, "CAIRN_SEARCH_DELETIONS_TOPIC": topics.deletions,
                    "CAIRN_SEARCH_INDEXED_TOPIC": topics.indexed, "CAIRN_SEARCH_CONSUMER_GROUP": "vector-search-\(suffix)",
                ]))
                let search = try await VectorSearchService.buildApplication(
                    config: searchConfig, verifier: tokens.verifier(), embedder: EmbeddingDown(), registry: IndexRegistry(settings: searchConfig.index),
                    logger: logger
                )
                let generationConfig = try GenerationService.configuration(environment: TestInfra.serviceEnvironment(
                    overrides: ["CAIRN_GENERATION_USAGE_TOPIC": topics.generationUsage].merging(generation) { $1 }
                ))
                let generator = try GenerationService.buildApplication(config: generationConfig, verifier: tokens.verifier(), embedder: nil, logger: logger)
                try await search.test(.live) { searchClient in
                    try await generator.test(.live) { generationClient in
                        let environment = TestInfra.serviceEnvironment(database: chat.database, overrides: [
                            "CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:\(searchClient.port!)",
                            "CAIRN_GENERATION_URL": "http://127.0.0.1:\(generationClient.port!)",
                            "CAIRN_CHAT_USAGE_TOPIC": topics.usage,
                            "CAIRN_CHAT_OUTBOX_RELAY_MS": "50",
                        ].merging(orchestrator) { $1 })
                        let config = try ChatOrchestratorService.configuration(environment: environment)
                        let app = try ChatOrchestratorService.buildApplication(config: config, verifier: tokens.verifier(), logger: logger)
                        try await app.test(.live) { client in
                            try await body(ChatHarness(client: client, port: client.port!, tokens: tokens, usageTopic: topics.usage,
                                                       generationUsageTopic: topics.generationUsage,
                                                       chunksTopic: topics.chunks, vectorSearchPort: searchClient.port!, database: chat))
                        }
                    }
                }
            }
        }
    }

    // MARK: Identities

    /// A member of the harness's tenant (a fresh user unless `subject` is given).
    func member(_ subject: String = "user-\(TestInfra.uniqueSuffix())", tenant: UUID? = nil) async throws -> String {
        try await tokens.token(.member, tenant: tenant ?? self.tenant, subject: subject)
    }

    func admin(tenant: UUID? = nil) async throws -> String {
        try await tokens.token(.tenantAdmin, tenant: tenant ?? self.tenant, subject: "admin-\(TestInfra.uniqueSuffix())")
    }

    // MARK: HTTP

    func call(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil, token: String, headers extra: HTTPFields = [:]) async throws -> JSONReply {
        var headers = extra
        headers[.contentType] = "application/json"
        headers[.authorization] = "Bearer \(token)"
        let body = try json.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            JSONReply(status: response.status, text: String(buffer: response.body), headers: response.headers)
        }
    }

    /// Whether the conversation's last message becomes an interrupted assistant answer starting
    /// with `prefix` within 20 s (a partial answer kept after a disconnect).
    func awaitInterruptedAnswer(in conversation: String, token: String, startingWith prefix: String) async -> Bool {
        await eventually(within: .seconds(20), every: .milliseconds(100)) {
            let history = try? await call(.get, "/v1/conversations/\(conversation)/messages", token: token)
            guard let last = (history?["messages"] as? [[String: Any]])?.last else { return false }
            return last["role"] as? String == "assistant" && last["interrupted"] as? Bool == true
                && (last["content"] as? String ?? "").hasPrefix(prefix)
        }
    }

    /// The SSE events of an answer: (event name, data as JSON).
    static func events(_ text: String) -> [(name: String, data: [String: Any])] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
            var name = ""
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data += String(line.dropFirst(6)) }
            }
            return (name, (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:])
        }
    }

    // MARK: Documents

    /// A passage of a test document, indexed into vector-search as embedding would publish it.
    struct Passage {
        var document: String
        var collection: String
        var text: String
        var category: String = "general"
        var title: String = "Handbook"
    }

    /// Publishes `passages` (one chunk each) for `tenant` and waits until vector-search finds them all
    /// (`total`: the chunks their collections then hold, when they held some before).
    func index(_ passages: [Passage], tenant: UUID? = nil, total: Int? = nil) async throws {
        let tenant = tenant ?? self.tenant
        let producer = try KafkaProducer(settings: Self.kafka, clientID: "chat-test", logger: Self.logger)
        defer { producer.close() }
        let events = Dictionary(grouping: passages.enumerated(), by: { $0.element.document }).map { document, items in
            Cairn_V1_ChunksEmbedded.make(tenantID: tenant.uuidString.lowercased(), producer: "embedding") { event in
                event.documentID = document
                event.documentVersion = 1
                event.model = "test-model"
                event.dimensions = 4
                event.batchIndex = 0
                event.batchCount = 1
                event.normalized = true
                event.title = items[0].element.title
                event.chunks = items.enumerated().map { ordinal, item in
                    var chunk = Cairn_V1_EmbeddedChunk()
                    chunk.chunkID = "\(document)-v1-\(ordinal)"
                    chunk.ordinal = UInt32(ordinal)
                    chunk.text = item.element.text
                    chunk.vector = [Float(item.offset + 1), 1, 0.5, 0.25]
                    chunk.metadata = ["collection_id": item.element.collection, "category": item.element.category]
                    return chunk
                }
            }
        }
        let records = events.map { KafkaRecord(topic: chunksTopic, key: $0.partitionKey, value: EventCodec.encode($0)) }
        for result in try await producer.send(records) { _ = try result.get() }
        let service = try await tokens.token(.service, tenant: nil, subject: "chat-test")
        let http = HTTPClient.shared
        let indexed = await eventually(within: .seconds(60), every: .milliseconds(100)) {
            var found = 0
            for collection in Set(passages.map(\.collection)) {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(vectorSearchPort)/v1/search/collections/\(collection)?tenant_id=\(tenant.uuidString.lowercased())")
                request.headers.add(name: "Authorization", value: "Bearer \(service)")
                guard let response = try? await http.execute(request, timeout: .seconds(5)), response.status == .ok,
                      let body = try? await response.body.collect(upTo: 1 << 20),
                      let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else { return false }
                found += object["chunks"] as? Int ?? 0
            }
            return found == total ?? passages.count
        }
        guard indexed else { throw NotIndexed() }
    }

    struct NotIndexed: Error {}

    /// Rows left anywhere in `cairn_chat` that belong to `conversation` (messages, feedback, idempotency keys).
    func storedRows(conversation: String) async throws -> Int {
        let id = try #require(UUID(uuidString: conversation))
        return try await withPostgresClient(database) { client in
            let rows = try await client.query("""
                SELECT (SELECT count(*) FROM messages WHERE conversation_id = \(id)) + (SELECT count(*) FROM feedback WHERE conversation_id = \(id))
                     + (SELECT count(*) FROM idempotency_keys WHERE conversation_id = \(id)) + (SELECT count(*) FROM conversations WHERE id = \(id))
                """)
            var total = 0
            for try await count in rows.decode(Int.self) { total = count }
            return total
        }
    }
}
