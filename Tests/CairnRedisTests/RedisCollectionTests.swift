import CairnRedis
import Testing

@Suite("Redis hashes and sorted sets")
struct RedisCollectionTests {
    @Test func hashOperationsRoundTrip() async throws {
        let key = uniquePrefix("hash") + "h"
        try await withRedisClient { redis throws in
            #expect(try await redis.hset(key, ["a": "1", "b": "2"]) == 2)
            #expect(try await redis.hset(key, field: "c", to: "3"))
            #expect(try await redis.hset(key, field: "c", to: "three") == false)
            #expect(try await redis.hget(key, field: "c") == "three")
            #expect(try await redis.hget(key, field: "missing", as: String.self) == nil)
            #expect(try await redis.hincrBy(key, field: "a", 10) == 11)
            #expect(try await redis.hgetall(key) == ["a": "11", "b": "2", "c": "three"])
            #expect(try await redis.hdel(key, fields: ["b", "missing"]) == 1)
            #expect(try await redis.hgetall(key, as: String.self) == ["a": "11", "c": "three"])
            #expect(try await redis.hgetall(key + "missing", as: String.self).isEmpty)
        }
    }

    @Test func sortedSetOperationsRoundTrip() async throws {
        let key = uniquePrefix("zset") + "z"
        try await withRedisClient { redis throws in
            #expect(try await redis.zadd(key, [(1, "one"), (2, "two"), (3, "three"), (4.5, "four")]) == 4)
            #expect(try await redis.zadd(key, score: 0.5, member: "half"))
            #expect(try await redis.zadd(key, score: 5, member: "half") == false)
            #expect(try await redis.zcard(key) == 5)
            #expect(try await redis.zrange(key, from: 0, to: -1) == ["one", "two", "three", "four", "half"])
            #expect(try await redis.zrange(key, from: 0, to: 1, as: String.self) == ["one", "two"])
            #expect(try await redis.zrangeByScore(key, min: 2, max: 4.5) == ["two", "three", "four"])
            #expect(try await redis.zrangeByScore(key, min: -.infinity, max: .infinity, limit: (1, 2)) == ["two", "three"])
            #expect(try await redis.zscore(key, member: "four") == 4.5)
            #expect(try await redis.zscore(key, member: "missing") == nil)
            #expect(try await redis.zrem(key, members: ["one", "missing"]) == 1)
            #expect(try await redis.zremRangeByScore(key, min: -.infinity, max: 3) == 2)
            #expect(try await redis.zrange(key, from: 0, to: -1) == ["four", "half"])
            #expect(try await redis.zcard(key + "missing") == 0)
        }
    }
}
