import CairnKafka
import CairnTesting
import Foundation
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Reads a topic from the start as its own consumer group, keeping what `keep` accepts, until
/// `done` holds for what was kept (or the time is up); then leaves the group.
enum TopicReader {
    static func read(
        _ topic: String, within timeout: Duration = .seconds(30), keep: @escaping @Sendable (KafkaMessage) -> Bool = { _ in true },
        until done: @escaping @Sendable ([KafkaMessage]) -> Bool
    ) async throws -> [KafkaMessage] {
        let kept = NIOLockedValueBox<[KafkaMessage]>([])
        let dlq = try KafkaProducer(settings: BillingHarness.kafka, clientID: "billing-test-reader", logger: BillingHarness.logger)
        defer { dlq.close() }
        let worker = try KafkaConsumerWorker(
            settings: BillingHarness.kafka, configuration: .init(groupID: "reader-\(TestInfra.uniqueSuffix())", topics: [topic]),
            dlq: dlq, logger: BillingHarness.logger
        ) { message in
            if keep(message) { kept.withLockedValue { $0.append(message) } }
        }
        let group = ServiceGroup(configuration: .init(services: [worker], logger: BillingHarness.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = await eventually(within: timeout, every: .milliseconds(50)) { done(kept.withLockedValue { $0 }) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        return kept.withLockedValue { $0 }
    }
}
