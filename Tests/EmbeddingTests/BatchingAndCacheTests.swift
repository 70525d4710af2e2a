import CairnTesting
import Foundation
import ServiceKit
import Testing

/// Dynamic batching and the Redis cache through the API, with the real model.
@Suite struct BatchingAndCacheTests {
    @Test func concurrentSingleTextCallsShareForwardPasses() async throws {
        // No cache, so every text reaches the model; a 10 ms window so the test does not depend
        // on how fast two cores deliver 48 requests.
        let settings = ["CAIRN_EMBEDDING_CACHE_TTL_SECONDS": "0", "CAIRN_EMBEDDING_BATCH_WINDOW_MS": "10"]
        try await EmbeddingHarness.run(settings) { harness in
            let texts = (0..<48).map { "question number \($0) about batching in \(["Paris", "Lagos", "Osaka"][$0 % 3])" + String(repeating: " really", count: $0 % 7) }
            let alone = try await harness.embed(["input": [texts[5]]])
            let before = harness.local.batcher.forwardPasses
            let replies = try await withThrowingTaskGroup(of: (Int, JSONReply).self) { group in
                for (index, text) in texts.enumerated() {
                    group.addTask { (index, try await harness.embed(["input": text])) }
                }
                var replies: [Int: JSONReply] = [:]
                for try await (index, reply) in group { replies[index] = reply }
                return replies
            }
            let passes = harness.local.batcher.forwardPasses - before
            #expect(replies.values.allSatisfy { $0.status == .ok })
            #expect(passes <= 16, "48 concurrent single-text calls took \(passes) forward passes")
            // Batched with others (padded to their length), the vector is the one it has alone.
            let batched = EmbeddingHarness.vectors(try #require(replies[5]))[0]
            #expect(cosine(batched, EmbeddingHarness.vectors(alone)[0]) >= 0.9999)
        }
    }

    @Test func aCachedVectorIsExactlyTheVectorFirstComputed() async throws {
        try await EmbeddingHarness.run { harness in
            let text = "a sentence worth caching \(UUID())"
            let first = try await harness.embed(["input": [text]])
            let passes = harness.local.batcher.forwardPasses
            let second = try await harness.embed(["input": [text, text]])
            #expect(harness.local.batcher.forwardPasses == passes, "served from Redis, no forward pass")
            let vectors = EmbeddingHarness.vectors(second)
            #expect(vectors[0] == EmbeddingHarness.vectors(first)[0], "bit for bit")
            #expect(vectors[1] == vectors[0])
            let tokens = try #require(first.int("usage", "total_tokens"))
            #expect(tokens > 0)
            #expect(second.int("usage", "total_tokens") == 2 * tokens, "a cached text counts its tokens like a computed one")
        }
    }

    @Test func aRedisOutageOnlyCostsSpeed() async throws {
        let redis = try RedisServerProcess()
        try await redis.start()
        try await EmbeddingHarness.run(["CAIRN_REDIS_PORT": "\(redis.endpoint.port)"]) { harness in
            let text = "cached before the outage \(UUID())"
            let cached = try await harness.embed(["input": text])
            #expect(cached.status == .ok)
            redis.kill()
            let started = ContinuousClock.now
            let during = try await harness.embed(["input": [text, "new text during the outage \(UUID())"]])
            #expect(during.status == .ok, "\(during.text.prefix(200))")
            // Each cache round trip is bounded by 100 ms; the margin is for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(20), "no waiting on a dead Redis")
            #expect(EmbeddingHarness.vectors(during)[0] == EmbeddingHarness.vectors(cached)[0], "recomputed, the same vector")
            try await redis.start()
            let passes = harness.local.batcher.forwardPasses
            #expect(await eventually(within: .seconds(30), every: .milliseconds(100)) {
                // The cache is filled again once Redis is back; then a repeat is a hit.
                _ = try? await harness.embed(["input": "after the outage"])
                let before = harness.local.batcher.forwardPasses
                _ = try? await harness.embed(["input": "after the outage"])
                return harness.local.batcher.forwardPasses == before
            })
            #expect(harness.local.batcher.forwardPasses > passes)
        }
    }
}
