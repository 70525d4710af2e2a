import CairnEvents
import CairnProtos
import CairnTesting
import EmbeddingApp
import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

/// `POST /v1/embeddings` and the model metadata through the router, with the real model,
/// Redis and Kafka. (Needs the real model and tokenizer.)
@Suite struct EmbeddingAPITests {
    static func norm(_ vector: [Float]) -> Float {
        vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    @Test func answersInOpenAIsShape() async throws {
        try await EmbeddingHarness.run { harness in
            let reply = try await harness.embed(["input": ["hello world", "second"], "model": "all-MiniLM-L6-v2"])
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
            #expect(reply.string("object") == "list")
            #expect(reply.string("model") == "all-MiniLM-L6-v2")
            let data = try #require(reply.array("data"))
            #expect(data.map { $0["object"] as? String } == ["embedding", "embedding"])
            #expect(data.map { $0["index"] as? Int } == [0, 1])
            let vectors = EmbeddingHarness.vectors(reply)
            #expect(vectors.map(\.count) == [384, 384])
            #expect(vectors.allSatisfy { abs(Self.norm($0) - 1) < 1e-4 }, "unit length")
            #expect(vectors[0] != vectors[1])
            #expect(reply.int("usage", "prompt_tokens") == 3, "hello + world + second: [CLS] and [SEP] are not the caller's")
            #expect(reply.int("usage", "total_tokens") == 3)
            #expect(reply.header("Content-Type") == "application/json")
        }
    }

    @Test func aStringInputAndTheLongModelNameWork() async throws {
        try await EmbeddingHarness.run { harness in
            let long = try await harness.embed(["input": "hello world", "model": "sentence-transformers/all-MiniLM-L6-v2"])
            let unnamed = try await harness.embed(["input": "hello world"])
            #expect(long.status == .ok && unnamed.status == .ok)
            #expect(long.string("model") == "all-MiniLM-L6-v2")
            #expect(EmbeddingHarness.vectors(long).count == 1)
            #expect(EmbeddingHarness.vectors(long) == EmbeddingHarness.vectors(unnamed))
        }
    }

    @Test func base64CarriesTheSameFloatsLittleEndian() async throws {
        try await EmbeddingHarness.run { harness in
            let text = "base64 check \(UUID())"
            let floats = try await harness.embed(["input": [text]])
            let encoded = try await harness.embed(["input": [text], "encoding_format": "base64", "dimensions": 384, "user": "someone"])
            #expect(encoded.status == .ok)
            let base64 = try #require(encoded.array("data")?.first?["embedding"] as? String)
            let bytes = try #require(Data(base64Encoded: base64))
            #expect(bytes.count == 384 * 4)
            let decoded = bytes.withUnsafeBytes { raw in (0..<384).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
            #expect(decoded == EmbeddingHarness.vectors(floats)[0], "the float answer parses back to the exact float32 values")
        }
    }

    @Test func otherModelsAndDimensionsAreRefusedClearly() async throws {
        try await EmbeddingHarness.run { harness in
            let unknown = try await harness.embed(["input": "x", "model": "text-embedding-3-large"])
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "MODEL_NOT_FOUND")
            #expect(unknown.string("error", "message")?.contains("all-MiniLM-L6-v2") == true, "names what is available")
            #expect(unknown.string("error", "request_id") != nil)
            let dimensions = try await harness.embed(["input": "x", "dimensions": 512])
            #expect(dimensions.status == .badRequest)
            #expect(dimensions.string("error", "message")?.contains("384") == true)
        }
    }

    @Test func theMetadataNamesDimensionsTokensNormalisationAndTheWeightsChecksum() async throws {
        try await EmbeddingHarness.run { harness in
            // MiniLMFidelityTests check the model's checksum against sha256sum.
            let expected = try #require(harness.local.info.weightsSHA256)
            #expect(expected.count == 64)
            let token = try await harness.serviceToken()
            let list = try await harness.call(.get, "/v1/embeddings/models", token: token)
            #expect(list.status == .ok)
            #expect(list.string("object") == "list")
            let model = try #require(list.array("data")?.first)
            #expect(model["id"] as? String == "all-MiniLM-L6-v2")
            #expect(model["object"] as? String == "model")
            #expect(model["dimensions"] as? Int == 384)
            #expect(model["max_tokens"] as? Int == 256)
            #expect(model["normalized"] as? Bool == true)
            #expect(model["weights_sha256"] as? String == expected)
            let one = try await harness.call(.get, "/v1/embeddings/models/sentence-transformers/all-MiniLM-L6-v2", token: token)
            #expect(one.string("id") == "all-MiniLM-L6-v2")
            #expect(one.string("weights_sha256") == expected)
            let missing = try await harness.call(.get, "/v1/embeddings/models/gpt-4", token: token)
            #expect(missing.status == .notFound && missing.errorCode == "MODEL_NOT_FOUND")
        }
    }

    @Test func eachCallsTokensArePublishedForBilling() async throws {
        try await EmbeddingHarness.run { harness in
            let requestID = "req-usage-\(TestInfra.uniqueSuffix())"
            let reply = try await harness.call(
                .post, "/v1/embeddings" + harness.tenantQuery, json: ["input": ["one two three", "four"]], token: try await harness.serviceToken(),
                headers: [.requestID: requestID]
            )
            #expect(reply.status == .ok)
            let tenant = harness.tenant.uuidString.lowercased()
            let events = try await TopicReader.events(Cairn_V1_UsageRecorded.self, on: harness.usageTopic) { events in
                events.contains { $0.meta.tenantID == tenant }
            }
            let event = try #require(events.first { $0.meta.tenantID == tenant })
            #expect(event.kind == .embeddingTokens)
            #expect(event.quantity == 4)
            #expect(event.unit == "tokens")
            #expect(event.subjectType == .service && event.subjectID == "chat-orchestrator")
            #expect(event.model == "all-MiniLM-L6-v2")
            #expect(event.usageID.hasPrefix("embedding-api:"))
            #expect(event.meta.correlationID == requestID)
            #expect(event.meta.producer == "embedding")
        }
    }

    @Test func aRemoteProviderServesItsModelThroughTheAPI() async throws {
        let fake = FakeOpenAI()
        try await fake.application().test(.live) { provider in
            let providers = """
                {"providers": {"fake": {"base_url": "http://127.0.0.1:\(try #require(provider.port))/v1", "model": "fake-embed", "dimensions": 8,
                                        "api_key_env": "TEST_FAKE_KEY", "max_retries": 0}}}
                """
            try await EmbeddingHarness.run(["CAIRN_EMBEDDING_PROVIDERS": providers, "TEST_FAKE_KEY": "sk-fake"]) { harness in
                // Fresh texts: the shared test Redis may hold vectors of earlier runs.
                let run = UUID().uuidString.prefix(8)
                let reply = try await harness.embed(["input": ["remote text \(run)", "more remote text \(run)"], "model": "fake-embed"])
                #expect(reply.status == .ok, "\(reply.text.prefix(300))")
                #expect(reply.string("model") == "fake-embed")
                #expect(EmbeddingHarness.vectors(reply).map(\.count) == [8, 8])
                #expect(reply.int("usage", "total_tokens") == 7, "the provider's count: one token a word")
                #expect(fake.received.all.last?.authorization == "Bearer sk-fake")
                let models = try await harness.call(.get, "/v1/embeddings/models", token: try await harness.serviceToken())
                #expect(models.array("data")?.compactMap { $0["id"] as? String } == ["all-MiniLM-L6-v2", "fake-embed"])
                fake.script([.fail(500)])
                let failing = try await harness.embed(["input": "fails \(UUID())", "model": "fake"])
                #expect(failing.status == .serviceUnavailable && failing.errorCode == "PROVIDER_UNAVAILABLE")
            }
        }
    }
}
