import BillingApp
import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

/// The real billing service behind the gateway, on its own fresh database and topics,
/// verifying tokens with the real auth service's keys.
struct BillingUpstream: Sendable {
    let usageTopic = "test.usage.\(TestInfra.uniqueSuffix())"

    static var kafka: KafkaSettings {
        KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
    }

    /// Runs billing (against auth on `authPort`) for the duration of `body`, which gets its URL.
    func run(authPort: Int, _ body: @Sendable (String) async throws -> Void) async throws {
        try await TestDatabase.withFresh(prefix: "gwbill") { database in
            let suffix = TestInfra.uniqueSuffix()
            let warnings = "test.quota-warnings.\(suffix)"
            try await KafkaAdmin.ensureTopics([
                TopicSpec(name: usageTopic, partitions: 1), TopicSpec(name: usageTopic + ".dlq", partitions: 1),
                TopicSpec(name: warnings, partitions: 1), TopicSpec(name: EventTopic.audit.name, partitions: EventTopic.audit.partitions),
            ], settings: Self.kafka)
            let environment = TestInfra.serviceEnvironment(database: database.database, overrides: [
                "CAIRN_AUTH_URL": "http://127.0.0.1:\(authPort)", "CAIRN_BILLING_USAGE_TOPIC": usageTopic,
                "CAIRN_BILLING_WARNINGS_TOPIC": warnings, "CAIRN_BILLING_USAGE_GROUP": "billing-\(suffix)",
            ])
            let app = try await BillingService.buildApplication(
                config: try BillingService.configuration(environment: environment), logger: TestInfra.logger(level: .error)
            )
            try await app.test(.live) { client in
                try await body("http://127.0.0.1:\(try #require(client.port))")
            }
        }
    }

    /// Records `quantity` chat messages for the tenant, as the orchestrator will.
    func recordMessages(tenant: String, quantity: Int64) async throws {
        let producer = try KafkaProducer(settings: Self.kafka, clientID: "gateway-test", logger: TestInfra.logger(level: .error))
        defer { producer.close() }
        let event = Cairn_V1_UsageRecorded.make(tenantID: tenant, producer: "chat-orchestrator") {
            $0.usageID = UUID().uuidString
            $0.subjectType = .user
            $0.subjectID = "user-1"
            $0.kind = .chatMessage
            $0.quantity = quantity
        }
        for result in try await producer.send([KafkaRecord(topic: usageTopic, key: event.partitionKey, value: EventCodec.encode(event))]) {
            _ = try result.get()
        }
    }
}
