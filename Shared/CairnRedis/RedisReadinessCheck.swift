import ServiceKit

/// Readiness of Redis through the client's own pool: `PING` on a pooled connection. Unlike
/// ServiceKit's ``RedisPingCheck`` it opens no extra connection, and while Redis is down it
/// fails within microseconds (the pool's back-off) instead of waiting for a connect.
public struct RedisReadinessCheck: ReadinessCheck {
    public let name = "redis"
    let client: RedisClient

    public func check() async throws {
        try await client.ping()
    }
}

extension RedisClient {
    /// A readiness check for `GET /ready` (in a ``ServiceComponent``'s `checks`).
    public var readinessCheck: RedisReadinessCheck { RedisReadinessCheck(client: self) }
}
