import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnPostgres
import CairnProtos
import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import IngestionApp
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Testing

/// The ingestion app on a fresh database and fresh topics, with its real services running
/// (Postgres, the outbox relay, the submission and confirmation consumers), driven through the
/// router test client.
struct IngestionHarness {
    let client: any TestClientProtocol
    let database: PostgresSettings
    let environment: [String: String]
    let tokens: TestTokens
    /// A fresh tenant per harness, and a member's token for it.
    let tenant = UUID()

    static let logger = TestInfra.logger(level: .error)

    static var kafka: KafkaSettings {
        KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
    }

    /// Fresh topics and groups, and the environment ingestion reads.
    static func environment(database: String, _ overrides: [String: String] = [:]) async throws -> [String: String] {
        let suffix = TestInfra.uniqueSuffix()
        let names = ["submitted", "chunks", "deleted", "indexed", "usage"].map { ($0, "test.ingestion-\($0).\(suffix)") }
        try await KafkaAdmin.ensureTopics(names.flatMap { [TopicSpec(name: $0.1, partitions: 3), TopicSpec(name: $0.1 + ".dlq", partitions: 1)] },
                                          settings: kafka)
        var environment = TestInfra.serviceEnvironment(database: database, overrides: [
            "CAIRN_INGESTION_SUBMITTED_GROUP": "ingestion-\(suffix)", "CAIRN_INGESTION_INDEXED_GROUP": "ingestion-indexed-\(suffix)",
            "CAIRN_INGESTION_OUTBOX_RELAY_MS": "20", "CAIRN_KAFKA_OPT_SESSION_TIMEOUT_MS": "6000",
        ])
        for (name, topic) in names { environment["CAIRN_INGESTION_\(name.uppercased())_TOPIC"] = topic }
        return environment.merging(overrides) { $1 }
    }

    static func run(_ overrides: [String: String] = [:], _ body: @Sendable (IngestionHarness) async throws -> Void) async throws {
        try await TestDatabase.withFresh(prefix: "ingestion") { database in
            let environment = try await environment(database: database.database, overrides)
            let tokens = try TestTokens(kid: "ingestion-test-key")
            let config = try IngestionService.configuration(environment: environment)
            let app = try await IngestionService.buildApplication(config: config, verifier: tokens.verifier(logger: logger), logger: logger)
            try await app.test(.router) { client in
                try await body(IngestionHarness(client: client, database: database, environment: environment, tokens: tokens))
            }
        }
    }

    func topic(_ name: String) -> String { environment["CAIRN_INGESTION_\(name.uppercased())_TOPIC"]! }

    // MARK: HTTP

    func member(_ tenant: UUID? = nil) async throws -> String {
        try await tokens.token(.member, tenant: tenant ?? self.tenant)
    }

    func admin(_ tenant: UUID? = nil) async throws -> String {
        try await tokens.token(.tenantAdmin, tenant: tenant ?? self.tenant)
    }

