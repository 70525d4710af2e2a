import CairnTesting
import Foundation
import HummingbirdTesting
import Testing

@testable import EmbeddingApp

/// The remote provider against a test double speaking OpenAI's embeddings protocol over a real
/// socket: the request it sends, splitting, normalisation, and which failures are retried.
@Suite struct RemoteEmbedderTests {
    static func settings(port: Int, retries: Int = 2, timeout: Duration = .seconds(5), maxBatch: Int = 3) -> RemoteProviderSettings {
        RemoteProviderSettings(
            name: "fake", baseURL: "http://127.0.0.1:\(port)/v1", model: "fake-embed", dimensions: 8, apiKey: "sk-test-key",
            sendDimensions: true, timeout: timeout, maxRetries: retries, maxBatch: maxBatch
        )
    }

    /// Runs `body` with a remote embedder pointed at a fresh fake provider.
    static func withProvider(
        retries: Int = 2, timeout: Duration = .seconds(5), _ body: @Sendable (FakeOpenAI, RemoteEmbedder) async throws -> Void
    ) async throws {
        let fake = FakeOpenAI()
        try await fake.application().test(.live) { client in
            let providers = RemoteProviders(settings: [settings(port: try #require(client.port), retries: retries, timeout: timeout)], logger: EmbeddingHarness.logger)
            do {
                try await body(fake, providers.embedders[0])
                try await providers.shutdown()
            } catch {
                try? await providers.shutdown()
                throw error
            }
        }
    }

    static func norm(_ vector: [Float]) -> Float {
        vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    @Test func sendsOpenAIRequestsInBatchesAndNormalisesTheVectors() async throws {
        try await Self.withProvider { fake, embedder in
            let texts = ["one", "two words", "three little words", "a", "the last one here"]
            let result = try await embedder.embed(texts, priority: .interactive)
            let requests = fake.received.all
            #expect(requests.map(\.inputs) == [Array(texts[0..<3]), Array(texts[3...])], "split at max_batch, in order")
            #expect(requests.allSatisfy { $0.authorization == "Bearer sk-test-key" && $0.model == "fake-embed" && $0.dimensions == 8 })
            #expect(result.vectors.count == texts.count)
            for (text, vector) in zip(texts, result.vectors) {
                #expect(abs(Self.norm(vector) - 1) < 1e-5, "unit length")
                let expected = VectorCoding.normalized(FakeOpenAI.rawVector(text, dimensions: 8))
                #expect(zip(vector, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "each text its own vector, in order")
            }
            #expect(result.totalTokens == texts.reduce(0) { $0 + $1.split(separator: " ").count }, "the provider's totals, shared out")
            #expect(embedder.info.id == "fake-embed" && embedder.info.aliases == ["fake"] && embedder.info.dimensions == 8)
        }
    }

    @Test func retriesRateLimitsAndServerErrorsThenSucceeds() async throws {
        try await Self.withProvider { fake, embedder in
            fake.script([.fail(429), .fail(503)])
            let result = try await embedder.embed(["hello"], priority: .bulk)
            #expect(result.vectors.count == 1)
            #expect(fake.received.all.count == 3)
        }
    }

    @Test func givesUpAfterTheConfiguredRetries() async throws {
        try await Self.withProvider(retries: 2) { fake, embedder in
            fake.script([.fail(500), .fail(500), .fail(500), .fail(500)])
            await #expect(throws: EmbeddingError.providerUnavailable(provider: "fake")) { try await embedder.embed(["hello"], priority: .bulk) }
            #expect(fake.received.all.count == 3, "the first attempt and two retries")
        }
    }

    @Test func aClientErrorIsNotRetried() async throws {
        try await Self.withProvider { fake, embedder in
            fake.script([.fail(400)])
            await #expect(throws: EmbeddingError.providerRejected(provider: "fake", status: 400)) { try await embedder.embed(["hello"], priority: .bulk) }
            #expect(fake.received.all.count == 1)
        }
    }

    @Test func aVectorOfTheWrongLengthIsRefused() async throws {
        try await Self.withProvider { fake, embedder in
            fake.script([.wrongLength])
            await #expect(throws: EmbeddingError.providerRejected(provider: "fake", status: 200)) { try await embedder.embed(["hello"], priority: .bulk) }
        }
    }

    @Test func aTimedOutAttemptIsNotRetried() async throws {
        try await Self.withProvider(retries: 3, timeout: .milliseconds(300)) { fake, embedder in
            fake.script([.delay(.seconds(1))])
            // The answer would come (and succeed) after a second: the timeout cut it short.
            await #expect(throws: EmbeddingError.providerUnavailable(provider: "fake")) { try await embedder.embed(["hello"], priority: .bulk) }
            #expect(fake.received.all.count == 1, "not retried")
        }
    }

    @Test func aRefusedConnectionIsRetriedThenReported() async throws {
        // A 30 s timeout: waiting for it on each of three attempts would take 90 s.
        let providers = RemoteProviders(settings: [Self.settings(port: try freePort(), retries: 2, timeout: .seconds(30))], logger: EmbeddingHarness.logger)
        let started = ContinuousClock.now
        await #expect(throws: EmbeddingError.providerUnavailable(provider: "fake")) { try await providers.embedders[0].embed(["hello"], priority: .bulk) }
        #expect(ContinuousClock.now - started < .seconds(20), "a refusal fails the attempt at once; only the backoff waits")
        try await providers.shutdown()
    }
}
