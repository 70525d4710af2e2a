import CairnRedis
import CairnTesting
import Testing

@Suite("Redis scripts")
struct RedisScriptTests {
    static let incrementAndGet = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")

    @Test func scriptHashIsRedisSHA1() async throws {
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RedisScript("abc").sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            RedisScript("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").sha1
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        )
        let long = RedisScript(String(repeating: "-- a comment with é\n", count: 100) + "return 1")
        try await withRedisClient { redis throws in
            #expect(try await redis.scriptLoad(long.source) == long.sha1)
        }
    }

    @Test func evalAndEvalshaRun() async throws {
        let key = uniquePrefix("eval") + "k"
        try await withRedisClient { redis in
            #expect(try await redis.eval(Self.incrementAndGet.source, keys: [key], arguments: [3]) == .integer(3))
            let sha = try await redis.scriptLoad(Self.incrementAndGet.source)
            #expect(try await redis.evalsha(sha, keys: [key], arguments: [4]) == .integer(7))
            let error = await #expect(throws: RedisError.self) { try await redis.eval("return redis.call('NOPE')") }
            guard case .server = error else { Issue.record("expected .server, got \(String(describing: error))"); return }
        }
    }

    /// On a server of the test's own, whose command statistics no other test disturbs: the
    /// first run hits NOSCRIPT, loads and retries; the next runs are one EVALSHA each; after
    /// SCRIPT FLUSH the script is loaded again transparently.
    @Test func evaluateLoadsOnNOSCRIPTAndThenUsesEVALSHAOnly() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.kill() }
        let key = uniquePrefix("evalsha") + "k"
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1]) -- \(key)")
        try await withRedisClient(server.endpoint) { redis in
            try await redis.command(["CONFIG", "RESETSTAT"])
            #expect(try await redis.evaluate(script, keys: [key], arguments: [1]) == .integer(1))
            #expect(try await Self.calls(redis) == Calls(evalsha: 2, failedEvalsha: 1, scriptLoad: 1))

            #expect(try await redis.evaluate(script, keys: [key], arguments: [1]) == .integer(2))
            #expect(try await Self.calls(redis) == Calls(evalsha: 3, failedEvalsha: 1, scriptLoad: 1))

            try await redis.command(["SCRIPT", "FLUSH"])
            #expect(try await redis.evaluate(script, keys: [key], arguments: [1]) == .integer(3))
            #expect(try await Self.calls(redis) == Calls(evalsha: 5, failedEvalsha: 2, scriptLoad: 2))
        }
    }

    struct Calls: Equatable {
        var evalsha: Int
        var failedEvalsha: Int
        var scriptLoad: Int
    }

    /// EVALSHA and SCRIPT LOAD counts from `INFO commandstats`
    /// (`cmdstat_evalsha:calls=2,usec=...,rejected_calls=0,failed_calls=1`).
    static func calls(_ redis: RedisClient) async throws -> Calls {
        let info = try #require(try await redis.command(["INFO", "commandstats"]).string)
        func stat(_ command: String, _ field: String) -> Int {
            guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_\(command):") }) else { return 0 }
            let pairs = line.drop { $0 != ":" }.dropFirst().split(separator: ",")
            return pairs.first { $0.hasPrefix("\(field)=") }.flatMap { Int($0.dropFirst(field.count + 1)) } ?? 0
        }
        return Calls(evalsha: stat("evalsha", "calls"), failedEvalsha: stat("evalsha", "failed_calls"), scriptLoad: stat("script|load", "calls"))
    }
}
