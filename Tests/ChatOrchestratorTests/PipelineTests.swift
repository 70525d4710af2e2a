import CairnTesting
import Foundation
import Testing

/// The RAG pipeline end to end over real vector-search and generation (extractive).
@Suite struct PipelineTests {
    @Test func anIndexedDocumentIsCitedInTheAnswer() async throws {
        try await ChatHarness.run { harness in
            try await harness.index(Fixtures.passages)
            let token = try await harness.member()
            let reply = try await harness.call(.post, "/v1/chat", json: ["message": "What is the refund window for annual plans?"], token: token)
            #expect(reply.status == .ok, "\(reply.text)")
            let message = try #require(reply.object("message"))
            let content = try #require(message["content"] as? String)
            #expect(content.contains("30 days"))
            let sources = try #require(message["sources"] as? [[String: Any]])
            let cited = sources.filter { $0["cited"] as? Bool == true }
            #expect(cited.contains { $0["document_id"] as? String == "refunds" && $0["chunk_id"] as? String == "refunds-v1-0" })
            let metadata = try #require(reply.object("metadata"))
            #expect(metadata["retrieval_ms"] is Int && metadata["generation_ms"] is Int)
            #expect(metadata["cached"] as? Bool == false)
            // vector-search's own degradation (its embedder is down: lexical only) is passed on; retrieval itself worked.
            #expect(metadata["degraded"] as? [String] == ["embedding_unavailable"])
            #expect(metadata["strategy"] as? String != nil)
            // The conversation is titled after the first message and holds both halves of the exchange.
            let conversation = try #require(reply.string("conversation_id"))
            let stored = try await harness.call(.get, "/v1/conversations/\(conversation)", token: token)
            #expect(stored.string("title") == "What is the refund window for annual plans?")
            let history = try await harness.call(.get, "/v1/conversations/\(conversation)/messages", token: token)
            let roles = (history["messages"] as? [[String: Any]])?.compactMap { $0["role"] as? String }
            #expect(roles == ["user", "assistant"])
        }
    }

    @Test func aFollowUpIsRewrittenWithTheHistory() async throws {
        try await ChatHarness.run { harness in
            try await harness.index(Fixtures.passages)
            let token = try await harness.member()
            let first = try await harness.call(.post, "/v1/chat", json: ["message": "What is the refund window for annual plans?"], token: token)
            let conversation = try #require(first.string("conversation_id"))
            let followUp = try await harness.call(.post, "/v1/conversations/\(conversation)/messages", json: ["content": "And for monthly ones?"], token: token)
            #expect(followUp.status == .ok, "\(followUp.text)")
            let rewritten = try #require(followUp.string("metadata", "rewritten_query"))
            #expect(rewritten.contains("refund") && rewritten.contains("annual"))
            let sources = try #require(followUp.object("message")?["sources"] as? [[String: Any]])
            #expect(sources.contains { $0["chunk_id"] as? String == "refunds-v1-1" })
        }
    }

    @Test func filtersAndTheAssistantsCollectionsRestrictSources() async throws {
        try await ChatHarness.run { harness in
            try await harness.index(Fixtures.passages)
            let token = try await harness.member()
            let filtered = try await harness.call(.post, "/v1/chat", json: [
                "message": "How long does it stay valid within days?", "filters": ["category": "security"],
            ], token: token)
            #expect(filtered.status == .ok, "\(filtered.text)")
            let sources = try #require(filtered.object("message")?["sources"] as? [[String: Any]])
            #expect(!sources.isEmpty)
            #expect(sources.allSatisfy { $0["document_id"] as? String == "keys" })

            let created = try await harness.call(.post, "/v1/assistants", json: [
                "name": "Policies", "collection_ids": ["policies"], "strategy": "lexical",
            ], token: try await harness.admin())
            #expect(created.status == .created, "\(created.text)")
            let assistant = try #require(created.string("id"))
            let scoped = try await harness.call(.post, "/v1/chat", json: ["message": "What happens within 30 days?", "assistant_id": assistant], token: token)
            let scopedSources = try #require(scoped.object("message")?["sources"] as? [[String: Any]])
            #expect(!scopedSources.isEmpty)
            #expect(scopedSources.allSatisfy { $0["collection_id"] as? String == "policies" })
            #expect(scoped.string("metadata", "strategy") == "lexical")
        }
    }

    @Test func streamingSendsSourcesThenDeltasThenDone() async throws {
        try await ChatHarness.run { harness in
            try await harness.index(Fixtures.passages)
            let token = try await harness.member()
            let reply = try await harness.call(.post, "/v1/chat", json: ["message": "What is the refund window for annual plans?"], token: token,
                                               headers: [.accept: "text/event-stream"])
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let events = ChatHarness.events(reply.text)
            let names = events.map(\.name)
            #expect(names.first == "sources")
            #expect(names.last == "done")
            #expect(names.dropFirst().dropLast().allSatisfy { $0 == "delta" } && names.count >= 3, "\(names)")
            let text = events.filter { $0.name == "delta" }.compactMap { $0.data["text"] as? String }.joined()
            #expect(text.contains("30 days"))
            let done = try #require(events.last?.data)
            let metadata = try #require(done["metadata"] as? [String: Any])
            #expect(metadata["retrieval_ms"] is Int && metadata["interrupted"] as? Bool == false)
            // The streamed answer is the stored one.
            let conversation = try #require(done["conversation_id"] as? String)
            let history = try await harness.call(.get, "/v1/conversations/\(conversation)/messages", token: token)
            let stored = (history["messages"] as? [[String: Any]])?.last?["content"] as? String
            #expect(stored == text)
        }
    }

    @Test func aRetrievalOutageAnswersWithoutContextAndSaysSo() async throws {
        // Port 9 (discard) refuses connections on the loopback: vector-search is "down".
        try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"]) { harness in
            let token = try await harness.member()
            let reply = try await harness.call(.post, "/v1/chat", json: ["message": "What is the refund window for annual plans?"], token: token)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.object("metadata")?["degraded"] as? [String] == ["retrieval_unavailable"])
            #expect((reply.object("message")?["sources"] as? [Any])?.isEmpty == true)
            #expect(!(reply.string("message", "content") ?? "").isEmpty)
        }
    }

    @Test func aGenerationOutageIsAClearErrorAndTheQuestionIsKept() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_GENERATION_URL": "http://127.0.0.1:9", "CAIRN_CHAT_GENERATION_START_TIMEOUT_MS": "2000"]) { harness in
            try await harness.index(Fixtures.passages)
            let token = try await harness.member()
            let created = try await harness.call(.post, "/v1/conversations", json: [:], token: token)
            let conversation = try #require(created.string("id"))
            let reply = try await harness.call(.post, "/v1/conversations/\(conversation)/messages", json: ["content": "What is the refund window?"], token: token)
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.string("error", "code") == "GENERATION_UNAVAILABLE")
            let streamed = try await harness.call(.post, "/v1/conversations/\(conversation)/messages",
                                                  json: ["content": "And the monthly one?", "stream": true], token: token)
            let names = ChatHarness.events(streamed.text).map(\.name)
            #expect(names == ["sources", "error"], "\(streamed.text)")
            let history = try await harness.call(.get, "/v1/conversations/\(conversation)/messages", token: token)
            let stored = (history["messages"] as? [[String: Any]])?.map { "\($0["role"]!):\($0["content"]!)" }
            #expect(stored == ["user:What is the refund window?", "user:And the monthly one?"])
        }
    }
}
