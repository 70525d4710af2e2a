import CairnEvents
import CairnProtos
import CairnTesting
import Foundation
@testable import GenerationApp
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct APITests {
    static var sourcesBody: [[String: Any]] { [
        ["id": "a", "text": "Cairn stores documents in Postgres. Each tenant has its own rows."],
        ["id": "b", "text": "The gateway verifies tokens before any request reaches a service."],
    ] }

    @Test func generateStreamsServerSentEvents() async throws {
        try await GenerationHarness.run { harness in
            let reply = try await harness.generate(["question": "Where does Cairn store documents?", "sources": Self.sourcesBody, "stream": true])
            #expect(reply.status == .ok)
            #expect(reply.header("Content-Type")?.hasPrefix("text/event-stream") == true)
            let events = GenerationHarness.events(reply.text)
            #expect(events.first?.event == "start")
            #expect(events.last?.event == "done")
            let text = events.filter { $0.event == "delta" }.map { GenerationHarness.object($0.data)["text"] as? String ?? "" }.joined()
            #expect(text.contains("Postgres") && text.hasSuffix("[1]"), "\(text)")
            let done = GenerationHarness.object(events.last!.data)
            #expect(done["finish_reason"] as? String == "stop")
            #expect(done["citations"] as? [Int] == [1])
        }
    }

    @Test func permissionsTenantsAndBadInput() async throws {
        try await GenerationHarness.run { harness in
            // Members generate within their own tenant (their API keys use the OpenAI-compatible
            // endpoint); a credential without the scope may not, and another tenant is not found.
            let member = try await harness.tokens.token(.member, tenant: harness.tenant)
            #expect(try await harness.call(.post, "/v1/generate", json: ["question": "q"], token: member).status == .ok)
            let narrow = try await harness.tokens.token(.member, tenant: harness.tenant, scopes: ["documents:read"])
            #expect(try await harness.call(.post, "/v1/generate", json: ["question": "q"], token: narrow).status == .forbidden)
            #expect(try await harness.call(.post, "/v1/generate?tenant_id=\(UUID().uuidString)", json: ["question": "q"], token: member).status == .notFound)
            #expect(try await harness.call(.post, "/v1/generate", json: ["question": "q"], token: nil).status == .unauthorized)
            let service = try await harness.serviceToken()
            #expect(try await harness.call(.post, "/v1/generate", json: ["question": "q"], token: service).status == .badRequest)  // no tenant
            #expect(try await harness.generate(["question": "  "]).errorCode == "INVALID_REQUEST")
            #expect(try await harness.generate(["question": 3]).status == .badRequest)
            #expect(try await harness.generate(["question": "q", "model": "nope"]).errorCode == "MODEL_NOT_FOUND")
            let many = (0..<65).map { ["text": "s\($0)"] }
            #expect(try await harness.generate(["question": "q", "sources": many]).errorCode == "LIMIT_EXCEEDED")
            let models = try await harness.call(.get, "/v1/models", token: member)
            #expect(models.status == .ok)
            #expect(models.array("data")?.contains { $0["id"] as? String == "cairn-extractive-1" && $0["owned_by"] as? String == "extractive" } == true)
            #expect(models.array("data")?.contains { $0["id"] as? String == "default" } == true)
        }
    }

    @Test func chatCompletionsSpeaksOpenAIsShapes() async throws {
        try await GenerationHarness.run { harness in
            let token = try await harness.serviceToken()
            let body: [String: Any] = ["model": "cairn-extractive-1", "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "Where are documents stored?"]],
                                       "sources": Self.sourcesBody]
            let plain = try await harness.call(.post, "/v1/chat/completions" + harness.tenantQuery, json: body, token: token)
            #expect(plain.status == .ok)
            #expect(plain.string("object") == "chat.completion")
            let choice = try #require(plain.array("choices")?.first)
            #expect((choice["message"] as? [String: Any])?["content"] as? String == "Cairn stores documents in Postgres. [1]")
            #expect(choice["finish_reason"] as? String == "stop")
            #expect(plain.int("usage", "total_tokens") == (plain.int("usage", "prompt_tokens") ?? 0) + (plain.int("usage", "completion_tokens") ?? 0))

            var streaming = body
            streaming["stream"] = true
            streaming["stream_options"] = ["include_usage": true]
            let streamed = try await harness.call(.post, "/v1/chat/completions" + harness.tenantQuery, json: streaming, token: token)
            let events = GenerationHarness.events(streamed.text)
            #expect(events.last?.data == "[DONE]")
            let chunks = events.dropLast().map { GenerationHarness.object($0.data) }
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
            #expect(((chunks.last?["usage"] as? [String: Any])?["completion_tokens"] as? Int ?? 0) > 0)
        }
    }

    @Test func temperatureZeroAnswersAreCachedAndUsageIsPublished() async throws {
        try await GenerationHarness.run { harness in
            let body: [String: Any] = ["question": "Where does Cairn store documents?", "sources": Self.sourcesBody, "temperature": 0,
                                       "conversation_id": "conv-1"]
            let first = try await harness.generate(body)
            let second = try await harness.generate(body)
            #expect(first["cached"] as? Bool == false)
            #expect(second["cached"] as? Bool == true)
            #expect(second.string("answer") == first.string("answer"))
            let warm = try await harness.generate(body.merging(["temperature": 0.5]) { $1 })
            #expect(warm["cached"] as? Bool == false)

            let tenant = harness.tenant.uuidString.lowercased()
            let events = try await TopicReader.events(Cairn_V1_UsageRecorded.self, on: harness.config.usageTopic) { $0.count >= 6 }
            #expect(events.count == 6)
            #expect(events.allSatisfy { $0.meta.tenantID == tenant && $0.model == "cairn-extractive-1" && $0.conversationID == "conv-1" || $0.conversationID.isEmpty })
            #expect(Set(events.map(\.kind)) == [.chatTokensIn, .chatTokensOut])
            #expect(events.filter { $0.attributes["cached"] == "true" }.count == 2)
            #expect(Set(events.map(\.usageID)).count == 6)
        }
    }
}
