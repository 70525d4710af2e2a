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

    @Test func aKeyReusedForAnotherRequestIs422() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"]) { harness in
            let token = try await harness.member()
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "reuse-\(UUID().uuidString)"]
            let first = try await harness.call(.post, "/v1/chat", json: ["message": "What is the refund window?"], token: token, headers: key)
            #expect(first.status == .ok, "\(first.text)")
            let conversation = try #require(first.string("conversation_id"))

            // Another question, other filters, or the same question in an existing conversation under the same key.
            let others: [(String, [String: Any])] = [
                ("/v1/chat", ["message": "How are keys rotated?"]),
                ("/v1/chat", ["message": "What is the refund window?", "filters": ["category": "security"]]),
                ("/v1/conversations/\(conversation)/messages", ["content": "What is the refund window?"]),
            ]
            for (path, body) in others {
                let reply = try await harness.call(.post, path, json: body, token: token, headers: key)
                #expect(reply.status == .unprocessableContent, "\(path) \(body): \(reply.status) \(reply.text)")
                #expect(reply.string("error", "code") == "IDEMPOTENCY_KEY_REUSED")
                #expect(reply.string("error", "request_id") != nil)
            }
            // The same request (streamed or not, spacing aside) is still a replay.
            let retry = try await harness.call(.post, "/v1/chat", json: ["message": " What is the refund window? "], token: token, headers: key)
            #expect(retry.status == .ok && retry.object("metadata")?["replayed"] as? Bool == true, "\(retry.text)")
            #expect(retry.string("message_id") == first.string("message_id"))
            // Nothing was stored for the refused requests.
            let history = try await harness.call(.get, "/v1/conversations/\(conversation)/messages", token: token)
            #expect((history["messages"] as? [Any])?.count == 2)
            #expect(((try await harness.call(.get, "/v1/conversations", token: token))["conversations"] as? [Any])?.count == 1)
        }
    }
}
