import CairnEvents
import CairnKafka
import Foundation
import ServiceKit
import ServiceLifecycle
import Synchronization

/// Reads a topic from the start, as a consumer group of its own, for tests that check what a
/// service published: keeps what `keep` accepts until `done` holds for it (or the time is up),
/// then waits `settle` more (to catch what should not come, e.g. a duplicate) and leaves the group.
public enum TopicReader {
    public static func read(
        _ topic: String, within timeout: Duration = .seconds(60), settle: Duration = .zero,
        keep: @escaping @Sendable (KafkaMessage) -> Bool = { _ in true }, until done: @escaping @Sendable ([KafkaMessage]) -> Bool
    ) async throws -> [KafkaMessage] {
        let kept = Mutex<[KafkaMessage]>([])
        let logger = TestInfra.logger("topic-reader", level: .error)
        let settings = KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
        let dlq = try KafkaProducer(settings: settings, clientID: "test-topic-reader", logger: logger)
        defer { dlq.close() }
        let worker = try KafkaConsumerWorker(
            settings: settings, configuration: .init(groupID: "reader-\(TestInfra.uniqueSuffix())", topics: [topic]), dlq: dlq, logger: logger
        ) { message in
            if keep(message) { kept.withLock { $0.append(message) } }
        }
        let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = await eventually(within: timeout, every: .milliseconds(50)) { done(kept.withLock { $0 }) }
            if settle > .zero { try? await Task.sleep(for: settle) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        return kept.withLock { $0 }
    }

    /// The events of a topic, decoded (what does not decode is skipped), until `done` holds for them.
    public static func events<Event: CairnEvent>(
        _ type: Event.Type, on topic: String, within timeout: Duration = .seconds(60), settle: Duration = .zero,
        until done: @escaping @Sendable ([Event]) -> Bool
    ) async throws -> [Event] {
        try await read(topic, within: timeout, settle: settle) { messages in done(messages.compactMap { try? EventCodec.decode(Event.self, from: $0.value) }) }
            .compactMap { try? EventCodec.decode(Event.self, from: $0.value) }
    }
}
