import CairnRedis
import Testing

@Suite("Redis pipelining and concurrency")
struct RedisPipelineTests {
    @Test func pipelineReturnsRepliesInOrder() async throws {
        let key = uniquePrefix("pipeline") + "counter"
        try await withRedisClient { redis in
            let replies = try await redis.pipeline(Array(repeating: ["INCR", RedisArgument(key)], count: 1000))
            #expect(replies == (1...1000).map { RedisValue.integer($0) })
            #expect(try await redis.get(key, as: Int.self) == 1000)
        }
    }

    @Test func pipelineKeepsErrorRepliesInPlace() async throws {
        let prefix = uniquePrefix("pipeline-errors")
        try await withRedisClient { redis in
            let replies = try await redis.pipeline([
                ["SET", RedisArgument(prefix + "s"), "x"],
                ["INCR", RedisArgument(prefix + "s")],
                ["GET", RedisArgument(prefix + "s")],
            ])
            #expect(replies.count == 3)
            #expect(replies[0] == .status("OK"))
            #expect(replies[1].errorMessage?.hasPrefix("ERR") == true)
            #expect(replies[2] == .bulk(Array("x".utf8)))
            #expect(try await redis.pipeline([]) == [])
        }
    }

    @Test func concurrentIncrementsAreAllCounted() async throws {
        let key = uniquePrefix("concurrent") + "counter"
        try await withRedisClient { redis in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 { group.addTask { try await redis.incrBy(key, 1) } }
                try await group.waitForAll()
            }
            #expect(try await redis.get(key, as: Int.self) == 200)
        }
    }
}
