import CairnKafka
import CairnTesting
import Foundation
import ServiceKit
import Testing

/// The producer neither strands its senders nor stays broken: a fatally failed client is
/// replaced, and a close with the broker away fails what is in flight instead of hanging.
@Suite(.serialized) struct KafkaProducerRecoveryTests {
    @Test func aFatallyFailedProducerIsReplacedAndSendsAgain() async throws {
        let topic = try await KafkaTest.freshTopic("producer-fatal", partitions: 1)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        try await producer.send(KafkaRecord(topic: topic, key: "k", value: Array("before".utf8)))

        producer.triggerFatalErrorForTesting()
        await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaRecord(topic: topic, key: "k", value: Array("during".utf8)))
        }
        let report = try await producer.send(KafkaRecord(topic: topic, key: "k", value: Array("after".utf8)))
        #expect(report.offset >= 1)
    }

    @Test func closingWithTheBrokerAwayFailsWhatIsInFlightInsteadOfHanging() async throws {
        // Nothing listens on a port the OS just handed out and took back.
        let nowhere = KafkaSettings(brokers: [Endpoint(host: "127.0.0.1", port: try freePort())], properties: [:])
        let producer = try KafkaProducer(settings: nowhere, clientID: "cairn-test-away", logger: KafkaTest.logger,
                                         flushTimeout: .milliseconds(500))
        let sending = Task { try await producer.send(KafkaRecord(topic: "test.away", key: nil, value: [1])) }
        try await Task.sleep(for: .milliseconds(300))
        producer.close()
        // Not a timeout (message.timeout.ms is 30 s): the purge at close told the sender.
        let result = await sending.result
        guard case .failure(let error as KafkaError) = result, case .broker(_, let name, _) = error else {
            Issue.record("the send did not fail with a broker error")
            return
        }
        #expect(name.hasPrefix("_PURGE"))
        await #expect(throws: KafkaError.closed) {
            try await producer.send(KafkaRecord(topic: "test.away", key: nil, value: [2]))
        }
    }
}
