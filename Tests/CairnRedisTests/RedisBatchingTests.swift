import CairnRedis
import CairnTesting
import Testing

/// Automatic pipelining: concurrent calls share batches on a few connections, and each caller
/// still gets exactly its own replies.
@Suite("Redis automatic pipelining")
struct RedisBatchingTests {
    /// Distinct increments make every reply identify its caller: sorted by value, each reply
    /// minus its caller's own increment must be the previous reply. A reply handed to the wrong
    /// caller breaks the chain.
    @Test(arguments: [1, 2, 4])
    func concurrentCallersEachGetTheirOwnReply(poolSize: Int) async throws {
        let key = uniquePrefix("batch-incr") + "counter"
        try await withRedisClient(options: .init(poolSize: poolSize)) { redis in
            let results = try await withThrowingTaskGroup(of: (increment: Int, value: Int).self) { group in
                for increment in 1...1000 { group.addTask { (increment, try await redis.incrBy(key, increment)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var previous = 0
            for (increment, value) in results.sorted(by: { $0.value < $1.value }) {
                #expect(value - increment == previous, "INCRBY \(increment) returned \(value)")
                previous = value
            }
            #expect(try await redis.get(key, as: Int.self) == 500_500)
        }
    }

    /// One connection, so explicit pipelines and single calls land in the same batches: each
    /// pipeline's replies stay together and in order, and each single call gets its own echo.
    @Test func pipelinesInterleavedWithSingleCallsKeepTheirReplies() async throws {
        let prefix = uniquePrefix("batch-mixed")
        try await withRedisClient(options: .init(poolSize: 1)) { redis in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<200 {
                    group.addTask {
                        if task % 4 == 0 {
                            let key = RedisArgument(prefix + "\(task)")
                            let commands: [[RedisArgument]] = (0..<20).flatMap { step -> [[RedisArgument]] in
                                [["INCR", key], ["ECHO", RedisArgument("\(task)/\(step)")]]
                            }
                            let replies = try await redis.pipeline(commands)
                            let expected = (0..<20).flatMap { step -> [RedisValue] in
                                [.integer(step + 1), .bulk(Array("\(task)/\(step)".utf8))]
                            }
                            #expect(replies == expected)
                        } else {
                            #expect(try await redis.command(["ECHO", RedisArgument("single \(task)")]) == .bulk(Array("single \(task)".utf8)))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// A pipeline of one command is still a pipeline: its error reply is returned, not thrown.
    @Test func oneCommandPipelineKeepsItsErrorReply() async throws {
        let key = uniquePrefix("batch-one") + "hash"
        try await withRedisClient { redis in
            try await redis.hset(key, field: "f", to: "v")
            let replies = try await redis.pipeline([["INCR", RedisArgument(key)]])
            #expect(replies.count == 1 && replies[0].errorMessage?.hasPrefix("WRONGTYPE") == true)
            await #expect(throws: RedisError.self) { try await redis.command(["INCR", RedisArgument(key)]) }
        }
    }

    /// A crash with 100 calls in flight (written and blocked in BLPOP, or queued behind them)
    /// fails every one of them with `.unavailable`, long before BLPOP's own timeout, and the
    /// same client works again once Redis is back.
    @Test func crashMidBatchFailsEveryCallInFlightAndTheClientRecovers() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.kill() }
        let key = uniquePrefix("batch-crash") + "empty-list"
        try await withRedisClient(server.endpoint, options: .init(commandTimeout: .seconds(20))) { redis in
            try await redis.ping()
            let (errors, elapsed) = try await timed {
                try await withThrowingTaskGroup(of: RedisError?.self) { group in
                    for _ in 0..<100 {
                        group.addTask {
                            do {
                                _ = try await redis.command(["BLPOP", RedisArgument(key), 10])
                                return nil
                            } catch let error as RedisError {
                                return error
                            }
                        }
                    }
                    try await Task.sleep(for: .milliseconds(300))
                    server.kill()
                    return try await group.reduce(into: [RedisError?]()) { $0.append($1) }
                }
            }
            #expect(errors.count == 100)
            for error in errors {
                guard case .unavailable = error else { Issue.record("expected .unavailable, got \(String(describing: error))"); break }
            }
            #expect(elapsed < .seconds(5), "calls in flight took \(elapsed) to fail")

            try await server.start()
            let recovered = await eventually(within: .seconds(5)) { (try? await redis.ping()) != nil }
            #expect(recovered)
            try await redis.set(key + ":after", "ok")
            #expect(try await redis.get(key + ":after") == "ok")
        }
    }
}
