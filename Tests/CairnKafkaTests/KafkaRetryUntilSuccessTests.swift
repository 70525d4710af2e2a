import CairnKafka
import CairnTesting
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import Testing

/// `RetryPolicy.untilSuccess()`: a transient failure (a database outage, say) delays a message,
/// never dead-letters it; only a `PoisonMessage` reaches the DLQ.
@Suite(.serialized) struct KafkaRetryUntilSuccessTests {
    struct Transient: Error {}

    static let policy = RetryPolicy.untilSuccess(initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(40))

    /// What reached `topic`'s DLQ: a sentinel is sent last, so reading up to it sees everything
    /// the worker dead-lettered before (it awaits each DLQ send before moving on).
    static func deadLettered(_ topic: String, producer: KafkaProducer) async throws -> [String] {
        let dlq = KafkaConsumerWorker.dlqTopic(for: topic)
        try await producer.send(KafkaRecord(topic: dlq, key: nil, value: Array("sentinel".utf8)))
        let dead = Seen()
        let reader = try KafkaConsumerWorker(
            settings: KafkaTest.settings, configuration: .init(groupID: "g-\(TestInfra.uniqueSuffix())", topics: [dlq]),
            dlq: producer, logger: KafkaTest.logger
        ) { message in dead.add(String(decoding: message.value, as: UTF8.self)) }
        try await KafkaTest.run(reader, until: { dead.all.contains("sentinel") })
        return dead.all.filter { $0 != "sentinel" }
    }

    @Test func aHandlerFailingMoreOftenThanMaxAttemptsIsRetriedUntilItSucceedsAndNeverDeadLettered() async throws {
        let topic = try await KafkaTest.freshTopic("until-success", partitions: 1)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        for value in ["1", "poison", "3"] { try await producer.send(KafkaRecord(topic: topic, key: "k", value: Array(value.utf8))) }
        let failures = NIOLockedValueBox(0)
        let seen = Seen()
        let worker = try KafkaConsumerWorker(
            settings: KafkaTest.settings, configuration: .init(groupID: "g-\(TestInfra.uniqueSuffix())", topics: [topic], retry: Self.policy),
            dlq: producer, logger: KafkaTest.logger
        ) { (batch: [KafkaMessage]) in
            // Ten failures in a row (the default policy would dead-letter after three).
            let failed = failures.withLockedValue { count in
                count += 1
                return count <= 10
            }
            if failed { throw Transient() }
            for message in batch {
                let text = String(decoding: message.value, as: UTF8.self)
                if text == "poison" { throw PoisonMessage("not a number") }
            }
            for message in batch { seen.add(String(decoding: message.value, as: UTF8.self)) }
        }
        try await KafkaTest.run(worker, until: { seen.count >= 2 })
        #expect(seen.all == ["1", "3"], "applied in order once the failure cleared; the poison skipped")
        #expect(failures.withLockedValue { $0 } > 10)
        #expect(try await Self.deadLettered(topic, producer: producer) == ["poison"], "only the poison message is dead-lettered")
    }

    @Test func anAttemptThatNeverEndsIsAbandonedAtItsDeadlineAndRetried() async throws {
        let topic = try await KafkaTest.freshTopic("until-success-hang", partitions: 1)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        for value in ["1", "2"] { try await producer.send(KafkaRecord(topic: topic, key: "k", value: Array(value.utf8))) }
        let attempts = NIOLockedValueBox(0)
        let seen = Seen()
        var configuration = KafkaConsumerWorker.Configuration(groupID: "g-\(TestInfra.uniqueSuffix())", topics: [topic], retry: Self.policy)
        configuration.attemptTimeout = .milliseconds(300)
        let worker = try KafkaConsumerWorker(settings: KafkaTest.settings, configuration: configuration, dlq: producer, logger: KafkaTest.logger) {
            (batch: [KafkaMessage]) in
            let first = attempts.withLockedValue { count in
                count += 1
                return count == 1
            }
            // A query the database never answers: cancellation cannot reach this wait.
            if first { await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in } }
            for message in batch { seen.add(String(decoding: message.value, as: UTF8.self)) }
        }
        try await KafkaTest.run(worker, until: { seen.count >= 2 }, timeout: .seconds(30))
        #expect(seen.all == ["1", "2"], "the stuck message was handled by the retry, then the partition went on")
        #expect(attempts.withLockedValue { $0 } >= 2, "the first attempt hung, a second one handled the message")
        #expect(try await Self.deadLettered(topic, producer: producer) == [], "a late attempt is retried, never dead-lettered")
    }

    @Test func aWorkerStoppedWhileRetryingLeavesTheMessageForTheNextOne() async throws {
        let topic = try await KafkaTest.freshTopic("until-success-stop", partitions: 1)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        try await producer.send(KafkaRecord(topic: topic, key: "k", value: Array("usage".utf8)))
        let group = "g-\(TestInfra.uniqueSuffix())"
        let attempts = NIOLockedValueBox(0)
        let failing = try KafkaConsumerWorker(
            settings: KafkaTest.settings, configuration: .init(groupID: group, topics: [topic], retry: Self.policy),
            dlq: producer, logger: KafkaTest.logger
        ) { (_: [KafkaMessage]) in
            attempts.withLockedValue { $0 += 1 }
            throw Transient()  // the database is down for as long as this worker runs
        }
        try await KafkaTest.run(failing, until: { attempts.withLockedValue { $0 } >= 5 })
        #expect(attempts.withLockedValue { $0 } >= 5)

        let seen = Seen()
        let next = try KafkaConsumerWorker(
            settings: KafkaTest.settings, configuration: .init(groupID: group, topics: [topic], retry: Self.policy),
            dlq: producer, logger: KafkaTest.logger
        ) { message in seen.add(String(decoding: message.value, as: UTF8.self)) }
        try await KafkaTest.run(next, until: { seen.count >= 1 })
        #expect(seen.all == ["usage"], "the offset was not stored: the same group gets the message again")
        #expect(try await Self.deadLettered(topic, producer: producer) == [])
    }
}
