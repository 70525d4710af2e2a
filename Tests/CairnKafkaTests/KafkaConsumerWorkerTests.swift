import CairnKafka
import CairnTesting
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import Testing

/// Against the real Kafka-protocol broker.
@Suite(.serialized) struct KafkaConsumerWorkerTests {
    @Test func tenThousandMessagesAcrossPartitionsAreEachHandledExactlyOnce() async throws {
        let topic = try await KafkaTest.freshTopic("exactly-once", partitions: 6)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        let total = 10_000
        let payload = [UInt8](repeating: 0x61, count: 100)
        let reports = try await withThrowingTaskGroup(of: DeliveryReport.self) { group in
            for index in 0..<total {
                group.addTask {
                    try await producer.send(KafkaRecord(topic: topic, key: "key-\(index % 97)", value: Array("\(index):".utf8) + payload))
                }
            }
            var reports: [DeliveryReport] = []
            for try await report in group { reports.append(report) }
            return reports
        }
        #expect(reports.count == total)
        #expect(Set(reports.map(\.partition)).count == 6, "keys spread over every partition")

        let seen = Seen()
        let worker = try KafkaConsumerWorker(
            settings: KafkaTest.settings, configuration: .init(groupID: "g-\(TestInfra.uniqueSuffix())", topics: [topic]),
            dlq: producer, logger: KafkaTest.logger
        ) { message in
            seen.add(String(decoding: message.value.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self))
        }
        try await KafkaTest.run(worker, until: { seen.count >= total })
        #expect(seen.count == total, "no message handled twice or skipped")
        #expect(Set(seen.all) == Set((0..<total).map(String.init)))
    }

    @Test func batchHandlerSeesEveryMessageOnce() async throws {
        let topic = try await KafkaTest.freshTopic("batch")
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        for index in 0..<500 { try await producer.send(KafkaRecord(topic: topic, key: "k\(index)", value: Array("\(index)".utf8))) }
        let seen = Seen()
        let largest = NIOLockedValueBox(0)
        let worker = try KafkaConsumerWorker(
            settings: KafkaTest.settings, configuration: .init(groupID: "g-\(TestInfra.uniqueSuffix())", topics: [topic], maxBatchSize: 50),
            dlq: producer, logger: KafkaTest.logger
        ) { (batch: [KafkaMessage]) in
            largest.withLockedValue { $0 = max($0, batch.count) }
            for message in batch { seen.add(String(decoding: message.value, as: UTF8.self)) }
        }
        try await KafkaTest.run(worker, until: { seen.count >= 500 })
        #expect(seen.count == 500)
        #expect(Set(seen.all).count == 500)
        #expect(largest.withLockedValue { $0 } > 1, "messages arrived in batches")
        #expect(largest.withLockedValue { $0 } <= 50)
    }

