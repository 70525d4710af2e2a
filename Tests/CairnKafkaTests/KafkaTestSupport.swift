import CairnKafka
import CairnTesting
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle
import Testing

/// Helpers for tests against the real broker `make test` starts.
enum KafkaTest {
    static var settings: KafkaSettings {
        // A short session timeout: a group whose member was killed rebalances in seconds.
        KafkaSettings(
            brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) },
            properties: ["session.timeout.ms": "6000"]
        )
    }

    static let logger = TestInfra.logger(level: .error)

    /// A fresh topic (and its DLQ) per test.
    static func freshTopic(_ stem: String, partitions: Int = 3) async throws -> String {
        let name = "test.\(stem).\(TestInfra.uniqueSuffix())"
        try await KafkaAdmin.ensureTopics(
            [TopicSpec(name: name, partitions: partitions), TopicSpec(name: KafkaConsumerWorker.dlqTopic(for: name), partitions: 1)],
            settings: settings
        )
        return name
    }

    static func producer() throws -> KafkaProducer {
        try KafkaProducer(settings: settings, clientID: "cairn-test", logger: logger)
    }

    /// Runs `worker` until `done()` holds (checked every 50 ms, up to `timeout`), then shuts it
    /// down gracefully and waits for it to leave the group.
    static func run(_ worker: KafkaConsumerWorker, until done: @escaping @Sendable () -> Bool, timeout: Duration = .seconds(90)) async throws {
        let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = await eventually(within: timeout, every: .milliseconds(50)) { done() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// What a handler saw, shared between the handler and the test.
final class Seen: Sendable {
    private let values = NIOLockedValueBox<[String]>([])

    func add(_ value: String) { values.withLockedValue { $0.append(value) } }
    var all: [String] { values.withLockedValue { $0 } }
    var count: Int { values.withLockedValue { $0.count } }
}
