import CairnRedis
import CairnTesting
import ServiceKit
import Testing

@Suite("Redis failures")
struct RedisFailureTests {
    /// A failing call must not hang or wait out a timeout of its own. On loopback a refused
    /// connect is immediate either way, so this is a guard against hangs, not a speed target:
    /// it is loose enough never to flake on a loaded CI machine.
    static let fastFailure = Duration.seconds(5)

    /// Acceptance: one client instance survives a Redis crash and restart. While the server is
    /// down every call fails fast with `.unavailable`; once it is back the same client works.
    @Test func sameClientFailsFastWhileRedisIsDownAndRecoversAfterRestart() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.kill() }
        let key = uniquePrefix("restart") + "k"
        try await withRedisClient(server.endpoint) { redis in
            try await redis.set(key, "before")
            #expect(try await redis.get(key) == "before")

            server.kill()
            for attempt in 0..<50 {
                let (error, elapsed) = await timed {
                    await #expect(throws: RedisError.self) { try await redis.incrBy(key, 1) }
                }
                guard case .unavailable = error else {
                    Issue.record("attempt \(attempt): expected .unavailable, got \(String(describing: error))")
                    return
                }
                #expect(elapsed < Self.fastFailure, "attempt \(attempt) took \(elapsed)")
            }
            await #expect(throws: RedisError.self) { try await redis.readinessCheck.check() }

            try await server.start()
            let recovered = await eventually(within: .seconds(5)) { (try? await redis.ping()) != nil }
            #expect(recovered)
            try await redis.set(key, "after")
            #expect(try await redis.get(key) == "after")
            try await redis.readinessCheck.check()
        }
    }

    @Test func nothingListeningFailsFastWithUnavailable() async throws {
        let endpoint = Endpoint(host: "127.0.0.1", port: try freePort())
        try await withRedisClient(endpoint) { redis in
            for _ in 0..<20 {
                let (error, elapsed) = await timed {
                    await #expect(throws: RedisError.self) { try await redis.ping() }
                }
                guard case .unavailable(let reason) = error else {
                    Issue.record("expected .unavailable, got \(String(describing: error))")
                    return
                }
                #expect(reason.contains("\(endpoint.port)"))
                #expect(elapsed < Self.fastFailure)
            }
        }
    }

    @Test func wrongPasswordIsATypedErrorThatNeverShowsThePassword() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.kill() }
        let password = "right-\(TestInfra.uniqueSuffix())"
        let wrong = "wrong-\(TestInfra.uniqueSuffix())"
        try await withRedisClient(server.endpoint) { admin in
            try await admin.command(["CONFIG", "SET", "requirepass", RedisArgument(password)])
        }
        try await withRedisClient(server.endpoint, password: wrong) { redis in
            let error = await #expect(throws: RedisError.self) { try await redis.ping() }
            guard case .authenticationFailed = error else {
                Issue.record("expected .authenticationFailed, got \(String(describing: error))")
                return
            }
            let texts = ["\(String(describing: error))", String(reflecting: error), "\(redis)"]
            for text in texts { #expect(!text.contains(wrong) && !text.contains(password)) }
        }
        try await withRedisClient(server.endpoint) { redis in
            let error = await #expect(throws: RedisError.self) { try await redis.ping() }
            guard case .server(let message) = error else { Issue.record("expected .server, got \(String(describing: error))"); return }
            #expect(message.hasPrefix("NOAUTH"))
        }
        try await withRedisClient(server.endpoint, password: password) { redis in try await redis.ping() }
    }

    @Test func slowCommandTimesOutAndTheClientCarriesOn() async throws {
        let key = uniquePrefix("timeout") + "empty-list"
        try await withRedisClient(options: .init(poolSize: 1, commandTimeout: .milliseconds(200))) { redis in
            let (error, elapsed) = await timed {
                await #expect(throws: RedisError.self) { try await redis.command(["BLPOP", RedisArgument(key), 30]) }
            }
            #expect(error == .timeout)
            // Far below BLPOP's own 30 s: the client's 200 ms command timeout cut it short.
            #expect(elapsed < .seconds(10))
            try await redis.ping()
        }
    }

    @Test func selectsTheConfiguredDatabase() async throws {
        let key = uniquePrefix("select") + "k"
        try await withRedisClient(options: .init(database: 3)) { db3 in
            try await db3.set(key, "in 3")
            try await withRedisClient { db0 throws in #expect(try await db0.get(key, as: String.self) == nil) }
            #expect(try await db3.get(key) == "in 3")
            try await db3.del(key)
        }
    }

    @Test func callsAfterShutdownAreUnavailable() async throws {
        let redis = RedisClient(settings: RedisSettings(endpoint: TestInfra.redis), logger: TestInfra.logger(level: .error))
        try await redis.ping()
        await redis.shutdown()
        let error = await #expect(throws: RedisError.self) { try await redis.ping() }
        guard case .unavailable = error else { Issue.record("expected .unavailable, got \(String(describing: error))"); return }
    }
}

@Suite("Redis metrics")
struct RedisMetricsTests {
    @Test func commandsAndUnavailabilityAreCounted() async throws {
        CairnMetrics.bootstrap()
        try await withRedisClient { redis in try await redis.ping() }
        try await withRedisClient(Endpoint(host: "127.0.0.1", port: try freePort())) { redis in
            _ = try? await redis.command(["CLIENT", "LIST"])
        }
        let text = String(decoding: CairnMetrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"redis_commands_total{command="PING",outcome="ok"}"#))
        #expect(text.contains(#"redis_commands_total{command="OTHER",outcome="unavailable"}"#))
        #expect(text.contains("redis_unavailable_total"))
    }
}
