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
            let events = try await TopicReader.events(Cairn_V1_UsageRecorded.self, on: harness.usageTopic, within: .seconds(60), settle: .seconds(2)) { seen in !seen.isEmpty }
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