    @Test func aPoisonMessageGoesToTheDLQWithItsReasonAndLaterMessagesStillFlow() async throws {
        let topic = try await KafkaTest.freshTopic("poison", partitions: 1)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        for value in ["1", "2", "not-a-number", "4", "5"] {
            try await producer.send(KafkaRecord(topic: topic, key: "same-key", value: Array(value.utf8), headers: [.init(name: "origin", string: "test")]))
        }
        let seen = Seen()
        let worker = try KafkaConsumerWorker(
            settings: KafkaTest.settings, configuration: .init(groupID: "g-\(TestInfra.uniqueSuffix())", topics: [topic]),
            dlq: producer, logger: KafkaTest.logger
        ) { message in
            let text = String(decoding: message.value, as: UTF8.self)
            guard Int(text) != nil else { throw PoisonMessage("payload is not an integer") }
            seen.add(text)
        }
        try await KafkaTest.run(worker, until: { seen.count >= 4 })
        #expect(seen.all == ["1", "2", "4", "5"], "in order, the poison skipped")

        let dead = Seen()
        let headers = NIOLockedValueBox<[KafkaHeader]>([])
        let dlqReader = try KafkaConsumerWorker(
            settings: KafkaTest.settings,
            configuration: .init(groupID: "g-\(TestInfra.uniqueSuffix())", topics: [KafkaConsumerWorker.dlqTopic(for: topic)]),
            dlq: producer, logger: KafkaTest.logger
        ) { message in
            headers.withLockedValue { $0 = message.headers }
            dead.add(String(decoding: message.value, as: UTF8.self))
        }
        try await KafkaTest.run(dlqReader, until: { dead.count >= 1 })
        #expect(dead.all == ["not-a-number"])
        let received = headers.withLockedValue { $0 }
        func header(_ name: String) -> String? { received.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) } }
        #expect(header("cairn-dlq-error") == "payload is not an integer")
        #expect(header("cairn-dlq-topic") == topic)
        #expect(header("cairn-dlq-partition") == "0")
        #expect(header("cairn-dlq-offset") == "2")
        #expect(header("origin") == "test", "original headers are kept")
    }

    @Test func aFlakyHandlerIsRetriedWithBackoffAndNothingReachesTheDLQ() async throws {
        let topic = try await KafkaTest.freshTopic("flaky", partitions: 1)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        try await producer.send(KafkaRecord(topic: topic, key: nil, value: Array("only".utf8)))
        struct Transient: Error {}
        let attempts = NIOLockedValueBox(0)
        let seen = Seen()
        let worker = try KafkaConsumerWorker(
            settings: KafkaTest.settings,
            configuration: .init(groupID: "g-\(TestInfra.uniqueSuffix())", topics: [topic],
                                 retry: RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(20))),
            dlq: producer, logger: KafkaTest.logger
        ) { message in
            let attempt = attempts.withLockedValue { count in
                count += 1
                return count
            }
            if attempt < 3 { throw Transient() }
            seen.add(String(decoding: message.value, as: UTF8.self))
        }
        try await KafkaTest.run(worker, until: { seen.count >= 1 })
        #expect(attempts.withLockedValue { $0 } == 3)
        #expect(seen.all == ["only"])
    }

    @Test func retryPolicyBacksOffExponentiallyWithACap() {
        let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(350))
        #expect(policy.backoff(afterAttempt: 1) == .milliseconds(100))
        #expect(policy.backoff(afterAttempt: 2) == .milliseconds(200))
        #expect(policy.backoff(afterAttempt: 3) == .milliseconds(350))
    }
}

@Suite struct KafkaProducerTests {
    @Test func sendReturnsTheBrokersOffsetsInOrderPerPartition() async throws {
        let topic = try await KafkaTest.freshTopic("offsets", partitions: 1)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        var offsets: [Int64] = []
        for index in 0..<5 { offsets.append(try await producer.send(KafkaRecord(topic: topic, key: "k", value: [UInt8(index)])).offset) }
        #expect(offsets == [0, 1, 2, 3, 4])
    }

    @Test func aBatchSendReportsEveryRecordInOrder() async throws {
        let topic = try await KafkaTest.freshTopic("batch-send", partitions: 1)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        let records = (0..<250).map { KafkaRecord(topic: topic, key: "k", value: Array("\($0)".utf8)) }
        let results = try await producer.send(records)
        let offsets = try results.map { try $0.get().offset }
        #expect(offsets == (0..<250).map(Int64.init), "one report per record, in order")

        // A record the broker refuses fails alone; the rest of the batch is delivered.
        let mixed = [
            KafkaRecord(topic: topic, key: "k", value: [1]),
            KafkaRecord(topic: topic, key: "k", value: [UInt8](repeating: 0, count: 2_000_000)),
            KafkaRecord(topic: topic, key: "k", value: [3]),
        ]
        let outcome = try await producer.send(mixed)
        #expect((try? outcome[0].get()) != nil)
        #expect((try? outcome[1].get()) == nil, "a record over message.max.bytes is rejected")
        #expect((try? outcome[2].get()) != nil)
    }

    @Test func aClosedProducerRefusesToSend() async throws {
        let producer = try KafkaTest.producer()
        producer.close()
        await #expect(throws: KafkaError.closed) {
            try await producer.send(KafkaRecord(topic: "t", key: nil, value: []))
        }
    }

    @Test func unknownPropertiesAreRejectedAtConstruction() {
        var settings = KafkaTest.settings
        settings.properties["no.such.property"] = "1"
        #expect(throws: KafkaError.self) { try KafkaProducer(settings: settings, clientID: "x", logger: KafkaTest.logger) }
    }

    @Test func ensureTopicsIsIdempotent() async throws {
        let name = "test.admin.\(TestInfra.uniqueSuffix())"
        let first = try await KafkaAdmin.ensureTopics([TopicSpec(name: name, partitions: 2)], settings: KafkaTest.settings)
        let second = try await KafkaAdmin.ensureTopics([TopicSpec(name: name, partitions: 2)], settings: KafkaTest.settings)
        #expect(first == [name])
        #expect(second == [])
    }
}
