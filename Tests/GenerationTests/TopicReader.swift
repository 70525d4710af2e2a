import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import Synchronization
import ServiceLifecycle

/// Reads the usage events of a topic from the start as its own consumer group until `done`
/// holds for them (or the time is up), then leaves the group.
enum TopicReader {
    static func events(
        on topic: String, within timeout: Duration = .seconds(30), until done: @escaping @Sendable ([Cairn_V1_UsageRecorded]) -> Bool
    ) async throws -> [Cairn_V1_UsageRecorded] {
        let seen = Mutex<[Cairn_V1_UsageRecorded]>([])
        let dlq = try KafkaProducer(settings: GenerationHarness.kafka, clientID: "generation-test-reader", logger: GenerationHarness.logger)
        defer { dlq.close() }
        let worker = try KafkaConsumerWorker(
            settings: GenerationHarness.kafka, configuration: .init(groupID: "reader-\(TestInfra.uniqueSuffix())", topics: [topic]),
            dlq: dlq, logger: GenerationHarness.logger
        ) { message in
            if let event = try? EventCodec.decode(Cairn_V1_UsageRecorded.self, from: message.value) { seen.withLock { $0.append(event) } }
        }
        let group = ServiceGroup(configuration: .init(services: [worker], logger: GenerationHarness.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = await eventually(within: timeout, every: .milliseconds(50)) { done(seen.withLock { $0 }) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        return seen.withLock { $0 }
    }
}
