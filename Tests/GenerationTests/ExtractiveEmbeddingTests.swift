import CairnAuthKit
import CairnKafka
import CairnServiceClients
import CairnTesting
import EmbeddingApp
import Foundation
@testable import GenerationApp
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The extractive generator ranking with real vectors: the embedding service (all-MiniLM-L6-v2)
/// runs in process on a socket, reached with a service token from a stand-in for auth's
/// client-credentials exchange, exactly as the deployed services call each other.
@Suite struct ExtractiveEmbeddingTests {
    /// Counts what reached the embedder and what it answered.
    final class Recording: SentenceEmbedder {
        let base: any SentenceEmbedder
        let calls = Mutex<(succeeded: Int, failed: Int)>((0, 0))
        init(_ base: any SentenceEmbedder) { self.base = base }

        func embed(_ texts: [String], tenant: UUID?) async throws -> [[Float]] {
            do {
                let vectors = try await base.embed(texts, tenant: tenant)
                calls.withLock { $0.succeeded += 1 }
                return vectors
            } catch {
                calls.withLock { $0.failed += 1 }
                throw error
            }
        }
    }

    struct Unavailable: SentenceEmbedder {
        struct Down: Error {}
        func embed(_ texts: [String], tenant: UUID?) async throws -> [[Float]] { throw Down() }
    }

    /// `POST /v1/auth/service-token` answering a real service token signed by `tokens`.
    static func fakeAuth(_ tokens: TestTokens) -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/auth/service-token") { _, _ -> Response in
            let token = try await tokens.token(.service, tenant: nil, subject: "generation")
            let body = try JSONSerialization.data(withJSONObject: ["access_token": token, "expires_in": 900])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(bytes: body)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func ranksSentencesWithTheEmbeddingServicesVectors() async throws {
        let tokens = try TestTokens()
        let usage = "test.embedding-usage.\(TestInfra.uniqueSuffix())"
        try await KafkaAdmin.ensureTopics([TopicSpec(name: usage, partitions: 1)], settings: GenerationHarness.kafka)
        let config = try EmbeddingService.configuration(environment: TestInfra.serviceEnvironment(overrides: [
            "CAIRN_EMBEDDING_WORKER": "off", "CAIRN_EMBEDDING_USAGE_TOPIC": usage,
        ]))
        let local = try await LocalEmbedder.load(directory: config.modelDirectory, threads: 2, batching: config.batching)
        let embedding = try EmbeddingService.buildApplication(config: config, verifier: tokens.verifier(), local: local, logger: GenerationHarness.logger)
        try await embedding.test(.live) { embeddingClient in
            try await Self.fakeAuth(tokens).test(.live) { authClient in
                let settings = AuthClientSettings(
                    baseURL: "http://127.0.0.1:\(try #require(authClient.port))", clientID: "generation", clientSecret: "test-service-secret-0123456789"
                )
                let recording = Recording(EmbeddingServiceClient(
                    baseURL: "http://127.0.0.1:\(try #require(embeddingClient.port))", caller: ServiceCaller(tokens: ServiceTokenProvider(settings: settings)),
                    timeout: .seconds(30)
                ))
                try await GenerationHarness.run(["CAIRN_GENERATION_FIRST_TOKEN_TIMEOUT_MS": "60000"], embedder: recording) { harness in
                    let sources = try SampleDocuments.sources(containing: [ExtractiveTests.needle])
                    let reply = try await harness.generate([
                        "question": "Which platform is the AI agent intelligent assistant embedded in, and whom does it help?", "sources": sources,
                    ])
                    #expect(reply.status == .ok, "\(reply.text)")
                    let answer = try #require(reply.string("answer"))
                    #expect(recording.calls.withLock { $0 } == (1, 0), "the vectors were not used")
                    #expect(answer.contains("Autolytiq"), "\(answer)")
                    #expect(ExtractiveTests.checkCitations(answer, sources: sources).contains(5))

                    let unrelated = try await harness.generate(["question": "What is the boiling point of mercury in kelvin?", "sources": sources])
                    #expect(unrelated.string("answer") == ExtractiveProvider.noAnswer, "\(unrelated.text)")
                }
            }
        }
    }

    @Test func withoutEmbeddingsItFallsBackToWordOverlap() async throws {
        try await GenerationHarness.run(embedder: Unavailable()) { harness in
            let sources = try SampleDocuments.sources(containing: [ExtractiveTests.needle])
            let reply = try await harness.generate(["question": "Which platform is the AI agent intelligent assistant embedded in?", "sources": sources])
            #expect(reply.status == .ok)
            #expect(reply.string("answer")?.contains("Autolytiq") == true, "\(reply.text)")
        }
    }
}