    func call(
        _ method: HTTPRequest.Method, _ path: String, json: Any? = nil, body: ByteBuffer? = nil, contentType: String = "application/json",
        token: String?
    ) async throws -> JSONReply {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if let token { headers[.authorization] = "Bearer \(token)" }
        let payload: ByteBuffer? = if let body { body } else if let json { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) } else { nil }
        return try await client.execute(uri: path, method: method, headers: headers, body: payload) { response in
            JSONReply(status: response.status, text: String(buffer: response.body), headers: response.headers)
        }
    }

    /// A new collection of the harness's tenant; its id.
    func createCollection(_ name: String = "docs-\(TestInfra.uniqueSuffix())", settings: [String: Any] = [:], token: String? = nil) async throws -> String {
        let bearer = if let token { token } else { try await member() }
        let reply = try await call(.post, "/v1/collections", json: ["name": name].merging(settings) { $1 }, token: bearer)
        try #require(reply.status == .created, "\(reply.text)")
        return try #require(reply.string("id"))
    }

    /// A multipart upload of `content` as the form's `file` part, plus text `fields`.
    func upload(
        _ content: Data, filename: String, type: String?, to collection: String, fields: [String: String] = [:], token: String? = nil
    ) async throws -> JSONReply {
        let boundary = "cairn-test-\(TestInfra.uniqueSuffix())"
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n")
        if let type { body.writeString("Content-Type: \(type)\r\n") }
        body.writeString("\r\n")
        body.writeBytes(content)
        body.writeString("\r\n--\(boundary)--\r\n")
        let bearer = if let token { token } else { try await member() }
        return try await call(.post, "/v1/collections/\(collection)/documents", body: body, contentType: "multipart/form-data; boundary=\(boundary)",
                              token: bearer)
    }

    /// Submits JSON text content; the accepted document's id.
    func submitText(_ text: String, to collection: String, extra: [String: Any] = [:]) async throws -> String {
        let reply = try await call(.post, "/v1/collections/\(collection)/documents", json: ["content": text, "mime_type": "text/markdown"].merging(extra) { $1 },
                                   token: try await member())
        try #require(reply.status == .accepted, "\(reply.text)")
        return try #require(reply.string("document_id"))
    }

    func document(_ id: String) async throws -> JSONReply {
        try await call(.get, "/v1/documents/\(id)", token: try await member())
    }

    /// Waits until the document has `status`; its final answer.
    @discardableResult
    func awaitStatus(_ id: String, _ status: String, within timeout: Duration = .seconds(60)) async throws -> JSONReply {
        _ = await eventually(within: timeout, every: .milliseconds(50)) { (try? await document(id).string("status")) == status }
        let reply = try await document(id)
        try #require(reply.string("status") == status, "document \(id): \(reply.text)")
        return reply
    }

    // MARK: Kafka

    static func publish(_ records: [KafkaRecord]) async throws {
        let producer = try KafkaProducer(settings: kafka, clientID: "ingestion-test", logger: logger)
        defer { producer.close() }
        for start in stride(from: 0, to: records.count, by: 1_000) {
            for result in try await producer.send(Array(records[start..<min(records.count, start + 1_000)])) { _ = try result.get() }
        }
    }

    /// Every event of `type` on `topic` read from the start until `done` holds for them (or the time is up).
    static func events<Event: CairnEvent>(
        _ type: Event.Type, on topic: String, within timeout: Duration = .seconds(60), until done: @escaping @Sendable ([Event]) -> Bool
    ) async throws -> [Event] {
        try await TopicTap.read(topic, within: timeout) { done($0.compactMap { try? EventCodec.decode(Event.self, from: $0.value) }) }
            .compactMap { try? EventCodec.decode(Event.self, from: $0.value) }
    }

    // MARK: Database

    func withDatabase<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await withPostgresClient(database, body)
    }

    func count(_ sql: String) async throws -> Int {
        try await withDatabase { client in
            for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
            return 0
        }
    }
}

/// Reads a topic from the start as a consumer group of its own until `done` holds for what it
/// read (or the time is up), then leaves the group.
enum TopicTap {
    static func read(
        _ topic: String, within timeout: Duration, until done: @escaping @Sendable ([KafkaMessage]) -> Bool
    ) async throws -> [KafkaMessage] {
        let seen = NIOLockedValueBox<[KafkaMessage]>([])
        let dlq = try KafkaProducer(settings: IngestionHarness.kafka, clientID: "ingestion-test-tap", logger: IngestionHarness.logger)
        defer { dlq.close() }
        let worker = try KafkaConsumerWorker(
            settings: IngestionHarness.kafka, configuration: .init(groupID: "tap-\(TestInfra.uniqueSuffix())", topics: [topic], maxBatchSize: 500),
            dlq: dlq, logger: IngestionHarness.logger
        ) { batch in seen.withLockedValue { $0 += batch } }
        let group = ServiceGroup(configuration: .init(services: [worker], logger: IngestionHarness.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = await eventually(within: timeout, every: .milliseconds(50)) { done(seen.withLockedValue { $0 }) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        return seen.withLockedValue { $0 }
    }
}
