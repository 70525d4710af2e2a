import BillingApp
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
import NIOCore
import PostgresNIO
import ServiceKit
import Testing

/// The billing app on a fresh database and fresh topics (usage in, warnings out), with its
/// real services running (Postgres, Redis, the Kafka consumer and the outbox relay), driven
/// through the router test client.
struct BillingHarness {
    let client: any TestClientProtocol
    let database: PostgresSettings
    let environment: [String: String]
    let tokens: TestTokens
    let producer: KafkaProducer

    static let logger = TestInfra.logger(level: .error)

    static var kafka: KafkaSettings {
        KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
    }

    /// Fresh topics and group for one test, and the environment billing reads.
    static func environment(database: String) async throws -> [String: String] {
        let suffix = TestInfra.uniqueSuffix()
        let usage = "test.usage.\(suffix)"
        let warnings = "test.quota-warnings.\(suffix)"
        try await KafkaAdmin.ensureTopics([
            TopicSpec(name: usage, partitions: 3), TopicSpec(name: usage + ".dlq", partitions: 1), TopicSpec(name: warnings, partitions: 1),
            TopicSpec(name: EventTopic.audit.name, partitions: EventTopic.audit.partitions),
        ], settings: kafka)
        return TestInfra.serviceEnvironment(database: database, overrides: [
            "CAIRN_BILLING_USAGE_TOPIC": usage, "CAIRN_BILLING_WARNINGS_TOPIC": warnings, "CAIRN_BILLING_USAGE_GROUP": "billing-\(suffix)",
            "CAIRN_BILLING_OUTBOX_RELAY_MS": "50",
        ])
    }

    static func run(_ body: @Sendable (BillingHarness) async throws -> Void) async throws {
        try await TestDatabase.withFresh(prefix: "billing") { database in
            let environment = try await environment(database: database.database)
            let tokens = try TestTokens()
            let config = try BillingService.configuration(environment: environment)
            let app = try await BillingService.buildApplication(config: config, verifier: tokens.verifier(), logger: logger)
            let producer = try KafkaProducer(settings: kafka, clientID: "billing-test", logger: logger)
            defer { producer.close() }
            try await app.test(.router) { client in
                try await body(BillingHarness(client: client, database: database, environment: environment, tokens: tokens, producer: producer))
            }
        }
    }

    var usageTopic: String { environment["CAIRN_BILLING_USAGE_TOPIC"]! }
    var warningsTopic: String { environment["CAIRN_BILLING_WARNINGS_TOPIC"]! }

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

    func get(_ path: String, token: String?) async throws -> JSONReply { try await call(.get, path, token: token) }

    /// `POST /v1/quota/check` as a service.
    func quota(_ tenant: UUID, _ resource: String, quantity: Int = 1) async throws -> JSONReply {
        try await call(.post, "/v1/quota/check", json: ["tenant_id": tenant.uuidString.lowercased(), "resource": resource, "quantity": quantity],
                       token: tokens.token(.service, tenant: nil, subject: "gateway"))
    }

    // MARK: Usage events

    static func usage(
        tenant: UUID, kind: Cairn_V1_UsageKind, quantity: Int64 = 1, usageID: String = UUID().uuidString, subject: String = "user-1",
        at date: Date = Date()
    ) -> Cairn_V1_UsageRecorded {
        var event = Cairn_V1_UsageRecorded.make(tenantID: tenant.uuidString.lowercased(), producer: "chat-orchestrator") {
            $0.usageID = usageID
            $0.subjectType = .user
            $0.subjectID = subject
            $0.kind = kind
            $0.quantity = quantity
        }
        event.meta.occurredAt = .init(date: date)
        return event
    }

    func publish(_ events: [Cairn_V1_UsageRecorded]) async throws {
        try await Self.publish(events, topic: usageTopic, producer: producer)
    }

    static func publish(_ events: [Cairn_V1_UsageRecorded], topic: String, producer: KafkaProducer) async throws {
        for start in stride(from: 0, to: events.count, by: 1_000) {
            let records = events[start..<min(events.count, start + 1_000)].map {
                KafkaRecord(topic: topic, key: $0.partitionKey, value: EventCodec.encode($0))
            }
            for result in try await producer.send(Array(records)) { _ = try result.get() }
        }
    }

    // MARK: Database

    func withDatabase<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await withPostgresClient(database, body)
    }

    /// Rows in the ledger and the sum of their quantities for a tenant.
    func ledger(_ tenant: UUID) async throws -> (rows: Int, total: Int) {
        try await withDatabase { client in
            let rows = try await client.query("SELECT count(*)::int8, coalesce(sum(quantity), 0)::int8 FROM usage_ledger WHERE tenant_id = \(tenant)")
            for try await (count, total) in rows.decode((Int, Int).self) { return (count, total) }
            return (0, 0)
        }
    }

    /// Waits until the tenant's ledger holds `rows` rows.
    func awaitLedger(_ tenant: UUID, rows: Int, within timeout: Duration = .seconds(60)) async throws {
        let reached = await eventually(within: timeout, every: .milliseconds(50)) { (try? await ledger(tenant).rows) == rows }
        let now = try await ledger(tenant)
        try #require(reached, "ledger has \(now.rows) rows, expected \(rows)")
    }
}
