import CairnKafka
import CairnTesting
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle
import Testing

/// A second member joins a group mid-stream: partitions move between the two, and still every
/// message is handled, none is lost, and committed work is not handed out again.
@Suite struct KafkaRebalanceTests {
    @Test func aMemberJoiningMidStreamLosesNothingAndRedoesNoCommittedWork() async throws {
        let total = 4000
        let topic = try await KafkaTest.freshTopic("rebalance", partitions: 6)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                group.addTask { try await producer.send(KafkaRecord(topic: topic, key: "k\(index)", value: Array("\(index)".utf8))) }
            }
            try await group.waitForAll()
        }
        let seen = Seen()
        let groupID = "g-\(TestInfra.uniqueSuffix())"
        // Slow enough per message that the stream is still flowing when the second member joins.
        func worker(_ mine: Seen) throws -> KafkaConsumerWorker {
            try KafkaConsumerWorker(
                settings: KafkaTest.settings, configuration: .init(groupID: groupID, topics: [topic]), dlq: producer,
                logger: KafkaTest.logger
            ) { message in
                try await Task.sleep(for: .milliseconds(3))
                seen.add(String(decoding: message.value, as: UTF8.self))
                mine.add(String(decoding: message.value, as: UTF8.self))
            }
        }
        let bySecond = Seen()
        let first = try worker(Seen())
        let second = try worker(bySecond)
        let serviceGroup = ServiceGroup(configuration: .init(services: [first], logger: KafkaTest.logger))
        let secondGroup = ServiceGroup(configuration: .init(services: [second], logger: KafkaTest.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await serviceGroup.run() }
            while seen.count < 500 { try await Task.sleep(for: .milliseconds(20)) }
            tasks.addTask { try await secondGroup.run() }
            let deadline = ContinuousClock.now + .seconds(120)
            while Set(seen.all).count < total, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            await serviceGroup.triggerGracefulShutdown()
            await secondGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let all = seen.all
        #expect(bySecond.count > 0, "the second member was given partitions")
        #expect(Set(all) == Set((0..<total).map(String.init)), "nothing lost across the rebalance")
        // Only messages handled but not yet committed when partitions moved may come again;
        // commits happen every second, so that is at most about a second's worth (~1000 here).
        #expect(all.count - Set(all).count < 1000, "committed work was not redone: \(all.count - Set(all).count) duplicates")
    }
}
