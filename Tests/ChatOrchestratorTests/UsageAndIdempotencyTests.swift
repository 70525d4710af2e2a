import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import Synchronization
import Testing

/// `Idempotency-Key` retries and the `CHAT_MESSAGE` usage event (read back from the topic).
@Suite struct UsageAndIdempotencyTests {
    @Test func aRetryReturnsTheSameAnswerAndUsageIsPublishedOnce() async throws {
        try await ChatHarness.run { harness in
            try await harness.index(Fixtures.passages)
            let token = try await harness.member()
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "retry-\(UUID().uuidString)"]
            let body = ["message": "What is the refund window for annual plans?"]
            let first = try await harness.call(.post, "/v1/chat", json: body, token: token, headers: key)
            let retry = try await harness.call(.post, "/v1/chat", json: body, token: token, headers: key)
            #expect(first.status == .ok && retry.status == .ok, "\(retry.text)")
            let answer = try #require(first.string("message_id"))
            #expect(retry.string("message_id") == answer)
            #expect(retry.string("message", "content") == first.string("message", "content"))
            #expect(retry.object("metadata")?["replayed"] as? Bool == true)
            // The retry made no second conversation.
            let list = try await harness.call(.get, "/v1/conversations", token: token)
            #expect((list["conversations"] as? [Any])?.count == 1)

            // Wait for the event, then give a duplicate time to show up: there must be none.
            let usageID = "chat:message:\(answer)"
            let events = try await UsageReader.events(on: harness.usageTopic, within: .seconds(60), settle: .seconds(2)) { seen in !seen.isEmpty }
            let matching = events.filter { $0.usageID == usageID }
            #expect(matching.count == 1, "\(events.map(\.usageID))")
            #expect(events.count == 1)
            let event = try #require(matching.first)
            #expect(event.kind == .chatMessage && event.quantity == 1 && event.subjectType == .user)
            #expect(event.meta.tenantID == harness.tenant.uuidString.lowercased())
            #expect(event.conversationID == first.string("conversation_id"))
        }
    }
}

/// Reads the usage events of a topic from the start, as a consumer group of its own, until
/// `done` holds for them or the time is up.
enum UsageReader {
    static func events(
        on topic: String, within timeout: Duration, settle: Duration, until done: @escaping @Sendable ([Cairn_V1_UsageRecorded]) -> Bool
    ) async throws -> [Cairn_V1_UsageRecorded] {
        let seen = Mutex<[Cairn_V1_UsageRecorded]>([])
        let dlq = try KafkaProducer(settings: ChatHarness.kafka, clientID: "chat-usage-reader", logger: ChatHarness.logger)
        defer { dlq.close() }
        let worker = try KafkaConsumerWorker(
            settings: ChatHarness.kafka, configuration: .init(groupID: "chat-reader-\(TestInfra.uniqueSuffix())", topics: [topic]),
            dlq: dlq, logger: ChatHarness.logger
        ) { message in
            if let event = try? EventCodec.decode(Cairn_V1_UsageRecorded.self, from: message.value) { seen.withLock { $0.append(event) } }
        }
        let group = ServiceGroup(configuration: .init(services: [worker], logger: ChatHarness.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = await eventually(within: timeout, every: .milliseconds(50)) { done(seen.withLock { $0 }) }
            try? await Task.sleep(for: settle)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        return seen.withLock { $0 }
    }
}
