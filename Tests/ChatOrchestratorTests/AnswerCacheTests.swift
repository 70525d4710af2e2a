import CairnEvents
import CairnProtos
import CairnTesting
import Foundation
import Hummingbird
import Testing

/// The answer cache: the same question to the same assistant over unchanged collections is
/// answered without generation (`cached: true`), stored and metered like any answer; a change to
/// a collection, another tenant, a temperature above 0 or a Redis outage never serve a cached answer.
@Suite struct AnswerCacheTests {
    static let question = "What is the refund window for annual plans?"

    /// A lexical assistant on the handbook (lexical: not degraded by the harness's embedder outage).
    static func handbookAssistant(_ harness: ChatHarness, tenant: UUID? = nil, temperature: Double = 0) async throws -> String {
        let created = try await harness.call(.post, "/v1/assistants", json: [
            "name": "Handbook", "collection_ids": ["handbook"], "strategy": "lexical", "temperature": temperature,
        ], token: try await harness.admin(tenant: tenant))
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.string("id"))
    }

    /// The cache's deadline (250 ms by default) is for production; a loaded test machine may
    /// take longer to read the collection versions, and a miss there would be a flake.
    static let patient = ["CAIRN_CHAT_CACHE_TIMEOUT_MS": "5000"]

    @Test func aRepeatedQuestionIsCachedUntilTheCollectionChanges() async throws {
        try await ChatHarness.run(orchestrator: Self.patient) { harness in
            try await harness.index(Fixtures.passages)
            let assistant = try await Self.handbookAssistant(harness)
            let token = try await harness.member()
            let first = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": assistant], token: token)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.object("metadata")?["cached"] as? Bool == false)
            #expect((first.object("metadata")?["completion_tokens"] as? Int ?? 0) > 0)

            // The same question (case and spacing aside), in a new conversation: from the cache.
            let second = try await harness.call(.post, "/v1/chat", json: ["message": "  what is the refund   window for annual plans?", "assistant_id": assistant],
                                                token: token)
            #expect(second.status == .ok, "\(second.text)")
            let metadata = try #require(second.object("metadata"))
            #expect(metadata["cached"] as? Bool == true)
            #expect(metadata["generation_ms"] as? Int == 0 && metadata["retrieval_ms"] is Int)
            #expect(metadata["prompt_tokens"] as? Int == 0 && metadata["completion_tokens"] as? Int == 0)
            #expect(second.string("message", "content") == first.string("message", "content"))
            let sources = try #require(second.object("message")?["sources"] as? [[String: Any]])
            #expect(sources.contains { $0["chunk_id"] as? String == "refunds-v1-0" && $0["cited"] as? Bool == true })
            // Stored in its conversation like any answer.
            let conversation = try #require(second.string("conversation_id"))
            let history = try await harness.call(.get, "/v1/conversations/\(conversation)/messages", token: token)
            let stored = try #require(history["messages"] as? [[String: Any]])
            #expect(stored.map { $0["role"] as? String } == ["user", "assistant"])
            #expect(stored.last?["cached"] as? Bool == true)

            // Streamed from the cache: the same events as a generated answer.
            let streamed = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": assistant, "stream": true], token: token)
            let events = ChatHarness.events(streamed.text)
            #expect(events.map(\.name) == ["sources", "delta", "done"], "\(streamed.text)")
            let done = try #require(events.last?.data["metadata"] as? [String: Any])
            #expect(done["cached"] as? Bool == true && done["generation_ms"] as? Int == 0 && done["retrieval_ms"] is Int)
            #expect(events.dropFirst().first?.data["text"] as? String == first.string("message", "content"))

            // generation answered once (one in/out pair of token events); every answer is metered as a message.
            let generated = try await TopicReader.events(Cairn_V1_UsageRecorded.self, on: harness.generationUsageTopic, within: .seconds(60),
                                                         settle: .seconds(2)) { $0.count >= 2 }
            #expect(generated.count == 2, "\(generated.map(\.usageID))")
            let messages = try await TopicReader.events(Cairn_V1_UsageRecorded.self, on: harness.usageTopic, within: .seconds(60)) { $0.count >= 3 }
            #expect(messages.count == 3 && messages.allSatisfy { $0.kind == .chatMessage })
            #expect(messages.filter { $0.attributes["cached"] == "true" }.count == 2)

            // A follow-up depends on its conversation's history as well: never from the cache.
            let followUp = try await harness.call(.post, "/v1/conversations/\(conversation)/messages", json: ["content": Self.question], token: token)
            #expect(followUp.status == .ok, "\(followUp.text)")
            #expect(followUp.object("metadata")?["cached"] as? Bool == false)

            // A new document in the collection: the cached answer is not used any more.
            let added = ChatHarness.Passage(document: "refunds-annex", collection: "handbook",
                                            text: "Annual plans bought through a reseller are refunded by the reseller.", title: "Refund annex")
            try await harness.index([added], total: 4)
            let after = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": assistant], token: token)
            #expect(after.status == .ok, "\(after.text)")
            #expect(after.object("metadata")?["cached"] as? Bool == false)
            // ...and the new answer is cached in its turn.
            let again = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": assistant], token: token)
            #expect(again.object("metadata")?["cached"] as? Bool == true)
        }
    }

    @Test func anotherTenantAndATemperatureAboveZeroNeverHit() async throws {
        try await ChatHarness.run(orchestrator: Self.patient) { harness in
            let otherTenant = UUID()
            try await harness.index(Fixtures.passages)
            try await harness.index(Fixtures.passages, tenant: otherTenant)
            let assistant = try await Self.handbookAssistant(harness)
            let token = try await harness.member()
            let first = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": assistant], token: token)
            #expect(first.object("metadata")?["cached"] as? Bool == false, "\(first.text)")
            #expect(try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": assistant], token: token)
                .object("metadata")?["cached"] as? Bool == true)

            // The same documents, question and assistant settings in another tenant: generated there.
            let foreign = try await Self.handbookAssistant(harness, tenant: otherTenant)
            let foreignReply = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": foreign],
                                                      token: try await harness.member(tenant: otherTenant))
            #expect(foreignReply.status == .ok, "\(foreignReply.text)")
            #expect(foreignReply.object("metadata")?["cached"] as? Bool == false)
            // Naming the other tenant's assistant from here is a 404, not a cache probe.
            #expect(try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": foreign], token: token).status == .notFound)

            // An assistant that samples (temperature > 0) is never answered from the cache.
            let warm = try await Self.handbookAssistant(harness, temperature: 0.7)
            for _ in 0..<2 {
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": warm], token: token)
                #expect(reply.status == .ok && reply.object("metadata")?["cached"] as? Bool == false, "\(reply.text)")
            }
        }
    }

    @Test func withRedisDownEveryAnswerIsGeneratedAndNothingFails() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_REDIS_HOST": "127.0.0.1", "CAIRN_REDIS_PORT": "9"]) { harness in
            try await harness.index(Fixtures.passages)
            let assistant = try await Self.handbookAssistant(harness)
            let token = try await harness.member()
            for _ in 0..<2 {
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": assistant], token: token)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply.object("metadata")?["cached"] as? Bool == false)
                #expect(reply.string("message", "content")?.contains("30 days") == true)
            }
        }
    }

    @Test func aCacheTTLOfZeroTurnsTheCacheOff() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_CHAT_CACHE_TTL_SECONDS": "0"]) { harness in
            try await harness.index(Fixtures.passages)
            let assistant = try await Self.handbookAssistant(harness)
            let token = try await harness.member()
            for _ in 0..<2 {
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": Self.question, "assistant_id": assistant], token: token)
                #expect(reply.status == .ok && reply.object("metadata")?["cached"] as? Bool == false, "\(reply.text)")
            }
        }
    }
}
