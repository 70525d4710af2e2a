import CairnTesting
import CairnRedis
import Testing

@Suite("Redis commands")
struct RedisCommandTests {
    @Test func pingAnswers() async throws {
        try await withRedisClient { redis in try await redis.ping() }
    }

    @Test func getAndSetRoundTrip() async throws {
        let key = uniquePrefix("getset") + "k"
        try await withRedisClient { redis in
            #expect(try await redis.get(key, as: String.self) == nil)
            #expect(try await redis.set(key, "héllo"))
            #expect(try await redis.get(key) == "héllo")
            try await redis.set(key, 42)
            #expect(try await redis.get(key, as: Int.self) == 42)
            #expect(try await redis.exists(key))
            #expect(try await redis.ttl(key) == nil)
        }
    }

    @Test func setOnlyIfAbsentKeepsTheFirstValue() async throws {
        let key = uniquePrefix("setnx") + "k"
        try await withRedisClient { redis throws in
            #expect(try await redis.set(key, "first", onlyIfAbsent: true))
            #expect(try await redis.set(key, "second", onlyIfAbsent: true) == false)
            #expect(try await redis.get(key) == "first")
        }
    }

    @Test func setWithTTLExpires() async throws {
        let key = uniquePrefix("ttl") + "k"
        try await withRedisClient { redis in
            // A long TTL to read back (a short one may already be gone on a loaded machine)...
            try await redis.set(key + ":long", "stays", ttl: .seconds(30))
            let remaining = try #require(try await redis.ttl(key + ":long"))
            #expect(remaining > .seconds(20) && remaining <= .seconds(30))
            // ...and a short one to watch expire.
            try await redis.set(key, "soon gone", ttl: .milliseconds(80))
            let expired = await eventually(within: .seconds(3)) { (try? await redis.get(key, as: String.self)) == .some(nil) }
            #expect(expired)
        }
    }

    @Test func expireSetsATimeToLive() async throws {
        let prefix = uniquePrefix("expire")
        try await withRedisClient { redis in
            #expect(try await redis.expire(prefix + "missing", after: .seconds(1)) == false)
            try await redis.set(prefix + "long", "v")
            #expect(try await redis.expire(prefix + "long", after: .seconds(30)))
            #expect(try await redis.ttl(prefix + "long").map { $0 > .seconds(20) } == true)
            try await redis.set(prefix + "k", "v")
            #expect(try await redis.ttl(prefix + "k") == nil, "no expiry yet")
            #expect(try await redis.expire(prefix + "k", after: .milliseconds(60)))
            let expired = await eventually(within: .seconds(3)) { (try? await redis.exists(prefix + "k")) == false }
            #expect(expired)
        }
    }

    @Test func delCountsTheKeysThatExisted() async throws {
        let prefix = uniquePrefix("del")
        try await withRedisClient { redis in
            try await redis.set(prefix + "a", "1")
            try await redis.set(prefix + "b", "2")
            #expect(try await redis.del(prefix + "a", prefix + "b", prefix + "c") == 2)
            #expect(try await redis.del([prefix + "a"]) == 0)
            #expect(try await redis.get(prefix + "a", as: String.self) == nil)
        }
    }

    @Test func incrByAddsAndReturnsTheNewValue() async throws {
        let key = uniquePrefix("incr") + "counter"
        try await withRedisClient { redis throws in
            #expect(try await redis.incrBy(key, 5) == 5)
            #expect(try await redis.incrBy(key, -2) == 3)
            #expect(try await redis.get(key, as: Int.self) == 3)
        }
    }

    @Test func valuesAndKeysAreBinarySafe() async throws {
        let key = uniquePrefix("binary") + "k\u{0}with-nul"
        let value: [UInt8] = [0, 1, 0, 255, 13, 10, 0, 36, 42, 0]
        try await withRedisClient { redis in
            try await redis.set(key, value)
            #expect(try await redis.get(key, as: [UInt8].self) == value)
            #expect(try await redis.get(uniquePrefix("binary") + "k", as: [UInt8].self) == nil)
            try await redis.set(key, [UInt8]())
            #expect(try await redis.get(key, as: [UInt8].self) == [])
        }
    }

    @Test func errorRepliesAreTypedAndKeepTheConnection() async throws {
        let key = uniquePrefix("wrongtype") + "hash"
        try await withRedisClient(options: .init(poolSize: 1)) { redis in
            try await redis.hset(key, field: "f", to: "v")
            let error = await #expect(throws: RedisError.self) { try await redis.incrBy(key, 1) }
            guard case .server(let message) = error else { Issue.record("expected .server, got \(String(describing: error))"); return }
            #expect(message.hasPrefix("WRONGTYPE"))
            try await redis.ping()
        }
    }

    @Test func rawCommandsReturnReplies() async throws {
        try await withRedisClient { redis throws in
            #expect(try await redis.command(["ECHO", "hi"]) == .bulk(Array("hi".utf8)))
            #expect(try await redis.command(["PING"]) == .status("PONG"))
        }
    }
}
