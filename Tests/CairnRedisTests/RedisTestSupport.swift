import CairnRedis
import CairnTesting
import ServiceKit

/// Runs `body` with a client on `endpoint` (the shared test Redis by default), shutting the
/// client down afterwards whatever happens.
func withRedisClient(
    _ endpoint: Endpoint = TestInfra.redis, password: String? = nil, options: RedisClient.Options = .init(),
    _ body: (RedisClient) async throws -> Void
) async throws {
    let client = RedisClient(
        settings: RedisSettings(endpoint: endpoint, password: password), options: options,
        logger: TestInfra.logger("redis", level: .error)
    )
    do {
        try await body(client)
        await client.shutdown()
    } catch {
        await client.shutdown()
        throw error
    }
}

/// A key prefix no other test (or run) shares, so tests need no cleanup between them.
func uniquePrefix(_ test: String) -> String {
    "cairn:test:\(test):\(TestInfra.uniqueSuffix()):"
}

/// How long `body` took.
func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let result = try await body()
    return (result, ContinuousClock.now - start)
}
